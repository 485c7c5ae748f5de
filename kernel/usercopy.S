/*
 * int arch_user_copy(void *dst, const void *src, size_t n)
 * int arch_user_put32(uint32_t *dst, uint32_t v), arch_user_put64(uint64_t *dst, uint64_t v)
 *
 * The only code that runs with sstatus.SUM set. A page fault on a load or
 * store between arch_user_copy_start and arch_user_copy_fault that the
 * kernel resolves (a page committed) lets the access run again; any other
 * page or access fault resumes at arch_user_copy_fault (see trap.c), which
 * returns -1.
 *
 * Such faults are the one trap the kernel takes and returns from, and
 * the trap sets sepc, which the syscall fast path (trapvec.S) leaves
 * holding the user's ecall: each routine keeps sepc in t3 (the trap saves
 * and restores t3) and puts it back on both ways out.
 */
#define SSTATUS_SUM (1 << 18)

	.section .text
	.globl arch_user_copy, arch_user_put32, arch_user_put64
	.globl arch_user_copy_start, arch_user_copy_fault
	.balign 4
arch_user_copy:
arch_user_copy_start:
	csrr	t3, sepc
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	or	t2, a0, a1
	andi	t4, t2, 7
	bnez	t4, 4f                  /* not both 8-byte aligned: words, or bytes */
1:	li	t4, 8
	bltu	a2, t4, 4f
	ld	t0, 0(a1)
	sd	t0, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	1b
4:	beqz	a2, 3f
	andi	t4, t2, 3
	bnez	t4, 2f                  /* not both 4-byte aligned: go bytewise */
5:	li	t4, 4                   /* a handle or a status is one step */
	bltu	a2, t4, 2f
	lw	t0, 0(a1)
	sw	t0, 0(a0)
	addi	a0, a0, 4
	addi	a1, a1, 4
	addi	a2, a2, -4
	j	5b
2:	beqz	a2, 3f
	lbu	t0, 0(a1)
	sb	t0, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	2b
3:	csrc	sstatus, t1
	csrw	sepc, t3
	li	a0, 0
	ret
/* One aligned store: an out-pointer's handle, address or size. */
arch_user_put32:
	csrr	t3, sepc
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	sw	a1, 0(a0)
	j	6f
arch_user_put64:
	csrr	t3, sepc
	li	t1, SSTATUS_SUM
	csrs	sstatus, t1
	sd	a1, 0(a0)
6:	csrc	sstatus, t1
	csrw	sepc, t3                /* a fault that paged the page in set it too */
	li	a0, 0
	ret
arch_user_copy_fault:
	li	t1, SSTATUS_SUM
	csrc	sstatus, t1
	csrw	sepc, t3
	li	a0, -1
	ret
