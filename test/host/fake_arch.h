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

/* CSRs read as 0 (so the ASID probe finds none: one shared ASID) and take writes silently. */
#define csr_read(csr)	    ((uint64_t)0)
#define csr_write(csr, val) ((void)(val))
static inline void csr_write_satp(uint64_t satp)
{
	(void)satp;
}
static inline void arch_fence_i(void)
{
	fake_fences++;
}
extern unsigned long fake_cbos;
static inline void cbo_clean(uint64_t va)
{
	(void)va;
	fake_cbos++;
}
static inline void cbo_inval(uint64_t va)
{
	(void)va;
	fake_cbos++;
}
static inline void cbo_flush(uint64_t va)
{
	(void)va;
	fake_cbos++;
}
extern unsigned long fake_thead_ops;
static inline void thead_dcache_cva(uint64_t va)
{
	(void)va;
	fake_thead_ops++;
}
static inline void thead_dcache_iva(uint64_t va)
{
	(void)va;
	fake_thead_ops++;
}
static inline void thead_dcache_civa(uint64_t va)
{
	(void)va;
	fake_thead_ops++;
}
static inline void thead_sync_s(void) {}

#endif
