/*
 * Physical VMOs for device registers and DMA memory. See physmem.h and
 * docs/virtio.md for the choice of cache policies.
 */
#include "physmem.h"

#include <zircon/process.h>
#include <zircon/syscalls.h>

zx_status_t physmem_map(zx_handle_t resource, uint64_t pa, uint64_t size, uint32_t policy,
			zx_vaddr_t *va)
{
	zx_handle_t vmo;
	zx_status_t st = zx_vmo_create_physical(resource, pa, size, &vmo);

	if (st != ZX_OK)
		return st;
	/* A new physical VMO is UNCACHED; the policy can only change before
	 * the first mapping. */
	st = zx_vmo_set_cache_policy(vmo, policy);
	if (st == ZX_OK)
		st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
				 size, va);
	zx_handle_close(vmo);
	return st;
}

zx_status_t dma_pool_map(struct dma_pool *p, zx_handle_t resource, uint64_t pa, uint64_t size)
{
	zx_vaddr_t va;
	/* CACHED: the CPU reads and writes the rings at full speed, and QEMU's
	 * devices see the caches (the platform is coherent). */
	zx_status_t st = physmem_map(resource, pa, size, ZX_CACHE_POLICY_CACHED, &va);

	if (st != ZX_OK)
		return st;
	*p = (struct dma_pool){.va = (uint8_t *)va, .pa = pa, .size = size};
	return ZX_OK;
}
