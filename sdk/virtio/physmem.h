/*
 * Physical memory for a user-space driver: device registers and DMA
 * buffers, both reached through physical VMOs (docs/virtio.md).
 */
#ifndef PHYSMEM_H
#define PHYSMEM_H

#include <stdint.h>
#include <string.h>
#include <zircon/types.h>

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
};

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
