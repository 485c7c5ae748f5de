#include <zircon/errors.h>
#include <zircon/types.h>

#include "handles/timer_object.h"
#include "kernel.h"
#include "mm/heap.h"
#include "timer.h"

static void timer_destroy(struct object *o)
{
	struct timer *t = (struct timer *)o;
	ktimer_cancel(&t->kt);
	kfree(t, sizeof(*t));
}

static const struct object_ops timer_ops = {
    .destroy = timer_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
};

static void timer_fired(struct ktimer *kt)
{
	struct timer *t = (struct timer *)((char *)kt - __builtin_offsetof(struct timer, kt));
	object_signal(&t->obj, 0, ZX_TIMER_SIGNALED);
}

zx_status_t timer_create(uint32_t slack_mode, struct timer **out)
{
	struct timer *t = kzalloc(sizeof(*t));
	if (!t)
		return ZX_ERR_NO_MEMORY;
	object_init(&t->obj, ZX_OBJ_TYPE_TIMER, &timer_ops);
	t->kt.fire = timer_fired;
	t->slack_mode = slack_mode;
	*out = t;
	return ZX_OK;
}

void timer_set(struct timer *t, zx_time_t deadline)
{
	object_signal(&t->obj, ZX_TIMER_SIGNALED, 0);
	if (deadline <= timer_now()) {
		ktimer_cancel(&t->kt);
		object_signal(&t->obj, 0, ZX_TIMER_SIGNALED);
		return;
	}
	ktimer_arm(&t->kt, deadline);
}

void timer_cancel(struct timer *t)
{
	ktimer_cancel(&t->kt);
	object_signal(&t->obj, ZX_TIMER_SIGNALED, 0);
}
