/* zx_event_create, zx_eventpair_create, zx_object_signal_peer, and the timer calls. */
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "handles/event.h"
#include "handles/timer_object.h"
#include "kernel.h"
#include "syscall/syscall.h"

/* Zircon's order (lib/syscalls/event.cc): the options, the object, the handle. */
int64_t sys_event_create(uint32_t options, user_ptr out)
{
	struct object *o;
	zx_status_t st;

	if (options)
		return ZX_ERR_INVALID_ARGS;
	if ((st = event_create(&o)) != ZX_OK)
		return st;
	st = give_handle(o, ZX_DEFAULT_EVENT_RIGHTS, out);
	object_unref(o); /* the handle holds it, or it goes */
	return st;
}

/* Zircon: options other than 0 are NOT_SUPPORTED here (none is defined). */
int64_t sys_eventpair_create(uint32_t options, user_ptr out0, user_ptr out1)
{
	struct eventpair *end[2];
	zx_status_t st;

	if (options)
		return ZX_ERR_NOT_SUPPORTED;
	if ((st = eventpair_create(&end[0], &end[1])) != ZX_OK)
		return st;
	return give_two_handles(&end[0]->obj, ZX_DEFAULT_EVENTPAIR_RIGHTS, out0, &end[1]->obj,
				ZX_DEFAULT_EVENTPAIR_RIGHTS, out1);
}

/*
 * Zircon's order (lib/syscalls/object.cc, PeeredDispatcher): the handle and
 * SIGNAL_PEER, a type with a peer at all, the masks, then a peer still there.
 */
int64_t sys_object_signal_peer(zx_handle_t handle, uint32_t clear, uint32_t set)
{
	struct object *o, *peer;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SIGNAL_PEER, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (!o->ops->peer)
		return ZX_ERR_NOT_SUPPORTED;
	if ((clear | set) & ~o->ops->user_signals)
		return ZX_ERR_INVALID_ARGS;
	if (!(peer = o->ops->peer(o)))
		return ZX_ERR_PEER_CLOSED;
	object_signal(peer, clear, set);
	return ZX_OK;
}

/* Zircon's order (lib/syscalls/timer.cc): the options, the clock, the object, the handle. */
int64_t sys_timer_create(uint32_t options, zx_clock_t clock_id, user_ptr out)
{
	struct timer *t;
	zx_status_t st;

	if (options > ZX_TIMER_SLACK_LATE || clock_id != ZX_CLOCK_MONOTONIC)
		return ZX_ERR_INVALID_ARGS;
	if ((st = timer_create(options, &t)) != ZX_OK)
		return st;
	st = give_handle(&t->obj, ZX_DEFAULT_TIMER_RIGHTS, out);
	object_unref(&t->obj);
	return st;
}

/* Zircon's order: the slack, then the handle (its type, then WRITE). */
int64_t sys_timer_set(zx_handle_t handle, zx_instant_mono_t deadline, zx_duration_mono_t slack)
{
	struct object *o;
	zx_status_t st;

	if (slack < 0)
		return ZX_ERR_OUT_OF_RANGE;
	if ((st = get_object(handle, ZX_OBJ_TYPE_TIMER, ZX_RIGHT_WRITE, &o, NULL)) != ZX_OK)
		return st;
	timer_set((struct timer *)o, deadline);
	return ZX_OK;
}

int64_t sys_timer_cancel(zx_handle_t handle)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_TIMER, ZX_RIGHT_WRITE, &o, NULL);

	if (st == ZX_OK)
		timer_cancel((struct timer *)o);
	return st;
}
