/*
 * phys_large.c: large physical mappings of RAM carve-outs, and cutting
 * them up again. Booted with `-m 5G -append "zirv.carveout=1G@0x100000000
 * zirv.carveout=4M@0x8a000000"`: a 1 GiB aligned gigabyte and a 2 MiB
 * aligned 4 MiB. Every pattern written through the big mapping is checked
 * again through a separate one-page VMO over the same physical page, so a
 * leaf pointing at the wrong frame cannot go unnoticed.
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

#define BIG_PA	 0x100000000ul
#define SMALL_PA 0x8a000000ul

static zx_handle_t cached(zx_paddr_t pa, size_t size)
{
	return phys_policy(pa, size, ZX_CACHE_POLICY_CACHED);
}

/* The 64-bit word at physical address pa, read through a fresh one-page mapping. */
static uint64_t peek_phys(zx_paddr_t pa)
{
	zx_handle_t v = cached(pa & ~(PAGE - 1), PAGE);
	zx_vaddr_t a;
	uint64_t val = 0xdeaddeaddeaddeadul;
	if (v == ZX_HANDLE_INVALID)
		return val;
	if (map_ro(v, PAGE, &a) != NULL) {
		val = *(volatile uint64_t *)(a + (pa & (PAGE - 1)));
		zx_vmar_unmap(zx_vmar_root_self(), a, PAGE);
	}
	zx_handle_close(v);
	return val;
}

#define SPLIT_UNMAP_VA	 0x1000000000ul
#define SPLIT_PROTECT_VA 0x1400000000ul

static uint64_t pattern(uint64_t off)
{
	return 0x9e3779b97f4a7c15ul ^ off;
}

static void write_read_check(zx_vaddr_t base, zx_paddr_t pa, const uint64_t *offs, int n)
{
	for (int i = 0; i < n; i++)
		*(volatile uint64_t *)(base + offs[i]) = pattern(offs[i]);
	for (int i = 0; i < n; i++) {
		EXPECT_EQ(*(volatile uint64_t *)(base + offs[i]), pattern(offs[i]), "offset %#lx",
			  (unsigned long)offs[i]);
		EXPECT_EQ(peek_phys(pa + offs[i]), pattern(offs[i]), "pa %#lx",
			  (unsigned long)(pa + offs[i]));
	}
}

static const uint64_t big_offs[] = {0,
				    8,
				    PAGE,
				    2 * MIB - 8,
				    2 * MIB,
				    2 * MIB + PAGE,
				    300 * MIB + 5 * PAGE,
				    GIB / 2 - PAGE,
				    GIB / 2,
				    GIB / 2 + PAGE,
				    GIB - 2 * MIB,
				    GIB - PAGE,
				    GIB - 8};
#define NBIG ((int)(sizeof(big_offs) / sizeof(big_offs[0])))

TEST(Large, WholeGigabyte)
{
	zx_handle_t v = cached(BIG_PA, GIB);
	ASSERT_NE(v, ZX_HANDLE_INVALID, "carve-out 1G@0x100000000 not grantable");
	zx_vaddr_t a;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, GIB, &a));
	printf("# 1 GiB mapped at %#lx\n", (unsigned long)a);
	write_read_check(a, BIG_PA, big_offs, NBIG);
	unmap(a, GIB);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	/* mapped again, the contents are still there */
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, GIB, &a));
	for (int i = 0; i < NBIG; i++)
		EXPECT_EQ(*(volatile uint64_t *)(a + big_offs[i]), pattern(big_offs[i]));
	unmap(a, GIB);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Large, FourMegabytes2MAligned)
{
	static const uint64_t offs[] = {0, PAGE, 2 * MIB - PAGE, 2 * MIB, 3 * MIB, 4 * MIB - 8};
	zx_handle_t v = cached(SMALL_PA, 4 * MIB);
	ASSERT_NE(v, ZX_HANDLE_INVALID, "carve-out 4M@0x8a000000 not grantable");
	zx_vaddr_t a;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, 4 * MIB, &a));
	write_read_check(a, SMALL_PA, offs, (int)(sizeof(offs) / sizeof(offs[0])));
	unmap(a, 4 * MIB);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Large, UnalignedWindowOfTheGigabyte)
{
	/* offset one page in: no 1 GiB leaf possible, 2 MiB and 4 KiB leaves mixed */
	zx_handle_t v = cached(BIG_PA, GIB);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a;
	const size_t len = 6 * MIB;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, PAGE, len, &a));
	static const uint64_t offs[] = {0,	 2 * MIB - 2 * PAGE, 2 * MIB - PAGE, 2 * MIB,
					4 * MIB, 6 * MIB - 8};
	write_read_check(a, BIG_PA + PAGE, offs, (int)(sizeof(offs) / sizeof(offs[0])));
	unmap(a, len);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Large, UnmapOnePageSplits)
{
	zx_handle_t v = cached(BIG_PA, GIB);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const zx_vaddr_t a = SPLIT_UNMAP_VA;
	ASSERT_OK(map_fixed(v, RW, a, 0, GIB));
	write_read_check(a, BIG_PA, big_offs, NBIG);
	const uint64_t mid = GIB / 2;
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), a + mid, PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 2u, "two pieces left");
	for (int i = 0; i < NBIG; i++) {
		if (big_offs[i] >= mid && big_offs[i] < mid + PAGE)
			continue;
		EXPECT_EQ(*(volatile uint64_t *)(a + big_offs[i]), pattern(big_offs[i]),
			  "offset %#lx after the split", (unsigned long)big_offs[i]);
	}
	/* the neighbours are still writable and land in the right frames */
	*(volatile uint64_t *)(a + mid - 8) = 0x1234;
	*(volatile uint64_t *)(a + mid + PAGE) = 0x5678;
	EXPECT_EQ(peek_phys(BIG_PA + mid - 8), 0x1234u);
	EXPECT_EQ(peek_phys(BIG_PA + mid + PAGE), 0x5678u);
	EXPECT_EQ(peek_phys(BIG_PA + mid), pattern(mid), "unmapping kept the memory");
	/* the hole cannot be protected, and a protect spanning it fails */
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, a + mid, PAGE),
		      ZX_ERR_NOT_FOUND);
	EXPECT_STATUS(
	    zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, a + mid - PAGE, 3 * PAGE),
	    ZX_ERR_NOT_FOUND);
	/* mapping the hole back with ZX_VM_SPECIFIC fills it */
	zx_info_vmar_t root;
	ASSERT_OK(
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof(root), NULL, NULL));
	zx_vaddr_t b;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_SPECIFIC, a + mid - root.base, v, mid,
			      PAGE, &b));
	EXPECT_EQ(b, a + mid);
	EXPECT_EQ(*(volatile uint64_t *)(a + mid), pattern(mid));
	EXPECT_EQ(vmo_info(v).num_mappings, 3u);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, GIB), "one unmap over all three pieces");
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Large, ProtectOnePageSplits)
{
	zx_handle_t v = cached(BIG_PA, GIB);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const zx_vaddr_t a = SPLIT_PROTECT_VA;
	ASSERT_OK(map_fixed(v, RW, a, 0, GIB));
	write_read_check(a, BIG_PA, big_offs, NBIG);
	const uint64_t at = 3 * GIB / 4 + 5 * PAGE;
	volatile uint64_t *lo = (volatile uint64_t *)(a + at - PAGE);
	volatile uint64_t *ro = (volatile uint64_t *)(a + at);
	volatile uint64_t *hi = (volatile uint64_t *)(a + at + PAGE);
	*lo = 1;
	*ro = 2;
	*hi = 3;
	ASSERT_OK(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, a + at, PAGE));
	EXPECT_EQ(*ro, 2u, "read-only page still reads");
	*lo = 11;
	*hi = 33;
	EXPECT_EQ(*lo, 11u);
	EXPECT_EQ(*hi, 33u);
	EXPECT_EQ(peek_phys(BIG_PA + at - PAGE), 11u);
	EXPECT_EQ(peek_phys(BIG_PA + at + PAGE), 33u);
	/* far away pages too */
	*(volatile uint64_t *)a = 0x77;
	*(volatile uint64_t *)(a + GIB - 8) = 0x88;
	EXPECT_EQ(peek_phys(BIG_PA), 0x77u);
	EXPECT_EQ(peek_phys(BIG_PA + GIB - 8), 0x88u);
	for (int i = 0; i < NBIG; i++)
		if (big_offs[i] != 0 && big_offs[i] != GIB - 8)
			EXPECT_EQ(*(volatile uint64_t *)(a + big_offs[i]), pattern(big_offs[i]),
				  "offset %#lx", (unsigned long)big_offs[i]);
	ASSERT_OK(zx_vmar_protect(zx_vmar_root_self(), RW, a + at, PAGE));
	*ro = 22;
	EXPECT_EQ(peek_phys(BIG_PA + at), 22u);
	unmap(a, GIB);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

/*
 * The gigabytes the two tests above cut into pieces are empty again: a
 * new whole-gigabyte mapping must be possible at each of them (and at the
 * first free one), whatever tables the cutting left behind.
 */
TEST(Large, RemapWhereSplitMappingsWere)
{
	zx_handle_t v = cached(BIG_PA, GIB);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const zx_vaddr_t at[2] = {SPLIT_UNMAP_VA, SPLIT_PROTECT_VA};
	for (int i = 0; i < 2; i++) {
		ASSERT_OK(map_fixed(v, RW, at[i], 0, GIB), "at %#lx", (unsigned long)at[i]);
		*(volatile uint64_t *)(at[i] + GIB / 2) = 0xabcdef00u + (uint64_t)i;
		EXPECT_EQ(peek_phys(BIG_PA + GIB / 2), 0xabcdef00u + (uint64_t)i);
		/* whatever earlier tests left there, read back through the physical page */
		EXPECT_EQ(*(volatile uint64_t *)(at[i] + GIB - 8), peek_phys(BIG_PA + GIB - 8));
		unmap(at[i], GIB);
	}
	EXPECT_OK(zx_handle_close(v));
}

/*
 * Without an alignment field, a physical mapping is placed at the large-page
 * alignment zirv picks (1 GiB for the gigabyte), with no fallback to a
 * smaller one: with every 1 GiB aligned gigabyte of the root VMAR holding a
 * page, it fails with ZX_ERR_NO_RESOURCES although a 2 GiB - 8 KiB gap
 * (1 GiB + 4 KiB .. 3 GiB - 4 KiB) is free; asked for 2 MiB alignment
 * explicitly, the same call fits there.
 */
TEST(Large, NoFallbackToASmallerAlignment)
{
	zx_handle_t v = cached(BIG_PA, GIB), p = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create(PAGE, 0, &p));
	static zx_vaddr_t placed[256];
	int n = 0;
	for (uint64_t g = 1; g < PAST_USER_ADDR / GIB; g++) {
		zx_vaddr_t at = g == 2 ? 3 * GIB - PAGE : g * GIB;
		zx_status_t st = map_fixed(p, ZX_VM_PERM_READ, at, 0, PAGE);
		if (st == ZX_OK)
			placed[n++] = at;
		else
			EXPECT_STATUS(st, ZX_ERR_ALREADY_EXISTS, "at %#lx", (unsigned long)at);
	}
	ASSERT_TRUE(n >= 250, "only %d pages placed", n);
	zx_vaddr_t a = 0x77;
	EXPECT_STATUS(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, GIB, &a),
		      ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(a, 0x77u);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	ASSERT_OK(
	    zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_ALIGN_2MB, 0, v, 0, GIB, &a));
	EXPECT_TRUE(a > GIB && a < 2 * GIB, "mapped at %#lx", (unsigned long)a);
	EXPECT_EQ(a % (2 * MIB), 0u);
	EXPECT_EQ(*(volatile uint64_t *)(a + GIB / 2), peek_phys(BIG_PA + GIB / 2));
	unmap(a, GIB);
	for (int i = 0; i < n; i++)
		unmap(placed[i], PAGE);
	EXPECT_EQ(vmo_info(p).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(p));
	EXPECT_OK(zx_handle_close(v));
}
