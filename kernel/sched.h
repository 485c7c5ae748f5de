/*
 * Threads of execution and the harts that run them.
 *
 * Every hart runs threads from a run queue of its own, and takes them
 * from the others' when its own is empty. The kernel itself runs on
 * one hart at a time: the kernel lock is taken on every entry from user
 * mode (trapvec.S) and given up on the way back, and an idle hart gives it
 * up while it waits in wfi. Kernel code runs with interrupts off; user code
 * with them on, so the timer (time slices, sleep deadlines) and IPIs
 * (work to pick up, a thread killed) reach a hart while it runs user code
 * or idles.
 *
 * A kthread is the scheduler's part of a thread: saved kernel context, its
 * kernel stack, state and queue links. Which address space it runs in is an
 * MMU context (kernel/mmu_ctx.h); who owns it is opaque here.
 */
#ifndef ZIRV_SCHED_H
#define ZIRV_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "arch.h"
#include "restab.h"

#define CPU_MAX 64 /* the resource table keeps the first 64 hart ids */

/* What arch_switch saves: the callee-saved registers, gp, tp, sstatus and sepc. */
struct context {
	uint64_t ra, sp, gp, tp, s[12], sstatus, sepc;
};

enum kthread_state { KT_NEW, KT_READY, KT_RUNNING, KT_BLOCKED, KT_DEAD };

struct cpu;

/*
 * A kernel timer: `fire` runs (kernel lock held, on whichever hart's timer
 * interrupt finds it due) once the clock reaches the tick it was armed
 * for. Every hart's timer is set to the earliest one, so none is polled.
 */
struct ktimer {
	uint64_t tick;
	void (*fire)(struct ktimer *t);
	struct ktimer *next;
	bool armed;
};
struct mmu_ctx; /* kernel/mmu_ctx.h */

struct kthread {
	struct cpu
	    *cpu; /* where it runs, or ran last; NULL before its first run (first: trapvec.S) */
	struct context ctx;
	enum kthread_state state;
	bool killed;		 /* leave at the next return toward user mode */
	struct kthread *next;	 /* run queue */
	bool kicked;		 /* queued for an idle hart, sent an IPI to come for it */
	uint64_t ready_tick;	 /* when it was queued */
	struct ktimer sleep;	 /* armed while blocked with a deadline */
	zx_status_t wake_status; /* what the blocking call returns */
	vaddr_t kstack_top;	 /* 0 for a hart's idle thread (it keeps its boot stack) */
	struct mmu_ctx *mmu;	 /* its address space's MMU context; NULL: none (idle) */
	void *owner;		 /* its process (kernel/proc.h), NULL for idle */
	uint64_t runtime;	 /* ticks, on a hart */
	uint64_t ran_since;	 /* tick: when it last started running */
	/* Called once it is dead and off its stack, with the kernel lock held. */
	void (*reap)(struct kthread *t);
};

/* What a hart counts of its own work (ZX_INFO_CPU_STATS), under the kernel lock. */
struct cpu_counts {
	uint64_t idle_ticks;	   /* in idle_wait, lock given up */
	uint64_t context_switches; /* ... and it was another thread */
	uint64_t irq_preempts;	   /* a thread preempted for one an interrupt or IPI woke */
	uint64_t preempts;	   /* a thread preempted at the end of its slice */
	uint64_t yields;	   /* a thread gave the hart up (a past deadline) */
	uint64_t ints;		   /* device interrupts taken */
	uint64_t timer_ints;	   /* timer interrupts taken */
	uint64_t timers;	   /* kernel timers fired */
	uint64_t reschedule_ipis;  /* IPIs taken */
};

struct cpu {
	/*
	 * Set while the hart waits for the kernel lock (trapvec.S reaches them
	 * at offsets 0 and 4). A hart that waits touches no user memory, so a
	 * TLB flush for it can wait too: flush_pending asks it to flush
	 * everything once it has the lock, instead of an IPI now.
	 */
	uint32_t lock_waiting, flush_pending;
	uint32_t index;
	uint64_t hartid;
	struct kthread *current;
	struct kthread idle;
	struct kthread *reap;	     /* died on this hart: reaped after the switch away */
	bool idling;		     /* in wfi, wants an IPI for new work */
	volatile uint32_t *ipi_reg;  /* its SSWI SETSSIP or IMSIC seteipnum word; NULL: SBI */
	uint64_t slice_end;	     /* tick */
	struct mmu_ctx *mmu_running; /* the context its satp holds (kernel/mmu_ctx.c), or NULL */
	bool mmu_flush;		     /* an ASID generation ended: flush all before the next load */
	struct kthread *run_head, **run_tail; /* its ready threads, oldest first */
	struct cpu_counts counts;
	uint64_t idle_since; /* tick it went idle (idle_wait), 0 while it is not */
};

extern struct cpu cpus[CPU_MAX];

/*
 * The thread running on this hart: in the kernel tp holds it (trapvec.S
 * loads it from the word above the trap frame, at the top of the thread's
 * kernel stack, on every entry from user mode; arch_switch carries it).
 */
#ifdef ZIRV_FAKE_ARCH
struct kthread *this_thread(void); /* the host tests' */
#else
static inline struct kthread *this_thread(void)
{
	struct kthread *t;
	__asm__("mv %0, tp" : "=r"(t));
	return t;
}
#endif
static inline struct cpu *this_cpu(void)
{
	return this_thread()->cpu;
}
/* Harts that run threads (zx_system_get_num_cpus). */
uint32_t sched_num_cpus(void);
/* What hart `index` (< sched_num_cpus()) has counted, idle time included up to now. */
struct cpu_counts sched_cpu_counts(uint32_t index);

/* Boot hart, before anything else: its idle thread is the code running now. */
void sched_init_boot(uint64_t hartid);
/* The satp an idle hart runs under: the kernel's root (kmain, once it is built). */
void sched_set_kernel_satp(uint64_t satp);
/*
 * Send IPIs through the IPI block `blk` of `cpu` (restab_ipi_block),
 * mapped at `regs`, to every hart it reaches; the others keep SBI IPIs.
 * An SSWI store sets the hart's SSIP; an IMSIC store raises identity 1 in
 * its supervisor interrupt file, which each hart enables for itself when
 * it starts scheduling (sched_run).
 */
void sched_use_ipi_block(volatile uint8_t *regs, const struct rt_ipi_block *blk,
			 const struct cpu_facts *cpu);
/* Hart `index` has come up and runs threads from now on (kernel/smp.c). */
void sched_cpu_online(uint32_t index);
/* A secondary hart (kernel/smp.c) gets cpus[index]; returns the stack top to use. */
vaddr_t sched_prepare_cpu(uint32_t index, uint64_t hartid, vaddr_t stack_top);
/* Run threads on this hart forever (boot hart after start-up, every secondary). */
__attribute__((noreturn)) void sched_run(void);

/*
 * Make t (owner, address space, kernel stack from the caller) ready to
 * enter user mode at `pc` with sp = `sp`, a0 = arg0, a1 = arg1, every other
 * register zero. It is queued by sched_ready().
 */
void kthread_init_user(struct kthread *t, vaddr_t kstack_top, uint64_t pc, uint64_t sp,
		       uint64_t arg0, uint64_t arg1);
void sched_ready(struct kthread *t);

/*
 * Block the calling thread until sched_wake() or `deadline` (ZX_TIME_INFINITE:
 * none); returns the status the waker gave, or ZX_ERR_TIMED_OUT.
 */
zx_status_t sched_block(zx_time_t deadline);
/* Wake t if it is blocked, making sched_block return `status`; false if it was not. */
bool sched_wake(struct kthread *t, zx_status_t status);
/* Give the hart to the next ready thread, if any. */
void sched_yield(void);
/* Arm t for `deadline` (monotonic ns; one already past fires at the next chance). */
void ktimer_arm(struct ktimer *t, zx_time_t deadline);
/* Disarm t if armed; it will not fire. */
void ktimer_cancel(struct ktimer *t);

/* The calling thread ends; reap() runs once it is off its stack. */
__attribute__((noreturn)) void sched_exit(void);
/* Mark t killed and make it notice: woken if blocked, its hart interrupted if running. */
void sched_kill(struct kthread *t);

/* Interrupts from user mode (kernel/trap.c): the timer, an IPI. */
void sched_timer_interrupt(void);
void sched_ipi_interrupt(void);

/*
 * The kernel lock (above); the boot hart holds it from sched_init_boot on.
 * It is a test-and-set lock: not fair, so harts that enter the kernel all
 * the time can keep one waiting for long. A ticket lock was measured and
 * dropped (docs/threads.md): under QEMU, a hart whose turn has come may
 * not be running on the host, and every other hart then waits for it.
 */
void klock_acquire(void);
/* trapvec.S, once a hart that had to wait has the lock: clear the flag, flush if asked. */
void sched_lock_taken(struct cpu *c);
void klock_release(void);
/* Is the lock held at all (by some hart)? For assertions in paths that need it. */
bool klock_held(void);
/* Is it held by the running thread? Known only to the lock-checking build: false elsewhere. */
bool klock_mine(void);

/*
 * The lock order (docs/threads.md): the kernel lock is the only lock, taken
 * once per entry and never nested. The lock-checking build
 * (build/kernel-lockcheck.bin, the SMP tests boot it too) asserts
 * that it is never taken by the thread holding it, given back only by that
 * thread, and held wherever KLOCK_HELD() stands: at the entry points of
 * mm/, handles/ and the scheduler, which keep no lock of their own.
 */
#ifdef ZIRV_LOCK_CHECK
#define KLOCK_HELD() KASSERT(klock_mine())
#else
#define KLOCK_HELD() ((void)0)
#endif

#endif
