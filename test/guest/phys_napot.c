/*
 * phys_napot.c: a 64 KiB-aligned physical mapping translates right whether
 * the kernel maps it with Svnapot's NAPOT groups or with 4 KiB leaves, and
 * stays right when protect and unmap cut a group. Booted with -m 512M and
 * zirv.carveout=4M@0x8a000000, with and without -cpu ...,svnapot=on.
 *
 * Mapping A lands 64 KiB aligned (NAPOT where Svnapot is on); mapping B of
 * the same pages sits at an address 4 KiB off that alignment, so it can
 * only use plain leaves. A wrong NAPOT encoding would send A's stores to
 * other frames than B reads.
 */
#include "phys_util.h"

#define CARVE 0x8a000000ul
#define LEN   (256 * 1024ul) /* four NAPOT groups */
#define WORDS (PAGE / sizeof(uint64_t))

static uint64_t pattern(size_t page, size_t word)
{
	return 0x5a5a000000000000ul | (uint64_t)page << 16 | word;
}

static zx_status_t map_at(zx_handle_t v, zx_vaddr_t at, zx_vaddr_t *out)
{
	zx_info_vmar_t root;
	zx_status_t st =
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof(root), NULL, NULL);
	if (st != ZX_OK)
		return st;
	return zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_SPECIFIC, at - root.base, v, 0, LEN,
			   out);
}

static size_t mismatches(volatile uint64_t *b, size_t first, size_t last)
{
	size_t bad = 0;
	for (size_t p = first; p < last; p++)
		for (size_t w = 0; w < WORDS; w += 61)
			bad += b[p * WORDS + w] != pattern(p, w);
	return bad;
}

TEST(Napot, TwoMappingsSeeTheSameFrames)
{
	zx_handle_t v = phys_policy(CARVE, LEN, ZX_CACHE_POLICY_CACHED);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, b = 0;
	ASSERT_OK(map_at(v, 0x2000000000ul, &a)); /* 64 KiB (and 2 MiB) aligned */
	ASSERT_OK(map_at(v, 0x2000101000ul, &b)); /* 4 KiB off */
	volatile uint64_t *pa = (volatile uint64_t *)a, *pb = (volatile uint64_t *)b;
	for (size_t p = 0; p < LEN / PAGE; p++)
		for (size_t w = 0; w < WORDS; w += 61)
			pa[p * WORDS + w] = pattern(p, w);
	EXPECT_EQ(mismatches(pb, 0, LEN / PAGE), 0u, "B sees what A wrote");

	/* read-only one page inside the second group: the group is cut, the rest stays */
	ASSERT_OK(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, a + 0x13000, PAGE));
	for (size_t p = 0; p < LEN / PAGE; p++)
		if (p != 0x13)
			for (size_t w = 0; w < WORDS; w += 61)
				pa[p * WORDS + w] = pattern(p, w) ^ 1;
	for (size_t p = 0; p < LEN / PAGE; p++)
		for (size_t w = 0; w < WORDS; w += 61)
			EXPECT_EQ(pb[p * WORDS + w], pattern(p, w) ^ (p != 0x13), "page %zu", p);
	EXPECT_EQ(pa[0x13 * WORDS], pattern(0x13, 0), "the protected page still reads");

	/* unmap a page out of the third group: its neighbours still map their own frames */
	unmap(a + 0x24000, PAGE);
	for (size_t p = 0x20; p < 0x30; p++)
		if (p != 0x24)
			EXPECT_EQ(pa[p * WORDS], pattern(p, 0) ^ 1, "page %zu", p);
	unmap(a, 0x24000);
	unmap(a + 0x25000, LEN - 0x25000);
	unmap(b, LEN);
	EXPECT_OK(zx_handle_close(v));
}
