/*
 * Address spaces and VMARs. Each process has one Sv39 root table (kernel
 * half shared), an ASID, and a root VMAR covering user space; a VMAR keeps
 * its mappings in a list sorted by address. A mapping holds a reference to
 * its VMO, so the VMO outlives its handles while mapped.
 */
#ifndef ZIRV_MM_VMAR_H
#define ZIRV_MM_VMAR_H

#include <zircon/types.h>

#include "arch.h"
#include "mm/pt.h"
#include "mm/vmo.h"

struct aspace {
	paddr_t root;
	uint16_t asid;
	/*
	 * One emptied table kept for the next map, so mapping and unmapping
	 * one page again and again neither allocates nor zeroes a table.
	 */
	struct pt_reserve spare;
};

/* Find how many ASID bits the hart implements, using at most max_bits of them. */
void aspace_probe_asids(uint32_t max_bits);
zx_status_t aspace_init(struct aspace *as);
void aspace_destroy(struct aspace *as);
void aspace_activate(const struct aspace *as);
/* After this returns, no translation of [va, va+len) in `as` is cached. */
void aspace_flush(const struct aspace *as, vaddr_t va, size_t len);
uint32_t aspace_asid_bits(void);
/* Page-table pages (roots included) of every user address space. */
uint64_t aspace_table_pages(void);

struct mapping {
	vaddr_t base;
	size_t len;
	struct vmo *vmo;
	uint64_t vmo_off;
	uint32_t perms;	    /* ZX_VM_PERM_* */
	uint32_t max_perms; /* what the VMO and VMAR handles allowed at map time */
	struct mapping *next;
};

struct vmar {
	struct aspace *as;
	vaddr_t base;
	size_t size;
	struct mapping *maps;
	struct vmar *next_vmar;
};

/* A validated zx_vmar_map request. */
struct map_request {
	struct vmo *vmo;
	uint64_t vmo_off;
	size_t len; /* whole pages */
	uint32_t perms, max_perms;
	bool specific;	/* at exactly `addr`, else the lowest free `align`-aligned gap */
	bool overwrite; /* specific: first unmap whatever [addr, addr+len) holds */
	vaddr_t addr;
	vaddr_t limit; /* not specific: the gap must end at or below it; 0 for the VMAR's end */
	size_t align;
};

zx_status_t vmar_create_root(struct aspace *as, struct vmar **out);
/* Unmap everything and free the VMAR (its handle object is gone). */
void vmar_destroy(struct vmar *v);
/*
 * Map a VMO range. Errors: BAD_STATE (the alias guard: some page is
 * mapped elsewhere with another memory type, the mappings an overwrite
 * would replace included), ALREADY_EXISTS (specific range overlaps a
 * mapping, without `overwrite`), NO_RESOURCES (no room), NO_MEMORY. On
 * error nothing changed, except that an overwrite failing with NO_MEMORY
 * after its unmap leaves the range empty. Physical VMOs use 2 MiB / 1 GiB
 * leaves where they can.
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
/* The alignment that lets [pa, pa+len) use the largest leaves. */
size_t vmar_large_align(paddr_t pa, size_t len);
/* Unmap every page in [addr, addr+len); NOT_FOUND if nothing is mapped there. */
zx_status_t vmar_unmap(struct vmar *vmar, vaddr_t addr, size_t len);
/*
 * Change the permissions of every page in [addr, addr+len): NOT_FOUND if
 * some page is unmapped, ACCESS_DENIED beyond a mapping's max_perms.
 */
zx_status_t vmar_protect(struct vmar *vmar, uint32_t perms, vaddr_t addr, size_t len);
/*
 * Walk [addr, addr+len) (page-aligned, inside the VMAR) lowest address
 * first: `fn` gets each mapping the range crosses, with the VMO offset and
 * length of the part inside the range, and its first error ends the walk.
 * NOT_FOUND at the first page no mapping covers, before `fn` sees anything
 * beyond it.
 */
typedef zx_status_t (*vmar_piece_fn)(const struct mapping *m, uint64_t vmo_off, size_t len,
				     void *ctx);
zx_status_t vmar_each_piece(struct vmar *v, vaddr_t addr, size_t len, vmar_piece_fn fn, void *ctx);
/* Tear down every mapping (process exit). */
void vmar_unmap_all(struct vmar *vmar);

#endif
