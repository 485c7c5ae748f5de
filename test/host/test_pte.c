/*
 * Leaf PTE bits for every cache policy under every encoder, user and
 * kernel (mm/pte.c): the exact values docs/cacheability.md promises,
 * including XTheadMae, which QEMU cannot run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "mm/pte.h"

static int failures;

static void expect(const char *what, uint64_t got, uint64_t want)
{
	if (got != want) {
		printf("FAIL %s: got %#lx, want %#lx\n", what, (unsigned long)got,
		       (unsigned long)want);
		failures++;
	}
}

int main(void)
{
	static const char *enc_name[] = {"none", "svpbmt", "xtheadmae"};
	/* [encoder][policy] memory-type bits: CACHED, UNCACHED, UNCACHED_DEVICE, WRITE_COMBINING */
	static const uint64_t want[3][4] = {
	    {0, 0, 0, 0},
	    {0, 1ul << 61, 2ul << 61, 1ul << 61},
	    {7ul << 60, 0, 1ul << 63, 0},
	};
	char what[96];

	for (int enc = 0; enc < 3; enc++) {
		for (uint32_t pol = 0; pol < 4; pol++) {
			snprintf(what, sizeof(what), "%s policy %u memtype", enc_name[enc], pol);
			expect(what, pte_memtype_for((enum pte_enc)enc, pol), want[enc][pol]);
			uint64_t user = pte_leaf_attrs((enum pte_enc)enc, PTE_R | PTE_W, true, pol);
			snprintf(what, sizeof(what), "%s policy %u user leaf", enc_name[enc], pol);
			expect(what, user, PTE_R | PTE_W | PTE_U | PTE_A | PTE_D | want[enc][pol]);
			uint64_t kern =
			    pte_leaf_attrs((enum pte_enc)enc, PTE_R | PTE_X, false, pol);
			snprintf(what, sizeof(what), "%s policy %u kernel leaf", enc_name[enc],
				 pol);
			expect(what, kern, PTE_R | PTE_X | PTE_G | PTE_A | PTE_D | want[enc][pol]);
			/* Reserved bits 60:54 stay clear except where XTheadMae defines them. */
			if (enc != PTE_ENC_XTHEADMAE)
				expect("reserved 60:54", user & (0x7ful << 54), 0);
		}
	}
	/* The policy field is two bits; anything above is ignored, never indexes out. */
	expect("policy masked", pte_memtype_for(PTE_ENC_SVPBMT, 4 | 2), 2ul << 61);
	pte_set_encoding(PTE_ENC_SVPBMT);
	expect("active encoder", pte_memtype(2), 2ul << 61);
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
