/*
 * Sv39 page tables: a walker and a two-phase mapper.
 *
 * pt_map() first counts the tables a mapping needs and takes them all from
 * the allocator, then writes PTEs in a pass that cannot fail: running out
 * of memory never leaves a half-built table.
 */
#ifndef ZIRV_MM_PT_H
#define ZIRV_MM_PT_H

#include <stdbool.h>
#include <stddef.h>

#include "arch.h"

/*
 * The live-entry count of page-table page `table`, which pt.c keeps as it
 * adds and clears entries (so an emptied table is found without a scan).
 * Provided by the environment: mm/kvm.c in the kernel (image pages, then
 * the PMM's per-page word), the host tests their own map.
 */
uint16_t *pt_count(paddr_t table);

/* Allocates one page for a page table (contents undefined), 0 on failure. */
typedef paddr_t (*pt_alloc_fn)(void);
typedef void (*pt_free_fn)(paddr_t);

struct pt_ops {
	pt_alloc_fn alloc;
	pt_free_fn free;
};

/*
 * Map [va, va+len) to [pa, pa+len) with leaf bits `attr` (R/W/X/U/G/A/D and
 * memory type; V is added). Uses 1 GiB / 2 MiB leaves where va, pa and the
 * remaining length line up, if `large`. The range must be unmapped.
 * Returns 0, or -1 if a table could not be allocated (nothing changed).
 */
int pt_map(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
	   const struct pt_ops *ops);

/*
 * Empty tables kept for phase two, linked through their first word (every
 * other word is 0). Start one as {0}; tables pt_unmap unlinks come back in
 * the same form, so a caller may keep some for its next map.
 */
struct pt_reserve {
	paddr_t head;
	size_t n;
};

/*
 * Phase one alone: top res up to every table [va, va+len) will need
 * (tables already in res count). -1, with res emptied, if memory runs out.
 */
int pt_reserve(paddr_t root, vaddr_t va, paddr_t pa, size_t len, bool large,
	       const struct pt_ops *ops, struct pt_reserve *res);
/* Free every table on the list (unused reserves, or tables pt_unmap unlinked). */
void pt_unreserve(struct pt_reserve *res, const struct pt_ops *ops);
/* Phase two: write leaves, taking tables only from res. Cannot fail. */
void pt_write(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
	      struct pt_reserve *res);
/*
 * Make each of the `nva` addresses a leaf boundary, splitting 1 GiB and
 * 2 MiB leaves around it (tables taken first: -1 and nothing changed if
 * they cannot be had).
 */
int pt_split_at(paddr_t root, const vaddr_t *vas, int nva, const struct pt_ops *ops);
/*
 * The common case in one walk: if [va, va+len) is exactly one leaf and the
 * tables above it exist or res holds enough to make them, write it and
 * return true; otherwise change nothing and return false (use pt_reserve
 * + pt_write). For a user address space only (every table a PMM page).
 */
bool pt_map_one_leaf(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
		     struct pt_reserve *res);
/*
 * Level-0 tables that an unmap emptied and left linked: a map nearby finds
 * its table in place, and the unmap unlinked nothing, so it needed no
 * whole-ASID flush. Each slot names a table and an address it covers;
 * `next` is the oldest slot, the one the next table takes. A slot may go
 * stale (a map filled the table, or a range unmap unlinked it): a table is
 * only unlinked through a slot while it is still linked there and empty.
 * Start one as {0}.
 */
#define PT_IDLE_TABLES 4

struct pt_idle {
	paddr_t table[PT_IDLE_TABLES];
	vaddr_t va[PT_IDLE_TABLES];
	unsigned next;
};

/*
 * Clear the leaves of [va, va+len), whose ends are leaf boundaries, and
 * unlink every table left empty onto `freed` (the root stays). The caller
 * flushes the TLB (the whole ASID if a table was unlinked: a hart may
 * cache non-leaf entries) and only then frees `freed` with pt_unreserve,
 * or keeps it as a reserve for a later map.
 *
 * With `idle`, unmapping exactly one 4 KiB leaf leaves its level-0 table
 * linked when it empties, and records it there; the oldest table idle
 * holds makes room, unlinked onto `freed`. For a user address space only
 * (every table a PMM page).
 */
void pt_unmap(paddr_t root, vaddr_t va, size_t len, struct pt_reserve *freed, struct pt_idle *idle);
/*
 * Unlink onto `freed` every table of `idle` inside [va, va+len) that is
 * still linked and empty, and the level-1 tables that leaves empty: a
 * large leaf may then go where they were. The caller flushes as after
 * pt_unmap.
 */
void pt_idle_evict(paddr_t root, struct pt_idle *idle, vaddr_t va, size_t len,
		   struct pt_reserve *freed);
/* Re-permission the leaves of [va, va+len), whose ends are leaf boundaries. The caller flushes the
 * TLB. */
void pt_protect(paddr_t root, vaddr_t va, size_t len, uint64_t perms);
/* Free a process root table and every table of its user half. */
void pt_destroy_user(paddr_t root, const struct pt_ops *ops);

/*
 * Svnapot: with `on`, pt_write maps each 64 KiB-aligned run of a large
 * (physical) mapping with one NAPOT group of 16 level-0 PTEs; splitting a
 * group inside turns it back into plain 4 KiB leaves. Off: bit 63 stays 0.
 */
void pt_set_napot(bool on);
bool pt_napot(void);
/* The physical address a leaf PTE at `level` gives va (NAPOT groups included). */
paddr_t pt_leaf_pa(uint64_t pte, int level, vaddr_t va);

/* The leaf PTE mapping va and its level (0 = 4 KiB, also inside a NAPOT group), or NULL. */
uint64_t *pt_lookup(paddr_t root, vaddr_t va, int *level);

#endif
