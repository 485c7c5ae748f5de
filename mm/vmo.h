/*
 * Virtual memory objects. A paged VMO owns zeroed 4 KiB pages, committed
 * when first read, written or mapped; a two-level directory of page
 * addresses bounds it at VMO_MAX_SIZE.
 */
#ifndef ZIRV_MM_VMO_H
#define ZIRV_MM_VMO_H

#include <stddef.h>
#include <zircon/types.h>

#include "arch.h"
#include "handles/object.h"

#define VMO_MAX_SIZE (1ul << 30) /* 512 × 512 pages */

struct vmo {
	struct object obj;
	uint64_t size;          /* bytes, a whole number of pages */
	uint32_t cache_policy;  /* ZX_CACHE_POLICY_* */
	uint32_t mappings;      /* live mappings of this VMO */
	uint64_t committed;     /* pages */
	paddr_t dir;            /* directory page: 512 addresses of leaf pages, or 0 */
};

/* ZX_ERR_OUT_OF_RANGE if too large, ZX_ERR_NO_MEMORY. */
zx_status_t vmo_create(uint64_t size, struct vmo **out);
/* The page backing byte `offset`, committing a zeroed one; 0 if out of memory. */
paddr_t vmo_commit_page(struct vmo *v, uint64_t offset);
/* Commit every page of [offset, offset+len). */
zx_status_t vmo_commit(struct vmo *v, uint64_t offset, uint64_t len);
/*
 * Copy between the VMO and user memory at `uptr`. ZX_ERR_OUT_OF_RANGE
 * past the end, ZX_ERR_INVALID_ARGS for a bad user buffer.
 */
zx_status_t vmo_read_user(struct vmo *v, vaddr_t uptr, uint64_t offset, size_t len);
zx_status_t vmo_write_user(struct vmo *v, vaddr_t uptr, uint64_t offset, size_t len);
/* Copy from kernel memory (ELF loading, the device-tree VMO). */
zx_status_t vmo_write_kernel(struct vmo *v, const void *src, uint64_t offset, size_t len);

#endif
