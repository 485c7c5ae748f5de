/*
 * Named RISC-V primitives: CSRs, fences, SBI calls and Sv39 PTE bits.
 * All inline assembly of the kernel's C code lives here (trap entry and
 * boot are in .S files). References are to the RISC-V privileged spec
 * (20211203) and the SBI spec 1.0/2.0.
 */
#ifndef ZIRV_ARCH_H
#define ZIRV_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* a physical address */
typedef uint64_t vaddr_t; /* a virtual address */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ul << PAGE_SHIFT)
#define PAGE_MASK  (PAGE_SIZE - 1)
#define MB_2	   (1ul << 21)
#define GB_1	   (1ul << 30)

/* sstatus (priv. spec 4.1.1) */
#define SSTATUS_SIE  (1ul << 1)
#define SSTATUS_SPIE (1ul << 5)
#define SSTATUS_SPP  (1ul << 8)
#define SSTATUS_SUM  (1ul << 18)
#define SSTATUS_MXR  (1ul << 19)

/* scounteren (priv. spec 4.1.5): which counters U-mode may read. */
#define SCOUNTEREN_CY (1ul << 0)
#define SCOUNTEREN_TM (1ul << 1)
#define SCOUNTEREN_IR (1ul << 2)

/* scause exception codes (priv. spec table 4.2) */
#define CAUSE_INTERRUPT	     (1ul << 63)
#define EXC_INSN_MISALIGNED  0
#define EXC_INSN_ACCESS	     1
#define EXC_ILLEGAL_INSN     2
#define EXC_BREAKPOINT	     3
#define EXC_LOAD_MISALIGNED  4
#define EXC_LOAD_ACCESS	     5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS     7
#define EXC_ECALL_U	     8
#define EXC_ECALL_S	     9
#define EXC_INSN_PAGE_FAULT  12
#define EXC_LOAD_PAGE_FAULT  13
#define EXC_STORE_PAGE_FAULT 15
#define IRQ_S_SOFT	     1 /* with CAUSE_INTERRUPT: supervisor software (an IPI) */
#define IRQ_S_EXT	     9 /* with CAUSE_INTERRUPT: supervisor external (an IMSIC IPI) */
#define IRQ_S_TIMER	     5 /* with CAUSE_INTERRUPT: supervisor timer */

/* Sv39 PTE (priv. spec 4.4.1, Svpbmt chapter, Svnapot chapter) */
#define PTE_V (1ul << 0)
#define PTE_R (1ul << 1)
#define PTE_W (1ul << 2)
#define PTE_X (1ul << 3)
#define PTE_U (1ul << 4)
#define PTE_G (1ul << 5)
#define PTE_A (1ul << 6)
#define PTE_D (1ul << 7)
/*
 * Svnapot (priv. spec, "Svnapot" chapter): N marks one of 16 identical
 * level-0 PTEs that together map an aligned 64 KiB; their PPN's low four
 * bits read 1000.
 */
#define PTE_N	       (1ul << 63)
#define NAPOT_SIZE     (64ul << 10)
#define PTE_NAPOT_64K  (8ul << 10) /* ppn[3:0] = 1000 */
#define PTE_PPN_SHIFT  10
#define PTE_PPN_MASK   (((1ul << 44) - 1) << PTE_PPN_SHIFT)
#define PTE_ATTR_MASK  (0x3fful << 54) /* bits 63:54: N, PBMT, reserved / T-Head MAE */
#define PTE_LEAF(pte)  (((pte) & (PTE_R | PTE_W | PTE_X)) != 0)
#define PTE_TO_PA(pte) ((((pte)&PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT)
#define PA_TO_PTE(pa)  (((pa) >> PAGE_SHIFT) << PTE_PPN_SHIFT)

/*
 * Sv39 virtual address (priv. spec 4.4):
 *   38        30 29        21 20        12 11           0
 *  | VPN[2] 9b  | VPN[1] 9b  | VPN[0] 9b  | page offset |
 * bits 63:39 must equal bit 38.
 */
#define SV39_LEVELS	       3
#define SV39_VPN(va, level)    (((va) >> (PAGE_SHIFT + 9 * (level))) & 0x1ff)
#define SV39_LEVEL_SIZE(level) (1ul << (PAGE_SHIFT + 9 * (level)))
#define SATP_MODE_SV39	       (8ul << 60)
#define SATP_ASID_SHIFT	       44
#define SATP_ASID_MASK	       0xfffful

#ifdef ZIRV_FAKE_ARCH
/* Host tests: the same names, implemented by test/host/fake_arch.h. */
#include "fake_arch.h"
#else
#define csr_read(csr)                                                                              \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_));                                     \
		v_;                                                                                \
	})
#define csr_write(csr, val)	__asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, bits)	__asm__ volatile("csrs " #csr ", %0" ::"rK"(bits) : "memory")
#define csr_clear(csr, bits)	__asm__ volatile("csrc " #csr ", %0" ::"rK"(bits) : "memory")

/* The satp write itself does not order page-table stores: fence first (4.2.1). */
static inline void csr_write_satp(uint64_t satp)
{
	__asm__ volatile(
	    "sfence.vma zero, zero\n\tcsrw satp, %0\n\tsfence.vma zero, zero" ::"r"(satp)
	    : "memory");
}

/* sfence.vma rs1=va rs2=asid: one page of one address space (4.2.1). */
static inline void sfence_vma_page(vaddr_t va, uint64_t asid)
{
	__asm__ volatile("sfence.vma %0, %1" ::"r"(va), "r"(asid) : "memory");
}
/* rs1=va rs2=x0: one page, every address space (including global entries). */
static inline void sfence_vma_va(vaddr_t va)
{
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}
static inline void sfence_vma_asid(uint64_t asid)
{
	__asm__ volatile("sfence.vma zero, %0" ::"r"(asid) : "memory");
}
static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

static inline void arch_fence(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}
/* Device stores are ordered against each other and before later loads. */
static inline void arch_io_fence(void)
{
	__asm__ volatile("fence iorw, iorw" ::: "memory");
}

/*
 * Copy n bytes with sstatus.SUM set (kernel/usercopy.S): 0, or -1 if a
 * fault hit a user address; callers range-check the user side first.
 */
int arch_user_copy(void *dst, const void *src, size_t n);
/* One store of v to a user address (range-checked and aligned by the caller): 0 or -1. */
int arch_user_put32(uint32_t *dst, uint32_t v);
int arch_user_put64(uint64_t *dst, uint64_t v);
/* A fault at *sepc inside arch_user_copy or a put: point *sepc at its error return, true. */
bool arch_user_copy_fixup(uint64_t *sepc);

/* Run fn(arg) with sp = stack_top, then return on the caller's stack (trapvec.S). */
void arch_call_on_stack(void (*fn)(void *), void *arg, vaddr_t stack_top);

static inline void arch_wfi(void)
{
	__asm__ volatile("wfi");
}
static inline uint64_t arch_rdtime(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}
static inline uint64_t arch_rdinstret(void)
{
	uint64_t n;
	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}
static inline uint64_t arch_read_fp(void)
{
	return (uint64_t)__builtin_frame_address(0);
}

/* MMIO accessors: volatile and fenced so the compiler neither merges nor reorders them. */
static inline void mmio_write32(volatile void *p, uint32_t v)
{
	arch_io_fence();
	*(volatile uint32_t *)p = v;
}
static inline uint32_t mmio_read32(const volatile void *p)
{
	uint32_t v = *(const volatile uint32_t *)p;
	arch_io_fence();
	return v;
}
static inline void mmio_write8(volatile void *p, uint8_t v)
{
	arch_io_fence();
	*(volatile uint8_t *)p = v;
}
static inline uint8_t mmio_read8(const volatile void *p)
{
	uint8_t v = *(const volatile uint8_t *)p;
	arch_io_fence();
	return v;
}

/* ---- SBI (SBI spec: a7 = EID, a6 = FID, a0..a5 args; a0 = error, a1 = value) */
#define SBI_EXT_LEGACY_PUTCHAR	0x01
#define SBI_EXT_BASE		0x10
#define SBI_EXT_TIME		0x54494D45
#define SBI_EXT_IPI		0x735049
#define SBI_EXT_RFENCE		0x52464E43
#define SBI_EXT_HSM		0x48534D
#define SBI_EXT_SRST		0x53525354
#define SBI_EXT_DBCN		0x4442434E
#define SBI_BASE_SPEC_VERSION	0
#define SBI_BASE_PROBE_EXT	3
#define SBI_BASE_MVENDORID	4
#define SBI_BASE_MARCHID	5
#define SBI_DBCN_WRITE_BYTE	2
#define SBI_SRST_RESET		0
#define SBI_SRST_SHUTDOWN	0
#define SBI_SRST_REASON_NONE	0
#define SBI_SRST_REASON_FAILURE 1

struct sbiret {
	long error;
	long value;
};

static inline struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0,
				     unsigned long a1, unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = eid;
	__asm__ volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){(long)r0, (long)r1};
}

static inline struct sbiret sbi_call5(unsigned long eid, unsigned long fid, unsigned long a0,
				      unsigned long a1, unsigned long a2, unsigned long a3,
				      unsigned long a4)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = eid;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){(long)r0, (long)r1};
}

/* Legacy console putchar (EID 0x01): a0 = char, no FID. */
static inline void sbi_legacy_putchar(int c)
{
	register unsigned long r0 __asm__("a0") = (unsigned long)c;
	register unsigned long r7 __asm__("a7") = SBI_EXT_LEGACY_PUTCHAR;
	__asm__ volatile("ecall" : "+r"(r0) : "r"(r7) : "memory", "a1");
}

/*
 * Zicbom cache-block operations on the block holding `va` (CMO spec 1.0):
 * MISC-MEM opcode, funct3 2, imm 0 = inval, 1 = clean, 2 = flush.
 */
static inline void cbo_clean(vaddr_t va)
{
	__asm__ volatile(".insn i 0x0f, 2, x0, 1(%0)" ::"r"(va) : "memory");
}
static inline void cbo_flush(vaddr_t va)
{
	__asm__ volatile(".insn i 0x0f, 2, x0, 2(%0)" ::"r"(va) : "memory");
}
static inline void cbo_inval(vaddr_t va)
{
	__asm__ volatile(".insn i 0x0f, 2, x0, 0(%0)" ::"r"(va) : "memory");
}
/*
 * XTheadCmo (T-Head's extension specification): clean, invalidate, or
 * clean and invalidate the D-cache line holding virtual address rs1
 * (custom-0 opcode, funct7 1, rs2 5 / 6 / 7); th.sync.s waits until they
 * are done, on every hart.
 */
static inline void thead_dcache_cva(vaddr_t va)
{
	__asm__ volatile(".insn r 0x0b, 0, 1, x0, %0, x5" ::"r"(va) : "memory");
}
static inline void thead_dcache_iva(vaddr_t va)
{
	__asm__ volatile(".insn r 0x0b, 0, 1, x0, %0, x6" ::"r"(va) : "memory");
}
static inline void thead_dcache_civa(vaddr_t va)
{
	__asm__ volatile(".insn r 0x0b, 0, 1, x0, %0, x7" ::"r"(va) : "memory");
}
static inline void thead_sync_s(void)
{
	__asm__ volatile(".insn r 0x0b, 0, 0, x0, x0, x25" ::: "memory");
}
static inline void arch_fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

/* T-Head th.sxstatus (CSR 0x5c0); bit 21 = MAEE. Read only on T-Head cores. */
#define THEAD_SXSTATUS_MAEE	(1ul << 21)
static inline uint64_t csr_read_thead_sxstatus(void)
{
	uint64_t v;
	__asm__ volatile("csrr %0, 0x5c0" : "=r"(v));
	return v;
}

#endif /* ZIRV_FAKE_ARCH */

#endif
