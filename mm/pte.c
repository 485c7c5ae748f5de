#include "mm/pte.h"
#include "arch.h"

#define SVPBMT_NC    (1ul << 61)
#define SVPBMT_IO    (2ul << 61)
#define THEAD_SO     (1ul << 63)
#define THEAD_C_B_SH (7ul << 60)

static const uint64_t memtype[3][4] = {
    [PTE_ENC_NONE] = {0, 0, 0, 0},
    [PTE_ENC_SVPBMT] =
	{
	    [MT_CACHED] = 0,
	    [MT_UNCACHED] = SVPBMT_NC,
	    [MT_DEVICE] = SVPBMT_IO,
	    [MT_WRITE_COMBINING] = SVPBMT_NC,
	},
    [PTE_ENC_XTHEADMAE] =
	{
	    [MT_CACHED] = THEAD_C_B_SH,
	    [MT_UNCACHED] = 0,
	    [MT_DEVICE] = THEAD_SO,
	    [MT_WRITE_COMBINING] = 0,
	},
};

static enum pte_enc active = PTE_ENC_NONE;

void pte_set_encoding(enum pte_enc enc)
{
	active = enc;
}

enum pte_enc pte_encoding(void)
{
	return active;
}

uint64_t pte_memtype_for(enum pte_enc enc, uint32_t policy)
{
	return memtype[enc][policy & 3];
}

uint64_t pte_memtype(uint32_t policy)
{
	return pte_memtype_for(active, policy);
}

uint64_t pte_leaf_attrs(enum pte_enc enc, uint64_t rwx, bool user, uint32_t policy)
{
	return (rwx & (PTE_R | PTE_W | PTE_X)) | (user ? PTE_U : PTE_G) | PTE_A | PTE_D |
	       pte_memtype_for(enc, policy);
}
