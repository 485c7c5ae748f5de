/*
 * Switching kernel threads (kernel/sched.c). arch_switch(save, load)
 * stores the registers a C call must preserve, and gp, tp, sstatus and
 * sepc, into *save and loads them from *load: the call returns in the other
 * thread. gp and tp belong to user code (zirv's C never uses them), and a
 * thread blocked inside a syscall keeps its user's values in them, so they
 * travel with the thread; so does sepc, which the syscall fast path
 * (trapvec.S) leaves in the CSR. Offsets follow struct context.
 */
	.section .text
	.globl arch_switch
	.balign 4
arch_switch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	gp, 16(a0)
	sd	tp, 24(a0)
	sd	s0, 32(a0)
	sd	s1, 40(a0)
	sd	s2, 48(a0)
	sd	s3, 56(a0)
	sd	s4, 64(a0)
	sd	s5, 72(a0)
	sd	s6, 80(a0)
	sd	s7, 88(a0)
	sd	s8, 96(a0)
	sd	s9, 104(a0)
	sd	s10, 112(a0)
	sd	s11, 120(a0)
	csrr	t0, sstatus
	sd	t0, 128(a0)
	csrr	t0, sepc
	sd	t0, 136(a0)
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	gp, 16(a1)
	ld	tp, 24(a1)
	ld	s0, 32(a1)
	ld	s1, 40(a1)
	ld	s2, 48(a1)
	ld	s3, 56(a1)
	ld	s4, 64(a1)
	ld	s5, 72(a1)
	ld	s6, 80(a1)
	ld	s7, 88(a1)
	ld	s8, 96(a1)
	ld	s9, 104(a1)
	ld	s10, 112(a1)
	ld	s11, 120(a1)
	ld	t0, 128(a1)
	csrw	sstatus, t0
	ld	t0, 136(a1)
	csrw	sepc, t0
	ret

/*
 * Where a new thread's first switch lands: sp is the trap frame
 * kthread_init_user built at the top of its stack; leave through it.
 */
	.globl kthread_first_entry
kthread_first_entry:
	call	sched_after_switch
	call	proc_exit_if_killed     /* killed before it ever ran: it ends here */
	mv	a0, sp
	j	trap_return
