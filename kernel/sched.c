#include <zircon/errors.h>

#include "irqc.h"
#include "kernel.h"
#include "mm/layout.h"
#include "mmu_ctx.h"
#include "sched.h"
#include "smp.h"
#include "timer.h"
#include "trap.h"

#define SLICE_NS ((zx_time_t)10 * 1000 * 1000)
/*
 * What a running thread gets of its hart before a thread an interrupt or
 * IPI woke may take the hart from it. Without it, a driver thread woken
 * by every interrupt of a storm would preempt the others on its hart
 * before they ran a single instruction.
 */
#define WAKE_GRANULARITY_NS ((zx_time_t)1000 * 1000)
#define SIE_SSIE	    (1ul << 1)
#define SIE_STIE	    (1ul << 5)
#define SIP_SSIP	    (1ul << 1)
#define SIP_STIP	    (1ul << 5)
#define SIE_SEIE	    (1ul << 9)
#define SIP_SEIP	    (1ul << 9)
#define SBI_IPI_SEND	    0

struct cpu cpus[CPU_MAX];
static uint32_t ncpus = 1;
static uint64_t kernel_satp;	   /* what an idle hart runs under */
static uint64_t slice_ticks;	   /* SLICE_NS in timer ticks, once the timebase is known */
static uint64_t granularity_ticks; /* WAKE_GRANULARITY_NS in ticks */

/*
 * The kernel lock: word 0 is 0 when free, nonzero when held (an amoswap
 * that finds it held leaves its own thread there, so it does not name the
 * holder). trapvec.S takes it with the same amoswap on every entry from
 * user mode and frees it before each sret there; C takes it only where a
 * hart enters the kernel otherwise (idle, start-up). Word 1 is the thread
 * that holds it, kept only by the lock-checking build (kernel/sched.h).
 */
uint64_t kernel_lock[2];

static void set_holder(struct kthread *t)
{
#ifdef ZIRV_LOCK_CHECK
	kernel_lock[1] = (uint64_t)t;
#else
	(void)t;
#endif
}

static struct ktimer *ktimers; /* armed kernel timers (threads' deadlines too), soonest first */

void arch_switch(struct context *save, const struct context *load); /* switch.S */
void kthread_first_entry(void);					    /* switch.S */

/* The two words at the top of a kernel stack: its thread, the kernel lock's address. */
static void set_stack_words(vaddr_t top, struct kthread *t)
{
	((uint64_t *)top)[-2] = (uint64_t)t;
	((uint64_t *)top)[-1] = (uint64_t)kernel_lock;
}

uint32_t sched_num_cpus(void)
{
	return __atomic_load_n(&ncpus, __ATOMIC_ACQUIRE);
}

struct cpu_counts sched_cpu_counts(uint32_t index)
{
	const struct cpu *c = &cpus[index];
	struct cpu_counts n = c->counts;
	if (c->idle_since)
		n.idle_ticks += timer_ticks() - c->idle_since;
	return n;
}

_Static_assert(__builtin_offsetof(struct kthread, cpu) == 0, "trapvec.S reads kthread.cpu at 0");
_Static_assert(__builtin_offsetof(struct cpu, lock_waiting) == 0 &&
		   __builtin_offsetof(struct cpu, flush_pending) == 4,
	       "trapvec.S reads them there");

void sched_lock_taken(struct cpu *c)
{
	__atomic_store_n(&c->lock_waiting, 0, __ATOMIC_RELAXED);
	if (c->flush_pending) {
		c->flush_pending = 0;
		sfence_vma_all();
	}
}

void klock_acquire(void)
{
	struct cpu *c = this_cpu();
#ifdef ZIRV_LOCK_CHECK
	KASSERT(!klock_mine()); /* taken twice: this hart would spin forever */
#endif
	if (!__atomic_exchange_n(&kernel_lock[0], (uint64_t)this_thread(), __ATOMIC_ACQUIRE)) {
		set_holder(this_thread());
		return;
	}
	__atomic_store_n(&c->lock_waiting, 1, __ATOMIC_SEQ_CST);
	do
		while (__atomic_load_n(&kernel_lock[0], __ATOMIC_RELAXED))
			;
	while (__atomic_exchange_n(&kernel_lock[0], (uint64_t)this_thread(), __ATOMIC_ACQUIRE));
	set_holder(this_thread());
	sched_lock_taken(c);
}

void klock_release(void)
{
#ifdef ZIRV_LOCK_CHECK
	KASSERT(klock_mine()); /* given back by a thread that does not hold it */
#endif
	set_holder(NULL);
	__atomic_store_n(&kernel_lock[0], 0, __ATOMIC_RELEASE);
}

bool klock_mine(void)
{
	return klock_held() && kernel_lock[1] == (uint64_t)this_thread();
}

bool klock_held(void)
{
	return __atomic_load_n(&kernel_lock[0], __ATOMIC_RELAXED) != 0;
}

static volatile uint8_t *ipi_regs;
static const struct rt_ipi_block *ipi_blk;
static const struct cpu_facts *ipi_facts;
static bool ipi_imsic; /* the block is an IMSIC: IPIs arrive as external interrupts */

/* The IPI word that reaches hart `hartid`, or NULL (SBI IPIs). */
static volatile uint32_t *ipi_reg_for(uint64_t hartid)
{
	for (uint32_t i = 0; ipi_regs && i < ipi_facts->harts_usable && i < 64; i++)
		if (ipi_facts->hartid[i] == hartid)
			return ipi_blk->slot[i] < 0
				   ? NULL
				   : (volatile uint32_t *)(ipi_regs +
							   ipi_blk->stride *
							       (uint64_t)ipi_blk->slot[i]);
	return NULL;
}

void sched_use_ipi_block(volatile uint8_t *regs, const struct rt_ipi_block *blk,
			 const struct cpu_facts *cpu)
{
	ipi_regs = regs;
	ipi_blk = blk;
	ipi_facts = cpu;
	ipi_imsic = blk == &cpu->imsic;
	cpus[0].ipi_reg = ipi_reg_for(cpus[0].hartid); /* the others get theirs as they start */
}

/*
 * This hart's IMSIC supervisor file delivers identity 1, the IPI, when
 * IPIs go through it, and identities 2 .. irqc_msi_ids() when the APLIC
 * sends device interrupts as MSIs (AIA spec 3.8: eidelivery 0x70,
 * eithreshold 0x72, eie0 0xc0 onwards through siselect / sireg; on RV64
 * only the even-numbered eie registers exist, 64 identities each), as a
 * supervisor external interrupt.
 */
static void imsic_hart_init(bool ipi)
{
	uint32_t last = irqc_msi_ids();
	__asm__ volatile("csrw 0x150, %0; csrw 0x151, %1" ::"r"(0x70ul), "r"(1ul));
	__asm__ volatile("csrw 0x150, %0; csrw 0x151, %1" ::"r"(0x72ul), "r"(0ul));
	if (ipi)
		__asm__ volatile("csrw 0x150, %0; csrs 0x151, %1" ::"r"(0xc0ul),
				 "r"(1ul << IMSIC_IPI_ID));
	for (uint32_t id = IMSIC_IPI_ID + 1; id <= last; id++)
		__asm__ volatile("csrw 0x150, %0; csrs 0x151, %1" ::"r"(0xc0ul + (id / 64) * 2),
				 "r"(1ul << (id % 64)));
	csr_set(sie, SIE_SEIE);
}

/*
 * Take the IPI: clear SSIP (SBI, SSWI) and claim every pending IMSIC
 * identity (stopei), handing the devices' among them to their owners.
 */
static void ipi_ack(void)
{
	if (csr_read(sip) & SIP_SSIP)
		this_cpu()->counts.reschedule_ipis++;
	csr_clear(sip, SIP_SSIP);
	if (ipi_imsic && this_cpu()->ipi_reg)
		irqc_imsic_claim();
}

static void init_cpu(uint32_t index, uint64_t hartid, vaddr_t stack_top)
{
	struct cpu *c = &cpus[index];
	c->index = index;
	c->run_tail = &c->run_head;
	c->hartid = hartid;
	c->ipi_reg = ipi_reg_for(hartid);
	c->idle.state = KT_RUNNING;
	c->idle.cpu = c;
	c->current = &c->idle;
	set_stack_words(stack_top, &c->idle);
}

extern char boot_stack_top[];

void sched_init_boot(uint64_t hartid)
{
	init_cpu(0, hartid, (vaddr_t)boot_stack_top);
	__asm__ volatile("mv tp, %0" ::"r"(&cpus[0].idle));
	kernel_satp = csr_read(satp);
	klock_acquire();
}

void sched_set_kernel_satp(uint64_t satp)
{
	kernel_satp = satp;
}

vaddr_t sched_prepare_cpu(uint32_t index, uint64_t hartid, vaddr_t stack_top)
{
	KASSERT(index < CPU_MAX);
	init_cpu(index, hartid, stack_top);
	return stack_top - 16;
}

void sched_cpu_online(uint32_t index)
{
	uint32_t n = index + 1;
	__atomic_store_n(&ncpus, n > ncpus ? n : ncpus, __ATOMIC_RELEASE);
}

/*
 * Run queues: one per hart, oldest first. A hart runs its own queue's
 * threads and, when it has none, takes the oldest waiting behind a busy
 * hart, looking at the harts after its own first so that the takers
 * spread. A hart without a thread of its own was sent an IPI for what is
 * in its queue (or is this one) and is on its way: its threads are left to
 * it for a time slice. Past that, any hart takes them: the kernel lock is
 * not fair, and under QEMU on a busy host the hart sent for them can wait
 * long for it while another keeps taking it (a slice, not the wake
 * granularity: a halted hart's host thread can take more than a
 * millisecond to run again). All of it runs under the kernel lock.
 */
static uint32_t kicked_waiting; /* threads with `kicked` set, in the queues */

static void runq_push(struct cpu *c, struct kthread *t)
{
	t->next = NULL;
	t->ready_tick = timer_ticks();
	*c->run_tail = t;
	c->run_tail = &t->next;
}

static struct kthread *runq_pop(struct cpu *c)
{
	struct kthread *t = c->run_head;
	if (!t)
		return NULL;
	if (!(c->run_head = t->next))
		c->run_tail = &c->run_head;
	if (t->kicked) {
		t->kicked = false;
		kicked_waiting--;
	}
	return t;
}

/* Is the head of o's queue one sent for, whose hart has let it wait a slice? */
static bool overdue(const struct cpu *o, uint64_t now)
{
	const struct kthread *t = o->run_head;
	return t && t->kicked && o->current == &o->idle && now - t->ready_tick >= slice_ticks;
}

static __attribute__((noinline)) struct kthread *steal(const struct cpu *c, uint32_t n)
{
	for (uint32_t k = 1; k < n; k++) {
		struct cpu *o = &cpus[(c->index + k) % n];
		if (o->run_head && o->current != &o->idle)
			return runq_pop(o);
	}
	uint64_t now = kicked_waiting ? timer_ticks() : 0;
	for (uint32_t k = 1; kicked_waiting && k < n; k++) {
		struct cpu *o = &cpus[(c->index + k) % n];
		if (overdue(o, now))
			return runq_pop(o);
	}
	return NULL;
}

/* Is a thread sent to another hart still waiting for it, past a slice? */
static __attribute__((noinline)) bool overdue_elsewhere(const struct cpu *c)
{
	uint64_t now = timer_ticks();
	for (uint32_t i = 0; i < __atomic_load_n(&ncpus, __ATOMIC_RELAXED); i++)
		if (&cpus[i] != c && overdue(&cpus[i], now))
			return true;
	return false;
}

/*
 * At the end of a slice: the thread that has waited longest, if it has
 * waited two slices, in whichever queue. Harts do not always run at the
 * same pace (under QEMU a hart's host thread may not run for a while, and
 * its thread's slice goes on meanwhile), and a thread queued behind a slow
 * one must not wait for it while other harts take turns.
 */
static struct kthread *take_aged(void)
{
	uint32_t n = __atomic_load_n(&ncpus, __ATOMIC_RELAXED);
	uint64_t now = timer_ticks();
	struct cpu *from = NULL;
	for (uint32_t i = 0; n > 1 && i < n; i++) {
		struct cpu *o = &cpus[i];
		if (o->run_head && now - o->run_head->ready_tick >= 2 * slice_ticks &&
		    (!from || o->run_head->ready_tick < from->run_head->ready_tick))
			from = o;
	}
	return from ? runq_pop(from) : NULL;
}

/* What c runs next, if anything: its own queue's head, else another hart's. */
static inline __attribute__((always_inline)) struct kthread *take_next(struct cpu *c)
{
	if (c->run_head)
		return runq_pop(c);
	uint32_t n = __atomic_load_n(&ncpus, __ATOMIC_RELAXED);
	return n > 1 ? steal(c, n) : NULL;
}

static void send_ipi(struct cpu *c)
{
	if (c->ipi_reg) {
		__asm__ volatile("fence w, o" ::: "memory"); /* what it is to see, before the IPI */
		*c->ipi_reg = IMSIC_IPI_ID;		     /* 1: SSWI's "set", IMSIC's identity */
		return;
	}
	sbi_call(SBI_EXT_IPI, SBI_IPI_SEND, 1, c->hartid, 0);
}

static uint32_t idlers; /* harts with `idling` set */

static void set_idling(struct cpu *c, bool idling)
{
	if (c->idling != idling)
		idlers += idling ? 1 : -1;
	c->idling = idling;
}

/*
 * The hart a thread that became ready should run on. Its own last hart,
 * if that idles (its TLB and caches may still hold what it uses) or is
 * this idle hart, which is about to choose; else any idle hart, so that
 * it runs at once; else this one, whose thread it preempts once that has
 * had its granularity (an interrupt woke it) or its slice. A hart whose
 * queue runs dry takes from the others' (take_next), so a thread queued
 * behind a busy hart does not wait for it.
 */
static struct cpu *ready_target(const struct kthread *t, struct cpu *self)
{
	struct cpu *last = t->cpu;
	if (last && (last->idling || (last == self && self->current == &self->idle)))
		return last;
	for (uint32_t i = 0; i < __atomic_load_n(&ncpus, __ATOMIC_RELAXED); i++)
		if (cpus[i].idling)
			return &cpus[i];
	return self;
}

void sched_ready(struct kthread *t)
{
	t->state = KT_READY;
	if (!idlers) {
		runq_push(this_cpu(), t);
		return;
	}
	struct cpu *c = ready_target(t, this_cpu());
	runq_push(c, t);
	if (c->idling) {
		t->kicked = true;
		kicked_waiting++;
		set_idling(c, false); /* one IPI per idle period */
		send_ipi(c);
	}
}

/* The timer of this hart: the end of the running thread's slice or the first kernel timer. */
static void program_timer(struct cpu *c)
{
	uint64_t next = ktimers ? ktimers->tick : UINT64_MAX;
	if (c->current != &c->idle && c->slice_end < next)
		next = c->slice_end;
	timer_set_tick(next);
}

/* Put t on the list for `tick`, in order (after those due at the same tick). */
static void ktimer_insert(struct ktimer *t, uint64_t tick)
{
	ktimer_cancel(t);
	t->tick = tick;
	struct ktimer **pp = &ktimers;
	while (*pp && (*pp)->tick <= t->tick)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->armed = true;
}

void ktimer_arm(struct ktimer *t, zx_time_t deadline)
{
	KLOCK_HELD();
	ktimer_insert(t, timer_tick_at(deadline));
	program_timer(this_cpu()); /* this hart's timer covers it; an idle one sets its own */
}

void ktimer_cancel(struct ktimer *t)
{
	KLOCK_HELD();
	if (!t->armed)
		return;
	for (struct ktimer **pp = &ktimers; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	t->armed = false;
}

/* A blocked thread's deadline passed. */
static void sleep_expired(struct ktimer *kt)
{
	struct kthread *t =
	    (struct kthread *)((char *)kt - __builtin_offsetof(struct kthread, sleep));
	sched_wake(t, ZX_ERR_TIMED_OUT);
}

static __attribute__((noinline)) void fire_timers(uint64_t now)
{
	struct cpu *c = this_cpu();
	while (ktimers && ktimers->tick <= now) {
		struct ktimer *t = ktimers;
		ktimers = t->next;
		t->armed = false;
		c->counts.timers++;
		t->fire(t);
	}
}

/* Fire every kernel timer that is due: blocked threads' deadlines and timer objects alike. */
static inline void expire_timers(void)
{
	uint64_t now = timer_ticks();
	if (ktimers && ktimers->tick <= now)
		fire_timers(now);
}

/* After a switch, on the new thread's stack: reap the thread that died here. */
void sched_after_switch(void)
{
	struct cpu *c = this_cpu();
	struct kthread *dead = c->reap;
	if (dead) {
		c->reap = NULL;
		dead->reap(dead);
	}
	program_timer(c);
}

/*
 * The satp `next` runs under, with what c must flush first done
 * (kernel/mmu_ctx.h). Apart from switch_to, so that its rare slow path is
 * a tail call and costs the common path no saved registers.
 */
static __attribute__((noinline)) uint64_t next_satp(struct cpu *c, struct kthread *next)
{
	if (!next->mmu) {
		mmu_ctx_leave(c);
		return kernel_satp;
	}
	return mmu_ctx_enter(next->mmu, c);
}

static void switch_to(struct cpu *c, struct kthread *next)
{
	struct kthread *prev = c->current;
	uint64_t now = timer_ticks();

	prev->runtime += now - prev->ran_since;
	next->ran_since = now;
	next->state = KT_RUNNING;
	c->counts.context_switches++;
	next->cpu = c;
	c->current = next;
	c->slice_end = now + slice_ticks;
	uint64_t satp = next_satp(c, next);
	if (satp != csr_read(satp)) {
		/* A new ASID needs no fence (priv. spec 4.2.1); ASID 0 is shared by all. */
		csr_write(satp, satp);
		if (!(satp & SATP_ASID_MASK << SATP_ASID_SHIFT))
			sfence_vma_all();
	}
	set_holder(next); /* the lock goes with the hart to the next thread */
	arch_switch(&prev->ctx, &next->ctx);
	sched_after_switch(); /* back in prev, perhaps on another hart */
}

/* The caller's state is set (ready and queued, blocked or dead): run someone else. */
static void reschedule(void)
{
	struct cpu *c = this_cpu();
	struct kthread *next = take_next(c);
	if (!next)
		next = &c->idle;
	if (next != c->current)
		switch_to(c, next);
	else
		c->current->state = KT_RUNNING;
}

/*
 * Give the hart to `next` if there is one, else to the next ready thread if
 * there is one; count it in `*count`.
 */
static void yield_counted(struct kthread *next, uint64_t *count)
{
	struct cpu *c = this_cpu();
	struct kthread *t = c->current;
	if (!next && !(next = take_next(c)))
		return;
	sched_ready(t); /* an idle hart may take it at once */
	(*count)++;
	switch_to(c, next);
}

void sched_yield(void)
{
	yield_counted(NULL, &this_cpu()->counts.yields);
}

zx_status_t sched_block(zx_time_t deadline)
{
	struct kthread *t = this_thread();

	KASSERT(klock_held());
	KLOCK_HELD();
	if (t->killed)
		return ZX_ERR_CANCELED;
	uint64_t wake = deadline == ZX_TIME_INFINITE ? UINT64_MAX : timer_tick_at(deadline);
	if (wake != UINT64_MAX && wake <= timer_ticks())
		return ZX_ERR_TIMED_OUT;
	t->state = KT_BLOCKED;
	t->wake_status = ZX_ERR_TIMED_OUT;
	if (wake != UINT64_MAX) {
		t->sleep.fire = sleep_expired;
		ktimer_insert(&t->sleep, wake);
	}
	reschedule();
	return t->wake_status;
}

bool sched_wake(struct kthread *t, zx_status_t status)
{
	KASSERT(klock_held());
	KLOCK_HELD();
	if (t->state != KT_BLOCKED)
		return false;
	if (t->sleep.armed)
		ktimer_cancel(&t->sleep);
	t->wake_status = status;
	sched_ready(t);
	return true;
}

void sched_exit(void)
{
	struct cpu *c = this_cpu();
	struct kthread *t = c->current;

	KASSERT(t != &c->idle && !c->reap);
	t->state = KT_DEAD;
	if (t->sleep.armed)
		ktimer_cancel(&t->sleep);
	c->reap = t;
	reschedule();
	panic("sched_exit: a dead thread ran again");
}

void sched_kill(struct kthread *t)
{
	t->killed = true;
	if (t->state == KT_BLOCKED)
		sched_wake(t, ZX_ERR_CANCELED);
	else if (t->state == KT_RUNNING && t->cpu != this_cpu())
		send_ipi(t->cpu); /* it is in user mode there: the IPI brings it in */
}

void kthread_init_user(struct kthread *t, vaddr_t kstack_top, uint64_t pc, uint64_t sp,
		       uint64_t arg0, uint64_t arg1)
{
	struct trap_frame *tf = (struct trap_frame *)(kstack_top - 16) - 1;

	__builtin_memset(tf, 0, sizeof(*tf));
	tf->sepc = pc;
	/* User mode, interrupts on there; SUM off. */
	tf->sstatus =
	    (csr_read(sstatus) & ~(SSTATUS_SPP | SSTATUS_SUM | SSTATUS_SIE)) | SSTATUS_SPIE;
	tf->x[2] = sp;
	tf->x[10] = arg0;
	tf->x[11] = arg1;
	set_stack_words(kstack_top, t);
	t->kstack_top = kstack_top;
	t->ctx = (struct context){
	    .ra = (uint64_t)kthread_first_entry, .sp = (uint64_t)tf, .tp = (uint64_t)t};
	t->state = KT_NEW;
}

/* An idle hart: wait (lock released) for an IPI or the timer, then take the lock back. */
static void idle_wait(struct cpu *c)
{
	set_idling(c, true);
	program_timer(c);
	c->idle_since = timer_ticks();
	klock_release();
	while (!(csr_read(sip) & (SIP_SSIP | SIP_STIP | SIP_SEIP)))
		arch_wfi();
	klock_acquire();
	c->counts.idle_ticks += timer_ticks() - c->idle_since;
	c->idle_since = 0;
	set_idling(c, false);
	ipi_ack();
	if (csr_read(sip) & SIP_SEIP)
		irqc_handle();
	expire_timers();
}

void sched_run(void)
{
	struct cpu *c = this_cpu();

	slice_ticks = timer_ticks_in(SLICE_NS); /* the same on every hart: timer_init ran */
	granularity_ticks = timer_ticks_in(WAKE_GRANULARITY_NS);
	if ((ipi_imsic && c->ipi_reg) || irqc_msi_ids())
		imsic_hart_init(ipi_imsic && c->ipi_reg);
	if (irqc_active()) {
		irqc_hart_init();
		csr_set(sie, SIE_SEIE);
	}
	csr_set(sie, SIE_SSIE | SIE_STIE);
	for (;;) {
		struct kthread *t = take_next(c);
		if (t)
			switch_to(c, t);
		else
			idle_wait(c);
		c = this_cpu();
	}
}

void sched_timer_interrupt(void)
{
	struct cpu *c = this_cpu();
	c->counts.timer_ints++;
	expire_timers();
	if (timer_ticks() >= c->slice_end) {
		c->slice_end = timer_ticks() + slice_ticks;
		yield_counted(take_aged(), &c->counts.preempts);
	}
	program_timer(this_cpu());
}

/*
 * After an IPI or a device interrupt from user mode: run what it woke, once
 * the interrupted thread has had its granularity; until then, end its
 * slice early at that point instead.
 */
void sched_ipi_interrupt(void)
{
	struct cpu *c = this_cpu();

	ipi_ack();
	if ((!c->run_head && !(kicked_waiting && overdue_elsewhere(c))) || this_thread()->killed)
		return;
	uint64_t due = c->current->ran_since + granularity_ticks;
	if (timer_ticks() >= due) {
		yield_counted(NULL, &c->counts.irq_preempts);
	} else if (due < c->slice_end) {
		c->slice_end = due;
		program_timer(c);
	}
}
