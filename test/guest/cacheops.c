/*
 * cacheops.c: zx_vmo_op_range's cache operations on a machine whose device
 * tree says DMA is not coherent (run_guest.py --dma-noncoherent puts
 * dma-noncoherent on /soc). EXPECT_METHOD is what the harts can do, set
 * per run by the build: ZX_ZIRV_CACHE_NONE on QEMU 7.2's rv64 (no
 * Zicbom), ZX_ZIRV_CACHE_ZICBOM on QEMU 10's rv64, ZX_ZIRV_CACHE_XTHEAD on
 * QEMU 10's thead-c906 (which executes XTheadCmo); ZX_ZIRV_CACHE_NONE
 * again on QEMU 7.2 with Svpbmt, where uncached memory really is uncached.
 * Where the harts cannot
 * clean or invalidate a cache line, the operations answer
 * ZX_ERR_NOT_SUPPORTED rather than a ZX_OK that would leave a device
 * reading stale memory; where they can, every cache line of the range gets
 * its instruction.
 */
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/zirv.h>
#include <zxtest/zxtest.h>

#ifndef EXPECT_METHOD
#error "EXPECT_METHOD: the ZX_ZIRV_CACHE_* this run's harts have"
#endif

#define PAGE 4096u
#define LINE 64u /* QEMU's cbom-block-size, and T-Head's line size */

static zx_info_zirv_cache_ops_t cache_info(void)
{
	static zx_handle_t root;
	zx_info_zirv_cache_ops_t co = {0};
	if (!root)
		root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0));
	zx_object_get_info(root, ZX_INFO_ZIRV_CACHE_OPS, &co, sizeof(co), NULL, NULL);
	return co;
}

TEST(NonCoherent, TheKernelSaysHowItMaintainsCaches)
{
	zx_info_zirv_cache_ops_t co = cache_info();
	EXPECT_EQ(co.method, (uint32_t)EXPECT_METHOD);
	EXPECT_EQ(co.cbom_block, EXPECT_METHOD == ZX_ZIRV_CACHE_ZICBOM ? LINE : 0u);
}

TEST(NonCoherent, CleanAndInvalidateDoTheirLinesOrRefuse)
{
	static const uint32_t ops[] = {ZX_VMO_OP_CACHE_CLEAN, ZX_VMO_OP_CACHE_INVALIDATE,
				       ZX_VMO_OP_CACHE_CLEAN_INVALIDATE};
	zx_handle_t vmo;
	ASSERT_OK(zx_vmo_create(4 * PAGE, 0, &vmo));
	for (unsigned i = 0; i < 3; i++) {
		uint64_t before = cache_info().cbo_blocks;
		zx_status_t st = zx_vmo_op_range(vmo, ops[i], 100, 2 * PAGE, NULL, 0);
		uint64_t lines = cache_info().cbo_blocks - before;
		if (EXPECT_METHOD == ZX_ZIRV_CACHE_NONE) {
			EXPECT_STATUS(st, ZX_ERR_NOT_SUPPORTED, "op %u: nothing can do it", ops[i]);
			EXPECT_EQ(lines, 0u);
		} else {
			EXPECT_OK(st, "op %u", ops[i]);
			/* [100, 100 + 8192): the lines from 64 up to 8256, partial ones whole. */
			EXPECT_EQ(lines, (100 + 2 * PAGE + LINE - 1) / LINE - 100 / LINE, "op %u",
				  ops[i]);
		}
	}
	/* SYNC is fence.i: every hart has it. */
	EXPECT_OK(zx_vmo_op_range(vmo, ZX_VMO_OP_CACHE_SYNC, 0, PAGE, NULL, 0));
	zx_handle_close(vmo);
}

TEST(NonCoherent, UncachedMemoryNeedsNoMaintenanceWhereItIsUncached)
{
	/*
	 * The run's carve-out (zirv.carveout=1M@0x8c000000) with the UNCACHED
	 * policy. With Svpbmt that is what the mapping gets, and no cache holds
	 * the memory: fences only. Without an encoder the platform's attributes
	 * keep RAM cacheable whatever the policy: it is maintained like cached
	 * memory, or refused.
	 */
	zx_handle_t mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0)), vmo;
	zx_info_zirv_memtype_t mt = {0};
	ASSERT_OK(zx_object_get_info(mmio, ZX_INFO_ZIRV_MEMTYPE, &mt, sizeof(mt), NULL, NULL));
	ASSERT_OK(zx_vmo_create_physical(mmio, 0x8c000000, PAGE, &vmo));
	ASSERT_OK(zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED));
	uint64_t before = cache_info().cbo_blocks;
	zx_status_t st = zx_vmo_op_range(vmo, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, PAGE, NULL, 0);
	uint64_t lines = cache_info().cbo_blocks - before;
	if (mt.encoding != ZX_ZIRV_MEMTYPE_NONE) {
		EXPECT_OK(st);
		EXPECT_EQ(lines, 0u, "fences only");
	} else if (EXPECT_METHOD == ZX_ZIRV_CACHE_NONE) {
		EXPECT_STATUS(st, ZX_ERR_NOT_SUPPORTED, "RAM stays cacheable without an encoder");
	} else {
		EXPECT_OK(st);
		EXPECT_EQ(lines, PAGE / LINE);
	}
	zx_handle_close(vmo);
}
