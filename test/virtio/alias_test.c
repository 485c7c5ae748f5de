/*
 * The alias guard seen from a driver: once a page is mapped with one memory
 * type, mapping it with another is refused with ZX_ERR_BAD_STATE
 * (docs/cacheability.md). Checked for a virtio-mmio window (mapped IO by
 * the probe) and for the DMA carve-out (mapped cacheable).
 */
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "vtest.h"

/* Map one page of `pa` with `policy`; the mapping is undone if it succeeds. */
static zx_status_t try_map(uint64_t pa, uint32_t policy)
{
	zx_handle_t vmo;
	zx_vaddr_t va;
	zx_status_t st = zx_vmo_create_physical(vtest_setup()->mmio, pa, 4096, &vmo);

	if (st != ZX_OK)
		return st;
	st = zx_vmo_set_cache_policy(vmo, policy);
	if (st == ZX_OK)
		st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, vmo, 0, 4096, &va);
	if (st == ZX_OK)
		zx_vmar_unmap(zx_vmar_root_self(), va, 4096);
	zx_handle_close(vmo);
	return st;
}

TEST(Alias, DeviceWindow)
{
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	ASSERT_NE(t->ndevs, 0u, "no virtio device to look at");
	uint64_t pa = t->devs[0].base; /* mapped UNCACHED_DEVICE by the probe */
	EXPECT_STATUS(try_map(pa, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(try_map(pa, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(try_map(pa, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
	EXPECT_OK(try_map(pa, ZX_CACHE_POLICY_UNCACHED_DEVICE), "the same type may share");
}

TEST(Alias, DmaCarveout)
{
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	uint64_t pa = t->dma.pa + 4096; /* mapped CACHED as the DMA pool */
	EXPECT_STATUS(try_map(pa, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(try_map(pa, ZX_CACHE_POLICY_UNCACHED_DEVICE), ZX_ERR_BAD_STATE);
	EXPECT_OK(try_map(pa, ZX_CACHE_POLICY_CACHED), "the same type may share");
}

/* Once the window is unmapped, the page is free to take another type. */
TEST(Alias, AfterUnmap)
{
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	ASSERT_NE(t->ndevs, 0u);
	uint64_t pa = t->devs[0].base;
	zx_vaddr_t va = (zx_vaddr_t)t->devs[0].regs;
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), va, 4096));
	EXPECT_OK(try_map(pa, ZX_CACHE_POLICY_UNCACHED));
}
