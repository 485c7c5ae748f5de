#ifndef ZIRV_MAIN_H
#define ZIRV_MAIN_H

#include "arch.h"
#include "restab.h"

struct boot_info {
	uint64_t hartid;
	paddr_t dtb_pa, load_pa;
	const struct dt *dt;
	const struct restab *rt;
	int64_t failalloc; /* zirv.failalloc=N: allocations allowed once user code runs; -1 = off */
};
extern struct boot_info boot;

/*
 * The value of `key=` in /chosen/bootargs, copied to buf (NUL-terminated).
 * False if absent or longer than the buffer.
 */
bool bootarg(const struct dt *dt, const char *key, char *buf, size_t len);

/*
 * Map [pa, pa+size) into the kernel window if every byte of it is of
 * resource-table `kind` (RT_*), with memory type `policy` and PTE_R/W
 * `perms`; else say so and return NULL.
 */
void *kmap_checked(const struct restab *rt, paddr_t pa, size_t size, int kind, uint32_t policy,
		   uint64_t perms);

/* Runs the in-kernel checks named by zirv.test=...; returns the exit code. */
int boot_selftest(const struct boot_info *b);

#endif
