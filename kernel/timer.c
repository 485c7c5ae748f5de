/*
 * Deadlines use Sstc's stimecmp when every hart has it, else SBI TIME.
 * The hart sleeps in wfi with only the timer enabled in sie and
 * sstatus.SIE clear: the pending timer wakes wfi without taking a trap.
 */
#include "timer.h"
#include "arch.h"
#include "kernel.h"

#define CSR_STIMECMP 0x14d
#define SIE_STIE     (1ul << 5)

static uint64_t timebase = 10000000; /* QEMU virt's, if the DT says nothing */
static bool sstc;

void timer_init(const struct cpu_facts *cpu)
{
	if (cpu->timebase)
		timebase = cpu->timebase;
	sstc = cpu->ext & CPU_SSTC;
}

static uint64_t ns_to_ticks(zx_time_t ns)
{
	uint64_t s = (uint64_t)ns / 1000000000u, rem = (uint64_t)ns % 1000000000u;
	return s * timebase + (rem * timebase + 999999999u) / 1000000000u;
}

zx_time_t timer_now(void)
{
	uint64_t t = arch_rdtime();
	return (zx_time_t)((t / timebase) * 1000000000u + (t % timebase) * 1000000000u / timebase);
}

static void set_timer(uint64_t ticks)
{
	if (sstc)
		__asm__ volatile("csrw 0x14d, %0" ::"r"(ticks));
	else
		sbi_call(SBI_EXT_TIME, 0, ticks, 0, 0);
}

void timer_wait_until(zx_time_t deadline)
{
	if (deadline <= timer_now())
		return;
	uint64_t target = deadline == ZX_TIME_INFINITE ? ~0ul : ns_to_ticks(deadline);
	set_timer(target);
	csr_set(sie, SIE_STIE);
	while (arch_rdtime() < target)
		arch_wfi();
	csr_clear(sie, SIE_STIE);
	set_timer(~0ul);
}
