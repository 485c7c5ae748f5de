/*
 * failalloc_split.c: zx_vmar_protect and zx_vmar_unmap when splitting needs
 * memory the kernel does not have (boot argument zirv.failalloc=N).
 *
 * A 4 MiB RAM carve-out (zirv.carveout=4M@0x8a000000, 2 MiB aligned) is
 * mapped with two 2 MiB leaves (set-up: three allocations, the VMO, its
 * handle object and the mapping record). Changing one page
 * inside it cuts the mapping record at both ends (two new records) and
 * splits the leaf (a page table reserved for each end, the unused one given
 * back), in that order: four allocations, all made before anything changes.
 * The program protects one page of the first leaf, then unmaps one page of
 * the second; meson boots it with N = 3 .. 10 so that the failure lands on
 * each of the four allocations of each call. Whichever allocation
 * fails, the call must answer exactly ZX_ERR_NO_MEMORY and change nothing:
 * no record split, every page still mapped and writable. Once the budget is
 * gone, both calls must keep failing cleanly, and calls that split nothing
 * must still work.
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

#define CARVE_BASE 0x8a000000ul
#define CARVE_SIZE (4 * MIB)
#define LEAF	   (2 * MIB)

static zx_handle_t vmo;
static zx_vaddr_t base;
static bool mapped, protected_one;

/*
 * Pages the attempts never touch (every 64th page, plus two) take a write.
 * The attempts change base + PAGE and base + LEAF + PAGE at most.
 */
static void check_pages_writable(const char *when)
{
	for (uint64_t off = 2 * PAGE; off < CARVE_SIZE; off += 64 * PAGE) {
		volatile uint64_t *p = (volatile uint64_t *)(base + off);
		*p = 0xfa11a10c0000ul + off;
		EXPECT_EQ(*p, 0xfa11a10c0000ul + off, "%s: offset %#lx", when, (unsigned long)off);
	}
}

/* One split attempt: OK, or NO_MEMORY with the mapping exactly as it was. */
static void attempt_(bool protect, zx_vaddr_t at, const char *what, zx_status_t *out)
{
	uint64_t maps = vmo_info(vmo).num_mappings;
	zx_status_t st = protect ? zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, at, PAGE)
				 : zx_vmar_unmap(zx_vmar_root_self(), at, PAGE);
	printf("# %s at %#lx: %s\n", what, (unsigned long)at, zx_status_get_string(st));
	*out = st;
	if (st == ZX_OK) {
		EXPECT_EQ(vmo_info(vmo).num_mappings, maps + (protect ? 2 : 1), "%s", what);
		return;
	}
	EXPECT_STATUS(st, ZX_ERR_NO_MEMORY, "%s", what);
	EXPECT_EQ(vmo_info(vmo).num_mappings, maps, "%s: no record was split", what);
	/* the page itself is still mapped read-write */
	*(volatile uint64_t *)at = 0x5011700ul;
	EXPECT_EQ(*(volatile uint64_t *)at, 0x5011700ul, "%s: page still writable", what);
}

static zx_status_t attempt(bool protect, zx_vaddr_t at, const char *what)
{
	zx_status_t st = ZX_ERR_INTERNAL;
	attempt_(protect, at, what, &st);
	return st;
}

TEST(SplitFailAlloc, MapTheCarveout)
{
	zx_handle_t v = 0x5a5a5a5a;
	zx_status_t st = zx_vmo_create_physical(mmio_resource(), CARVE_BASE, CARVE_SIZE, &v);
	if (st == ZX_OK)
		st = zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED);
	if (st == ZX_OK) {
		vmo = v;
		st = zx_vmar_map(zx_vmar_root_self(), RW, 0, vmo, 0, CARVE_SIZE, &base);
	}
	printf("# set-up: %s\n", zx_status_get_string(st));
	if (st != ZX_OK) {
		/* a budget too small for the set-up: that must fail cleanly too */
		EXPECT_STATUS(st, ZX_ERR_NO_MEMORY);
		if (vmo) {
			EXPECT_EQ(vmo_info(vmo).num_mappings, 0u);
			EXPECT_OK(zx_handle_close(vmo));
		}
		return;
	}
	mapped = true;
	EXPECT_EQ(base % LEAF, 0u, "2 MiB leaves need a 2 MiB aligned address");
	check_pages_writable("after mapping");
}

TEST(SplitFailAlloc, SplitUntilNoMemory)
{
	if (!mapped)
		return;
	/* protect one page in the first leaf, unmap one page in the second */
	if (attempt(true, base + PAGE, "protect") != ZX_OK)
		return;
	protected_one = true;
	attempt(false, base + LEAF + PAGE, "unmap");
}

TEST(SplitFailAlloc, AfterTheBudgetIsSpent)
{
	if (!mapped)
		return;
	/* spend whatever is left: each zx_vmo_create takes one allocation */
	int n = 0;
	zx_status_t st = ZX_OK;
	zx_handle_t h;
	while (n < 100000 && (st = zx_vmo_create(0, 0, &h)) == ZX_OK) {
		EXPECT_OK(zx_handle_close(h));
		n++;
	}
	EXPECT_STATUS(st, ZX_ERR_NO_MEMORY, "the budget should run out after %d VMOs", n);
	printf("# %d allocations were left\n", n);

	/* pages that were not split before */
	EXPECT_STATUS(attempt(true, base + 3 * PAGE, "protect, budget spent"), ZX_ERR_NO_MEMORY);
	EXPECT_STATUS(attempt(false, base + LEAF + 5 * PAGE, "unmap, budget spent"),
		      ZX_ERR_NO_MEMORY);
	EXPECT_STATUS(attempt(true, base + LEAF + 7 * PAGE, "protect, budget spent"),
		      ZX_ERR_NO_MEMORY);

	/* ranges whose ends are boundaries already split nothing and need no memory */
	if (protected_one)
		EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), RW, base + PAGE, PAGE),
			  "protecting the page split off before");
	else
		EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), RW, base, CARVE_SIZE),
			  "protecting the whole mapping");
	*(volatile uint64_t *)(base + PAGE) = 1;
	check_pages_writable("after the failed splits");
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), base, CARVE_SIZE), "unmapping all of it");
	EXPECT_EQ(vmo_info(vmo).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(vmo));
}
