/*
 * Deadlines use Sstc's stimecmp when every hart has it, else SBI TIME;
 * either way the hart's timer interrupt is pending from the deadline until
 * the next one is set.
 */
#include "timer.h"
#include "arch.h"
#include "kernel.h"

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
	return timer_ticks_to_ns(arch_rdtime());
}

uint64_t timer_tick_at(zx_time_t deadline)
{
	return deadline == ZX_TIME_INFINITE ? UINT64_MAX
	       : deadline <= 0		    ? 0
					    : ns_to_ticks(deadline);
}

uint64_t timer_ticks_per_second(void)
{
	return timebase;
}

uint64_t timer_ticks_in(zx_duration_t d)
{
	return ns_to_ticks(d);
}

zx_duration_t timer_ticks_to_ns(uint64_t t)
{
	return (zx_duration_t)((t / timebase) * 1000000000u +
			       (t % timebase) * 1000000000u / timebase);
}

void timer_set_tick(uint64_t ticks)
{
	if (sstc)
		__asm__ volatile("csrw 0x14d, %0" ::"r"(ticks));
	else
		sbi_call(SBI_EXT_TIME, 0, ticks, 0, 0);
}
