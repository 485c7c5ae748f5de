#include <string.h>
#include <zircon/errors.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "mm/pte.h"
#include "mm/vmar.h"
#include "mm/vmo.h"
#include "sched.h"

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

/* Copy one page, eight words a step (the general memcpy moves one word a step). */
static void copy_page(paddr_t to, paddr_t from)
{
	uint64_t *d = paddr_to_kva(to);
	const uint64_t *s = paddr_to_kva(from);
	for (size_t i = 0; i < PAGE_SIZE / 8; i += 8) {
		uint64_t w0 = s[i], w1 = s[i + 1], w2 = s[i + 2], w3 = s[i + 3];
		uint64_t w4 = s[i + 4], w5 = s[i + 5], w6 = s[i + 6], w7 = s[i + 7];
		d[i] = w0;
		d[i + 1] = w1;
		d[i + 2] = w2;
		d[i + 3] = w3;
		d[i + 4] = w4;
		d[i + 5] = w5;
		d[i + 6] = w6;
		d[i + 7] = w7;
	}
}

/* A fresh zeroed page for a VMO, its only holder; 0 if out of memory. */
static paddr_t page_new(void)
{
	paddr_t pa = pmm_alloc_zeroed();
	if (pa) {
		*pmm_page_word(pa) = 1;
		committed_total++;
	}
	return pa;
}

/* A VMO lets go of page pa; the last holder frees it. */
static void page_put(paddr_t pa)
{
	if (--*pmm_page_word(pa) == 0) {
		pmm_free(pa);
		committed_total--;
	}
}

bool vmo_page_shared(paddr_t pa)
{
	return *pmm_page_word(pa) > 1;
}

/* Every page and table; the scans stop where nothing more can be set. */
static void free_pages(struct vmo *v)
{
	uint64_t left = v->committed;

	if (!v->dir)
		return;
	paddr_t *dir = paddr_to_kva(v->dir);
	for (size_t i = 0; i < v->dir_span; i++) {
		if (!dir[i])
			continue;
		paddr_t *leaf = paddr_to_kva(dir[i]);
		for (size_t j = 0; j < PER_PAGE && left; j++)
			if (leaf[j]) {
				page_put(leaf[j]);
				left--;
			}
		pmm_free(dir[i]);
	}
	KASSERT(left == 0);
	pmm_free(v->dir);
}

/* Snapshot links: v leaves its parent's child list, and its own children lose their parent. */
static void cow_unlink(struct vmo *v)
{
	if (v->cow_parent) {
		*v->kid_pprev = v->kid_next;
		if (v->kid_next)
			v->kid_next->kid_pprev = v->kid_pprev;
		if (--v->cow_parent->children == 0)
			children_changed(v->cow_parent, true);
	}
	for (struct vmo *k = v->cow_kids; k; k = k->kid_next)
		k->cow_parent = NULL;
}

_Static_assert(sizeof(struct vmo) + VMO_OWNER_ROOM <= 256, "a VMO and its object: one block");

static void vmo_free(struct vmo *v)
{
	kfree(v, sizeof(*v) + VMO_OWNER_ROOM);
}

/* v's last reference is gone: free it, and drop the reference it held on its parent. */
static __attribute__((noinline)) void vmo_release(struct vmo *v)
{
	while (v) {
		struct vmo *parent = v->parent; /* the reference v held: dropped next */
		if (parent && --parent->children == 0)
			children_changed(parent, true);
		cow_unlink(v);
		free_pages(v);
		vmo_free(v);
		v = parent;
		if (v) {
			KASSERT(v->refs > 0);
			if (--v->refs)
				return;
		}
	}
}

void vmo_last_ref_gone(struct vmo *v)
{
	if (!v->parent && !v->dir && !v->cow_parent && !v->cow_kids)
		vmo_free(v); /* nothing to let go of but itself: no pages, no relatives */
	else
		vmo_release(v);
}

static struct vmo *vmo_new(uint64_t size, uint32_t policy)
{
	struct vmo *v = kzalloc(sizeof(*v) + VMO_OWNER_ROOM); /* the owner room zeroed too */
	if (!v)
		return NULL;
	v->refs = 1;
	v->cache_policy = policy;
	v->size = ALIGN_UP(size, PAGE_SIZE);
	return v;
}

zx_status_t vmo_create(uint64_t size, struct vmo **out)
{
	KLOCK_HELD();
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

static int cache_maint = CACHE_MAINT_COHERENT; /* enum cache_maint (kernel/restab.h) */
static uint32_t cache_block; /* the block the instructions work on, when there are some */
static uint64_t cbo_blocks;  /* cache-block instructions executed */

void vmo_set_cache_maint(int maint, uint32_t block)
{
	cache_maint = maint;
	cache_block = block;
}

int vmo_cache_maint(void)
{
	return cache_maint;
}

uint32_t vmo_cbom_block(void)
{
	return cache_maint == CACHE_MAINT_ZICBOM ? cache_block : 0;
}

uint64_t vmo_cbo_blocks(void)
{
	return cbo_blocks;
}

/* One cache-block operation over [va, va+len), with whichever instructions the harts have. */
static void block_range(uint32_t op, vaddr_t va, size_t len)
{
	bool thead = cache_maint == CACHE_MAINT_XTHEAD;
	for (vaddr_t p = ALIGN_DOWN(va, cache_block); p < va + len; p += cache_block) {
		if (op == ZX_VMO_OP_CACHE_CLEAN)
			thead ? thead_dcache_cva(p) : cbo_clean(p);
		else if (op == ZX_VMO_OP_CACHE_INVALIDATE)
			thead ? thead_dcache_iva(p) : cbo_inval(p);
		else
			thead ? thead_dcache_civa(p) : cbo_flush(p);
		cbo_blocks++;
	}
	if (thead)
		thead_sync_s(); /* the operations are done before the closing fence */
}

/*
 * With Zicbom or XTheadCmo, walk the range a page at a time through the
 * kernel's scratch page (mapped with the VMO's own memory type, so it never
 * creates an alias). Without either there is nothing to name a cache line
 * with: on a platform whose DMA is coherent (QEMU virt, or any tree without
 * dma-noncoherent) ordering all earlier accesses (fence rw,rw; fence.i as
 * well for SYNC) is all a cache operation needs; where DMA is not coherent
 * the clean and invalidate of cached memory cannot be done, and say so.
 */
zx_status_t vmo_cache_op(struct vmo *v, uint32_t op, uint64_t offset, uint64_t size)
{
	/*
	 * Memory a cache may hold: CACHED, or any policy where no encoder can
	 * change the type (the PMAs make RAM cacheable whatever is asked).
	 */
	bool cacheable =
	    v->cache_policy == ZX_CACHE_POLICY_CACHED || pte_encoding() == PTE_ENC_NONE;
	bool blocks = op != ZX_VMO_OP_CACHE_SYNC && cacheable;
	if (blocks && cache_maint == CACHE_MAINT_NONE)
		return ZX_ERR_NOT_SUPPORTED;
	arch_fence();
	if (blocks && (cache_maint == CACHE_MAINT_ZICBOM || cache_maint == CACHE_MAINT_XTHEAD)) {
		/* The scratch page is a mapping too: it must not alias another type. */
		if (v->physical &&
		    vmar_alias_conflict(v->phys + offset, size, vmo_memtype(v->cache_policy)))
			return ZX_ERR_BAD_STATE;
		for (uint64_t off = offset; off < offset + size;) {
			uint64_t n = PAGE_SIZE - (off & PAGE_MASK);
			n = n < offset + size - off ? n : offset + size - off;
			paddr_t pa = vmo_commit_page(v, off);
			if (!pa)
				return ZX_ERR_NO_MEMORY;
			uint8_t *page = kvm_scratch_map(pa, v->cache_policy);
			block_range(op, (vaddr_t)page + (off & PAGE_MASK), n);
			kvm_scratch_unmap();
			off += n;
		}
	}
	if (op == ZX_VMO_OP_CACHE_SYNC)
		arch_fence_i();
	arch_fence();
	return ZX_OK;
}

zx_status_t vmo_set_cache_policy(struct vmo *v, uint32_t policy)
{
	/* Zircon: a paged VMO refuses even its own policy while mapped or related. */
	if (!v->physical && (v->mappings || v->children || v->cow_parent))
		return ZX_ERR_BAD_STATE;
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
	if (!*d) {
		if (!(*d = pmm_alloc_zeroed()))
			return NULL;
		if (idx / PER_PAGE >= v->dir_span)
			v->dir_span = idx / PER_PAGE + 1;
	}
	return &((paddr_t *)paddr_to_kva(*d))[idx % PER_PAGE];
}

paddr_t vmo_commit_page(struct vmo *v, uint64_t offset)
{
	KLOCK_HELD();
	if (v->physical)
		return v->phys + ALIGN_DOWN(offset, PAGE_SIZE);
	paddr_t *slot = page_slot(v, offset);

	if (!slot)
		return 0;
	if (!*slot && (*slot = page_new()))
		v->committed++;
	return *slot;
}

static paddr_t *page_slot_if_present(struct vmo *v, uint64_t offset);

bool vmo_pinned(const struct vmo *v, uint64_t offset, uint64_t len)
{
	for (const struct vmo_pin *p = v->pins; p; p = p->next)
		if (offset < p->offset + p->len && p->offset < offset + len)
			return true;
	return false;
}

zx_status_t vmo_pin(struct vmo *v, uint64_t offset, uint64_t len, struct vmo_pin *p)
{
	KLOCK_HELD();
	if (!v->physical && vmo_has_cow_relatives(v))
		return ZX_ERR_BAD_STATE;
	for (uint64_t off = 0; off < len && !v->physical; off += PAGE_SIZE)
		if (!vmo_commit_page(v, offset + off))
			return ZX_ERR_NO_MEMORY; /* what was committed stays, as a commit's would */
	*p = (struct vmo_pin){.next = v->pins, .offset = offset, .len = len};
	v->pins = p;
	vmo_ref(v);
	return ZX_OK;
}

void vmo_unpin(struct vmo *v, struct vmo_pin *p)
{
	KLOCK_HELD();
	for (struct vmo_pin **pp = &v->pins; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	vmo_unref(v);
}

zx_status_t vmo_create_contiguous(uint64_t size, uint32_t align_log2, struct vmo **out)
{
	KLOCK_HELD();
	uint64_t n = ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT;
	struct vmo *v;
	zx_status_t st = vmo_create(size, &v);

	if (st != ZX_OK)
		return st;
	paddr_t run = pmm_alloc_contiguous(n, 1ul << align_log2);
	if (!run) {
		vmo_unref(v);
		return ZX_ERR_NO_MEMORY;
	}
	v->contiguous = true;
	v->phys = run;
	for (uint64_t i = 0; i < n; i++) {
		paddr_t pa = run + (i << PAGE_SHIFT), *slot = page_slot(v, i << PAGE_SHIFT);
		if (!slot) { /* the VMO's own tables: free the rest of the run, and the VMO */
			for (uint64_t j = i; j < n; j++)
				pmm_free(run + (j << PAGE_SHIFT));
			vmo_unref(v);
			return ZX_ERR_NO_MEMORY;
		}
		kva_zero_page(paddr_to_kva(pa));
		*pmm_page_word(pa) = 1;
		*slot = pa;
		v->committed++;
		committed_total++;
	}
	*out = v;
	return ZX_OK;
}

paddr_t vmo_page_for_write(struct vmo *v, uint64_t offset)
{
	KLOCK_HELD();
	paddr_t *slot = page_slot(v, offset);
	uint64_t page = ALIGN_DOWN(offset, PAGE_SIZE);

	if (!slot)
		return 0;
	if (!*slot) {
		if ((*slot = page_new()))
			v->committed++;
		return *slot;
	}
	if (!v->cow)
		return *slot; /* never shared: nothing can map it read-only for sharing */
	if (vmo_page_shared(*slot)) {
		paddr_t copy = pmm_alloc();
		if (!copy)
			return 0;
		copy_page(copy, *slot);
		*pmm_page_word(copy) = 1;
		committed_total++;
		page_put(*slot);
		*slot = copy;
	}
	/* Mappings of v show the shared page read-only: now its own, writable. */
	if (v->mappings)
		vmar_vmo_page_changed(v, page, *slot);
	return *slot;
}

zx_status_t vmo_create_snapshot(struct vmo *parent, uint64_t offset, uint64_t size,
				struct vmo **out)
{
	KASSERT(!parent->physical && !(offset & PAGE_MASK) && !(size & PAGE_MASK));
	struct vmo *c = vmo_new(size, parent->cache_policy);
	if (!c)
		return ZX_ERR_NO_MEMORY;
	for (uint64_t off = 0; off < size && offset + off < parent->size; off += PAGE_SIZE) {
		paddr_t *from = page_slot_if_present(parent, offset + off), *to;
		if (!from || !*from)
			continue;
		if (!(to = page_slot(c, off))) {
			vmo_unref(c);
			return ZX_ERR_NO_MEMORY;
		}
		uint16_t *holders = pmm_page_word(*from);
		if (*holders == UINT16_MAX) { /* the count is full: this one gets a copy */
			if (!(*to = page_new())) {
				vmo_unref(c);
				return ZX_ERR_NO_MEMORY;
			}
			copy_page(*to, *from);
		} else {
			++*holders;
			*to = *from;
		}
		c->committed++;
	}
	c->cow = parent->cow = true;
	c->cow_parent = parent;
	c->kid_next = parent->cow_kids;
	if (c->kid_next)
		c->kid_next->kid_pprev = &c->kid_next;
	c->kid_pprev = &parent->cow_kids;
	parent->cow_kids = c;
	if (parent->children++ == 0)
		children_changed(parent, false);
	if (parent->mappings)
		vmar_vmo_write_protect_shared(parent, offset, size);
	*out = c;
	return ZX_OK;
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

paddr_t vmo_paged_backing_page(struct vmo *v, uint64_t offset)
{
	paddr_t *slot = page_slot_if_present(v, offset);
	return slot ? *slot : 0;
}

uint64_t vmo_paged_next_backed(struct vmo *v, uint64_t offset, uint64_t end)
{
	if (v->committed == 0)
		return end;
	for (uint64_t off = offset; off < end;) {
		paddr_t *slot = page_slot_if_present(v, off);
		if (slot && *slot)
			return off;
		off = slot ? off + PAGE_SIZE
			   : ALIGN_DOWN(off, PER_PAGE * PAGE_SIZE) + PER_PAGE * PAGE_SIZE;
	}
	return end;
}

/*
 * Zero [offset, offset+len): whole committed pages are freed (taken out of
 * every mapping first: an access faults a fresh one in), partial ones
 * zeroed in place. NO_MEMORY only where a shared page needed a private copy.
 */
static zx_status_t zero_range(struct vmo *v, uint64_t offset, uint64_t len)
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
			/* A pinned or contiguous VMO's pages stay where they are: zeroed in place.
			 */
			bool keep = v->contiguous || (v->pins && vmo_pinned(v, page, PAGE_SIZE));
			if (off == page && stop == page + PAGE_SIZE && !keep) {
				if (v->mappings)
					vmar_vmo_page_gone(v, page);
				page_put(*slot);
				*slot = 0;
				v->committed--;
			} else {
				/* in place, so mappings see it: a shared page is copied first */
				paddr_t pa = vmo_page_for_write(v, page);
				if (!pa)
					return ZX_ERR_NO_MEMORY;
				memset((uint8_t *)paddr_to_kva(pa) + (off - page), 0, stop - off);
			}
		}
		off = stop;
	}
	return ZX_OK;
}

zx_status_t vmo_zero(struct vmo *v, uint64_t offset, uint64_t len)
{
	KASSERT(!v->physical && offset <= v->size && len <= v->size - offset);
	return zero_range(v, offset, len);
}

zx_status_t vmo_resize(struct vmo *v, uint64_t size)
{
	KASSERT(!v->physical && !(size & PAGE_MASK));
	if (size > VMO_MAX_SIZE)
		return ZX_ERR_OUT_OF_RANGE;
	if (size < v->size) {
		if ((v->mappings && vmar_vmo_mapped_from(v, size)) ||
		    vmo_pinned(v, size, v->size - size))
			return ZX_ERR_BAD_STATE;
		zero_range(v, size, v->size - size); /* no mapping reaches these pages */
	}
	v->size = size;
	return ZX_OK;
}

zx_status_t vmo_copy(struct vmo *v, uint64_t offset, size_t len, bool write, vmo_copy_fn copy,
		     void *ctx)
{
	KASSERT(!v->physical); /* no kernel mapping of device memory or carve-outs here */
	if (!range_within(offset, len, v->size))
		return ZX_ERR_OUT_OF_RANGE;
	for (size_t done = 0; done < len;) {
		uint64_t off = offset + done;
		size_t n = PAGE_SIZE - (off & PAGE_MASK);
		if (n > len - done)
			n = len - done;
		paddr_t pa = write ? vmo_page_for_write(v, off) : vmo_commit_page(v, off);
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
	return vmo_copy(v, offset, len, true, from_kernel, (void *)src);
}
