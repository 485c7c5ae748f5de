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
	o->dead_next = dead_head;
	dead_head = o;
	if (destroying)
		return; /* the outer object_unref below destroys it */
	destroying = true;
	while ((o = dead_head) != NULL) {
		dead_head = o->dead_next;
		o->ops->destroy(o);
	}
	destroying = false;
}

void object_signal(struct object *o, zx_signals_t clear, zx_signals_t set)
{
	KLOCK_HELD();
	zx_signals_t was = o->signals, now = (was & ~clear) | set;

	o->signals = now;
	for (struct waiter **pp = &o->waiters, *w; (w = *pp) != NULL;) {
		zx_signals_t hit = now & w->want;
		if (hit && !w->ops) {
			sched_wake(w->thread, ZX_OK);
		} else if (hit && (!w->ops->edge || (hit & ~was))) {
			*pp = w->next; /* an asynchronous wait fires once */
			w->ops->fire(w, now);
			continue;
		}
		pp = &w->next;
	}
}

void object_add_async(struct object *o, struct waiter *w)
{
	KLOCK_HELD();
	if (!w->ops->edge && (o->signals & w->want)) {
		w->ops->fire(w, o->signals);
		return;
	}
	w->next = o->waiters;
	o->waiters = w;
}

void object_cancel_waits(struct object *o, const void *table, zx_handle_t h)
{
	KLOCK_HELD();
	for (struct waiter **pp = &o->waiters, *w; (w = *pp) != NULL;) {
		if (w->table != table || w->handle != h) {
			pp = &w->next;
		} else if (!w->ops) {
			sched_wake(w->thread, ZX_ERR_CANCELED);
			pp = &w->next;
		} else {
			*pp = w->next;
			w->ops->cancel(w);
		}
	}
}

bool object_remove_waiter(struct object *o, struct waiter *w)
{
	for (struct waiter **pp = &o->waiters; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			return true;
		}
	return false;
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
		object_remove_waiter(objs[i], &ws[i]);
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
	object_remove_waiter(o, &w);
	return st;
}

void object_set_name(struct object *o, const char *name, size_t len)
{
	if (len > ZX_MAX_NAME_LEN - 1)
		len = ZX_MAX_NAME_LEN - 1;
	memset(o->name, 0, sizeof(o->name));
	memcpy(o->name, name, len);
}
