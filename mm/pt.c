#include <string.h>

#include "kernel.h"
#include "mm/kvm.h"
#include "mm/pt.h"

static paddr_t reserve_take(struct pt_reserve *r)
{
	paddr_t pa = r->head;
	KASSERT(pa != 0);
	uint64_t *t = paddr_to_kva(pa);
	r->head = t[0];
	memset(t, 0, PAGE_SIZE);
	return pa;
}

/*
 * Can a leaf at `level` go at va? Not if that slot already holds a table:
 * unmapping clears leaves but keeps their (possibly empty) tables.
 */
static bool slot_free(paddr_t root, vaddr_t va, int level)
{
	uint64_t *table = paddr_to_kva(root);
	for (int l = 2; l >= level; l--) {
		uint64_t pte = table[SV39_VPN(va, l)];
		if (!(pte & PTE_V))
			return true;
		if (l == level || PTE_LEAF(pte))
			return false;
		table = paddr_to_kva(PTE_TO_PA(pte));
	}
	return true;
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

/* The next-level table under *pte, or NULL if the entry is empty. */
static uint64_t *pt_next(uint64_t pte)
{
	if (!(pte & PTE_V))
		return NULL;
	KASSERT(!PTE_LEAF(pte)); /* mapping over a large page is the caller's bug */
	return paddr_to_kva(PTE_TO_PA(pte));
}

/*
 * Phase one: how many tables would mapping [va, va+len) at the levels
 * chunk_level() picks create? Chunks come in address order, so a missing
 * table is counted once: when its region first differs from the last one.
 */
static size_t count_tables(paddr_t root, vaddr_t va, paddr_t pa, size_t len, bool large)
{
	uint64_t last[SV39_LEVELS] = {~0ul, ~0ul, ~0ul};
	size_t need = 0;

	while (len) {
		int level = chunk_level(root, va, pa, len, large);
		uint64_t *table = paddr_to_kva(root);
		for (int l = 2; l > level; l--) {
			uint64_t region = va >> (PAGE_SHIFT + 9 * l);
			uint64_t *next = table ? pt_next(table[SV39_VPN(va, l)]) : NULL;
			if (!next && region != last[l - 1]) {
				last[l - 1] = region;
				need++;
			}
			table = next;
		}
		va += SV39_LEVEL_SIZE(level);
		pa += SV39_LEVEL_SIZE(level);
		len -= SV39_LEVEL_SIZE(level);
	}
	return need;
}

static uint64_t *walk_alloc(paddr_t root, vaddr_t va, int level, struct pt_reserve *res)
{
	uint64_t *table = paddr_to_kva(root);
	for (int l = 2; l > level; l--) {
		uint64_t *pte = &table[SV39_VPN(va, l)];
		if (!(*pte & PTE_V))
			*pte = PA_TO_PTE(reserve_take(res)) | PTE_V;
		table = pt_next(*pte);
	}
	return &table[SV39_VPN(va, level)];
}

int pt_reserve(paddr_t root, vaddr_t va, paddr_t pa, size_t len, bool large,
	       const struct pt_ops *ops, struct pt_reserve *res)
{
	size_t need = count_tables(root, va, pa, len, large);

	KASSERT(IS_ALIGNED(va | pa | len, PAGE_SIZE));
	res->head = 0;
	for (size_t i = 0; i < need; i++) {
		paddr_t t = ops->alloc();
		if (!t) {
			pt_unreserve(res, ops);
			return -1;
		}
		*(uint64_t *)paddr_to_kva(t) = res->head;
		res->head = t;
	}
	return 0;
}

void pt_unreserve(struct pt_reserve *res, const struct pt_ops *ops)
{
	while (res->head)
		ops->free(reserve_take(res));
}

void pt_write(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
	      struct pt_reserve *res)
{
	while (len) {
		int level = chunk_level(root, va, pa, len, large);
		uint64_t *pte = walk_alloc(root, va, level, res);
		KASSERT(!(*pte & PTE_V));
		*pte = PA_TO_PTE(pa) | attr | PTE_V;
		va += SV39_LEVEL_SIZE(level);
		pa += SV39_LEVEL_SIZE(level);
		len -= SV39_LEVEL_SIZE(level);
	}
}

bool pt_map_one_leaf(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large)
{
	int level = chunk_level(root, va, pa, len, large);
	uint64_t *table = paddr_to_kva(root);

	if (SV39_LEVEL_SIZE(level) != len)
		return false;
	for (int l = 2; l > level; l--) {
		uint64_t pte = table[SV39_VPN(va, l)];
		if (!(pte & PTE_V))
			return false; /* a table is missing: the two-phase path allocates it */
		table = pt_next(pte);
	}
	uint64_t *slot = &table[SV39_VPN(va, level)];
	KASSERT(!(*slot & PTE_V));
	*slot = PA_TO_PTE(pa) | attr | PTE_V;
	return true;
}

int pt_map(paddr_t root, vaddr_t va, paddr_t pa, size_t len, uint64_t attr, bool large,
	   const struct pt_ops *ops)
{
	struct pt_reserve res;

	if (pt_reserve(root, va, pa, len, large, ops, &res))
		return -1;
	pt_write(root, va, pa, len, attr, large, &res);
	KASSERT(res.head == 0);
	return 0;
}

/* How many tables splitting the leaf around va down to a boundary at va takes. */
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
	arch_fence();
	*pte = PA_TO_PTE(table) | PTE_V;
}

int pt_split_at(paddr_t root, const vaddr_t *vas, int nva, const struct pt_ops *ops)
{
	struct pt_reserve res = {0};
	size_t need = 0;

	for (int i = 0; i < nva; i++)
		need += split_count(root, vas[i]);
	if (need == 0)
		return 0;
	for (size_t i = 0; i < need; i++) {
		paddr_t t = ops->alloc();
		if (!t) {
			pt_unreserve(&res, ops);
			return -1;
		}
		*(uint64_t *)paddr_to_kva(t) = res.head;
		res.head = t;
	}
	for (int i = 0; i < nva; i++) {
		int level;
		uint64_t *pte;
		while ((pte = pt_lookup(root, vas[i], &level)) && level > 0 &&
		       !IS_ALIGNED(vas[i], SV39_LEVEL_SIZE(level)))
			split_leaf(pte, level, &res);
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
		KASSERT(IS_ALIGNED(va, SV39_LEVEL_SIZE(level)) && va + SV39_LEVEL_SIZE(level) <= end);
		fn(pte, arg);
		va += SV39_LEVEL_SIZE(level);
	}
}

static void set_perms(uint64_t *pte, uint64_t perms)
{
	*pte = (*pte & ~(uint64_t)(PTE_R | PTE_W | PTE_X)) | perms;
}

static bool table_empty(const uint64_t *t)
{
	for (int i = 0; i < 512; i++)
		if (t[i])
			return false; /* the common case: a neighbour is still mapped, found early */
	return true;
}

/*
 * Clear the leaves of [va, end) under `t` (a table at `level`) and unlink
 * every table below it that this leaves empty, onto `freed`.
 */
static void unmap_level(uint64_t *t, int level, vaddr_t va, vaddr_t end, struct pt_reserve *freed)
{
	uint64_t size = SV39_LEVEL_SIZE(level);

	while (va < end) {
		vaddr_t next = ALIGN_DOWN(va, size) + size;
		if (next > end)
			next = end;
		uint64_t *pte = &t[SV39_VPN(va, level)];
		if (PTE_LEAF(*pte)) {
			KASSERT(IS_ALIGNED(va, size) && next - va == size); /* split by the caller */
			*pte = 0;
		} else if (*pte & PTE_V) {
			uint64_t *child = paddr_to_kva(PTE_TO_PA(*pte));
			unmap_level(child, level - 1, va, next, freed);
			if (table_empty(child)) {
				*pte = 0;
				child[0] = freed->head;
				freed->head = kva_to_paddr(child);
			}
		}
		va = next;
	}
}

void pt_unmap(paddr_t root, vaddr_t va, size_t len, struct pt_reserve *freed)
{
	unmap_level(paddr_to_kva(root), 2, va, va + len, freed);
}

void pt_protect(paddr_t root, vaddr_t va, size_t len, uint64_t perms)
{
	KASSERT(perms & (PTE_R | PTE_W | PTE_X)); /* a leaf without them would read as a table */
	for_each_leaf(root, va, len, perms, set_perms);
}

static void free_level(uint64_t *table, int level, bool user_half, const struct pt_ops *ops)
{
	for (int i = 0; i < 512; i++) {
		if (user_half && i >= 256)
			break; /* the kernel half is shared, never freed here */
		uint64_t pte = table[i];
		if ((pte & PTE_V) && !PTE_LEAF(pte)) {
			free_level(paddr_to_kva(PTE_TO_PA(pte)), level - 1, false, ops);
			ops->free(PTE_TO_PA(pte));
		}
	}
}

void pt_destroy_user(paddr_t root, const struct pt_ops *ops)
{
	free_level(paddr_to_kva(root), 2, true, ops);
	ops->free(root);
}

uint64_t *pt_lookup(paddr_t root, vaddr_t va, int *level)
{
	uint64_t *table = paddr_to_kva(root);
	for (int l = 2; l >= 0; l--) {
		uint64_t *pte = &table[SV39_VPN(va, l)];
		if (!(*pte & PTE_V))
			return NULL;
		if (PTE_LEAF(*pte)) {
			*level = l;
			return pte;
		}
		table = paddr_to_kva(PTE_TO_PA(*pte));
	}
	return NULL;
}
