#include <string.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "sched.h"
#include "smp.h"
#include "timer.h"
#include "trap.h"

/* SBI spec, Hart State Management extension: function ids and hart states. */
#define SBI_HSM_HART_START	   0
#define SBI_HSM_HART_STOP	   1
#define SBI_HSM_HART_STATUS	   2
#define SBI_HSM_STOPPED		   1
#define SBI_HSM_START_PENDING	   2
#define SBI_RFENCE_SFENCE_VMA_ASID 2
#define START_TIMEOUT_NS	   ((zx_time_t)3000 * 1000 * 1000)  /* the first wait */
#define START_SECOND_NS		   ((zx_time_t)12000 * 1000 * 1000) /* a started hart's second */

enum { HART_WAITING, HART_ARRIVED, HART_ABANDONED };

/*
 * One per hart being started. boot/entry.S's secondary_start reads the
 * first four words by offset; the hart and smp_start() race for `state`
 * (HART_WAITING → ARRIVED by the hart, → ABANDONED by smp_start after its
 * timeout), so exactly one of them decides whether the hart joins.
 */
struct hart_boot {
	uint64_t satp_trampoline, entry, sp, satp_kernel;
	uint32_t index, state;
};

extern char _start[], secondary_start[];
extern uint64_t secondary_high_addr;
/* The hart being started (its id + 1, 0: none) and its block's address, for boot/entry.S. */
extern uint64_t secondary_pending[2];

static uint32_t online = 1;

uint32_t smp_harts_online(void)
{
	return __atomic_load_n(&online, __ATOMIC_ACQUIRE);
}

static bool claim(struct hart_boot *b, uint32_t to)
{
	uint32_t expect = HART_WAITING;
	return __atomic_compare_exchange_n(&b->state, &expect, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/* Runs on each secondary hart, on its own stack, with the kernel's page tables. */
__attribute__((noreturn)) void secondary_main(uint64_t hartid, paddr_t block);
void secondary_main(uint64_t hartid, paddr_t block)
{
	struct hart_boot *b = paddr_to_kva(block);
	uint32_t index = b->index;

	(void)hartid;
	__asm__ volatile("mv tp, %0" ::"r"(&cpus[index].idle));
	trap_init();
	if (!claim(b, HART_ARRIVED)) /* too late: smp_start gave up on this hart */
		sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0);
	sched_cpu_online(index); /* counted before smp_start can see it come up */
	__atomic_add_fetch(&online, 1, __ATOMIC_RELEASE);
	klock_acquire();
	sched_run();
}

/*
 * One SBI call for every target whose hart id is below 64 (a hart mask with
 * base 0: the firmware interrupts them all, then waits for them all), one
 * call each for the others.
 */
static uint64_t rfence_calls, rfence_harts;

void smp_remote_sfence(uint64_t harts, vaddr_t va, size_t len, uint16_t asid)
{
	uint64_t low = 0;
	rfence_harts += (uint64_t)__builtin_popcountl(harts);
	for (uint32_t i = 0; harts; i++, harts >>= 1) {
		if (!(harts & 1))
			continue;
		if (cpus[i].hartid < 64) {
			low |= 1ul << cpus[i].hartid;
			continue;
		}
		sbi_call5(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, 1, cpus[i].hartid, va, len,
			  asid);
		rfence_calls++;
	}
	if (low) {
		sbi_call5(SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA_ASID, low, 0, va, len, asid);
		rfence_calls++;
	}
}

void smp_rfence_counts(uint64_t *calls, uint64_t *harts)
{
	*calls = rfence_calls;
	*harts = rfence_harts;
}

static uint64_t satp_of(paddr_t root)
{
	return SATP_MODE_SV39 | (root >> PAGE_SHIFT);
}

/*
 * A root table for the switch to paging: the kernel half of the kernel's
 * root, and an identity gigapage over the kernel image's physical GiB.
 */
static paddr_t trampoline_root(paddr_t load_pa)
{
	paddr_t root = pmm_alloc_zeroed();
	if (!root)
		return 0;
	uint64_t *t = paddr_to_kva(root), *k = paddr_to_kva(kvm_root());
	memcpy(&t[256], &k[256], 256 * sizeof(uint64_t));
	paddr_t gib = ALIGN_DOWN(load_pa, SV39_LEVEL_SIZE(2));
	t[SV39_VPN(gib, 2)] = PA_TO_PTE(gib) | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_V;
	return root;
}

/* Wait up to `timeout` for the hart of block b to report in. */
static bool arrived(struct hart_boot *b, zx_time_t timeout)
{
	for (zx_time_t end = timer_now() + timeout; timer_now() < end;)
		if (__atomic_load_n(&b->state, __ATOMIC_ACQUIRE) == HART_ARRIVED)
			return true;
	return false;
}

/*
 * Start one hart with block b; true once it reports in. A hart that has
 * not after 3 s gets a second chance of 12 s: started again if SBI says it
 * is STOPPED (the start was lost), waited for again if it says STARTED (it
 * runs, slowly: a loaded host, where a vCPU thread can wait seconds for a
 * host core). One still START_PENDING, or late after
 * the second, is abandoned: its block, its stack and the trampoline stay
 * allocated (it may still come up, read them and stop).
 */
static bool start_hart(uint64_t hartid, paddr_t entry_pa, struct hart_boot *b, bool *abandoned)
{
	struct sbiret r = {0};
	int waits = 0;

	secondary_pending[0] = hartid + 1;
	secondary_pending[1] = kva_to_paddr(b);
	for (; waits < 2; waits++) {
		if (waits == 0 || r.value == SBI_HSM_STOPPED) {
			arch_fence(); /* the block is in memory before the hart reads it */
			r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, hartid, entry_pa,
				     kva_to_paddr(b));
			if (r.error && waits == 0) {
				kprintf("SMP: hart %lu not started: SBI HSM error %ld\n", hartid,
					r.error);
				return false;
			}
		}
		if (arrived(b, waits == 0 ? START_TIMEOUT_NS : START_SECOND_NS))
			return true;
		r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STATUS, hartid, 0, 0);
		if (r.error || r.value == SBI_HSM_START_PENDING) {
			waits++;
			break; /* the firmware will not start it (see docs/boot.md) */
		}
	}
	if (!claim(b, HART_ABANDONED))
		return true; /* it arrived just now */
	*abandoned = true;
	kprintf("SMP: hart %lu did not come up within %ld ms%s\n", hartid,
		(START_TIMEOUT_NS + (waits > 1 ? START_SECOND_NS : 0)) / 1000000,
		!r.error && r.value == SBI_HSM_START_PENDING
		    ? " (SBI still reports it START_PENDING)"
		    : "");
	return false;
}

void smp_start(const struct restab *rt, uint64_t boot_hartid, paddr_t load_pa)
{
	uint32_t n = rt->cpu.harts_usable < ARRAY_SIZE(rt->cpu.hartid)
			 ? rt->cpu.harts_usable
			 : (uint32_t)ARRAY_SIZE(rt->cpu.hartid);
	bool leaked = false;

	if (n <= 1)
		return;
	if (!sbi_has_ext(SBI_EXT_HSM)) {
		kprintf("SMP: no SBI HSM extension: only the boot hart runs\n");
		return;
	}
	paddr_t root = trampoline_root(load_pa);
	if (!root) {
		kprintf("SMP: no memory to start the other harts: only the boot hart runs\n");
		return;
	}
	paddr_t entry_pa = load_pa + (paddr_t)(secondary_start - _start);
	uint32_t index = 1;
	for (uint32_t i = 0; i < n; i++) {
		if (rt->cpu.hartid[i] == boot_hartid)
			continue;
		struct hart_boot *b = kzalloc(sizeof(*b));
		vaddr_t sp = kvm_stack_alloc("a secondary hart's stack");
		if (!b || !sp) {
			kprintf("SMP: no memory to start hart %lu\n", rt->cpu.hartid[i]);
			kfree(b, sizeof(*b));
			continue; /* a stack slot is not given back (mm/kvm.h) */
		}
		sp = sched_prepare_cpu(index, rt->cpu.hartid[i], sp);
		*b = (struct hart_boot){satp_of(root), secondary_high_addr, sp, satp_of(kvm_root()),
					index,	       HART_WAITING};
		bool abandoned = false;
		if (start_hart(rt->cpu.hartid[i], entry_pa, b, &abandoned)) {
			/* It counts itself just after it reports in: count it here once it has. */
			while (smp_harts_online() <= index)
				;
			index++;
		}
		if (!abandoned)
			kfree(b, sizeof(*b));
		leaked |= abandoned;
	}
	if (!leaked)
		pmm_free(root); /* every hart that came up has left it */
	kprintf("SMP: %u of %u harts online\n", smp_harts_online(), n);
}
