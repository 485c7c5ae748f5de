/*
 * phys_remap.c: a large physical mapping where smaller mappings used to be.
 * Unmapping leaves the VA range empty; the page tables the old mapping
 * needed are the kernel's business and must not stop a later 2 MiB-leaf
 * mapping of the same range. Booted with `-m 1G -append
 * zirv.carveout=4M@0x8a000000` (2 MiB aligned).
 */
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

#define AT 0x800000000ul /* 2 MiB (and 1 GiB) aligned */

TEST(Remap, TwoMegLeavesWhereAPagedPageWas)
{
	zx_handle_t paged, carve;
	ASSERT_OK(zx_vmo_create(PAGE, 0, &paged));
	ASSERT_OK(map_fixed(paged, RW, AT, 0, PAGE));
	*(volatile uint32_t *)AT = 1;
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), AT, PAGE));
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), 0x8a000000ul, 4 * MIB, &carve));
	ASSERT_OK(zx_vmo_set_cache_policy(carve, ZX_CACHE_POLICY_CACHED));
	ASSERT_OK(map_fixed(carve, RW, AT, 0, 4 * MIB));
	*(volatile uint64_t *)(AT + 3 * MIB) = 0x2be;
	EXPECT_EQ(*(volatile uint64_t *)(AT + 3 * MIB), 0x2beu);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), AT, 4 * MIB));
	EXPECT_OK(zx_handle_close(carve));
	EXPECT_OK(zx_handle_close(paged));
}
