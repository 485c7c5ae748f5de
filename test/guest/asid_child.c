/*
 * asid_child.c: bin/child of the asid test. Fills a buffer at an address
 * every copy of this program shares with its argv[1] pattern, then sleeps
 * and checks it, over and over, mapping and unmapping a page at one fixed
 * address between rounds: exit code 0 if it only ever saw its own data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define ROUNDS 200
#define WORDS  (4 * 4096 / 8)

static uint64_t mine[WORDS]; /* the same address in every copy of the program */

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	uint64_t pattern = 0x5a5a000000000000ull | (uint64_t)atoi(argv[1]) << 16;
	zx_handle_t vmo;
	zx_info_vmar_t root;
	if (zx_vmo_create(4096, 0, &vmo) != ZX_OK ||
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof(root), NULL,
			       NULL) != ZX_OK)
		return 3;
	for (int r = 0; r < ROUNDS; r++) {
		for (int i = 0; i < WORDS; i++)
			mine[i] = pattern | (uint64_t)r << 32 | (uint64_t)i;
		zx_nanosleep(zx_deadline_after(20000)); /* let the others run */
		for (int i = 0; i < WORDS; i++)
			if (mine[i] != (pattern | (uint64_t)r << 32 | (uint64_t)i))
				return 10;
		/* A page at one fixed address, mapped, written, read and unmapped: flushes by ASID.
		 */
		zx_vaddr_t at = root.base + 0x10000000, got;
		if (zx_vmar_map(zx_vmar_root_self(),
				ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC, at - root.base,
				vmo, 0, 4096, &got) != ZX_OK)
			return 4;
		volatile uint64_t *p = (volatile uint64_t *)got;
		*p = pattern + (uint64_t)r;
		zx_nanosleep(zx_deadline_after(10000));
		if (*p != pattern + (uint64_t)r)
			return 11;
		if (zx_vmar_unmap(zx_vmar_root_self(), got, 4096) != ZX_OK)
			return 5;
	}
	return 0;
}
