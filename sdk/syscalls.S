/*
 * syscalls.S: libzircon's system-call stubs, one per line of
 * syscall/syscalls.def (the table the kernel's dispatcher is built from).
 *
 * ABI: number in a7, arguments already in a0..a6 (the C calling
 * convention put them there; a call with eight has its eighth moved from
 * a7 to t0), `ecall`, result in a0. That is the
 * zx_status_t, or the zx_instant_mono_t for zx_clock_get_monotonic.
 * Every stub sits in its own section so --gc-sections keeps only the
 * calls a program uses.
 */
.macro ZX_SYSCALL_STUB name, number, nargs
	.section .text.zx_\name, "ax", @progbits
	.globl	zx_\name
	.type	zx_\name, @function
	.p2align 1
zx_\name:
	.if \nargs == 8
	mv	t0, a7
	.endif
	li	a7, \number
	ecall
	.ifc \name, process_exit
	/* The kernel never returns from process_exit; should it ever do so,
	 * spin rather than run off into the next stub. */
1:	j	1b
	.else
	.ifc \name, thread_exit
1:	j	1b                      /* the same for thread_exit */
	.else
	ret
	.endif
	.endif
	.size	zx_\name, . - zx_\name
.endm

#define SYSCALL(number, name, nargs, params) ZX_SYSCALL_STUB name, number, nargs
#include "syscalls.def"
