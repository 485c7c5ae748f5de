/* The monotonic clock (rdtime scaled by the DT's timebase) and this hart's timer. */
#ifndef ZIRV_TIMER_H
#define ZIRV_TIMER_H

#include <zircon/types.h>

#include "restab.h"

void timer_init(const struct cpu_facts *cpu);
zx_time_t timer_now(void);
/* This hart's timer interrupt: pending once the clock reaches `deadline` (INFINITE: never). */
void timer_set_deadline(zx_time_t deadline);

#endif
