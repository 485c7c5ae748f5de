/*
 * MMU contexts: what a hart needs to run an address space — its root
 * table and an ASID — and which harts may cache its translations.
 *
 * ASIDs are handed out in generations. A context gets a free ASID of the
 * current generation when a hart first runs it in that generation. When
 * none is free the generation ends: the contexts the harts run keep their
 * ASIDs into the new one, every other number is free again, and each hart
 * flushes its whole TLB before it next loads a context. An ASID is never
 * freed before that, so a context that goes away leaves nothing to flush,
 * and two live contexts never share an ASID within a generation. With too
 * few ASID bits to be worth it (fewer than two per hart) every context
 * runs under ASID 0, and a hart flushes everything when it switches.
 */
#ifndef ZIRV_MMU_CTX_H
#define ZIRV_MMU_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "sched.h"

struct mmu_ctx {
	uint64_t satp;	/* Sv39, its ASID and its root table's page number */
	uint64_t id;	/* generation << 16 | ASID; 0 before it first runs */
	uint64_t harts; /* bit i: hart index i may cache its translations */
};

#define MMU_CTX_GEN_SHIFT 16

/* A context for the root table at `root` (a physical address), not yet run anywhere. */
static inline struct mmu_ctx mmu_ctx_new(paddr_t root)
{
	return (struct mmu_ctx){.satp = SATP_MODE_SV39 | root >> PAGE_SHIFT};
}

/* Use up to `bits` ASID bits (those the hart implements) with `ncpus` harts; 0: ASID 0 only. */
void mmu_ctx_setup(uint32_t bits, uint32_t ncpus);
/* The ASID bits in use (0: everything under ASID 0). */
uint32_t mmu_ctx_asid_bits(void);
/* Generations ended since boot. */
uint64_t mmu_ctx_rollovers(void);

/* The ASID the context's translations are tagged with (what a flush names). */
static inline uint16_t mmu_ctx_asid(const struct mmu_ctx *m)
{
	return (uint16_t)(m->id & SATP_ASID_MASK);
}

/* mmu_ctx_enter's way when m's ASID is of an ended generation, or c must flush. */
uint64_t mmu_ctx_enter_slow(struct mmu_ctx *m, struct cpu *c);
extern uint64_t mmu_ctx_generation;
#ifdef ZIRV_LOCK_CHECK
void mmu_ctx_check(void);
#else
static inline void mmu_ctx_check(void) {}
#endif

/*
 * Hart c is about to run m: its satp value, once c has flushed what it
 * must — everything if a generation ended since c last flushed, m's ASID
 * if c was off m's list of harts (kernel/sched.c's switch; under ASID 0
 * alone the switch flushes whenever satp changes). Inline: every switch.
 */
static inline uint64_t mmu_ctx_enter(struct mmu_ctx *m, struct cpu *c)
{
	if (__builtin_expect(m->id >> MMU_CTX_GEN_SHIFT != mmu_ctx_generation || c->mmu_flush ||
				 !(m->harts & 1ul << c->index),
			     0))
		return mmu_ctx_enter_slow(m, c);
	c->mmu_running = m;
	mmu_ctx_check();
	return m->satp;
}
/* Hart c now runs no context of its own (the kernel's satp). */
static inline void mmu_ctx_leave(struct cpu *c)
{
	c->mmu_running = NULL;
}

#endif
