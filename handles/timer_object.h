/*
 * Timers: an object that asserts ZX_TIMER_SIGNALED once the monotonic
 * clock reaches the deadline it was set for (a kernel timer, kernel/sched.h).
 */
#ifndef ZIRV_HANDLES_TIMER_OBJECT_H
#define ZIRV_HANDLES_TIMER_OBJECT_H

#include <zircon/types.h>

#include "handles/object.h"
#include "sched.h"

struct timer {
	struct object obj;
	struct ktimer kt;
	uint32_t slack_mode; /* ZX_TIMER_SLACK_*: kept for ZX_INFO, zirv fires at the deadline */
};

/* A new, unset timer (one reference for the caller), or NO_MEMORY. */
zx_status_t timer_create(uint32_t slack_mode, struct timer **out);
/*
 * Clear ZX_TIMER_SIGNALED and (re)start t for `deadline`; a deadline at or
 * before now signals at once. zirv fires at the deadline itself, which every
 * slack mode allows.
 */
void timer_set(struct timer *t, zx_time_t deadline);
/* Stop t if it is pending and clear ZX_TIMER_SIGNALED. */
void timer_cancel(struct timer *t);

#endif
