#include <string.h>

#include "kernel.h"
#include "mmu_ctx.h"
#include "sched.h"

#define ASIDS (1u << 16)

static uint32_t asid_bits;
uint64_t mmu_ctx_generation = 1;
static uint64_t rollovers;
static uint64_t used[ASIDS / 64]; /* ASIDs of this generation; bit 0 (the kernel's) always */
static uint32_t next_free = 1;

void mmu_ctx_setup(uint32_t bits, uint32_t ncpus)
{
	/* A generation must have room beyond the ASIDs the harts keep across its end. */
	asid_bits = bits && (1u << bits) - 1 >= 2 * ncpus ? bits : 0;
	used[0] = 1;
}

uint32_t mmu_ctx_asid_bits(void)
{
	return asid_bits;
}

uint64_t mmu_ctx_rollovers(void)
{
	return rollovers;
}

static bool asid_used(uint32_t a)
{
	return used[a / 64] & (1ul << (a % 64));
}

static void use_asid(uint32_t a)
{
	used[a / 64] |= 1ul << (a % 64);
}

/* A free ASID of this generation, searching on from the last one given; 0 if none. */
static uint32_t find_free(void)
{
	uint32_t n = 1u << asid_bits;
	for (uint32_t tries = 0; tries < n; tries++, next_free = (next_free + 1) % n)
		if (next_free && !asid_used(next_free))
			return next_free;
	return 0;
}

/*
 * The generation ends: the contexts the harts run now keep their ASIDs
 * (renewed at once, so a hart's satp always holds its context's current
 * ASID), every other ASID is free, and every hart must flush everything
 * before it loads a context again.
 */
static void end_generation(void)
{
	mmu_ctx_generation++;
	rollovers++;
	memset(used, 0, sizeof(used));
	used[0] = 1;
	for (uint32_t i = 0; i < CPU_MAX; i++) {
		struct mmu_ctx *m = cpus[i].mmu_running;
		if (m) {
			m->id = mmu_ctx_generation << MMU_CTX_GEN_SHIFT | mmu_ctx_asid(m);
			use_asid(mmu_ctx_asid(m)); /* its satp stays as it is */
		}
		cpus[i].mmu_flush = true;
	}
}

/* m's ASID is of an earlier generation, and no hart runs m: give it one of this one. */
static void renew(struct mmu_ctx *m)
{
	uint32_t a = find_free();
	if (!a) {
		end_generation();
		a = find_free(); /* there is room: setup left more ASIDs than twice the harts */
	}
	KASSERT(a);
	use_asid(a);
	m->id = mmu_ctx_generation << MMU_CTX_GEN_SHIFT | a;
	m->satp = (m->satp & ~(SATP_ASID_MASK << SATP_ASID_SHIFT)) | (uint64_t)a << SATP_ASID_SHIFT;
}

#ifdef ZIRV_LOCK_CHECK
/*
 * The lock-checking kernel also checks the ASIDs: every context a hart runs
 * is of this generation, and two harts run the same ASID only for the same
 * context.
 */
void mmu_ctx_check(void)
{
	for (uint32_t i = 0; i < CPU_MAX; i++) {
		struct mmu_ctx *m = cpus[i].mmu_running;
		if (!m)
			continue;
		if (m->id >> MMU_CTX_GEN_SHIFT != mmu_ctx_generation || !asid_used(mmu_ctx_asid(m)))
			panic("mmu_ctx: hart %u runs an ASID of an ended generation", i);
		for (uint32_t j = i + 1; j < CPU_MAX; j++)
			if (cpus[j].mmu_running && cpus[j].mmu_running != m &&
			    mmu_ctx_asid(cpus[j].mmu_running) == mmu_ctx_asid(m))
				panic("mmu_ctx: harts %u and %u share ASID %u", i, j,
				      mmu_ctx_asid(m));
	}
}
#endif

uint64_t mmu_ctx_enter_slow(struct mmu_ctx *m, struct cpu *c)
{
	KLOCK_HELD();
	uint64_t bit = 1ul << c->index;
	bool stale = !(m->harts & bit); /* flushes of m skipped c while it ran something else */

	m->harts |= bit;
	if (asid_bits && m->id >> MMU_CTX_GEN_SHIFT != mmu_ctx_generation)
		renew(m); /* before m counts as running here: it keeps no ASID yet */
	c->mmu_running = m;
	mmu_ctx_check();
	/* Before satp is written: nothing runs under m's ASID on c until then. */
	if (c->mmu_flush) {
		c->mmu_flush = false;
		sfence_vma_all();
	} else if (stale && mmu_ctx_asid(m)) {
		sfence_vma_asid(mmu_ctx_asid(m));
	}
	return m->satp;
}
