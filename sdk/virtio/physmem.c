/*
 * Physical VMOs for device registers and DMA memory. See physmem.h and
 * docs/virtio.md for the choice of cache policies.
 */
#include "physmem.h"

#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/resource.h>

/* physmem_map(), the VMO handle going to *keep if asked for (closed on failure), else closed. */
static zx_status_t map_physical(zx_handle_t resource, uint64_t pa, uint64_t size, uint32_t policy,
				zx_vaddr_t *va, zx_handle_t *keep)
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
	if (st == ZX_OK && keep)
		*keep = vmo;
	else
		zx_handle_close(vmo);
	return st;
}

zx_status_t physmem_map(zx_handle_t resource, uint64_t pa, uint64_t size, uint32_t policy,
			zx_vaddr_t *va)
{
	return map_physical(resource, pa, size, policy, va, NULL);
}

zx_status_t dma_pool_map(struct dma_pool *p, zx_handle_t resource, uint64_t pa, uint64_t size)
{
	zx_handle_t vmo;
	zx_vaddr_t va;
	/* CACHED: the CPU reads and writes the rings at full speed; where the
	 * devices do not see the caches, dma_pool_noncoherent() has the drivers
	 * maintain them (through the VMO, kept). */
	zx_status_t st = map_physical(resource, pa, size, ZX_CACHE_POLICY_CACHED, &va, &vmo);

	if (st == ZX_OK)
		*p = (struct dma_pool){.va = (uint8_t *)va, .pa = pa, .size = size, .vmo = vmo};
	return st;
}

zx_status_t physmem_map_resource(zx_handle_t resource, uint32_t policy, zx_vaddr_t *va,
				 uint64_t *base, uint64_t *size)
{
	zx_info_resource_t info;
	zx_status_t st =
	    zx_object_get_info(resource, ZX_INFO_RESOURCE, &info, sizeof(info), NULL, NULL);

	if (st != ZX_OK)
		return st;
	if (info.kind != ZX_RSRC_KIND_MMIO)
		return ZX_ERR_WRONG_TYPE;
	*base = info.base;
	*size = info.size;
	return physmem_map(resource, info.base, info.size, policy, va);
}

zx_status_t dma_pool_from_bti(struct dma_pool *p, zx_handle_t bti, uint64_t size, zx_handle_t *pmt)
{
	zx_handle_t vmo;
	zx_paddr_t pa;
	zx_vaddr_t va;
	zx_status_t st = zx_vmo_create_contiguous(bti, size, 0, &vmo);

	if (st != ZX_OK)
		return st;
	st = zx_bti_pin(bti, ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE | ZX_BTI_CONTIGUOUS, vmo, 0, size,
			&pa, 1, pmt);
	if (st == ZX_OK) {
		st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
				 size, &va);
		if (st != ZX_OK)
			zx_pmt_unpin(*pmt);
	}
	if (st != ZX_OK) {
		zx_handle_close(vmo);
		return st;
	}
	*p = (struct dma_pool){.va = (uint8_t *)va, .pa = pa, .size = size, .vmo = vmo};
	return ZX_OK;
}
