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

struct waiter;

/*
 * What an asynchronous waiter (a port's zx_object_wait_async) does, where
 * a thread's waiter wakes its thread. Both run with the waiter already off
 * the object's list: an asynchronous wait ends when it fires or is cancelled.
 */
struct waiter_ops {
	void (*fire)(struct waiter *w, zx_signals_t observed);
	void (*cancel)(struct waiter *w); /* its handle left the table: end silently */
	bool edge;			  /* fire only when one of `want` goes from clear to set */
};

/*
 * Waiting for `want` on an object: a thread blocked in a wait (ops NULL:
 * kernel/sched.h wakes it), or an asynchronous wait (ops). 40 bytes:
 * zx_object_wait_many keeps 64 in a page.
 */
struct waiter {
	struct kthread *thread;
	const struct waiter_ops *ops;
	struct waiter *next;
	const void *table; /* the handle table and value it waits through (NULL: none) */
	zx_handle_t handle;
	zx_signals_t want;
};
_Static_assert(sizeof(struct waiter) == 40, "wait_many's page");

struct object {
	const struct object_ops *ops;
	zx_obj_type_t type;
	uint32_t refs;
	uint32_t handles; /* how many of the refs are handles */
	zx_koid_t koid;
	zx_signals_t signals;
	char name[ZX_MAX_NAME_LEN];
	struct object *dead_next; /* on the destroy queue, once refs reached 0 */
	struct waiter *waiters;
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
/*
 * Add an asynchronous waiter (w->ops set): a level wait whose signals are
 * already asserted fires at once instead.
 */
void object_add_async(struct object *o, struct waiter *w);
/* Take w off o's list (an asynchronous wait cancelled by its owner); false if it was not on it. */
bool object_remove_waiter(struct object *o, struct waiter *w);
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
void object_set_name(struct object *o, const char *name, size_t len);

#endif
