/*
 * Physical memory for a user-space driver: device registers and DMA
 * buffers, both reached through physical VMOs (docs/virtio.md).
 */
#ifndef PHYSMEM_H
#define PHYSMEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <zircon/syscalls.h>
#include <zircon/types.h>

/*
 * Cache maintenance for DMA memory on a platform whose DMA is not coherent
 * (the device tree's dma-noncoherent; zirv carries out the operations with
 * Zicbom or XTheadCmo, docs/cacheability.md). `vmo` is the memory's VMO,
 * `va` where offset 0 of it is mapped; vmo ZX_HANDLE_INVALID: DMA is
 * coherent, nothing to do.
 */
struct dma_cache {
	zx_handle_t vmo;
	const uint8_t *va;
};

/*
 * Before the device reads or writes [at, at + len): write back and drop
 * its cache lines (CLEAN_INVALIDATE: nothing dirty can later land on the
 * device's data). After the device wrote it, before the CPU reads it: drop
 * them (INVALIDATE).
 */
static inline zx_status_t dma_cache_sync(const struct dma_cache *c, const volatile void *at,
					 size_t len, bool for_device)
{
	if (c->vmo == ZX_HANDLE_INVALID || len == 0)
		return ZX_OK;
	uint64_t off = (uint64_t)((const uint8_t *)at - c->va);
	return zx_vmo_op_range(
	    c->vmo, for_device ? ZX_VMO_OP_CACHE_CLEAN_INVALIDATE : ZX_VMO_OP_CACHE_INVALIDATE, off,
	    len, NULL, 0);
}

/*
 * Map [pa, pa + size) from `resource` with cache `policy` (a
 * ZX_CACHE_POLICY_*). The VMO handle is closed: the mapping keeps the VMO
 * alive until it is unmapped.
 */
zx_status_t physmem_map(zx_handle_t resource, uint64_t pa, uint64_t size, uint32_t policy,
			zx_vaddr_t *va);

/*
 * Map the whole range `resource` grants (an MMIO resource a parent made
 * for one device, say) with cache `policy`; its base and size go to
 * *base and *size. ZX_ERR_WRONG_TYPE for a resource that is not MMIO.
 */
zx_status_t physmem_map_resource(zx_handle_t resource, uint32_t policy, zx_vaddr_t *va,
				 uint64_t *base, uint64_t *size);

/*
 * DMA memory mapped cacheable (a carve-out, or contiguous pages a BTI
 * pinned), handed out front to back. Both
 * addresses of every piece are known: the device gets `pa`, the CPU `va`.
 */
struct dma_pool {
	uint8_t *va;
	uint64_t pa;
	uint64_t size;
	uint64_t used;
	zx_handle_t vmo;	/* the pool's VMO, kept for cache operations */
	struct dma_cache cache; /* set by dma_pool_noncoherent(): what the drivers maintain */
};

/*
 * The device reaching this pool does not snoop the caches
 * (zirv_dt_device.dma_coherent false): the drivers built on the pool
 * clean and invalidate their rings and buffers around every transfer.
 */
static inline void dma_pool_noncoherent(struct dma_pool *p)
{
	p->cache = (struct dma_cache){p->vmo, p->va};
}

/* Map the carve-out [pa, pa + size) as a DMA pool. */
zx_status_t dma_pool_map(struct dma_pool *p, zx_handle_t resource, uint64_t pa, uint64_t size);

/*
 * A DMA pool with no carve-out: `size` bytes of physically contiguous
 * memory from zx_vmo_create_contiguous(bti), pinned through the BTI for
 * reading and writing (the PMT goes to *pmt: unpin it, or let the
 * process's end quarantine it) and mapped cacheable.
 */
zx_status_t dma_pool_from_bti(struct dma_pool *p, zx_handle_t bti, uint64_t size, zx_handle_t *pmt);

/*
 * `size` zeroed bytes aligned to `align` (a power of two), with their
 * physical address in *pa; NULL when the pool is exhausted. Nothing is
 * ever freed: a driver allocates its rings and buffers once.
 */
static inline void *dma_alloc(struct dma_pool *p, uint64_t size, uint64_t align, uint64_t *pa)
{
	uint64_t off = (p->used + align - 1) & ~(align - 1);

	if (off > p->size || size > p->size - off)
		return NULL;
	p->used = off + size;
	*pa = p->pa + off;
	return memset(p->va + off, 0, size);
}

#endif
