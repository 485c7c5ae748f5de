#include <string.h>
#include <zircon/errors.h>

#include "handles/object.h"
#include "kernel.h"
#include "sched.h"

/* Koids start above ZX_KOID_KERNEL (1) and are never reused. */
static zx_koid_t next_koid = 1024;

void object_init(struct object *o, zx_obj_type_t type, const struct object_ops *ops)
{
	o->ops = ops;
	o->type = type;
	o->refs = 1;
	o->handles = 0;
	o->koid = next_koid++;
	o->signals = 0;
	/* o->name: objects come from kzalloc, already zeroed */
}

/*
 * Objects whose last reference went while another destroy was running.
 * One hart at a time runs the kernel (kernel/sched.h), so one queue serves.
 */
static struct object *dead_head;
static bool destroying;

void object_last_ref_gone(struct object *o)
{
	if (destroying) {
		o->dead_next = dead_head;
		dead_head = o;
		return; /* the outer call's loop below destroys it */
	}
	destroying = true;
	o->ops->destroy(o);
	while ((o = dead_head) != NULL) {
		dead_head = o->dead_next;
		o->ops->destroy(o);
	}
	destroying = false;
}

/*
 * Fire the asynchronous waits on o that the coming change (clear, then set)
 * satisfies: before o->signals changes, so that object_signal's own path
 * stays what it was before ports.
 */
static void fire_async(struct object *o, zx_signals_t clear, zx_signals_t set)
{
	zx_signals_t was = o->signals, now = (was & ~clear) | set;

	for (struct async_wait **pp = &o->async, *w; (w = *pp) != NULL;) {
		zx_signals_t hit = now & w->want;
		if (hit && (!w->ops->edge || (hit & ~was))) {
			*pp = w->next; /* an asynchronous wait fires once */
			w->ops->fire(w, now);
		} else {
			pp = &w->next;
		}
	}
}

/* The change itself, and the threads it wakes. */
static inline void change_signals(struct object *o, zx_signals_t clear, zx_signals_t set)
{
	o->signals = (o->signals & ~clear) | set;
	for (struct waiter *w = o->waiters; w; w = w->next)
		if (o->signals & w->want)
			sched_wake(w->thread, ZX_OK);
}

static __attribute__((noinline)) void signal_watched(struct object *o, zx_signals_t clear,
						     zx_signals_t set)
{
	fire_async(o, clear, set);
	change_signals(o, clear, set);
}

void object_signal(struct object *o, zx_signals_t clear, zx_signals_t set)
{
	KLOCK_HELD();
	if (__builtin_expect(o->async != NULL, 0)) {
		signal_watched(o, clear, set); /* a tail call: no cost to the common path */
		return;
	}
	change_signals(o, clear, set);
}

void object_add_async(struct object *o, struct async_wait *w)
{
	KLOCK_HELD();
	if (!w->ops->edge && (o->signals & w->want)) {
		w->ops->fire(w, o->signals);
		return;
	}
	w->next = o->async;
	o->async = w;
}

void object_cancel_waits(struct object *o, const void *table, zx_handle_t h)
{
	KLOCK_HELD();
	for (struct waiter *w = o->waiters; w; w = w->next)
		if (w->table == table && w->handle == h)
			sched_wake(w->thread, ZX_ERR_CANCELED);
	for (struct async_wait **pp = &o->async, *w; (w = *pp) != NULL;) {
		if (w->table == table && w->handle == h) {
			*pp = w->next;
			w->ops->cancel(w);
		} else {
			pp = &w->next;
		}
	}
}

static void unlink_waiter(struct waiter **list, struct waiter *w)
{
	for (struct waiter **pp = list; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return;
		}
}

bool object_remove_async(struct object *o, struct async_wait *w)
{
	for (struct async_wait **pp = &o->async; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return true;
		}
	return false;
}

void object_remove_waiter(struct object *o, struct waiter *w)
{
	unlink_waiter(&o->waiters, w);
}

zx_status_t object_wait_many(struct object *const *objs, const zx_wait_item_t *items, size_t n,
			     zx_time_t deadline, const void *table, struct waiter *ws)
{
	KLOCK_HELD();
	for (size_t i = 0; i < n; i++)
		if (objs[i]->signals & items[i].waitfor)
			return ZX_OK;
	for (size_t i = 0; i < n; i++) {
		ws[i] = (struct waiter){.thread = this_thread(),
					.want = items[i].waitfor,
					.next = objs[i]->waiters,
					.table = table,
					.handle = items[i].handle};
		objs[i]->waiters = &ws[i];
	}
	zx_status_t st = sched_block(deadline);
	for (size_t i = 0; i < n; i++)
		unlink_waiter(&objs[i]->waiters, &ws[i]);
	return st;
}

/* The one-object case apart: it is on the path of every channel round trip. */
zx_status_t object_wait(struct object *o, zx_signals_t want, zx_time_t deadline, const void *table,
			zx_handle_t via)
{
	KLOCK_HELD();
	struct waiter w = {.thread = this_thread(),
			   .want = want,
			   .next = o->waiters,
			   .table = table,
			   .handle = via};

	if (o->signals & want)
		return ZX_OK;
	o->waiters = &w;
	zx_status_t st = sched_block(deadline);
	unlink_waiter(&o->waiters, &w);
	return st;
}

void object_set_name(struct object *o, const char *name, size_t len)
{
	if (len > ZX_MAX_NAME_LEN - 1)
		len = ZX_MAX_NAME_LEN - 1;
	memset(o->name, 0, sizeof(o->name));
	memcpy(o->name, name, len);
}
