/*
 * crt0.S: entry point of a zirv user program.
 *
 * The kernel enters the first process's _start in U-mode with
 *   sp = top of the stack, 16-byte aligned
 *   a0 = pointer to the start-up handle table (struct { u32 handle; u32 info; }[])
 *   a1 = number of entries in that table
 * and a process zirv_spawn() started with a0 = its bootstrap channel and
 * a1 = ZX_PROCARGS_PROTOCOL (sdk/startup.c tells the two apart).
 * The ELF loader has already zero-filled .bss (and .tbss), so nothing here
 * clears memory. _start never returns: exit() ends in zx_process_exit().
 */
	.section .text.zirv.start, "ax", @progbits
	.globl	_start
	.type	_start, @function
_start:
	/* picolibc keeps errno and a few other variables in thread-local
	 * storage; the single thread uses the image's TLS block in place
	 * (see zirv-user.ld). */
	la	tp, __tls_base
	/* Terminate frame-pointer and return-address chains for debuggers. */
	li	ra, 0
	li	s0, 0
	andi	sp, sp, -16

	call	__zx_startup_init	/* (a0, a1): copy the handle table */
	call	__libc_init_array	/* constructors, e.g. zxtest TEST() registration */

	/* main(int argc, char **argv), or main(void): the arguments a
	 * zirv_spawn() caller passed (startup.c); argc 0 and an empty argv
	 * for the first process. */
	lw	a0, __zx_argc
	ld	a1, __zx_argv
	li	a2, 0
	call	main
	call	exit
1:	j	1b
	.size	_start, . - _start

