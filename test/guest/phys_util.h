/*
 * phys_util.h: helpers shared by the in-guest physical-VMO tests
 * (phys_*.c, all zxtest programs): the startup resources, the virtio-mmio
 * windows QEMU's virt machine puts at 0x10001000 (eight of them, one page
 * each), and making, mapping and unmapping physical VMOs.
 */
#ifndef ZIRV_TEST_GUEST_PHYS_UTIL_H
#define ZIRV_TEST_GUEST_PHYS_UTIL_H

#include <zircon/processargs.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define VIRTIO_BASE  0x10001000ul
#define VIRTIO(i)    (VIRTIO_BASE + (i)*PAGE) /* slot i = 0..7 */
#define VIRTIO_RNG   VIRTIO(7) /* `-device virtio-rng-device` lands in the highest slot */
#define VIRTIO_MAGIC 0x74726976u
#define QEMU_VENDOR  0x554D4551u
#define RTC_BASE     0x101000ul	  /* goldfish RTC, one page */
#define FW_CFG_BASE  0x10100000ul /* fw_cfg: 24 bytes */

/* The startup root resource, taken on first use. */
static inline zx_handle_t root_resource(void)
{
	static zx_handle_t res;
	if (!res)
		res = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0));
	return res;
}

/* Bytes of the kernel heap handed out now (ZX_INFO_KMEM_STATS_V1 on the root resource). */
static inline uint64_t heap_used(void)
{
	zx_info_kmem_stats_v1_t st = {0};
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL);
	return st.total_heap_bytes - st.free_heap_bytes;
}

/* The startup (ranged, 0-0) MMIO resource, taken on first use. */
static inline zx_handle_t mmio_resource(void)
{
	static zx_handle_t res;
	if (!res)
		res = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	return res;
}

/* A physical VMO over [pa, pa + size) from the MMIO resource (ZX_HANDLE_INVALID on failure). */
static inline zx_handle_t phys(zx_paddr_t pa, size_t size)
{
	zx_handle_t h = ZX_HANDLE_INVALID;
	if (zx_vmo_create_physical(mmio_resource(), pa, size, &h) != ZX_OK)
		return ZX_HANDLE_INVALID;
	return h;
}

/* The same with its cache policy set (ZX_HANDLE_INVALID if either step fails). */
static inline zx_handle_t phys_policy(zx_paddr_t pa, size_t size, uint32_t policy)
{
	zx_handle_t h = phys(pa, size);
	if (h != ZX_HANDLE_INVALID && zx_vmo_set_cache_policy(h, policy) != ZX_OK) {
		zx_handle_close(h);
		return ZX_HANDLE_INVALID;
	}
	return h;
}

/* Map the first len bytes of vmo read-only anywhere: the registers there, or NULL. */
static inline volatile uint32_t *map_ro(zx_handle_t vmo, size_t len, zx_vaddr_t *addr)
{
	*addr = 0;
	if (zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, vmo, 0, len, addr) != ZX_OK)
		return NULL;
	return (volatile uint32_t *)*addr;
}

static inline void unmap(zx_vaddr_t addr, size_t len)
{
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), addr, len));
}

/* zx_object_wait_one for ZX_VMO_ZERO_CHILDREN without blocking: OK while it is asserted. */
static inline zx_status_t zero_children_status(zx_handle_t h)
{
	return zx_object_wait_one(h, ZX_VMO_ZERO_CHILDREN, 0, NULL);
}

#endif
