/*
 * Address spaces and VMARs. Each process has one Sv39 root table (kernel
 * half shared), an ASID, and a root VMAR covering user space. A VMAR may
 * hold sub-VMARs, nested to any depth, each a fixed window of its parent
 * with its own ZX_VM_CAN_MAP_* limits. Every mapping of every VMAR of an
 * address space sits in one list sorted by address, tagged with the VMAR
 * it was made in: since VMARs nest, the mappings inside a VMAR's window are
 * exactly those of it and its descendants. A mapping holds a reference to
 * its VMO, so the VMO outlives its handles while mapped.
 */
#ifndef ZIRV_MM_VMAR_H
#define ZIRV_MM_VMAR_H

#include <zircon/types.h>

#include "arch.h"
#include "mm/pt.h"
#include "mm/vmo.h"
#include "mmu_ctx.h"

struct mapping;

struct aspace {
	paddr_t root;
	struct mmu_ctx mmu; /* its ASID, and the harts that may cache its translations */
	/*
	 * Mapping and unmapping one page again and again neither allocates
	 * nor zeroes a table, nor flushes the whole ASID: the level-0 tables
	 * such unmaps empty stay linked (idle), and one table an unmap did
	 * give back is kept unlinked for the next map (spare).
	 */
	struct pt_idle idle;
	struct pt_reserve spare;
	struct mapping *maps; /* all its mappings, by address */
};

/*
 * Find how many ASID bits the hart implements and hand out ASIDs of at
 * most max_bits of them among `ncpus` harts (kernel/mmu_ctx.h).
 */
void aspace_probe_asids(uint32_t max_bits, uint32_t ncpus);
zx_status_t aspace_init(struct aspace *as);
void aspace_destroy(struct aspace *as);
void aspace_activate(struct aspace *as);
/* After this returns, no hart caches a translation of [va, va+len) in `as`. */
void aspace_flush(struct aspace *as, vaddr_t va, size_t len);
/* Flushes aspace_flush left to harts waiting for the kernel lock, since boot. */
uint64_t aspace_deferred_flushes(void);
uint32_t aspace_asid_bits(void);
/* Page-table pages (roots included) of every user address space. */
uint64_t aspace_table_pages(void);

struct mapping {
	vaddr_t base;
	size_t len;
	struct vmo *vmo;
	uint64_t vmo_off;
	uint32_t perms;	      /* ZX_VM_PERM_* */
	uint32_t max_perms;   /* what the VMO and VMAR handles allowed at map time */
	struct vmar *owner;   /* the VMAR it was made in */
	struct mapping *next; /* in its address space, by address */
	struct mapping *vmo_next, **vmo_pprev; /* among its VMO's mappings */
};

/* What a VMAR may hold: ZX_VM_CAN_MAP_* bits, as zx_vmar_allocate names them. */
#define VMAR_CAN_MAP_ALL                                                                           \
	(ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE)

struct vmar {
	struct aspace *as;
	vaddr_t base;
	size_t size;
	uint32_t flags;	     /* VMAR_CAN_MAP_ALL bits it allows, ZX_VM_COMPACT */
	uint32_t refs;	     /* its handle object, and its parent while it lives in it */
	bool dead;	     /* destroyed: it holds nothing and refuses every change */
	struct vmar *parent; /* NULL for a root, and once destroyed */
	struct vmar *subs;   /* live sub-VMARs, by address */
	struct vmar *next;   /* the next of its parent's sub-VMARs */
};

/*
 * Where zx_vmar_map or zx_vmar_allocate puts a region: at exactly `addr`
 * (`specific`), else the lowest free `align`-aligned gap, ending at or
 * below `limit` when that is not 0.
 */
struct placement {
	bool specific;
	vaddr_t addr;
	vaddr_t limit;
	size_t align;
};

/* A validated zx_vmar_map request. */
struct map_request {
	struct vmo *vmo;
	uint64_t vmo_off;
	size_t len; /* whole pages */
	uint32_t perms, max_perms;
	struct placement at;
	bool overwrite; /* specific: first unmap whatever [addr, addr+len) holds */
};

/* The root VMAR of `as`, allowing everything; one reference for the caller. */
zx_status_t vmar_create_root(struct aspace *as, struct vmar **out);
/*
 * A sub-VMAR of `size` bytes (whole pages) placed in `parent` as `at` says,
 * with `flags` (VMAR_CAN_MAP_ALL bits, ZX_VM_COMPACT; the caller checked
 * them against the parent's). One reference for the caller. Errors:
 * BAD_STATE (parent destroyed), ALREADY_EXISTS (a specific range overlaps
 * a mapping or sub-VMAR), NO_RESOURCES (no room), NO_MEMORY.
 */
zx_status_t vmar_allocate(struct vmar *parent, uint32_t flags, size_t size,
			  const struct placement *at, struct vmar **out);
void vmar_ref(struct vmar *v);
/* Drop a reference; the last one frees v, which must be destroyed (or a root). */
void vmar_unref(struct vmar *v);
/*
 * zx_vmar_destroy: unmap everything in v, destroy every sub-VMAR below it
 * (without recursing, however deep), and take v out of its parent. After
 * it, v refuses changes with BAD_STATE. BAD_STATE if already destroyed.
 */
zx_status_t vmar_destroy(struct vmar *v);
/*
 * Map a VMO range. Errors: BAD_STATE (v destroyed; or the alias guard: some
 * page is mapped elsewhere with another memory type, the mappings an
 * overwrite would replace included), ALREADY_EXISTS (specific range
 * overlaps a mapping or sub-VMAR, without `overwrite`), INVALID_ARGS (an
 * overwrite would cover part of a sub-VMAR), NO_RESOURCES (no room),
 * NO_MEMORY. On error nothing changed, except that an overwrite failing
 * with NO_MEMORY after its unmap leaves the range empty. Physical VMOs use
 * 2 MiB / 1 GiB leaves where they can.
 */
zx_status_t vmar_map(struct vmar *vmar, const struct map_request *rq, vaddr_t *out);
/*
 * The alias guard: is some page of [pa, pa+len) mapped anywhere (kernel
 * device mappings, user mappings of physical VMOs) with a memory type
 * other than `memtype` (MEMTYPE_*)?
 */
bool vmar_alias_conflict(paddr_t pa, size_t len, int memtype);
/* Does any mapping, in any VMAR, show `vmo` at or beyond offset `off`? */
bool vmar_vmo_mapped_from(const struct vmo *vmo, uint64_t off);
/*
 * Copy-on-write upkeep (mm/vmo.c calls these). Every mapping of `vmo`
 * showing page `off` now shows page pa, writable where its permissions
 * allow; and: every writable mapping of `vmo`'s [off, off+len) shows the
 * pages it now shares with a snapshot relative read-only.
 */
void vmar_vmo_page_changed(const struct vmo *vmo, uint64_t off, paddr_t pa);
void vmar_vmo_write_protect_shared(const struct vmo *vmo, uint64_t off, uint64_t len);
/* No mapping of `vmo` shows page `off` any more (it was decommitted); a fault brings one back. */
void vmar_vmo_page_gone(const struct vmo *vmo, uint64_t off);
/*
 * A page fault at va in `as` for `access` (one ZX_VM_PERM_* bit). In a
 * mapping of a paged VMO that allows the access: a page decommitted from
 * under the mapping is committed again (zeros) and mapped; a store to a
 * page shared copy-on-write gets the VMO a private copy. Then ZX_OK: the
 * access is retried. NOT_FOUND for a real fault (end the process),
 * NO_MEMORY.
 */
zx_status_t vmar_fault(struct aspace *as, vaddr_t va, uint32_t access);
/*
 * Write the leaves of the VMO range [off, off+len) of mapping m (inside
 * it, page-aligned) for every page with memory behind it: all of a
 * physical VMO, the committed pages of a paged one; the others fault in
 * on first access (vmar_map writes the leaves of the pages backed at the
 * time). Pages already shown are left as they are. NO_MEMORY if a page
 * table cannot be had; the leaves written until then stay.
 */
zx_status_t vmar_populate(struct mapping *m, uint64_t off, size_t len);
/* The alignment that lets [pa, pa+len) use the largest leaves. */
size_t vmar_large_align(paddr_t pa, size_t len);
/*
 * zx_vmar_unmap of [addr, addr+len) (page-aligned, inside v): unmap every
 * page and destroy every sub-VMAR inside it. BAD_STATE if v is destroyed;
 * INVALID_ARGS, with nothing changed, if a sub-VMAR lies partly inside, or
 * at all without `subs_too` (the handle lacks ZX_RIGHT_OP_CHILDREN);
 * NOT_FOUND if the range holds nothing; NO_MEMORY to split a mapping.
 */
zx_status_t vmar_unmap(struct vmar *v, vaddr_t addr, size_t len, bool subs_too);
/*
 * Change the permissions of every page in [addr, addr+len), sub-VMARs'
 * mappings included. Checked for every mapping before any changes, lowest
 * address first: NOT_FOUND where no mapping covers a page, ACCESS_DENIED
 * beyond a mapping's max_perms; for a mapping of a sub-VMAR, INVALID_ARGS
 * without `subs_too` and ACCESS_DENIED for any permission it lacks now
 * (through a parent, permissions only shrink). BAD_STATE if v is destroyed.
 */
zx_status_t vmar_protect(struct vmar *v, uint32_t perms, vaddr_t addr, size_t len, bool subs_too);
/*
 * Walk [addr, addr+len) (page-aligned, inside v) lowest address first: `fn`
 * gets each mapping the range crosses (those of sub-VMARs with `nested`),
 * with the VMO offset and length of the part inside the range, and its
 * first error ends the walk. NOT_FOUND at the first page no mapping
 * covers, before `fn` sees anything beyond it.
 */
typedef zx_status_t (*vmar_piece_fn)(struct mapping *m, bool nested, uint64_t vmo_off, size_t len,
				     void *ctx);
zx_status_t vmar_each_piece(struct vmar *v, vaddr_t addr, size_t len, vmar_piece_fn fn, void *ctx);
/* Unmap everything in v and destroy its sub-VMARs; v stays alive (a failed ELF load). */
void vmar_unmap_all(struct vmar *v);

#endif
