/* The monotonic clock (rdtime scaled by the DT's timebase) and this hart's timer. */
#ifndef ZIRV_TIMER_H
#define ZIRV_TIMER_H

#include <zircon/types.h>

#include "arch.h"
#include "restab.h"

void timer_init(const struct cpu_facts *cpu);
zx_time_t timer_now(void);
/*
 * The same clock in ticks of the timebase, which the scheduler keeps its
 * times in: reading it costs no division.
 */
#ifdef ZIRV_FAKE_ARCH
uint64_t timer_ticks(void); /* host tests: their own */
#else
static inline uint64_t timer_ticks(void)
{
	return arch_rdtime();
}
#endif
/* The first tick at or after `deadline`; UINT64_MAX for ZX_TIME_INFINITE (never). */
uint64_t timer_tick_at(zx_time_t deadline);
/* The timebase: ticks per second (the DT's timebase-frequency). */
uint64_t timer_ticks_per_second(void);
/* How many ticks `d` nanoseconds (> 0) last, rounded up. */
uint64_t timer_ticks_in(zx_duration_t d);
/* A number of ticks in nanoseconds. */
zx_duration_t timer_ticks_to_ns(uint64_t ticks);
/* This hart's timer interrupt: pending once the clock reaches `tick` (UINT64_MAX: never). */
void timer_set_tick(uint64_t tick);

#endif
