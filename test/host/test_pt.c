/*
 * The Sv39 page-table code (mm/pt.c) on the host, with the fake arch:
 * tables live in ordinary memory and a "physical address" is a host
 * pointer. Checks large leaves, exact table counts, splitting, unmap,
 * protect, and that running out of memory changes nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "mm/pt.h"

unsigned long fake_fences, fake_tlb_flushes;
static int failures;
static long allocs, frees, fail_after = -1;

void *paddr_to_kva(paddr_t pa)
{
	return (void *)pa;
}

/* A table's live-entry count sits in the spare page fake_alloc puts after each table. */
uint16_t *pt_count(paddr_t table)
{
	return (uint16_t *)(table + PAGE_SIZE);
}

/* Every table's count equals the valid entries in it (and so in every table below). */
static int count_errors(paddr_t pa, int level)
{
	uint64_t *t = (uint64_t *)pa;
	int valid = 0, bad = 0;
	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_V))
			continue;
		valid++;
		if (!PTE_LEAF(t[i]) && level > 0)
			bad += count_errors(PTE_TO_PA(t[i]), level - 1);
	}
	return bad + (*pt_count(pa) != valid);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

static paddr_t fake_alloc(void)
{
	if (fail_after == 0)
		return 0;
	if (fail_after > 0)
		fail_after--;
	void *p = aligned_alloc(PAGE_SIZE, 2 * PAGE_SIZE); /* the table, then its count */
	memset(p, 0xa5, 2 * PAGE_SIZE); /* pt.c must zero what it takes and set its count */
	allocs++;
	return (paddr_t)p;
}

static void fake_free(paddr_t pa)
{
	frees++;
	free((void *)pa);
}

static const struct pt_ops ops = {fake_alloc, fake_free};

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static paddr_t new_root(void)
{
	paddr_t r = fake_alloc();
	memset((void *)r, 0, PAGE_SIZE);
	*pt_count(r) = 0;
	return r;
}

/* The PA va translates to, or ~0 if unmapped. */
static paddr_t translate(paddr_t root, vaddr_t va, int *level)
{
	uint64_t *pte = pt_lookup(root, va, level);
	if (!pte)
		return ~0ul;
	return pt_leaf_pa(*pte, *level, va);
}

/* Hash of the whole tree (every table's bytes), to prove "nothing changed". */
static uint64_t tree_hash(uint64_t *t, int level)
{
	uint64_t h = 1469598103934665603ul;
	for (int i = 0; i < 512; i++) {
		h = (h ^ t[i]) * 1099511628211ul;
		if ((t[i] & PTE_V) && !PTE_LEAF(t[i]) && level > 0)
			h ^= tree_hash((uint64_t *)PTE_TO_PA(t[i]), level - 1);
	}
	return h;
}

static const uint64_t RW = PTE_R | PTE_W | PTE_A | PTE_D | PTE_U;

/*
 * pt_unmap (keeping emptied tables in idle, if given), then free what it
 * unlinked (as vmar.c does after its TLB flush); returns that count.
 */
static long unmap_idle(paddr_t root, vaddr_t va, size_t len, struct pt_idle *idle)
{
	struct pt_reserve freed = {0};
	pt_unmap(root, va, len, &freed, idle);
	long n = (long)freed.n;
	pt_unreserve(&freed, &ops);
	return n;
}

static long unmap(paddr_t root, vaddr_t va, size_t len)
{
	return unmap_idle(root, va, len, NULL);
}

static void test_gigapage(void)
{
	paddr_t root = new_root();
	long before = allocs;
	int level;
	CHECK(pt_map(root, 0x40000000, 0xc0000000, GB_1, RW, true, &ops) == 0);
	CHECK(allocs == before); /* one root entry, no tables */
	CHECK(translate(root, 0x40000000 + 0x12345678, &level) == 0xc0000000 + 0x12345678);
	CHECK(level == 2);
	/* Split at a 4 KiB boundary inside: 1 GiB → 2 MiB leaves → 4 KiB leaves. */
	vaddr_t at[2] = {0x40000000 + 0x200000 + 0x3000, 0x40000000 + 0x200000 + 0x4000};
	before = allocs - frees;
	CHECK(pt_split_at(root, at, 2, &ops) == 0);
	CHECK(allocs - frees == before + 2); /* 1G→2M table, one 2M→4K table, shared by both cuts */
	for (vaddr_t va = 0x40000000; va < 0x40000000 + GB_1; va += 0x1ff000)
		CHECK(translate(root, va, &level) == va - 0x40000000 + 0xc0000000);
	CHECK(unmap(root, at[0], PAGE_SIZE) == 0); /* its neighbours keep the tables */
	CHECK(translate(root, at[0], &level) == ~0ul);
	CHECK(translate(root, at[0] - PAGE_SIZE, &level) ==
	      at[0] - PAGE_SIZE - 0x40000000 + 0xc0000000);
	CHECK(translate(root, at[1], &level) == at[1] - 0x40000000 + 0xc0000000);
	pt_protect(root, at[1], PAGE_SIZE, PTE_R);
	CHECK((*pt_lookup(root, at[1], &level) & (PTE_R | PTE_W | PTE_X)) == PTE_R);
	CHECK((*pt_lookup(root, at[1] + PAGE_SIZE, &level) & PTE_W) == PTE_W);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

static void test_megapages_and_counts(void)
{
	paddr_t root = new_root();
	long before = allocs;
	int level;
	/* 2 MiB-aligned 6 MiB: one L1 table, three 2 MiB leaves. */
	CHECK(pt_map(root, 0x800000, 0x90000000, 6 << 20, RW, true, &ops) == 0);
	CHECK(allocs == before + 1);
	CHECK(translate(root, 0x800000 + (5 << 20), &level) == 0x90000000 + (5 << 20) &&
	      level == 1);
	/* 4 KiB pages straddling a 1 GiB boundary: each GiB region needs its own L1 and L0. */
	before = allocs;
	CHECK(pt_map(root, GB_1 * 3 - PAGE_SIZE, 0x1000000, 2 * PAGE_SIZE, RW, false, &ops) == 0);
	CHECK(allocs == before + 4);
	CHECK(translate(root, GB_1 * 3, &level) == 0x1000000 + PAGE_SIZE && level == 0);
	/* Misaligned PA forbids large leaves even when the VA is aligned. */
	before = allocs;
	CHECK(pt_map(root, 0x40000000, 0x90001000, 2 << 20, RW, true, &ops) == 0);
	CHECK(translate(root, 0x40000000, &level) == 0x90001000 && level == 0);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

static void test_out_of_memory(void)
{
	paddr_t root = new_root();
	CHECK(pt_map(root, 0x200000, 0x80000000, PAGE_SIZE, RW, false, &ops) == 0);
	for (long budget = 0; budget < 3; budget++) {
		uint64_t h = tree_hash((uint64_t *)root, 2);
		long a = allocs, f = frees;
		fail_after = budget;
		/* Needs 4 tables (an L1 and an L0 in each of two new GiB regions). */
		CHECK(pt_map(root, 5 * GB_1 - PAGE_SIZE, 0x2000, 2 * PAGE_SIZE, RW, false, &ops) ==
		      -1);
		fail_after = -1;
		CHECK(tree_hash((uint64_t *)root, 2) == h);
		CHECK(allocs - a == frees - f); /* every table taken was given back */
	}
	/* A split that cannot get its tables changes nothing either. */
	CHECK(pt_map(root, 8 * GB_1, 0x100000000, GB_1, RW, true, &ops) == 0);
	uint64_t h = tree_hash((uint64_t *)root, 2);
	vaddr_t at = 8 * GB_1 + 0x5000;
	fail_after = 1; /* needs two */
	CHECK(pt_split_at(root, &at, 1, &ops) == -1);
	fail_after = -1;
	CHECK(tree_hash((uint64_t *)root, 2) == h);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

/* Unmapping the last page under a table frees it, so a large leaf fits there again. */
static void test_remap_over_emptied_table(void)
{
	paddr_t root = new_root();
	int level;
	CHECK(pt_map(root, 0x800000000, 0x2000, PAGE_SIZE, RW, false, &ops) == 0);
	CHECK(unmap(root, 0x800000000, PAGE_SIZE) == 2); /* its L0 and L1 tables */
	CHECK(((uint64_t *)root)[SV39_VPN(0x800000000, 2)] == 0);
	CHECK(pt_map(root, 0x800000000, 0x40000000, 4 << 20, RW, true, &ops) == 0);
	CHECK(translate(root, 0x800000000, &level) == 0x40000000 && level == 1);
	CHECK(translate(root, 0x800000000 + (3 << 20), &level) == 0x40000000 + (3 << 20) &&
	      level == 1);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

/*
 * Map and unmap one page at thousands of places across the user range, at
 * 2 MiB and 1 GiB strides: afterwards only the root is left, every table
 * taken was given back, and a table shared with a live page survives.
 */
static void test_churn_reclaims_tables(void)
{
	paddr_t root = new_root();
	long live = allocs - frees;
	CHECK(pt_map(root, 0x10000, 0x1000, PAGE_SIZE, RW, false, &ops) == 0); /* stays */
	long with_one = allocs - frees;
	for (int i = 0; i < 20000; i++) {
		vaddr_t va =
		    ((vaddr_t)i * (2ul << 20) + (vaddr_t)(i % 7) * GB_1 * 31) % (1ul << 38);
		if (va < (2ul << 20))
			continue; /* the live page's tables */
		CHECK(pt_map(root, va, 0x3000, PAGE_SIZE, RW, false, &ops) == 0);
		unmap(root, va, PAGE_SIZE);
		if (allocs - frees != with_one) {
			CHECK(allocs - frees == with_one);
			break;
		}
	}
	int level;
	CHECK(translate(root, 0x10000, &level) == 0x1000);
	CHECK(unmap(root, 0x10000, PAGE_SIZE) == 2);
	CHECK(allocs - frees == live);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

static int idle_used(const struct pt_idle *idle)
{
	int n = 0;
	for (int i = 0; i < PT_IDLE_TABLES; i++)
		n += idle->table[i] != 0;
	return n;
}

/*
 * Idle tables: a one-page unmap leaves its emptied level-0 table linked,
 * the next map there needs no table, the oldest of PT_IDLE_TABLES makes
 * room, a stale slot (its table refilled or unlinked another way) unlinks
 * nothing, and pt_idle_evict clears the way for a gigabyte leaf.
 */
static void test_idle_tables(void)
{
	paddr_t root = new_root();
	struct pt_idle idle = {0};
	struct pt_reserve none = {0};
	const vaddr_t a = 0x800000000, mb2 = 2ul << 20;
	int level;

	CHECK(pt_map(root, a, 0x2000, PAGE_SIZE, RW, false, &ops) == 0);
	uint64_t *l1 = (uint64_t *)PTE_TO_PA(((uint64_t *)root)[SV39_VPN(a, 2)]);
	paddr_t l0 = PTE_TO_PA(l1[SV39_VPN(a, 1)]);
	CHECK(unmap_idle(root, a, PAGE_SIZE, &idle) == 0);
	CHECK(translate(root, a, &level) == ~0ul);
	CHECK(idle.table[0] == l0 && idle_used(&idle) == 1 && *pt_count(l0) == 0);
	long before = allocs;
	CHECK(pt_map_one_leaf(root, a + 0x1000, 0x3000, PAGE_SIZE, RW, false, &none));
	CHECK(allocs == before && translate(root, a + 0x1000, &level) == 0x3000);
	CHECK(unmap_idle(root, a + 0x1000, PAGE_SIZE, &idle) == 0);
	CHECK(idle_used(&idle) == 1); /* the same table, kept once */
	CHECK(count_errors(root, 2) == 0);

	/* four more regions: the fifth table unlinks the oldest, a's */
	for (int k = 1; k <= PT_IDLE_TABLES; k++) {
		CHECK(pt_map(root, a + k * mb2, 0x4000, PAGE_SIZE, RW, false, &ops) == 0);
		CHECK(unmap_idle(root, a + k * mb2, PAGE_SIZE, &idle) == (k == PT_IDLE_TABLES));
	}
	CHECK(l1[SV39_VPN(a, 1)] == 0 && idle_used(&idle) == PT_IDLE_TABLES);
	CHECK(count_errors(root, 2) == 0);

	/* stale slots: region 1's table refilled, region 2's unlinked without idle */
	CHECK(pt_map(root, a + mb2, 0x5000, PAGE_SIZE, RW, false, &ops) == 0);
	CHECK(pt_map(root, a + 2 * mb2, 0x5000, PAGE_SIZE, RW, false, &ops) == 0);
	CHECK(unmap(root, a + 2 * mb2, PAGE_SIZE) == 1);
	struct pt_reserve freed = {0};
	pt_idle_evict(root, &idle, a, 4 * mb2, &freed); /* regions 1 to 3 only */
	CHECK(freed.n == 1); /* region 3's: region 1's is in use, region 2's gone */
	CHECK(translate(root, a + mb2, &level) == 0x5000);
	CHECK(idle_used(&idle) == 1 && count_errors(root, 2) == 0);
	pt_unreserve(&freed, &ops);

	/* the last idle table and the page left: then a gigabyte leaf fits */
	CHECK(unmap(root, a + mb2, PAGE_SIZE) == 1);
	pt_idle_evict(root, &idle, a, GB_1, &freed);
	CHECK(freed.n == 2 && idle_used(&idle) == 0); /* region 4's table and the level-1 one */
	pt_unreserve(&freed, &ops);
	CHECK(((uint64_t *)root)[SV39_VPN(a, 2)] == 0 && *pt_count(root) == 0);
	CHECK(pt_map(root, a, 0x40000000, GB_1, RW, true, &ops) == 0);
	CHECK(translate(root, a + 0x1234, &level) == 0x40001234 && level == 2);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

/* Churn with idle tables: never more than PT_IDLE_TABLES level-0 tables (and their level-1 ones)
 * kept. */
static void test_idle_churn(void)
{
	paddr_t root = new_root();
	struct pt_idle idle = {0};
	long live = allocs - frees;
	for (int i = 0; i < 20000; i++) {
		vaddr_t va =
		    ((vaddr_t)i * (2ul << 20) + (vaddr_t)(i % 7) * GB_1 * 31) % (1ul << 38);
		CHECK(pt_map(root, va + (vaddr_t)(i % 3) * PAGE_SIZE, 0x3000, PAGE_SIZE, RW, false,
			     &ops) == 0);
		unmap_idle(root, va + (vaddr_t)(i % 3) * PAGE_SIZE, PAGE_SIZE, &idle);
		if (allocs - frees > live + 2 * PT_IDLE_TABLES) {
			CHECK(allocs - frees <= live + 2 * PT_IDLE_TABLES);
			break;
		}
	}
	CHECK(count_errors(root, 2) == 0);
	struct pt_reserve freed = {0};
	pt_idle_evict(root, &idle, 0, 1ul << 38, &freed);
	pt_unreserve(&freed, &ops);
	CHECK(allocs - frees == live && idle_used(&idle) == 0);
	pt_destroy_user(root, &ops);
}

/* Split, unmap everything, map a gigabyte there again: every page translates. */
static void test_remap_after_split(void)
{
	paddr_t root = new_root();
	vaddr_t va = 4 * GB_1, cut[2] = {va + 0x12345000, va + 0x12346000};
	int level;
	CHECK(pt_map(root, va, 0x40000000, GB_1, RW, true, &ops) == 0);
	CHECK(pt_split_at(root, cut, 2, &ops) == 0);
	pt_protect(root, cut[0], PAGE_SIZE, PTE_R);
	CHECK(unmap(root, va, GB_1) == 2); /* the tables the split made */
	CHECK(translate(root, va + GB_1 - 8, &level) == ~0ul);
	CHECK(pt_map(root, va, 0x80000000, GB_1, RW, true, &ops) == 0);
	for (uint64_t off = 0; off < GB_1; off += 0x1000 * 97)
		CHECK(translate(root, va + off, &level) == 0x80000000 + off);
	CHECK(translate(root, va + GB_1 - 8, &level) == 0x80000000 + GB_1 - 8);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

/* The one-walk path: only a single leaf under existing tables, else nothing changes. */
static void test_one_leaf(void)
{
	paddr_t root = new_root();
	int level;
	uint64_t h = tree_hash((uint64_t *)root, 2);
	struct pt_reserve none = {0};
	CHECK(!pt_map_one_leaf(root, 0x7000, 0x5000, PAGE_SIZE, RW, false, &none)); /* no tables */
	CHECK(tree_hash((uint64_t *)root, 2) == h);
	CHECK(pt_map(root, 0x6000, 0x4000, PAGE_SIZE, RW, false, &ops) == 0);
	long before = allocs;
	CHECK(pt_map_one_leaf(root, 0x7000, 0x5000, PAGE_SIZE, RW, false, &none));
	CHECK(allocs == before);
	CHECK(translate(root, 0x7123, &level) == 0x5123 && level == 0);
	h = tree_hash((uint64_t *)root, 2);
	CHECK(!pt_map_one_leaf(root, 0x8000, 0x6000, 2 * PAGE_SIZE, RW, false,
			       &none)); /* two leaves */
	CHECK(!pt_map_one_leaf(root, 0x40000000, 0x80000000, GB_1, RW, false,
			       &none)); /* 4K leaves only */
	CHECK(tree_hash((uint64_t *)root, 2) == h);
	/* a gigabyte that fits one root-level leaf needs no table at all */
	CHECK(pt_map_one_leaf(root, 0x40000000, 0x80000000, GB_1, RW, true, &none));
	CHECK(translate(root, 0x40000000 + 0x123456, &level) == 0x80123456 && level == 2);
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

/*
 * Svnapot: a 64 KiB-aligned run becomes NAPOT groups, bit for bit (16
 * identical PTEs, N set, ppn[3:0] = 1000, the group's base frame above);
 * a cut inside a group turns it into exact 4 KiB leaves; without Svnapot,
 * or for a run that is not 64 KiB aligned, bit 63 stays 0.
 */
static void test_napot(void)
{
	paddr_t root = new_root();
	vaddr_t va = 0x2000000000 + 0x30000; /* 64 KiB aligned, not 2 MiB */
	paddr_t pa = 0x90010000;
	int level;
	pt_set_napot(true);
	CHECK(pt_map(root, va, pa, 0x40000, RW, true, &ops) == 0); /* four groups */
	uint64_t *first = pt_lookup(root, va, &level);
	for (int g = 0; g < 4; g++) {
		uint64_t want = PA_TO_PTE(pa + (uint64_t)g * NAPOT_SIZE) | (8ul << 10) |
				(1ul << 63) | RW | PTE_V;
		for (int i = 0; i < 16; i++)
			CHECK(first[g * 16 + i] == want);
	}
	CHECK(*pt_count((paddr_t)first & ~PAGE_MASK) == 64);
	for (uint64_t off = 0; off < 0x40000; off += 0x1000 + 8)
		CHECK(translate(root, va + off, &level) == pa + off && level == 0);
	/* protect a page in the second group: that group alone becomes plain leaves */
	vaddr_t cut[2] = {va + NAPOT_SIZE + 0x3000, va + NAPOT_SIZE + 0x4000};
	long before = allocs;
	CHECK(pt_split_at(root, cut, 2, &ops) == 0);
	CHECK(allocs == before); /* no table needed */
	for (int i = 0; i < 16; i++)
		CHECK(first[16 + i] ==
		      (PA_TO_PTE(pa + NAPOT_SIZE + (uint64_t)i * PAGE_SIZE) | RW | PTE_V));
	CHECK(first[0] & (1ul << 63) && first[32] & (1ul << 63)); /* the others stay NAPOT */
	pt_protect(root, cut[0], PAGE_SIZE, PTE_R);
	CHECK(translate(root, cut[0], &level) == pa + NAPOT_SIZE + 0x3000);
	CHECK((first[19] & (PTE_R | PTE_W)) == PTE_R && (first[20] & PTE_W));
	CHECK(unmap(root, va, 0x40000) == 2); /* the L0 and L1 tables */
	CHECK(count_errors(root, 2) == 0);
	/* va and pa never 64 KiB aligned together, or Svnapot off: no N bit anywhere */
	CHECK(pt_map(root, va + 0x1000, pa + 0x2000, 0x20000, RW, true, &ops) == 0);
	for (vaddr_t p = va + 0x1000; p < va + 0x21000; p += PAGE_SIZE)
		CHECK(!(*pt_lookup(root, p, &level) & (1ul << 63)));
	unmap(root, va + 0x1000, 0x20000);
	pt_set_napot(false);
	CHECK(pt_map(root, va, pa, 0x40000, RW, true, &ops) == 0);
	for (vaddr_t p = va; p < va + 0x40000; p += PAGE_SIZE)
		CHECK(!(*pt_lookup(root, p, &level) & (1ul << 63)));
	CHECK(count_errors(root, 2) == 0);
	pt_destroy_user(root, &ops);
}

int main(void)
{
	test_napot();
	test_one_leaf();
	test_remap_after_split();
	test_remap_over_emptied_table();
	test_churn_reclaims_tables();
	test_idle_tables();
	test_idle_churn();
	test_gigapage();
	test_megapages_and_counts();
	test_out_of_memory();
	CHECK(allocs == frees); /* pt_destroy_user freed every table */
	printf("%s (%ld tables allocated and freed)\n", failures ? "FAILED" : "ok", allocs);
	return failures ? 1 : 0;
}
