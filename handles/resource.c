#include <string.h>
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/zirv.h>

#include "arch.h"
#include "handles/resource.h"
#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "mm/pte.h"
#include "mm/vmar.h"
#include "mm/vmo.h"
#include "mmu_ctx.h"
#include "restab.h"
#include "smp.h"

/* A sorted set of disjoint page ranges [lo, hi). */
struct run {
	uint64_t lo, hi;
};
struct runs {
	struct run r[RT_MAX];
	uint32_t n;
	uint32_t last; /* the run the last successful lookup found: a driver asks near it again */
};

static struct resource *exclusive;	 /* live exclusive resources */
static struct runs grantable, carveouts; /* see runs_build() */

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static void resource_destroy(struct object *o)
{
	struct resource *r = (struct resource *)o;
	for (struct resource **pp = &exclusive; *pp; pp = &(*pp)->next_exclusive) {
		if (*pp == r) {
			*pp = r->next_exclusive;
			break;
		}
	}
	kfree(r, sizeof(*r));
}

/*
 * ZX_INFO_KMEM_STATS_V1: from the root resource or a system resource
 * granting ZX_RSRC_SYSTEM_INFO_BASE (WRONG_TYPE, OUT_OF_RANGE otherwise).
 */
static zx_status_t kmem_stats(const struct resource *r, void *buf, size_t len, size_t *actual)
{
	zx_status_t granted = resource_grants_system(r, ZX_RSRC_SYSTEM_INFO_BASE);
	if (granted != ZX_OK)
		return granted;
	uint64_t total = pmm_total_pages(), free = pmm_free_pages();
	uint64_t heap = kmem_heap_pages(), vmo = vmo_committed_pages();
	uint64_t tables = aspace_table_pages(), used = total - free;
	uint64_t known = heap + vmo + tables;
	zx_info_kmem_stats_v1_t st = {
	    .total_bytes = total << PAGE_SHIFT,
	    .free_bytes = free << PAGE_SHIFT,
	    .wired_bytes = kvm_image_size,
	    .total_heap_bytes = heap << PAGE_SHIFT,
	    .free_heap_bytes = (heap << PAGE_SHIFT) - kmem_heap_used_bytes(),
	    .vmo_bytes = vmo << PAGE_SHIFT,
	    .mmu_overhead_bytes = tables << PAGE_SHIFT,
	    .other_bytes = used > known ? (used - known) << PAGE_SHIFT : 0,
	};
	return object_info_out(buf, len, &st, sizeof(st), actual);
}

static zx_status_t resource_get_info(struct object *o, zx_rights_t rights, uint32_t topic,
				     void *buf, size_t len, size_t *actual)
{
	struct resource *r = (struct resource *)o;
	zx_info_resource_t info = {
	    .kind = r->kind, .flags = r->flags, .base = r->base, .size = r->size};
	(void)rights;
	if (topic == ZX_INFO_KMEM_STATS_V1)
		return kmem_stats(r, buf, len, actual);
	if (topic == ZX_INFO_ZIRV_CACHE_OPS) {
		zx_info_zirv_cache_ops_t co = {.cbom_block = vmo_cbom_block(),
					       .method = (uint32_t)vmo_cache_maint(),
					       .cbo_blocks = vmo_cbo_blocks()};
		return object_info_out(buf, len, &co, sizeof(co), actual);
	}
	if (topic == ZX_INFO_ZIRV_TLB) {
		zx_info_zirv_tlb_t tlb = {.deferred = aspace_deferred_flushes(),
					  .asid_generations = mmu_ctx_rollovers(),
					  .asid_bits = mmu_ctx_asid_bits()};
		smp_rfence_counts(&tlb.rfence_calls, &tlb.rfence_harts);
		return object_info_out(buf, len, &tlb, sizeof(tlb), actual);
	}
	if (topic == ZX_INFO_ZIRV_MEMTYPE) {
		zx_info_zirv_memtype_t mt = {.encoding = (uint32_t)pte_encoding()};
		return object_info_out(buf, len, &mt, sizeof(mt), actual);
	}
	memcpy(info.name, o->name, sizeof(info.name)); /* ZX_INFO_RESOURCE */
	return object_info_out(buf, len, &info, sizeof(info), actual);
}

_Static_assert(PTE_ENC_NONE == ZX_ZIRV_MEMTYPE_NONE && PTE_ENC_SVPBMT == ZX_ZIRV_MEMTYPE_SVPBMT &&
		   PTE_ENC_XTHEADMAE == ZX_ZIRV_MEMTYPE_XTHEADMAE,
	       "the info topic reports the kernel's own encoder numbers");

static const struct object_ops resource_ops = {
    .destroy = resource_destroy,
    .get_info = resource_get_info,
};

static struct resource *resource_new(uint32_t kind, uint32_t flags, uint64_t base, uint64_t size,
				     const char *name, size_t name_len)
{
	struct resource *r = kzalloc(sizeof(*r));
	if (!r)
		return NULL;
	object_init(&r->obj, ZX_OBJ_TYPE_RESOURCE, &resource_ops);
	r->kind = kind;
	r->flags = flags;
	r->base = base;
	r->size = size;
	object_set_name(&r->obj, name, strnlen(name, name_len));
	return r;
}

struct resource *resource_root(void)
{
	return resource_new(ZX_RSRC_KIND_ROOT, 0, 0, 0, "root", 4);
}

struct resource *resource_mmio_root(void)
{
	struct resource *r = resource_new(ZX_RSRC_KIND_MMIO, 0, 0, 0, "mmio", 4);
	if (r)
		r->ranged_root = true;
	return r;
}

struct resource *resource_irq_root(void)
{
	struct resource *r = resource_new(ZX_RSRC_KIND_IRQ, 0, 0, 0, "irq", 3);
	if (r)
		r->ranged_root = true;
	return r;
}

/* Only the kernel makes ranged roots: a (kind, 0, 0) child of a sub-resource grants nothing. */
static bool is_ranged_root(const struct resource *r)
{
	return r->kind == ZX_RSRC_KIND_ROOT || r->ranged_root;
}

/*
 * The root filter, computed once from the resource table: sorted, disjoint
 * page ranges that may be granted. A range is grantable when every page of
 * it touches entries of the wanted kinds only (each widened to whole pages,
 * so a 256-byte UART is granted as its page) and no address hole: the
 * union of the wanted entries' pages minus every page another kind, or a
 * device the kernel drives itself (RT_F_KERNEL), touches. One table for
 * MMIO + CARVE-OUT (what the root resource grants), one for CARVE-OUT
 * alone (RAM that cache operations apply to).
 */
static void runs_build(struct runs *out, const struct restab *rt, bool carveout_only)
{
	uint64_t blocked = 0; /* pages below this are touched by an unwanted entry */

	out->n = out->last = 0;
	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		uint64_t lo = ALIGN_DOWN(e->base, PAGE_SIZE),
			 hi = ALIGN_UP(e->base + e->size, PAGE_SIZE);
		struct run *last = out->n ? &out->r[out->n - 1] : NULL;
		bool wanted = e->kind == RT_CARVEOUT ||
			      (!carveout_only && e->kind == RT_MMIO && !(e->flags & RT_F_KERNEL));
		if (!wanted) {
			/* Entries are sorted: only the latest runs can reach into these pages. */
			while (last && last->hi > lo) {
				if (last->lo < lo) {
					last->hi = lo;
					break;
				}
				last = --out->n ? &out->r[out->n - 1] : NULL;
			}
			blocked = hi > blocked ? hi : blocked;
			continue;
		}
		lo = lo > blocked ? lo : blocked;
		if (lo >= hi)
			continue;
		if (last && lo <= last->hi)
			last->hi = hi > last->hi ? hi : last->hi;
		else
			out->r[out->n++] = (struct run){lo, hi};
	}
}

void resource_init(const struct restab *rt)
{
	runs_build(&grantable, rt, false);
	runs_build(&carveouts, rt, true);
}

/* [pa, pa+size) lies inside one run. */
static bool runs_cover(struct runs *t, uint64_t pa, uint64_t size)
{
	const struct run *seen = &t->r[t->last];
	if (t->last < t->n && seen->lo <= pa && pa + size <= seen->hi)
		return true;
	uint32_t lo = 0, hi = t->n;
	while (lo < hi) { /* first run ending above pa */
		uint32_t mid = lo + (hi - lo) / 2;
		if (t->r[mid].hi <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n && t->r[lo].lo <= pa && pa + size <= t->r[lo].hi) {
		t->last = lo;
		return true;
	}
	return false;
}

bool resource_root_filter(uint64_t pa, uint64_t size)
{
	return runs_cover(&grantable, pa, size);
}

bool resource_is_carveout(uint64_t pa, uint64_t size)
{
	return runs_cover(&carveouts, pa, size);
}

/* The parent's own range, widened to whole pages, contains [base, base+size). */
static bool within(const struct resource *p, uint64_t base, uint64_t size)
{
	uint64_t lo = ALIGN_DOWN(p->base, PAGE_SIZE);
	uint64_t hi = ALIGN_UP(p->base + p->size, PAGE_SIZE);
	return base >= lo && base + size <= hi;
}

static bool exclusive_overlap(uint32_t kind, uint64_t base, uint64_t size)
{
	for (struct resource *r = exclusive; r; r = r->next_exclusive)
		if (r->kind == kind && overlap(r->base, r->size, base, size))
			return true;
	return false;
}

/* Does an exclusive resource of `kind` other than `me` hold part of [base, base+size)? */
static bool held_by_another(const struct resource *me, uint32_t kind, uint64_t base, uint64_t size)
{
	for (struct resource *r = exclusive; r; r = r->next_exclusive)
		if (r != me && r->kind == kind && overlap(r->base, r->size, base, size))
			return true;
	return false;
}

bool resource_grants_mmio(const struct resource *r, uint64_t pa, uint64_t size)
{
	if (r->kind != ZX_RSRC_KIND_ROOT && r->kind != ZX_RSRC_KIND_MMIO)
		return false;
	if (!is_ranged_root(r) && !within(r, pa, size))
		return false;
	if (exclusive && held_by_another(r, ZX_RSRC_KIND_MMIO, pa, size))
		return false; /* contract 10: the root and the start-up resource too */
	return resource_root_filter(pa, size);
}

bool resource_grants_irq(const struct resource *r, uint32_t vector)
{
	if (exclusive && held_by_another(r, ZX_RSRC_KIND_IRQ, vector, 1))
		return false;
	if (r->kind == ZX_RSRC_KIND_ROOT || (r->kind == ZX_RSRC_KIND_IRQ && r->ranged_root))
		return true;
	return r->kind == ZX_RSRC_KIND_IRQ && vector >= r->base && vector - r->base < r->size;
}

zx_status_t resource_grants_system(const struct resource *r, uint64_t base)
{
	if (r->kind == ZX_RSRC_KIND_ROOT || (r->kind == ZX_RSRC_KIND_SYSTEM && r->ranged_root))
		return ZX_OK;
	if (r->kind != ZX_RSRC_KIND_SYSTEM)
		return ZX_ERR_WRONG_TYPE;
	return base >= r->base && base - r->base < r->size ? ZX_OK : ZX_ERR_OUT_OF_RANGE;
}

zx_status_t resource_check(const struct resource *parent, uint32_t options, uint64_t base,
			   uint64_t size)
{
	uint32_t kind = ZX_RSRC_EXTRACT_KIND(options), flags = ZX_RSRC_EXTRACT_FLAGS(options);

	if (kind >= ZX_RSRC_KIND_COUNT || (flags & ~ZX_RSRC_FLAGS_MASK) || base + size < base)
		return ZX_ERR_INVALID_ARGS;
	if (parent->kind == ZX_RSRC_KIND_ROOT && kind == ZX_RSRC_KIND_ROOT && (base || size))
		return ZX_ERR_INVALID_ARGS; /* only the root may make a root, and without a range */
	if (parent->kind != ZX_RSRC_KIND_ROOT) {
		if (parent->kind != kind || kind == ZX_RSRC_KIND_ROOT)
			return ZX_ERR_ACCESS_DENIED;
		if (!is_ranged_root(parent) && !within(parent, base, size))
			return ZX_ERR_ACCESS_DENIED;
	}
	if (kind == ZX_RSRC_KIND_MMIO && size && !resource_root_filter(base, size))
		return ZX_ERR_ACCESS_DENIED;
	/* A slice of a resource that is not a root may not be, or come from, an exclusive one. */
	if (!is_ranged_root(parent) &&
	    ((flags & ZX_RSRC_FLAG_EXCLUSIVE) || (parent->flags & ZX_RSRC_FLAG_EXCLUSIVE)))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

zx_status_t resource_create(struct resource *parent, uint32_t options, uint64_t base, uint64_t size,
			    const char *name, size_t name_len, struct resource **out)
{
	uint32_t kind = ZX_RSRC_EXTRACT_KIND(options), flags = ZX_RSRC_EXTRACT_FLAGS(options);
	zx_status_t st = resource_check(parent, options, base, size);

	if (st != ZX_OK)
		return st;
	if (exclusive_overlap(kind, base, size))
		return ZX_ERR_NOT_FOUND;
	struct resource *r = resource_new(kind, flags, base, size, name, name_len);
	if (!r)
		return ZX_ERR_NO_MEMORY;
	/* The root may hand out a ranged root (kind, 0, 0) of its own. */
	r->ranged_root = parent->kind == ZX_RSRC_KIND_ROOT && base == 0 && size == 0;
	if (flags & ZX_RSRC_FLAG_EXCLUSIVE) {
		r->next_exclusive = exclusive;
		exclusive = r;
	}
	*out = r;
	return ZX_OK;
}
