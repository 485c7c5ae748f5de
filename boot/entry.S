/*
 * Kernel entry. OpenSBI (fw_dynamic/fw_jump) or U-Boot's booti enters at
 * offset 0 of the flat image in S-mode with a0 = hartid, a1 = DTB physical
 * address, satp = 0 and interrupts off. The image starts with the 64-byte
 * RISC-V Linux Image header so both QEMU -kernel and booti accept it.
 */
#include "mm/layout.h"

	.section .text.head, "ax"
	.option push
	.option norvc           /* code0 must be one 4-byte jump: booti checks the fields after it */
	.globl _start
_start:
	j	boot_start      /* code0 */
	.word	0               /* code1 */
	.dword	0x200000        /* text_offset: load 2 MiB above the RAM base */
	.dword	_kernel_size    /* image_size, including bss */
	.dword	0               /* flags: little-endian */
	.word	2               /* version 0.2 */
	.word	0               /* res1 */
	.dword	0               /* res2 */
	.ascii	"RISCV\0\0\0"   /* magic (deprecated) */
	.ascii	"RSC\x05"       /* magic2 */
	.word	0               /* res3 */
	.option pop

boot_start:
	csrw	sie, zero
	lla	t0, early_trap
	csrw	stvec, t0

	/*
	 * Firmware should start one hart only, but not every loader does: the
	 * first hart here wins, the others park until SMP bring-up starts them.
	 */
	lla	t0, boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, late_start

	mv	s0, a0          /* hartid */
	mv	s1, a1          /* DTB */
	lla	sp, boot_stack_top
	addi	sp, sp, -16     /* the top words are the stack owner's (kernel/sched.h) */
	lla	t0, _bss_start
	lla	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	/* Build the boot page tables while still running at the load address. */
	lla	a0, _start
	mv	a1, s1
	call	boot_early_map
	beqz	a0, park

	/* s2 = link address - load address */
	ld	t0, .Lkernel_link
	lla	t1, _start
	sub	s2, t0, t1

	ld	t2, .Lhigh
	sfence.vma
	csrw	satp, a0
	sfence.vma
	jr	t2              /* the identity map keeps this fetch valid */

	.balign 8
.Lkernel_link:
	.dword	_start
.Lhigh:
	.dword	boot_high
	.globl secondary_high_addr
secondary_high_addr:
	.dword	secondary_high

boot_high:
	add	sp, sp, s2
	li	t0, 0
	csrw	sscratch, t0    /* 0 = trap came from the kernel */
	mv	a0, s0
	mv	a1, s1
	lla	a2, _start
	sub	a2, a2, s2      /* load address */
	call	kmain
park:
	csrw	sie, zero
	wfi
	j	park

/*
 * A hart that lost the lottery. At boot it parks. But the firmware now and
 * then sends a hart that kernel/smp.c starts through SBI HSM here, to the
 * image's entry, instead of to secondary_start: seen with OpenSBI 1.1's
 * fw_jump and fw_dynamic under QEMU 7.2, when the hart was slow to come up
 * (it sat in park with paging off, HSM status STARTED). If smp.c is
 * starting this very hart (secondary_pending: its hart id + 1, then its
 * block), it goes on as if it had entered at secondary_start.
 */
late_start:
	lla	t0, secondary_pending
	ld	t1, 0(t0)
	addi	t2, a0, 1
	bne	t1, t2, park
	ld	a1, 8(t0)
	j	secondary_start

/*
 * A secondary hart, started by kernel/smp.c through SBI HSM: a0 = hartid,
 * a1 = physical address of its struct hart_boot, paging off. The
 * trampoline root maps this page's physical address to itself as well as
 * the kernel, so turning paging on here keeps the next fetch valid; the
 * jump to the link address then leaves the identity map behind.
 */
	.globl secondary_start
	.balign 4
secondary_start:
	csrw	sie, zero
	lla	t0, early_trap  /* a trap before trap_init says so instead of hanging */
	csrw	stvec, t0
	ld	t0, 0(a1)       /* satp of the trampoline root */
	ld	t1, 8(a1)       /* secondary_high, at its link address */
	ld	sp, 16(a1)      /* this hart's kernel stack */
	ld	t2, 24(a1)      /* satp of the kernel root; the block's other fields are C's */
	sfence.vma
	csrw	satp, t0
	sfence.vma
	jr	t1

secondary_high:
	csrw	satp, t2
	sfence.vma
	csrw	sscratch, zero
	call	secondary_main  /* (hartid, the block's physical address) */
	j	park

/* A trap before the kernel's own vector is installed: say so and stop. */
	.balign 4
early_trap:
	lla	s3, early_trap_msg
1:	lbu	a0, 0(s3)
	beqz	a0, park
	li	a7, 1           /* SBI legacy console_putchar */
	ecall
	addi	s3, s3, 1
	j	1b

	.section .rodata
early_trap_msg:
	.asciz	"zirv: trap during early boot, halting\n"

	.section .data
	.balign 4
boot_lottery:
	.word	0
	.balign 8
	.globl secondary_pending
secondary_pending:
	.dword	0, 0

/*
 * The boot hart's stack and the stack a kernel-stack overflow is reported
 * on, each in the upper half of a KSTACK_SLOT (mm/layout.h): boot/early.c
 * leaves the lower halves unmapped as guards.
 */
	.section .bss.kstack, "aw", @nobits
	.balign	KSTACK_SLOT
	.globl boot_stack_guard, boot_stack, boot_stack_top
	.globl overflow_stack_guard, overflow_stack, overflow_stack_top
boot_stack_guard:
	.space	KSTACK_SIZE
boot_stack:
	.space	KSTACK_SIZE
boot_stack_top:
overflow_stack_guard:
	.space	KSTACK_SIZE
overflow_stack:
	.space	KSTACK_SIZE
overflow_stack_top:
