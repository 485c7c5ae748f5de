#include <string.h>

#include "kernel.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/pt.h"

#ifndef ZIRV_FAKE_ARCH
/*
 * pt_count without the call where it can: a user table is a PMM page,
 * whose word is one subtraction away; the image's boot tables (and a page
 * outside both, which pt_count refuses) take the call.
 */
static inline uint16_t *count_of(paddr_t table)
{
	uint64_t i = (table - pmm_words_base) >> PAGE_SHIFT;
	if (table - kvm_image_pa >= kvm_image_size && i < pmm_words_n)
		return &pmm_words[i];
	return pt_count(table);
}
/*
 * The tables of a user address space are all PMM pages (mm/vmar.c takes
 * them from pmm_alloc): each is in the direct map and counts in its PMM
 * word, with no test for an image page. Only the 4 KiB fast paths use these.
 */
static inline uint64_t *user_table(paddr_t pa)
{
	return (uint64_t *)(DMAP_BASE + pa);
}

static inline uint16_t *user_count(paddr_t table)
{
	uint64_t i = (table - pmm_words_base) >> PAGE_SHIFT;
	KASSERT(i < pmm_words_n);
	return &pmm_words[i];
}
#else
#define count_of       pt_count /* the host tests' own */
#define user_count     pt_count
#define user_table(pa) ((uint64_t *)paddr_to_kva(pa))
#endif

static bool napot; /* 64 KiB NAPOT leaves for large mappings: every hart has Svnapot */

void pt_set_napot(bool on)
{
	napot = on;
}

bool pt_napot(void)
{
	return napot;
}

paddr_t pt_leaf_pa(uint64_t pte, int level, vaddr_t va)
{
	if (pte & PTE_N)
		return (PTE_TO_PA(pte) & ~(NAPOT_SIZE - 1)) | (va & (NAPOT_SIZE - 1));
	return PTE_TO_PA(pte) + (va & (SV39_LEVEL_SIZE(level) - 1));
}

/* An empty table from the reserve (every word but the link is already 0), its count 0. */
static paddr_t reserve_take(struct pt_reserve *r)
{
	paddr_t pa = r->head;
	KASSERT(pa != 0 && r->n > 0);
	uint64_t *t = paddr_to_kva(pa);
	r->head = t[0];
	r->n--;
	t[0] = 0;
	*count_of(pa) = 0;
	return pa;
}

static void reserve_put(struct pt_reserve *r, paddr_t pa)
{
	*(paddr_t *)paddr_to_kva(pa) = r->head;
	r->head = pa;
	r->n++;
}

/* Grow r to `need` tables, zeroing each new one; -1, with r emptied, if memory runs out. */
static int reserve_fill(struct pt_reserve *r, size_t need, const struct pt_ops *ops)
{
	while (r->n < need) {
		paddr_t pa = ops->alloc();
		if (!pa) {
			pt_unreserve(r, ops);
			return -1;
		}
		kva_zero_page(paddr_to_kva(pa));
		reserve_put(r, pa);
	}
	return 0;
}

/*
 * The one descent of the tables. An Sv39 virtual address (priv. spec 4.4):
 *
 *   38        30 29        21 20        12 11           0
 *  | VPN[2] 9b  | VPN[1] 9b  | VPN[0] 9b  | page offset |     bits 63:39 = bit 38
 *
 * VPN[2] indexes the root (level 2; its leaves map 1 GiB), VPN[1] a level-1
 * table (2 MiB leaves), VPN[0] a level-0 table (4 KiB leaves).
 *
 * walk() goes from `table` (a table at level `from`) toward the entry for
 * va at `level` and returns the entry where it stopped: there, at a leaf
 * above it, or at an empty entry above it, unless `res` is given, which
 * then fills each empty entry on the way with a table from res. *at gets
 * the level of the returned entry and *holder the table holding it.
 */
static inline __attribute__((always_inline)) uint64_t *walk(paddr_t table, int from, vaddr_t va,
							    int level, struct pt_reserve *res,
							    int *at, paddr_t *holder)
{
	int l = from;
	uint64_t *pte;

	for (;; l--) {
		pte = &((uint64_t *)paddr_to_kva(table))[SV39_VPN(va, l)];
		if (l == level || PTE_LEAF(*pte))
			break;
		if (!(*pte & PTE_V)) {
			if (!res)
				break;
			*pte = PA_TO_PTE(reserve_take(res)) | PTE_V;
			(*count_of(table))++;
		}
		table = PTE_TO_PA(*pte);
	}
	*at = l;
	*holder = table;
	return pte;
}

/*
 * Can a leaf at `level` go at va? Not where a leaf or a table already is
 * (tables are unlinked when they empty, or kept idle: pt_idle_evict).
 */
static bool slot_free(paddr_t root, vaddr_t va, int level)
{
	int at;
	paddr_t holder;
	return !(*walk(root, 2, va, level, NULL, &at, &holder) & PTE_V);
}

/* The level of the largest leaf that can map va→pa with `left` bytes to go. */
static int chunk_level(paddr_t root, vaddr_t va, paddr_t pa, size_t left, bool large)
{
	for (int level = large ? 2 : 0; level > 0; level--) {
		uint64_t sz = SV39_LEVEL_SIZE(level);
		if (IS_ALIGNED(va | pa, sz) && left >= sz && slot_free(root, va, level))
			return level;
	}
	return 0;
}

/*
 * Phase one: how many tables would mapping [va, va+len) at the levels
 * chunk_level() picks create? A chunk whose walk stops at an empty entry at
 * level `at` needs the tables of levels at-1 .. level; chunks come in
 * address order, so a missing table is counted once: when its region first
 * differs from the last one counted at that level.
 */
static size_t count_tables(paddr_t root, vaddr_t va, paddr_t pa, size_t len, bool large)
{
	uint64_t last[SV39_LEVELS] = {~0ul, ~0ul, ~0ul};
	size_t need = 0;

	while (len) {
		int level = chunk_level(root, va, pa, len, large), at;
		paddr_t holder;
		uint64_t *pte = walk(root, 2, va, level, NULL, &at, &holder);
		KASSERT(at == level ||
			!(*pte & PTE_V)); /* mapping over a large page: a caller bug */
		for (int l = at; l > level && !(*pte & PTE_V); l--) {
			uint64_t region = va >> (PAGE_SHIFT + 9 * l);
			if (region != last[l - 1]) {
				last[l - 1] = region;
				need++;
			}
		}
		va += SV39_LEVEL_SIZE(level);
		pa += SV39_LEVEL_SIZE(level);
		len -= SV39_LEVEL_SIZE(level);
	}
	return need;
}

int pt_reserve(paddr_t root, vaddr_t va, paddr_t pa, size_t len, bool large,
	       const struct pt_ops *ops, struct pt_reserve *res)
{
	KASSERT(IS_ALIGNED(va | pa | len, PAGE_SIZE));
	return reserve_fill(res, count_tables(root, va, pa, len, large), ops);
}

void pt_unreserve(struct pt_reserve *res, const struct pt_ops *ops)
{
	while (res->head) {
		paddr_t pa = res->head;
		res->head = *(paddr_t *)paddr_to_kva(pa);
		res->n--;
		ops->free(pa);
	}
}

/*
 * A 64 KiB NAPOT group at pte (16 free slots of one table, va and pa 64 KiB
 * aligned): 16 identical entries, N set, ppn[3:0] = 1000.
 */
static void write_napot(uint64_t *pte, paddr_t pa, uint64_t attr)
{
	KASSERT(!(attr & PTE_N) && IS_ALIGNED(pa, NAPOT_SIZE));
	uint64_t e = PA_TO_PTE(pa) | PTE_NAPOT_64K | PTE_N | attr | PTE_V;
	for (int i = 0; i < 16; i++) {
		KASSERT(!(pte[i] & PTE_V));
		pte[i] = e;
	}
}

void pt_write(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
	      struct pt_reserve *res)
{
	while (len) {
		int level = chunk_level(root, va, pa, len, large);
		uint64_t size = SV39_LEVEL_SIZE(level);
		paddr_t table;
		int at;
		uint64_t *pte = walk(root, 2, va, level, res, &at, &table);
		KASSERT(at == level); /* mapping over a large page is the caller's bug */
		if (level == 0 && large && napot && IS_ALIGNED(va | pa, NAPOT_SIZE) &&
		    len >= NAPOT_SIZE) {
			write_napot(pte, pa, attr);
			*count_of(table) += 16;
			size = NAPOT_SIZE;
		} else {
			KASSERT(!(*pte & PTE_V));
			*pte = PA_TO_PTE(pa) | attr | PTE_V;
			(*count_of(table))++;
		}
		va += size;
		pa += size;
		len -= size;
	}
}

/*
 * The level-0 entry for va and (in *table) the table holding it, or NULL
 * where a table above it is missing or a large leaf maps va: the 4 KiB
 * paths' walk, with nothing to fill in and nothing to record.
 */
static inline uint64_t *page_slot(paddr_t root, vaddr_t va, paddr_t *table)
{
	paddr_t t = root;

	for (int l = 2; l > 0; l--) {
		uint64_t e = user_table(t)[SV39_VPN(va, l)];
		if ((e & (PTE_V | PTE_R | PTE_W | PTE_X)) != PTE_V)
			return NULL;
		t = PTE_TO_PA(e);
	}
	*table = t;
	return &user_table(t)[SV39_VPN(va, 0)];
}

static __attribute__((noinline)) bool map_one_leaf(paddr_t root, vaddr_t va, paddr_t pa, size_t len,
						   uint64_t attr, bool large,
						   struct pt_reserve *res)
{
	int level = chunk_level(root, va, pa, len, large), at;
	paddr_t table;

	if (SV39_LEVEL_SIZE(level) != len)
		return false;
	uint64_t *slot = walk(root, 2, va, level, NULL, &at, &table);
	if (at != level) {
		KASSERT(!(*slot & PTE_V)); /* a large leaf above: the caller's bug */
		if ((size_t)(at - level) > res->n)
			return false; /* tables to allocate: the two-phase path does that */
		slot = walk(table, at, va, level, res, &at, &table); /* on from where it stopped */
	}
	KASSERT(!(*slot & PTE_V));
	*slot = PA_TO_PTE(pa) | attr | PTE_V;
	(*count_of(table))++;
	return true;
}

bool pt_map_one_leaf(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
		     struct pt_reserve *res)
{
	paddr_t table;
	uint64_t *slot;

	if (len != PAGE_SIZE || !(slot = page_slot(root, va, &table)))
		return map_one_leaf(root, va, pa, len, attr, large, res);
	KASSERT(!(*slot & PTE_V));
	*slot = PA_TO_PTE(pa) | attr | PTE_V;
	(*user_count(table))++;
	return true;
}

int pt_map(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
	   const struct pt_ops *ops)
{
	struct pt_reserve res = {0};

	if (pt_reserve(root, va, pa, len, large, ops, &res))
		return -1;
	pt_write(root, va, pa, len, attr, large, &res);
	KASSERT(res.head == 0);
	return 0;
}

/* How many tables splitting the leaf around va down to a boundary at va takes (NAPOT: none). */
static size_t split_count(paddr_t root, vaddr_t va)
{
	int level;
	size_t n = 0;
	if (!pt_lookup(root, va, &level))
		return 0;
	for (; level > 0 && !IS_ALIGNED(va, SV39_LEVEL_SIZE(level)); level--)
		n++;
	return n;
}

/* Replace the large leaf *pte (at `level`) by a table of leaves one level down. */
static void split_leaf(uint64_t *pte, int level, struct pt_reserve *res)
{
	paddr_t table = reserve_take(res);
	uint64_t *t = paddr_to_kva(table);
	uint64_t step = SV39_LEVEL_SIZE(level - 1) >> PAGE_SHIFT << PTE_PPN_SHIFT;

	for (int i = 0; i < 512; i++)
		t[i] = *pte + (uint64_t)i * step; /* same attributes, consecutive frames */
	*count_of(table) = 512;
	arch_fence();
	*pte = PA_TO_PTE(table) | PTE_V;
}

/* Turn the NAPOT group starting at pte back into 16 ordinary 4 KiB leaves. */
static void split_napot(uint64_t *pte)
{
	uint64_t base = (pte[0] & ~(PTE_N | PTE_NAPOT_64K)) | PTE_V;
	for (int i = 0; i < 16; i++)
		pte[i] = base + ((uint64_t)i << PTE_PPN_SHIFT);
}

int pt_split_at(paddr_t root, const vaddr_t *vas, int nva, const struct pt_ops *ops)
{
	struct pt_reserve res = {0};
	size_t need = 0;

	for (int i = 0; i < nva; i++)
		need += split_count(root, vas[i]);
	if (reserve_fill(&res, need, ops))
		return -1;
	for (int i = 0; i < nva; i++) {
		int level;
		uint64_t *pte;
		while ((pte = pt_lookup(root, vas[i], &level)) && level > 0 &&
		       !IS_ALIGNED(vas[i], SV39_LEVEL_SIZE(level)))
			split_leaf(pte, level, &res);
		if (pte && (*pte & PTE_N) && !IS_ALIGNED(vas[i], NAPOT_SIZE))
			split_napot(pte - SV39_VPN(vas[i], 0) % 16);
	}
	pt_unreserve(&res, ops); /* two cuts in one large leaf share its first split */
	return 0;
}

/*
 * Visit every leaf inside [va, va+len); the caller has split the leaves
 * at both ends, so each lies wholly inside. `fn` rewrites the PTE.
 */
static void for_each_leaf(paddr_t root, vaddr_t va, size_t len, uint64_t arg,
			  void (*fn)(uint64_t *pte, uint64_t arg))
{
	for (vaddr_t end = va + len; va < end;) {
		int level;
		uint64_t *pte = pt_lookup(root, va, &level);
		if (!pte) {
			va += PAGE_SIZE;
			continue;
		}
		KASSERT(IS_ALIGNED(va, SV39_LEVEL_SIZE(level)) &&
			va + SV39_LEVEL_SIZE(level) <= end);
		fn(pte, arg);
		va += SV39_LEVEL_SIZE(level);
	}
}

static void set_perms(uint64_t *pte, uint64_t perms)
{
	*pte = (*pte & ~(uint64_t)(PTE_R | PTE_W | PTE_X)) | perms;
}

/*
 * Clear the leaves of [va, end) under table `pa` (at `level`) and unlink
 * every table below it that this leaves without entries, onto `freed`.
 * Live-entry counts make "empty" a compare, not a scan of 512 entries.
 */
static void unmap_level(paddr_t pa, int level, vaddr_t va, vaddr_t end, struct pt_reserve *freed)
{
	uint64_t size = SV39_LEVEL_SIZE(level), *t = paddr_to_kva(pa);
	uint16_t *count = count_of(pa);

	/* A table below the root counts its entries: once none is left, nothing is to clear. */
	while (va < end && (level == 2 || *count > 0)) {
		vaddr_t next = ALIGN_DOWN(va, size) + size;
		if (next > end)
			next = end;
		uint64_t *pte = &t[SV39_VPN(va, level)];
		if (PTE_LEAF(*pte)) {
			KASSERT(IS_ALIGNED(va, size) &&
				next - va == size); /* split by the caller */
			*pte = 0;
			(*count)--;
		} else if (*pte & PTE_V) {
			paddr_t child = PTE_TO_PA(*pte);
			unmap_level(child, level - 1, va, next, freed);
			if (*count_of(child) == 0) {
				*pte = 0;
				(*count)--;
				reserve_put(freed, child); /* all zero: fit to be reused as is */
			}
		}
		va = next;
	}
}

/*
 * Unlink the level-0 table `table` from va's level-1 entry onto `freed`,
 * if it is still there and empty, and the level-1 table if that empties it.
 */
static void idle_unlink(paddr_t root, paddr_t table, vaddr_t va, struct pt_reserve *freed)
{
	int at;
	paddr_t mid;
	uint64_t *pte = walk(root, 2, va, 1, NULL, &at, &mid);

	if (at != 1 || !(*pte & PTE_V) || PTE_LEAF(*pte) || PTE_TO_PA(*pte) != table ||
	    *count_of(table) != 0)
		return; /* a stale slot: the table was refilled, or unlinked already */
	*pte = 0;
	reserve_put(freed, table);
	if (--*count_of(mid) == 0) {
		((uint64_t *)paddr_to_kva(root))[SV39_VPN(va, 2)] = 0;
		(*count_of(root))--;
		reserve_put(freed, mid);
	}
}

/* idle_keep for a table not kept yet: into the next slot, unlinking the oldest for room. */
static __attribute__((noinline)) void idle_add(paddr_t root, struct pt_idle *idle, paddr_t table,
					       vaddr_t va, struct pt_reserve *freed)
{
	unsigned i = idle->next;
	idle->next = (i + 1) % PT_IDLE_TABLES;
	if (idle->table[i])
		idle_unlink(root, idle->table[i], idle->va[i], freed);
	idle->table[i] = table;
	idle->va[i] = va;
}

/* Record the emptied, still linked level-0 table at va in idle. */
static inline void idle_keep(paddr_t root, struct pt_idle *idle, paddr_t table, vaddr_t va,
			     struct pt_reserve *freed)
{
	for (int i = 0; i < PT_IDLE_TABLES; i++)
		if (idle->table[i] == table) {
			idle->va[i] = va; /* kept before: where it is linked now */
			return;
		}
	idle_add(root, idle, table, va, freed);
}

/*
 * Is [va, va+len) exactly one leaf? Then clear it and unlink the tables
 * that leaves empty, bottom up along the path walked down: no recursion
 * and no loop over the range. False, with nothing changed, otherwise.
 */
static bool unmap_one_leaf(paddr_t root, vaddr_t va, size_t len, struct pt_reserve *freed)
{
	paddr_t table[SV39_LEVELS];
	uint64_t *slot[SV39_LEVELS];
	int l = 2;

	for (paddr_t t = root;; l--) {
		table[l] = t;
		slot[l] = &((uint64_t *)paddr_to_kva(t))[SV39_VPN(va, l)];
		if (!(*slot[l] & PTE_V) || PTE_LEAF(*slot[l]))
			break;
		t = PTE_TO_PA(*slot[l]);
	}
	if (!PTE_LEAF(*slot[l]) || (*slot[l] & PTE_N) || len != SV39_LEVEL_SIZE(l) ||
	    !IS_ALIGNED(va, len))
		return false;
	*slot[l] = 0;
	while (--*count_of(table[l]) == 0 && l < 2) {
		reserve_put(freed, table[l]); /* all zero: fit to be reused as is */
		*slot[++l] = 0;
	}
	return true;
}

/* What pt_unmap leaves to the general paths: unlinking every table it empties. */
static __attribute__((noinline)) void unmap(paddr_t root, vaddr_t va, size_t len,
					    struct pt_reserve *freed)
{
	if (!unmap_one_leaf(root, va, len, freed))
		unmap_level(root, 2, va, va + len, freed);
}

void pt_unmap(paddr_t root, vaddr_t va, size_t len, struct pt_reserve *freed, struct pt_idle *idle)
{
	paddr_t table;
	uint64_t *slot;

	if (len != PAGE_SIZE || !idle || !(slot = page_slot(root, va, &table)) ||
	    !(*slot & PTE_V) || (*slot & PTE_N)) {
		unmap(root, va, len, freed);
		return;
	}
	*slot = 0; /* one 4 KiB leaf; its table stays linked if this empties it (idle) */
	if (--*user_count(table) == 0)
		idle_keep(root, idle, table, va, freed);
}

void pt_idle_evict(paddr_t root, struct pt_idle *idle, vaddr_t va, size_t len,
		   struct pt_reserve *freed)
{
	for (int i = 0; i < PT_IDLE_TABLES; i++) {
		vaddr_t base = ALIGN_DOWN(idle->va[i], SV39_LEVEL_SIZE(1));
		if (idle->table[i] && base < va + len && base + SV39_LEVEL_SIZE(1) > va) {
			idle_unlink(root, idle->table[i], idle->va[i], freed);
			idle->table[i] = 0;
		}
	}
}

void pt_protect(paddr_t root, vaddr_t va, size_t len, uint64_t perms)
{
	KASSERT(perms & (PTE_R | PTE_W | PTE_X)); /* a leaf without them would read as a table */
	for_each_leaf(root, va, len, perms, set_perms);
}

/*
 * Free the tables below `table`, whose count says how many of its first
 * `entries` entries are valid (a root's counts its user half only).
 */
static void free_level(paddr_t table, int entries, const struct pt_ops *ops)
{
	uint64_t *t = paddr_to_kva(table);

	for (int i = 0, left = *count_of(table); left > 0; i++) {
		KASSERT(i < entries); /* a count that is wrong must not free the kernel's tables */
		if (!(t[i] & PTE_V))
			continue;
		left--;
		if (!PTE_LEAF(t[i])) {
			free_level(PTE_TO_PA(t[i]), 512, ops);
			ops->free(PTE_TO_PA(t[i]));
		}
	}
}

void pt_destroy_user(paddr_t root, const struct pt_ops *ops)
{
	free_level(root, 256, ops);
	ops->free(root);
}

uint64_t *pt_lookup(paddr_t root, vaddr_t va, int *level)
{
	paddr_t holder;
	uint64_t *pte = walk(root, 2, va, 0, NULL, level, &holder);
	return PTE_LEAF(*pte) ? pte : NULL; /* a level-0 entry that is valid is a leaf */
}
