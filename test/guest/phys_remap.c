/*
 * phys_remap.c: a large physical mapping where smaller mappings used to be.
 * Unmapping leaves the VA range empty; the page tables the old mapping
 * needed are the kernel's business and must not stop a later 2 MiB-leaf
 * mapping of the same range. Booted with `-m 1G -append
 * zirv.carveout=4M@0xa0000000` (2 MiB aligned).
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#define PAGE 4096ul
#define MIB  (1ul << 20)
#define AT   0x800000000ul /* 2 MiB (and 1 GiB) aligned */
#define RW   (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)

static zx_status_t map_at(zx_handle_t v, uint64_t off, size_t len)
{
	zx_info_vmar_t root;
	zx_vaddr_t got;
	zx_status_t st = zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof(root),
					    NULL, NULL);
	if (st != ZX_OK)
		return st;
	return zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_SPECIFIC, AT - root.base, v, off, len,
			   &got);
}

TEST(Remap, TwoMegLeavesWhereAPagedPageWas)
{
	zx_handle_t res = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0)), paged, phys;
	ASSERT_OK(zx_vmo_create(PAGE, 0, &paged));
	ASSERT_OK(map_at(paged, 0, PAGE));
	*(volatile uint32_t *)AT = 1;
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), AT, PAGE));
	ASSERT_OK(zx_vmo_create_physical(res, 0xa0000000ul, 4 * MIB, &phys));
	ASSERT_OK(zx_vmo_set_cache_policy(phys, ZX_CACHE_POLICY_CACHED));
	ASSERT_OK(map_at(phys, 0, 4 * MIB));
	*(volatile uint64_t *)(AT + 3 * MIB) = 0x2be;
	EXPECT_EQ(*(volatile uint64_t *)(AT + 3 * MIB), 0x2beu);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), AT, 4 * MIB));
	EXPECT_OK(zx_handle_close(phys));
	EXPECT_OK(zx_handle_close(paged));
}
