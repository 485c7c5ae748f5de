/* The monotonic clock (rdtime scaled by the DT's timebase) and deadline waits. */
#ifndef ZIRV_TIMER_H
#define ZIRV_TIMER_H

#include <zircon/types.h>

#include "restab.h"

void timer_init(const struct cpu_facts *cpu);
zx_time_t timer_now(void);
/* Sleep (wfi) until the monotonic clock reaches `deadline`. */
void timer_wait_until(zx_time_t deadline);

#endif
