#include <string.h>
#include <zircon/errors.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "mm/vmar.h"
#include "mm/vmo.h"

#define PER_PAGE (PAGE_SIZE / sizeof(paddr_t))

static uint64_t committed_total; /* pages, every paged VMO */

uint64_t vmo_committed_pages(void)
{
	return committed_total;
}

void (*vmo_children_hook)(void *owner, bool none);

static void children_changed(struct vmo *v, bool none)
{
	if (v->owner && vmo_children_hook)
		vmo_children_hook(v->owner, none);
}

static void free_pages(struct vmo *v)
{
	if (!v->dir)
		return;
	paddr_t *dir = paddr_to_kva(v->dir);
	for (size_t i = 0; i < PER_PAGE; i++) {
		if (!dir[i])
			continue;
		paddr_t *leaf = paddr_to_kva(dir[i]);
		for (size_t j = 0; j < PER_PAGE; j++)
			if (leaf[j])
				pmm_free(leaf[j]);
		pmm_free(dir[i]);
	}
	pmm_free(v->dir);
}

void vmo_ref(struct vmo *v)
{
	KASSERT(v->refs > 0);
	v->refs++;
}

void vmo_unref(struct vmo *v)
{
	while (v) {
		KASSERT(v->refs > 0);
		if (--v->refs)
			return;
		struct vmo *parent = v->parent; /* the reference v held: dropped next */
		if (parent && --parent->children == 0)
			children_changed(parent, true);
		free_pages(v);
		committed_total -= v->committed;
		kfree(v, sizeof(*v));
		v = parent;
	}
}

static struct vmo *vmo_new(uint64_t size, uint32_t policy)
{
	struct vmo *v = kzalloc(sizeof(*v));
	if (!v)
		return NULL;
	v->refs = 1;
	v->size = ALIGN_UP(size, PAGE_SIZE);
	v->cache_policy = policy;
	return v;
}

zx_status_t vmo_create(uint64_t size, struct vmo **out)
{
	if (size > VMO_MAX_SIZE)
		return ZX_ERR_OUT_OF_RANGE;
	return (*out = vmo_new(size, ZX_CACHE_POLICY_CACHED)) ? ZX_OK : ZX_ERR_NO_MEMORY;
}

zx_status_t vmo_create_physical(paddr_t pa, uint64_t size, struct vmo **out)
{
	struct vmo *v = vmo_new(size, ZX_CACHE_POLICY_UNCACHED);
	if (!v)
		return ZX_ERR_NO_MEMORY;
	v->physical = true;
	v->phys = pa;
	*out = v;
	return ZX_OK;
}

zx_status_t vmo_create_slice(struct vmo *parent, uint64_t offset, uint64_t size, struct vmo **out)
{
	KASSERT(parent->physical && offset + size <= parent->size);
	struct vmo *v = vmo_new(size, parent->cache_policy);
	if (!v)
		return ZX_ERR_NO_MEMORY;
	v->physical = true;
	v->phys = parent->phys + offset;
	v->parent = parent;
	vmo_ref(parent);
	if (parent->children++ == 0)
		children_changed(parent, false);
	*out = v;
	return ZX_OK;
}

static uint32_t cbom_block; /* 0: the harts have no Zicbom */
static uint64_t cbo_blocks; /* cbo.* instructions executed */

void vmo_set_cbom_block(uint32_t block)
{
	cbom_block = block;
}

uint32_t vmo_cbom_block(void)
{
	return cbom_block;
}

uint64_t vmo_cbo_blocks(void)
{
	return cbo_blocks;
}

/* One cache-block operation over [va, va+len). */
static void cbo_range(uint32_t op, vaddr_t va, size_t len)
{
	for (vaddr_t p = ALIGN_DOWN(va, cbom_block); p < va + len; p += cbom_block) {
		if (op == ZX_VMO_OP_CACHE_CLEAN)
			cbo_clean(p);
		else if (op == ZX_VMO_OP_CACHE_INVALIDATE)
			cbo_inval(p);
		else
			cbo_flush(p);
		cbo_blocks++;
	}
}

/*
 * With Zicbom, walk the range a page at a time through the kernel's scratch
 * page (mapped with the VMO's own memory type, so it never creates an
 * alias). Without it there is nothing to name a cache line with: the
 * strongest the hart offers is ordering all earlier accesses (fence rw,rw;
 * fence.i as well for SYNC), which is correct on coherent platforms such as
 * QEMU virt and is all zirv can do on a hart without cache-block ops.
 */
zx_status_t vmo_cache_op(struct vmo *v, uint32_t op, uint64_t offset, uint64_t size)
{
	arch_fence();
	if (cbom_block && op != ZX_VMO_OP_CACHE_SYNC && v->cache_policy == ZX_CACHE_POLICY_CACHED) {
		/* The scratch page is a mapping too: it must not alias another type. */
		if (v->physical && vmar_alias_conflict(v->phys + offset, size, MEMTYPE_PMA))
			return ZX_ERR_BAD_STATE;
		for (uint64_t off = offset; off < offset + size;) {
			uint64_t n = PAGE_SIZE - (off & PAGE_MASK);
			n = n < offset + size - off ? n : offset + size - off;
			paddr_t pa = vmo_commit_page(v, off);
			if (!pa)
				return ZX_ERR_NO_MEMORY;
			uint8_t *page = kvm_scratch_map(pa, v->cache_policy);
			cbo_range(op, (vaddr_t)page + (off & PAGE_MASK), n);
			kvm_scratch_unmap();
			off += n;
		}
	}
	if (op == ZX_VMO_OP_CACHE_SYNC)
		arch_fence_i();
	arch_fence();
	return ZX_OK;
}

int vmo_memtype(uint32_t cache_policy)
{
	switch (cache_policy) {
	case ZX_CACHE_POLICY_CACHED:
		return MEMTYPE_PMA;
	case ZX_CACHE_POLICY_UNCACHED_DEVICE:
		return MEMTYPE_IO;
	default:
		return MEMTYPE_NC;
	}
}

zx_status_t vmo_set_cache_policy(struct vmo *v, uint32_t policy)
{
	if (policy == v->cache_policy)
		return ZX_OK;
	if (v->mappings || v->children || v->parent || v->committed)
		return ZX_ERR_BAD_STATE;
	v->cache_policy = policy;
	return ZX_OK;
}

/* The slot holding the page address for `offset`, allocating tables; NULL if no memory. */
static paddr_t *page_slot(struct vmo *v, uint64_t offset)
{
	uint64_t idx = offset >> PAGE_SHIFT;

	if (!v->dir && !(v->dir = pmm_alloc_zeroed()))
		return NULL;
	paddr_t *dir = paddr_to_kva(v->dir);
	paddr_t *d = &dir[idx / PER_PAGE];
	if (!*d && !(*d = pmm_alloc_zeroed()))
		return NULL;
	return &((paddr_t *)paddr_to_kva(*d))[idx % PER_PAGE];
}

paddr_t vmo_commit_page(struct vmo *v, uint64_t offset)
{
	if (v->physical)
		return v->phys + ALIGN_DOWN(offset, PAGE_SIZE);
	paddr_t *slot = page_slot(v, offset);

	if (!slot)
		return 0;
	if (!*slot && (*slot = pmm_alloc_zeroed())) {
		v->committed++;
		committed_total++;
	}
	return *slot;
}

zx_status_t vmo_commit(struct vmo *v, uint64_t offset, uint64_t len)
{
	if (v->physical || len == 0)
		return ZX_OK;
	for (uint64_t off = ALIGN_DOWN(offset, PAGE_SIZE); off < offset + len; off += PAGE_SIZE)
		if (!vmo_commit_page(v, off))
			return ZX_ERR_NO_MEMORY;
	return ZX_OK;
}

/* The slot for `offset` if its leaf table exists, else NULL; allocates nothing. */
static paddr_t *page_slot_if_present(struct vmo *v, uint64_t offset)
{
	uint64_t idx = offset >> PAGE_SHIFT;

	if (!v->dir)
		return NULL;
	paddr_t d = ((paddr_t *)paddr_to_kva(v->dir))[idx / PER_PAGE];
	return d ? &((paddr_t *)paddr_to_kva(d))[idx % PER_PAGE] : NULL;
}

/* Zero [offset, offset+len); whole committed pages are freed instead if `may_free`. */
static void zero_range(struct vmo *v, uint64_t offset, uint64_t len, bool may_free)
{
	for (uint64_t off = offset, end = offset + len; off < end;) {
		uint64_t page = ALIGN_DOWN(off, PAGE_SIZE);
		uint64_t stop = page + PAGE_SIZE < end ? page + PAGE_SIZE : end;
		paddr_t *slot = page_slot_if_present(v, page);
		if (!slot) { /* no leaf table: its 512 pages were never committed */
			uint64_t next =
			    ALIGN_DOWN(page, PER_PAGE * PAGE_SIZE) + PER_PAGE * PAGE_SIZE;
			off = next < end ? next : end;
			continue;
		}
		if (*slot) {
			if (off == page && stop == page + PAGE_SIZE && may_free) {
				pmm_free(*slot);
				*slot = 0;
				v->committed--;
				committed_total--;
			} else {
				memset((uint8_t *)paddr_to_kva(*slot) + (off - page), 0,
				       stop - off);
			}
		}
		off = stop;
	}
}

zx_status_t vmo_zero(struct vmo *v, uint64_t offset, uint64_t len)
{
	KASSERT(!v->physical && offset <= v->size && len <= v->size - offset);
	zero_range(v, offset, len, v->mappings == 0);
	return ZX_OK;
}

zx_status_t vmo_resize(struct vmo *v, uint64_t size)
{
	KASSERT(!v->physical && !(size & PAGE_MASK));
	if (size > VMO_MAX_SIZE)
		return ZX_ERR_OUT_OF_RANGE;
	if (size < v->size) {
		if (v->mappings && vmar_vmo_mapped_from(v, size))
			return ZX_ERR_BAD_STATE;
		zero_range(v, size, v->size - size, true); /* no mapping reaches these pages */
	}
	v->size = size;
	return ZX_OK;
}

zx_status_t vmo_copy(struct vmo *v, uint64_t offset, size_t len, vmo_copy_fn copy, void *ctx)
{
	KASSERT(!v->physical); /* no kernel mapping of device memory or carve-outs here */
	if (!range_within(offset, len, v->size))
		return ZX_ERR_OUT_OF_RANGE;
	for (size_t done = 0; done < len;) {
		uint64_t off = offset + done;
		size_t n = PAGE_SIZE - (off & PAGE_MASK);
		if (n > len - done)
			n = len - done;
		paddr_t pa = vmo_commit_page(v, off);
		if (!pa)
			return ZX_ERR_NO_MEMORY;
		zx_status_t st =
		    copy((uint8_t *)paddr_to_kva(pa) + (off & PAGE_MASK), done, n, ctx);
		if (st != ZX_OK)
			return st;
		done += n;
	}
	return ZX_OK;
}

static zx_status_t from_kernel(void *page, size_t done, size_t n, void *ctx)
{
	memcpy(page, (const uint8_t *)ctx + done, n);
	return ZX_OK;
}

zx_status_t vmo_write_kernel(struct vmo *v, const void *src, uint64_t offset, size_t len)
{
	return vmo_copy(v, offset, len, from_kernel, (void *)src);
}
