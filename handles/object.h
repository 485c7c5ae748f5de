/*
 * Kernel objects: refcounted, with a koid, a Zircon object type, signals
 * and a name. A reference is held by every handle and by every internal
 * user (a mapping holds its VMO, a process its root VMAR); the object is
 * destroyed when the last reference goes.
 *
 * Destruction never recurses: a destroy that drops the last reference to
 * another object (a slice its parent, a VMAR its mappings' VMOs) only
 * queues it, and the outermost object_unref() destroys the queue one
 * object at a time. A chain of any length costs one stack frame.
 */
#ifndef ZIRV_HANDLES_OBJECT_H
#define ZIRV_HANDLES_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zircon/errors.h>
#include <zircon/types.h>

#include "kernel.h"

struct object;

struct object_ops {
	/*
	 * Frees the object; called once, with no references left. It may drop
	 * references to other objects: those are destroyed after it returns.
	 */
	void (*destroy)(struct object *o);
	/* Signals user space may set/clear with zx_object_signal. */
	zx_signals_t user_signals;
	/* Fills a type-specific ZX_INFO topic; ZX_ERR_NOT_SUPPORTED if unknown. */
	zx_status_t (*get_info)(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				size_t len, size_t *actual);
	/* The koid of the object paired with this one (a channel's peer), or 0; may be NULL. */
	zx_koid_t (*related_koid)(const struct object *o);
	/*
	 * A peered object (channel end, eventpair end): its peer, or NULL once
	 * the peer is gone. NULL for types without a peer.
	 */
	struct object *(*peer)(struct object *o);
};

/* A thread blocked in a wait on an object until `want` (kernel/sched.h wakes it). */
struct waiter {
	struct kthread *thread;
	zx_signals_t want;
	struct waiter *next;
	const void *table; /* the handle table and value it waits through (NULL: none) */
	zx_handle_t handle;
};

struct async_wait;

/*
 * What an asynchronous wait (a port's zx_object_wait_async) does when it
 * fires or is cancelled; both run with the wait already off the object's
 * list, for it ends either way.
 */
struct async_wait_ops {
	void (*fire)(struct async_wait *w, zx_signals_t observed);
	void (*cancel)(struct async_wait *w); /* its handle left the table: end silently */
	bool edge; /* fire only when one of `want` goes from clear to set */
};

/*
 * An asynchronous wait for `want`, through handle `handle` of `table`. Kept
 * on a list of its own, so that signalling an object no port watches costs
 * what it did before ports.
 */
struct async_wait {
	struct async_wait *next;
	const struct async_wait_ops *ops;
	const void *table;
	zx_handle_t handle;
	zx_signals_t want;
};

struct object {
	const struct object_ops *ops;
	zx_obj_type_t type;
	uint32_t refs;
	uint32_t handles; /* how many of the refs are handles */
	zx_koid_t koid;
	zx_signals_t signals;
	char name[ZX_MAX_NAME_LEN];
	struct object *dead_next; /* on the destroy queue, once refs reached 0 */
	struct waiter *waiters;	  /* threads blocked on it */
	struct async_wait *async; /* asynchronous waits armed on it */
};

void object_init(struct object *o, zx_obj_type_t type, const struct object_ops *ops);
/* The slow half of object_unref: destroy o, and whatever its destruction lets go. */
void object_last_ref_gone(struct object *o);

/* Inline: several per syscall. */
static inline void object_ref(struct object *o)
{
	KASSERT(o->refs > 0);
	o->refs++;
}

static inline void object_unref(struct object *o)
{
	KASSERT(o->refs > 0);
	if (--o->refs == 0)
		object_last_ref_gone(o);
}
/*
 * Hand an info record to zx_object_get_info: BUFFER_TOO_SMALL unless all
 * `size` bytes fit in `len`, else copied with *actual = size.
 */
static inline zx_status_t object_info_out(void *buf, size_t len, const void *rec, size_t size,
					  size_t *actual)
{
	if (len < size)
		return ZX_ERR_BUFFER_TOO_SMALL;
	__builtin_memcpy(buf, rec, size); /* inline: size is a constant at every call */
	*actual = size;
	return ZX_OK;
}
/*
 * Clear, then set signal bits; wake the threads whose signals are now
 * asserted, and fire the asynchronous waits that match (edge waits: only
 * on a signal newly set).
 */
void object_signal(struct object *o, zx_signals_t clear, zx_signals_t set);
/* Arm an asynchronous wait: a level wait whose signals are asserted already fires at once instead.
 */
void object_add_async(struct object *o, struct async_wait *w);
/* Take an asynchronous wait off o's list (cancelled by its owner); false if it was not on it. */
bool object_remove_async(struct object *o, struct async_wait *w);
/*
 * A thread's wait that blocks by itself (zx_channel_call's): put w on o's
 * list before sched_block(), take it off after.
 */
static inline void object_add_waiter(struct object *o, struct waiter *w)
{
	w->next = o->waiters;
	o->waiters = w;
}
void object_remove_waiter(struct object *o, struct waiter *w);
/*
 * Block the calling thread until one of `want` is asserted on o or the
 * deadline passes: ZX_OK, ZX_ERR_TIMED_OUT, or ZX_ERR_CANCELED when the
 * thread is killed or handle `via` of handle table `table` (if not NULL),
 * which the wait goes through, leaves that table. The caller holds a
 * reference to o.
 */
zx_status_t object_wait(struct object *o, zx_signals_t want, zx_time_t deadline, const void *table,
			zx_handle_t via);
/*
 * object_wait for n objects at once: objs[i] for one of items[i].waitfor,
 * through handle items[i].handle of `table`; ws holds n waiters for the
 * time of the call. The caller holds a reference to each object.
 */
zx_status_t object_wait_many(struct object *const *objs, const zx_wait_item_t *items, size_t n,
			     zx_time_t deadline, const void *table, struct waiter *ws);
/*
 * Handle `h` of `table` named o and is gone: the thread waits through it end
 * with CANCELED, the asynchronous ones end without firing.
 */
void object_cancel_waits(struct object *o, const void *table, zx_handle_t h);
/* Does anything wait on o (inline: every handle close asks)? */
static inline bool object_waited_on(const struct object *o)
{
	return o->waiters || o->async;
}
void object_set_name(struct object *o, const char *name, size_t len);

#endif
