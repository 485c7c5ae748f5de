/*
 * Trap dispatch. A trap taken in the kernel is a bug, except a fault in
 * the user-copy routine (one the VM layer resolves — a decommitted or
 * copy-on-write page — is retried; a bad pointer fails the copy): print
 * what, where and the registers, then panic. A user page fault the VM
 * layer resolves is retried too; the timer and IPIs go to the scheduler;
 * any other user trap ends the process (kernel/proc.c).
 */
#include "trap.h"
#include "arch.h"
#include "handles/process.h"
#include "irqc.h"
#include "kernel.h"
#include "mm/kvm.h"
#include "mm/vmar.h"
#include "proc.h"
#include "sched.h"

extern char trap_vector[];
extern char arch_user_copy_start[], arch_user_copy_fault[];

bool arch_user_copy_fixup(uint64_t *sepc)
{
	if (*sepc < (uint64_t)arch_user_copy_start || *sepc >= (uint64_t)arch_user_copy_fault)
		return false;
	*sepc = (uint64_t)arch_user_copy_fault;
	return true;
}

void trap_init(void)
{
	csr_write(sscratch, 0);
	csr_write(stvec, (uint64_t)trap_vector);
}

const char *trap_cause_name(uint64_t scause)
{
	static const char *const names[] = {
	    [EXC_INSN_MISALIGNED] = "instruction address misaligned",
	    [EXC_INSN_ACCESS] = "instruction access fault",
	    [EXC_ILLEGAL_INSN] = "illegal instruction",
	    [EXC_BREAKPOINT] = "breakpoint",
	    [EXC_LOAD_MISALIGNED] = "load address misaligned",
	    [EXC_LOAD_ACCESS] = "load access fault",
	    [EXC_STORE_MISALIGNED] = "store address misaligned",
	    [EXC_STORE_ACCESS] = "store access fault",
	    [EXC_ECALL_U] = "ecall from U-mode",
	    [EXC_ECALL_S] = "ecall from S-mode",
	    [EXC_INSN_PAGE_FAULT] = "instruction page fault",
	    [EXC_LOAD_PAGE_FAULT] = "load page fault",
	    [EXC_STORE_PAGE_FAULT] = "store page fault",
	};
	if (scause & CAUSE_INTERRUPT)
		return "interrupt";
	if (scause < ARRAY_SIZE(names) && names[scause])
		return names[scause];
	return "unknown exception";
}

static void dump_frame(const struct trap_frame *tf)
{
	static const char *const abi[32] = {
	    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
	    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
	    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	for (int i = 1; i < 32; i++)
		kprintf("%4s %016lx%s", abi[i], tf->x[i], i % 4 == 3 ? "\n" : "  ");
	kprintf("\n");
}

static bool is_fault(uint64_t scause)
{
	return scause == EXC_LOAD_PAGE_FAULT || scause == EXC_STORE_PAGE_FAULT ||
	       scause == EXC_LOAD_ACCESS || scause == EXC_STORE_ACCESS ||
	       scause == EXC_LOAD_MISALIGNED || scause == EXC_STORE_MISALIGNED;
}

/* trapvec.S: a kernel trap whose frame would not fit above the stack's guard. */
__attribute__((noreturn)) void trap_kstack_overflow(uint64_t sp, uint64_t sepc, uint64_t stval,
						    uint64_t scause);
void trap_kstack_overflow(uint64_t sp, uint64_t sepc, uint64_t stval, uint64_t scause)
{
	vaddr_t base;
	const char *name = kvm_stack_owner(sp, &base);

	panic("trap_kstack_overflow: kernel stack overflow on %s [%#lx-%#lx): sp %#lx, "
	      "%s at sepc %#lx, stval %#lx",
	      name, base, base + KSTACK_SIZE, sp, trap_cause_name(scause), sepc, stval);
}

/*
 * A page fault the VM layer resolves: a page decommitted from under a
 * mapping (faulted back in, zeroed) or a store to a page shared
 * copy-on-write (the VMO takes a private copy). The access is retried.
 */
static zx_status_t resolve_fault(const struct trap_frame *tf)
{
	uint32_t access = tf->scause == EXC_LOAD_PAGE_FAULT    ? ZX_VM_PERM_READ
			  : tf->scause == EXC_STORE_PAGE_FAULT ? ZX_VM_PERM_WRITE
			  : tf->scause == EXC_INSN_PAGE_FAULT  ? ZX_VM_PERM_EXECUTE
							       : 0;
	if (!access || !current)
		return ZX_ERR_NOT_FOUND;
	return vmar_fault(&current->as, tf->stval, access);
}

void trap_handler(struct trap_frame *tf)
{
	if (tf->sstatus & SSTATUS_SPP) {
		bool in_copy = tf->sepc >= (uint64_t)arch_user_copy_start &&
			       tf->sepc < (uint64_t)arch_user_copy_fault;
		if (in_copy && resolve_fault(tf) == ZX_OK)
			return; /* the kernel's copy to or from user memory goes on */
		/* A bad user pointer inside arch_user_copy: fail the copy, not the kernel. */
		if (is_fault(tf->scause) && current && arch_user_copy_fixup(&tf->sepc))
			return;
		kprintf("\nzirv: kernel trap: %s (scause %#lx) at sepc %#lx, stval %#lx\n",
			trap_cause_name(tf->scause), tf->scause, tf->sepc, tf->stval);
		dump_frame(tf);
		panic("trap_handler: unexpected %s in the kernel at %#lx",
		      trap_cause_name(tf->scause), tf->sepc);
	}
	/* ecall from U-mode never gets here: trapvec.S's fast path handles it. */
	zx_status_t st;
	klock_acquire(); /* trap_return frees it */
	if (tf->scause == (CAUSE_INTERRUPT | IRQ_S_TIMER))
		sched_timer_interrupt();
	else if (tf->scause == (CAUSE_INTERRUPT | IRQ_S_SOFT))
		sched_ipi_interrupt(); /* SBI or SSWI */
	else if (tf->scause == (CAUSE_INTERRUPT | IRQ_S_EXT)) {
		irqc_handle();	       /* device interrupts, when a controller is driven */
		sched_ipi_interrupt(); /* an IMSIC's IPI; and run what the devices woke */
	} else if ((st = resolve_fault(tf)) != ZX_OK)
		proc_fault(tf, st);
	if (this_thread()->killed)
		proc_thread_exit();
}
