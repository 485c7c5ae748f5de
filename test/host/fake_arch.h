/*
 * The fake arch for host tests (included by kernel/arch.h when
 * ZIRV_FAKE_ARCH is defined): fences and TLB flushes do nothing but count,
 * so mm/ code runs natively against page tables in ordinary host memory.
 */
#ifndef ZIRV_FAKE_ARCH_H
#define ZIRV_FAKE_ARCH_H

#include <stdint.h>

extern unsigned long fake_fences, fake_tlb_flushes;

static inline void arch_fence(void)
{
	fake_fences++;
}
static inline void arch_io_fence(void)
{
	fake_fences++;
}
static inline void sfence_vma_page(uint64_t va, uint64_t asid)
{
	(void)va;
	(void)asid;
	fake_tlb_flushes++;
}
static inline void sfence_vma_va(uint64_t va)
{
	(void)va;
	fake_tlb_flushes++;
}
static inline void sfence_vma_asid(uint64_t asid)
{
	(void)asid;
	fake_tlb_flushes++;
}
static inline void sfence_vma_all(void)
{
	fake_tlb_flushes++;
}

#endif
