/*
 * Virtual memory objects, the mechanism: a paged VMO owns zeroed 4 KiB
 * pages, committed when first read or written; a two-level
 * directory of page addresses bounds it at VMO_MAX_SIZE. A snapshot (a
 * copy-on-write child) starts with its parent's pages in its own
 * directory: a page may have several VMO holders, counted in its PMM word,
 * and whoever writes a page it shares first takes a private copy (mapped
 * pages it shares are mapped read-only, and a write fault does the same).
 * A physical VMO
 * names a contiguous physical range (MMIO or a RAM carve-out, which the
 * caller checked) and owns no pages; a slice is a window onto its parent's
 * range. Handles, rights and signals are handles/vmo.c's: a VMO here is
 * refcounted by whoever holds it (its handle object, mappings, slices).
 */
#ifndef ZIRV_MM_VMO_H
#define ZIRV_MM_VMO_H

#include <stddef.h>
#include <zircon/types.h>

#include "arch.h"
#include "kernel.h"

#define VMO_MAX_SIZE (1ul << 30) /* 512 × 512 pages */

struct mapping;

/*
 * Every VMO's heap block has VMO_OWNER_ROOM bytes after the struct for the
 * handle object that names it (vmo_take_owner_room), so that making a VMO
 * and its object is one allocation. The fields are ordered to leave no
 * padding: 144 bytes, and with the room one 256-byte block.
 */
#define VMO_OWNER_ROOM 112

struct vmo {
	uint32_t refs;	       /* its handle object, each mapping, each slice of it */
	uint32_t cache_policy; /* ZX_CACHE_POLICY_* */
	uint64_t size;	       /* bytes, a whole number of pages */
	uint32_t mappings;     /* live mappings of this VMO */
	uint32_t children;     /* live slices and snapshots of it */
	struct mapping *maps;  /* those mappings (mm/vmar.c keeps the list) */
	uint64_t committed;    /* pages */
	paddr_t dir;	       /* directory page: 512 addresses of leaf pages, or 0 */
	uint16_t dir_span;     /* directory entries below this may be set (at most 512) */
	bool physical;
	bool resizable;	    /* paged, made with ZX_VMO_RESIZABLE */
	bool contiguous;    /* paged, every page committed in one physical run from phys */
	bool cow;	    /* it has shared pages with a snapshot relative (now or once) */
	bool room_taken;    /* vmo_take_owner_room gave the room out */
	paddr_t phys;	    /* physical: first byte */
	struct vmo *parent; /* slice: the VMO it looks into (a reference) */
	zx_koid_t user_id;  /* the koid of the object made for it (parent_koid in info) */
	void *owner;	    /* that object while it lives, for vmo_children_hook */
	/* Snapshots: links for the parent's child count, not references. */
	struct vmo *cow_parent; /* while both live */
	struct vmo *cow_kids;	/* its live snapshots, linked through kid_next */
	struct vmo *kid_next, **kid_pprev;
	struct vmo_pin *pins; /* ranges pinned for DMA (each holds a reference) */
	/* Physical, with a mapping: on the alias guard's list (mm/vmar.c). */
	struct vmo *mapped_next, **mapped_pprev;
};

/*
 * A range of a VMO pinned for DMA (a PMT's, handles/bti.c): its pages stay
 * where they are — not decommitted, not freed, not copied on write — until
 * it is unpinned.
 */
struct vmo_pin {
	struct vmo_pin *next;
	uint64_t offset, len;
};

/*
 * Called with v->owner when v's child count leaves or reaches 0 (`none`):
 * how the object layer keeps ZX_VMO_ZERO_CHILDREN, set once at start-up.
 */
extern void (*vmo_children_hook)(void *owner, bool none);

/*
 * The VMO_OWNER_ROOM bytes after v, zeroed, for the object that names it;
 * once per VMO. They are freed with v, so that object must hold a
 * reference to v and be done with the room before dropping it.
 */
static inline void *vmo_take_owner_room(struct vmo *v)
{
	KASSERT(!v->room_taken);
	v->room_taken = true;
	return v + 1;
}

/* Another holder of v. */
static inline void vmo_ref(struct vmo *v)
{
	KASSERT(v->refs > 0);
	v->refs++;
}
/* The slow half of vmo_unref: v's last holder let go. */
void vmo_last_ref_gone(struct vmo *v);
/*
 * A holder lets go (NULL: nothing); the last one frees v and, if it was a
 * slice, lets go of its parent, and so on up the chain without recursing.
 * Inline: a reference that is not the last costs a decrement.
 */
static inline void vmo_unref(struct vmo *v)
{
	if (!v)
		return;
	KASSERT(v->refs > 0);
	if (--v->refs == 0)
		vmo_last_ref_gone(v);
}

/* Memory types as the alias guard compares them (independent of the PTE encoder). */
enum { MEMTYPE_PMA, MEMTYPE_NC, MEMTYPE_IO, MEMTYPES };

static inline int vmo_memtype(uint32_t cache_policy)
{
	return cache_policy == ZX_CACHE_POLICY_CACHED		 ? MEMTYPE_PMA
	       : cache_policy == ZX_CACHE_POLICY_UNCACHED_DEVICE ? MEMTYPE_IO
								 : MEMTYPE_NC;
}

/*
 * Pin [offset, offset+len) (page-aligned, in range: the caller checks) of
 * v into p, committing its pages (vmo_backing_page then tells where each
 * is): NO_MEMORY, or BAD_STATE for a paged VMO with snapshot relatives
 * (whose writes would move shared pages). The pin holds a reference to v.
 */
zx_status_t vmo_pin(struct vmo *v, uint64_t offset, uint64_t len, struct vmo_pin *p);
/* Undo vmo_pin (and drop its reference: v may go). */
void vmo_unpin(struct vmo *v, struct vmo_pin *p);
/* Is any byte of [offset, offset+len) pinned? */
bool vmo_pinned(const struct vmo *v, uint64_t offset, uint64_t len);
/*
 * A paged VMO of `size` bytes whose pages are committed now, zeroed, in
 * one physical run aligned to 2^align_log2 bytes (vmo_create_contiguous);
 * NO_MEMORY when no such run is left.
 */
zx_status_t vmo_create_contiguous(uint64_t size, uint32_t align_log2, struct vmo **out);
/* A physical VMO over [pa, pa+size) (validated by the caller); starts UNCACHED. */
zx_status_t vmo_create_physical(paddr_t pa, uint64_t size, struct vmo **out);
/*
 * A snapshot of a paged VMO: `size` bytes (whole pages) showing the
 * parent's [offset, offset+size) (offset page-aligned) as it is now, zeros
 * past the parent's end; later writes to either are private to it. The
 * parent's mappings of the pages now shared become read-only. NO_MEMORY.
 */
zx_status_t vmo_create_snapshot(struct vmo *parent, uint64_t offset, uint64_t size,
				struct vmo **out);
/*
 * The page backing byte `offset` of a paged VMO, for writing: committed if
 * it was not, copied first if other VMOs hold it too (every mapping of v
 * then shows the copy, writable where its permissions allow); 0 if out of
 * memory.
 */
paddr_t vmo_page_for_write(struct vmo *v, uint64_t offset);
/*
 * Has v a live snapshot parent or child? (Zircon refuses DECOMMIT then:
 * the pages may be the relative's too.)
 */
static inline bool vmo_has_cow_relatives(const struct vmo *v)
{
	return v->cow_parent || v->cow_kids;
}
/* Is the committed page pa held by more than one VMO (so it must not be written in place)? */
bool vmo_page_shared(paddr_t pa);
/* A slice [offset, offset+size) of a physical VMO (validated by the caller). */
zx_status_t vmo_create_slice(struct vmo *parent, uint64_t offset, uint64_t size, struct vmo **out);
/*
 * ZX_VMO_OP_CACHE_* on [offset, offset+size) (range checked by the caller,
 * who also refuses device memory: physical VMOs here cover RAM carve-outs).
 */
zx_status_t vmo_cache_op(struct vmo *v, uint32_t op, uint64_t offset, uint64_t size);

/* Pages committed to all paged VMOs together. */
uint64_t vmo_committed_pages(void);

/*
 * How cache operations maintain caches (an enum cache_maint of
 * kernel/restab.h), with the block size of the instructions, if any.
 */
void vmo_set_cache_maint(int maint, uint32_t block);
int vmo_cache_maint(void);
/* The Zicbom block size (0 without Zicbom), and how many cache-block instructions have run. */
uint32_t vmo_cbom_block(void);
uint64_t vmo_cbo_blocks(void);

/*
 * Zircon's rules: BAD_STATE if mapped, with children or a parent (a paged VMO even
 * for the policy it has), or with committed pages.
 */
zx_status_t vmo_set_cache_policy(struct vmo *v, uint32_t policy);

/* ZX_ERR_OUT_OF_RANGE if too large, ZX_ERR_NO_MEMORY. */
zx_status_t vmo_create(uint64_t size, struct vmo **out);
/* The page backing byte `offset`, committing a zeroed one; 0 if out of memory. */
paddr_t vmo_commit_page(struct vmo *v, uint64_t offset);
/* Commit every page of [offset, offset+len). */
zx_status_t vmo_commit(struct vmo *v, uint64_t offset, uint64_t len);
/*
 * The offset of the first page at or above `offset` (page-aligned) and
 * below `end` that has memory behind it — every page of a physical VMO,
 * the committed ones of a paged VMO — or `end` if there is none. Commits
 * nothing; skips 2 MiB of VMO at a time where no page was ever committed.
 */
uint64_t vmo_paged_next_backed(struct vmo *v, uint64_t offset, uint64_t end);
static inline uint64_t vmo_next_backed(struct vmo *v, uint64_t offset, uint64_t end)
{
	if (v->physical)
		return offset < end ? offset : end;
	return vmo_paged_next_backed(v, offset, end);
}
/* The page backing byte `offset` if it has one (see vmo_next_backed), else 0. */
paddr_t vmo_paged_backing_page(struct vmo *v, uint64_t offset);
static inline paddr_t vmo_backing_page(struct vmo *v, uint64_t offset)
{
	if (v->physical)
		return v->phys + ALIGN_DOWN(offset, PAGE_SIZE);
	return vmo_paged_backing_page(v, offset);
}
/*
 * Make [offset, offset+len) of a paged VMO (in range, checked by the
 * caller) read as zeros, committing nothing: a whole page is given back
 * (and unmapped from every mapping of v, where an access then faults in a
 * fresh zero page), a partial one zeroed in place. NO_MEMORY only where a
 * page shared with a snapshot needed a private copy to zero part of it.
 */
zx_status_t vmo_zero(struct vmo *v, uint64_t offset, uint64_t len);
/*
 * Give a paged VMO `size` bytes (page-aligned): pages past a smaller size
 * are freed, a larger one reads as zeros. OUT_OF_RANGE past VMO_MAX_SIZE;
 * BAD_STATE to shrink below what a mapping shows (mappings are populated
 * when made, so none may reach past the end).
 */
zx_status_t vmo_resize(struct vmo *v, uint64_t size);
/*
 * Walk [offset, offset+len) of a paged VMO a page piece at a time,
 * committing pages (for `write`, private ones: see vmo_page_for_write):
 * `copy` gets each piece's kernel address, how many bytes came before it
 * and its length, and may fail the walk with its status.
 * ZX_ERR_OUT_OF_RANGE past the end, ZX_ERR_NO_MEMORY.
 */
typedef zx_status_t (*vmo_copy_fn)(void *piece, size_t done, size_t n, void *ctx);
zx_status_t vmo_copy(struct vmo *v, uint64_t offset, size_t len, bool write, vmo_copy_fn copy,
		     void *ctx);
/* Copy from kernel memory (ELF loading, the device-tree VMO). */
zx_status_t vmo_write_kernel(struct vmo *v, const void *src, uint64_t offset, size_t len);

#endif
