/*
 * phys_dtbpool.c: a carve-out that comes from the device tree rather than
 * the command line: /reserved-memory/dma-pool@98000000, a 4 MiB no-map
 * shared-dma-pool that phys_gen_dtb.py adds to QEMU's own tree (booted
 * with -dtb and -m 512M). The kernel must grant it like a carve-out and
 * nothing around it.
 */
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

extern const unsigned long phys_dtb_pool[2]; /* base, size: from phys_gen_dtb.py */

TEST(DtbPool, GrantedByBothResources)
{
	const unsigned long base = phys_dtb_pool[0], size = phys_dtb_pool[1];
	const zx_handle_t res[2] = {root_resource(), mmio_resource()};
	for (int i = 0; i < 2; i++) {
		zx_handle_t v;
		ASSERT_OK(zx_vmo_create_physical(res[i], base, size, &v), "resource %d", i);
		zx_info_vmo_t info = vmo_info(v);
		EXPECT_EQ(info.size_bytes, size);
		EXPECT_EQ(info.flags, ZX_INFO_VMO_TYPE_PHYSICAL | ZX_INFO_VMO_CONTIGUOUS |
					  ZX_INFO_VMO_VIA_HANDLE);
		EXPECT_EQ(info.cache_policy, ZX_CACHE_POLICY_UNCACHED);
		EXPECT_OK(zx_handle_close(v));
	}
}

TEST(DtbPool, NothingAroundIt)
{
	const unsigned long base = phys_dtb_pool[0], size = phys_dtb_pool[1];
	zx_handle_t v = 0x77;
	EXPECT_STATUS(zx_vmo_create_physical(root_resource(), base - PAGE, PAGE, &v),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(root_resource(), base - PAGE, 2 * PAGE, &v),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(root_resource(), base + size, PAGE, &v),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(mmio_resource(), base, size + PAGE, &v),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(v, 0x77u);
}

TEST(DtbPool, MapWriteReadCacheOps)
{
	const unsigned long base = phys_dtb_pool[0], size = phys_dtb_pool[1];
	zx_handle_t v, w;
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), base, size, &v));
	ASSERT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED));
	zx_vaddr_t a;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, size, &a));
	volatile uint64_t *p = (volatile uint64_t *)a;
	for (unsigned long off = 0; off < size; off += 256 * PAGE)
		p[off / 8] = 0xd7b0000000ul + off;
	p[size / 8 - 1] = 0xe1d;
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, size, NULL, 0));
	for (unsigned long off = 0; off < size; off += 256 * PAGE)
		EXPECT_EQ(p[off / 8], 0xd7b0000000ul + off);
	unmap(a, size);
	/* a second VMO over the last page sees the same bytes */
	ASSERT_OK(zx_vmo_create_physical(root_resource(), base + size - PAGE, PAGE, &w));
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, w, 0, PAGE, &a));
	EXPECT_EQ(((volatile uint64_t *)a)[PAGE / 8 - 1], 0xe1du);
	unmap(a, PAGE);
	EXPECT_OK(zx_handle_close(w));
	EXPECT_OK(zx_handle_close(v));
}

TEST(DtbPool, SubResource)
{
	const unsigned long base = phys_dtb_pool[0];
	zx_handle_t r, v = 0x77;
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, base + PAGE, 2 * PAGE,
				     "pool", 4, &r));
	EXPECT_STATUS(zx_vmo_create_physical(r, base, PAGE, &v), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmo_create_physical(r, base + PAGE, 2 * PAGE, &v));
	EXPECT_OK(zx_handle_close(v));
	EXPECT_OK(zx_handle_close(r));
}
