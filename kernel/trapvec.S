/*
 * The one trap vector (stvec, direct mode). sscratch is 0 while the hart
 * runs kernel code and, while it runs user code, the top of the thread's
 * trap frame, so the first instruction tells the two apart without
 * touching memory. Above the frame, at the top of the thread's kernel
 * stack, are two words: the thread and the kernel lock's address. In the
 * kernel, tp is the running thread (kernel/sched.h): entries from user
 * mode save the user's tp and load the thread from above the frame, take
 * the kernel lock, and returns to user mode free it and give tp back.
 */
#include "mm/layout.h"

#define FRAME 288 /* sizeof(struct trap_frame), 16-byte aligned */

	.section .text
	.globl trap_vector
	.balign 4
trap_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, from_user           /* came from user: sp is now the kernel stack */
	/*
	 * From the kernel: sscratch holds its sp for three instructions that
	 * cannot trap. Would the frame reach below the stack, into the guard
	 * half of its slot (mm/layout.h)? Then this is a stack overflow.
	 */
	csrr	sp, sscratch
	addi	sp, sp, -FRAME
	srli	sp, sp, KSTACK_SHIFT
	andi	sp, sp, 1
	beqz	sp, kstack_overflow
	csrrw	sp, sscratch, zero      /* sp back, sscratch = 0 */
	j	full_frame

/* Report on a stack of its own: the overflowing one has no room left. */
kstack_overflow:
	lla	sp, overflow_stack_top
	csrrw	a0, sscratch, zero      /* the overflowing sp */
	csrr	a1, sepc
	csrr	a2, stval
	csrr	a3, scause
	call	trap_kstack_overflow    /* does not return */

/*
 * The syscall fast path. The SDK's contract (docs/sdk.md) lets an ecall
 * clobber the caller-saved registers other than ra (the stubs return
 * through it) and a0's result, and the C code it calls preserves s0-s11,
 * so only t1 (to tell an ecall from other traps), ra, tp and the user sp
 * are saved; the arguments stay in a0-a6, and t0's eighth moves to a7.
 * The call goes through syscall_table (syscall/syscall.c): its count
 * word, then one entry per number, 0 where there is none. sepc and
 * sstatus need no saving: syscall code leaves them as it found them, and
 * a context switch carries them with the thread (kernel/switch.S).
 * Any other trap from user mode takes the full frame below.
 */
from_user:
	addi	sp, sp, -FRAME
	sd	t1, 6*8(sp)
	csrr	t1, scause
	addi	t1, t1, -8              /* EXC_ECALL_U */
	bnez	t1, user_trap
	sd	ra, 1*8(sp)
	sd	tp, 4*8(sp)             /* user tp; the kernel's is the thread (kernel/sched.h) */
	ld	tp, FRAME(sp)
	csrrw	t1, sscratch, zero      /* user sp; sscratch = 0 while in the kernel */
	sd	t1, 2*8(sp)
	ld	t2, FRAME+8(sp)         /* &kernel_lock (kernel/sched.h), kept above the frame */
	amoswap.d.aq t1, tp, (t2)       /* held: nonzero */
	bnez	t1, lock_spin
#ifdef ZIRV_LOCK_CHECK
	sd	tp, 8(t2)               /* the holder, for the lock checks (kernel/sched.c) */
#endif
locked:
	lla	t2, syscall_table
	ld	t1, 0(t2)               /* how many numbers */
	bgeu	a7, t1, bad_syscall
	slli	t1, a7, 3
	add	t1, t1, t2
	ld	t1, 8(t1)
	beqz	t1, bad_syscall
	mv	a7, t0                  /* an eighth argument comes in t0 (docs/sdk.md) */
	jalr	t1
returned:
	/*
	 * sepc still points at the ecall: only a context switch or a fault
	 * in a user copy change it, and arch_switch and the copy put it back.
	 */
	csrr	a1, sepc
	addi	a1, a1, 4
	csrw	sepc, a1
	addi	a1, sp, FRAME
	csrw	sscratch, a1
	ld	a1, FRAME+8(sp)
#ifdef ZIRV_LOCK_CHECK
	sd	zero, 8(a1)
#endif
	amoswap.d.rl zero, zero, (a1)
	ld	ra, 1*8(sp)
	ld	tp, 4*8(sp)
	ld	sp, 2*8(sp)
	sret

bad_syscall:
	call	syscall_bad_number
	j	returned

/*
 * The lock is held elsewhere: say so in this hart's struct cpu (a remote
 * TLB flush may then be left for later), read until the lock looks free,
 * try again; once it is ours, sched_lock_taken does what was left, with
 * the arguments kept in the frame around it.
 */
lock_spin:
	ld	t3, 0(tp)               /* kthread.cpu */
	li	t1, 1
	sw	t1, 0(t3)               /* cpu.lock_waiting */
	fence	rw, rw
2:	ld	t1, 0(t2)
	bnez	t1, 2b
	amoswap.d.aq t1, tp, (t2)
	bnez	t1, 2b
#ifdef ZIRV_LOCK_CHECK
	sd	tp, 8(t2)
#endif
	sd	a0, 10*8(sp)
	sd	a1, 11*8(sp)
	sd	a2, 12*8(sp)
	sd	a3, 13*8(sp)
	sd	a4, 14*8(sp)
	sd	a5, 15*8(sp)
	sd	a6, 16*8(sp)
	sd	a7, 17*8(sp)
	sd	t0, 5*8(sp)
	mv	a0, t3
	call	sched_lock_taken        /* ra is saved in the frame already */
	ld	a0, 10*8(sp)
	ld	a1, 11*8(sp)
	ld	a2, 12*8(sp)
	ld	a3, 13*8(sp)
	ld	a4, 14*8(sp)
	ld	a5, 15*8(sp)
	ld	a6, 16*8(sp)
	ld	a7, 17*8(sp)
	ld	t0, 5*8(sp)
	j	locked

user_trap:
	ld	t1, 6*8(sp)
	addi	sp, sp, FRAME
full_frame:
	addi	sp, sp, -FRAME
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	csrr	t0, sstatus             /* SPP, not sscratch, says where the trap came from: */
	andi	t0, t0, 0x100           /* from user, sscratch is the user's sp, which may be 0 */
	bnez	t0, 1f
	csrr	t0, sscratch            /* the user's sp */
	ld	tp, FRAME(sp)           /* the kernel's tp: the thread */
	j	2f
1:	addi	t0, sp, FRAME           /* the kernel's sp before the trap */
2:	sd	t0, 2*8(sp)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, 32*8(sp)
	csrr	t0, sstatus
	sd	t0, 33*8(sp)
	csrr	t0, scause
	sd	t0, 34*8(sp)
	csrr	t0, stval
	sd	t0, 35*8(sp)
	mv	a0, sp
	call	trap_handler

	.globl trap_return
trap_return:                            /* a0 = sp = frame to resume */
	ld	t0, 32*8(sp)
	csrw	sepc, t0
	ld	t0, 33*8(sp)
	csrw	sstatus, t0
	andi	t0, t0, 0x100           /* SPP: back to the kernel? */
	bnez	t0, 3f
	addi	t0, sp, FRAME
	csrw	sscratch, t0            /* next trap from user lands on this stack */
	lla	t0, kernel_lock         /* and the kernel is free for other harts */
#ifdef ZIRV_LOCK_CHECK
	sd	zero, 8(t0)
#endif
	amoswap.d.rl zero, zero, (t0)
3:	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x4, 4*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	ld	x2, 2*8(sp)
	sret

/* arch_call_on_stack(fn, arg, stack_top): fn(arg) on another stack (kernel/arch.h). */
	.globl arch_call_on_stack
arch_call_on_stack:
	addi	a2, a2, -16
	sd	ra, 0(a2)
	sd	sp, 8(a2)
	mv	sp, a2
	mv	t0, a0
	mv	a0, a1
	jalr	t0
	ld	ra, 0(sp)
	ld	sp, 8(sp)
	ret
