/* zx_object_get_info, _get_property, _set_property, _wait_one, _signal. */
#include <string.h>
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/zirv.h>

#include "handles/resource.h"
#include "handles/thread.h"
#include "handles/vmo.h"
#include "kernel.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "proc.h"
#include "sched.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "timer.h"

/* Write the optional actual/avail counts. */
static zx_status_t put_counts(uint64_t actual_p, uint64_t avail_p, size_t actual, size_t avail)
{
	if (actual_p && put_user(actual_p, &actual, sizeof(actual), sizeof(actual)))
		return ZX_ERR_INVALID_ARGS;
	if (avail_p && put_user(avail_p, &avail, sizeof(avail), sizeof(avail)))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

static zx_status_t info_basic(struct object *o, zx_rights_t rights, uint8_t *buf, size_t *len)
{
	zx_info_handle_basic_t b = {
	    .koid = o->koid,
	    .rights = rights,
	    .type = o->type,
	    .related_koid = o->ops->related_koid ? o->ops->related_koid(o) : 0,
	};
	return object_info_out(buf, *len, &b, sizeof(b), len);
}

/*
 * The topics zirv answers: the object type each belongs to (NONE: any) and
 * the right it needs. Typed topics are answered by their type's get_info.
 */
static const struct {
	uint32_t topic;
	zx_obj_type_t type;
	zx_rights_t right;
} topics[] = {
    {ZX_INFO_HANDLE_VALID, ZX_OBJ_TYPE_NONE, 0},
    {ZX_INFO_HANDLE_BASIC, ZX_OBJ_TYPE_NONE, 0},
    {ZX_INFO_HANDLE_COUNT, ZX_OBJ_TYPE_NONE, ZX_RIGHT_INSPECT},
    {ZX_INFO_PROCESS, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_INSPECT},
    {ZX_INFO_JOB, ZX_OBJ_TYPE_JOB, ZX_RIGHT_INSPECT},
    {ZX_INFO_THREAD, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_INSPECT},
    {ZX_INFO_THREAD_STATS, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_INSPECT},
    {ZX_INFO_VMO, ZX_OBJ_TYPE_VMO, 0}, /* Zircon asks no right for a VMO's info */
    {ZX_INFO_VMO_V1, ZX_OBJ_TYPE_VMO, 0},
    {ZX_INFO_VMO_V2, ZX_OBJ_TYPE_VMO, 0},
    {ZX_INFO_VMO_V3, ZX_OBJ_TYPE_VMO, 0},
    {ZX_INFO_VMAR, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_INSPECT},
    {ZX_INFO_BTI, ZX_OBJ_TYPE_BTI, ZX_RIGHT_INSPECT},
    {ZX_INFO_RESOURCE, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_INSPECT},
    {ZX_INFO_ZIRV_MEMTYPE, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_INSPECT},
    {ZX_INFO_ZIRV_CACHE_OPS, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_INSPECT},
    {ZX_INFO_ZIRV_TLB, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_INSPECT},
    /* Zircon asks for a resource granting the INFO system range, and no right */
    {ZX_INFO_KMEM_STATS_V1, ZX_OBJ_TYPE_RESOURCE, 0},
    {ZX_INFO_CPU_STATS, ZX_OBJ_TYPE_RESOURCE, 0},
};

/*
 * ZX_INFO_CPU_STATS: a record per hart, as many as fit (Zircon has no
 * BUFFER_TOO_SMALL here: actual says how many were written, avail how
 * many harts there are), each copied as it is made.
 */
static __attribute__((noinline)) zx_status_t cpu_stats(const struct resource *r, user_ptr ubuf,
						       size_t usize, user_ptr actual_p,
						       user_ptr avail_p)
{
	zx_status_t st = resource_grants_system(r, ZX_RSRC_SYSTEM_INFO_BASE);
	if (st != ZX_OK)
		return st;
	size_t n = sched_num_cpus(), fit = usize / sizeof(zx_info_cpu_stats_t);
	size_t copy = n < fit ? n : fit;
	for (size_t i = 0; i < copy; i++) {
		struct cpu_counts c = sched_cpu_counts((uint32_t)i);
		zx_info_cpu_stats_t rec = {
		    .cpu_number = (uint32_t)i,
		    .flags = ZX_INFO_CPU_STATS_FLAG_ONLINE,
		    .idle_time = timer_ticks_to_ns(c.idle_ticks),
		    .context_switches = c.context_switches,
		    .irq_preempts = c.irq_preempts,
		    .preempts = c.preempts,
		    .yields = c.yields,
		    .ints = c.ints,
		    .timer_ints = c.timer_ints,
		    .timers = c.timers,
		    .reschedule_ipis = c.reschedule_ipis,
		};
		if (copy_to_user(ubuf + i * sizeof(rec), &rec, sizeof(rec)))
			return ZX_ERR_INVALID_ARGS;
	}
	return put_counts(actual_p, avail_p, copy, n);
}

/*
 * Zircon's order (lib/syscalls/object.cc): the topic (NOT_SUPPORTED), the
 * handle (BAD_HANDLE), its type (WRONG_TYPE) and rights (ACCESS_DENIED),
 * the buffer's size (BUFFER_TOO_SMALL, with actual 0 and avail 1), then the
 * copies (INVALID_ARGS).
 */
int64_t sys_object_get_info(zx_handle_t h, uint32_t topic, user_ptr ubuf, size_t usize,
			    user_ptr actual_p, user_ptr avail_p)
{
	uint8_t kbuf[256];
	size_t len = usize < sizeof(kbuf) ? usize : sizeof(kbuf), t = 0;
	struct object *o;
	zx_rights_t rights;
	zx_status_t st;

	while (t < ARRAY_SIZE(topics) && topics[t].topic != topic)
		t++;
	if (t == ARRAY_SIZE(topics))
		return ZX_ERR_NOT_SUPPORTED;
	if ((st = get_object(h, ZX_OBJ_TYPE_NONE, 0, &o, &rights)) != ZX_OK ||
	    topic == ZX_INFO_HANDLE_VALID)
		return st;
	if (topics[t].type != ZX_OBJ_TYPE_NONE && topics[t].type != o->type)
		return ZX_ERR_WRONG_TYPE;
	if (topics[t].right & ~rights)
		return ZX_ERR_ACCESS_DENIED;
	if (topic == ZX_INFO_CPU_STATS)
		return cpu_stats((const struct resource *)o, ubuf, usize, actual_p, avail_p);
	if (topic == ZX_INFO_HANDLE_BASIC) {
		st = info_basic(o, rights, kbuf, &len);
	} else if (topic == ZX_INFO_HANDLE_COUNT) {
		zx_info_handle_count_t c = {.handle_count = o->handles};
		st = object_info_out(kbuf, len, &c, sizeof(c), &len);
	} else {
		size_t actual = 0;
		st = o->ops->get_info(o, rights, topic, kbuf, len, &actual);
		len = actual;
	}
	if (st == ZX_ERR_BUFFER_TOO_SMALL) {
		zx_status_t cst = put_counts(actual_p, avail_p, 0, 1);
		return cst != ZX_OK ? cst : st;
	}
	if (st != ZX_OK)
		return st;
	if (copy_to_user(ubuf, kbuf, len))
		return ZX_ERR_INVALID_ARGS;
	return put_counts(actual_p, avail_p, 1, 1);
}

/*
 * Zircon's properties other than ZX_PROP_NAME and ZX_PROP_VMO_CONTENT_SIZE:
 * the one object type each applies to, the value size it takes, and
 * whether it can be read, written or both. zirv implements none of them
 * yet: on their own type they are NOT_SUPPORTED, on any other WRONG_TYPE;
 * read or written the way Zircon does not allow, NOT_SUPPORTED, as Zircon.
 */
#define PROP_GET 1
#define PROP_SET 2
static const struct {
	uint32_t prop;
	zx_obj_type_t type;
	uint32_t size;
	uint8_t ways;
} typed_props[] = {
    {ZX_PROP_PROCESS_DEBUG_ADDR, ZX_OBJ_TYPE_PROCESS, 8, PROP_GET | PROP_SET},
    {ZX_PROP_PROCESS_VDSO_BASE_ADDRESS, ZX_OBJ_TYPE_PROCESS, 8, PROP_GET},
    {ZX_PROP_PROCESS_BREAK_ON_LOAD, ZX_OBJ_TYPE_PROCESS, 8, PROP_GET | PROP_SET},
    {ZX_PROP_SOCKET_RX_THRESHOLD, ZX_OBJ_TYPE_SOCKET, 8, PROP_GET | PROP_SET},
    {ZX_PROP_SOCKET_TX_THRESHOLD, ZX_OBJ_TYPE_SOCKET, 8, PROP_GET | PROP_SET},
    {ZX_PROP_JOB_KILL_ON_OOM, ZX_OBJ_TYPE_JOB, 0, PROP_SET},
    {ZX_PROP_EXCEPTION_STATE, ZX_OBJ_TYPE_EXCEPTION, 4, PROP_GET | PROP_SET},
    {ZX_PROP_EXCEPTION_STRATEGY, ZX_OBJ_TYPE_EXCEPTION, 4, PROP_GET | PROP_SET},
    {ZX_PROP_STREAM_MODE_APPEND, ZX_OBJ_TYPE_STREAM, 1, PROP_GET | PROP_SET},
};

/* Zircon's answer for a property other than NAME read (PROP_GET) or written, after the handle. */
static zx_status_t other_property(const struct object *o, uint32_t prop, uint64_t size, int way)
{
	for (size_t i = 0; i < ARRAY_SIZE(typed_props); i++) {
		if (typed_props[i].prop != prop || !(typed_props[i].ways & way))
			continue;
		if (size < typed_props[i].size)
			return ZX_ERR_BUFFER_TOO_SMALL;
		return o->type == typed_props[i].type ? ZX_ERR_NOT_SUPPORTED : ZX_ERR_WRONG_TYPE;
	}
	return ZX_ERR_NOT_SUPPORTED; /* no such property this way (on RISC-V) */
}

int64_t sys_object_get_property(zx_handle_t handle, uint32_t prop, user_ptr value, size_t size)
{
	struct object *o;
	zx_status_t st;

	if (!value)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_GET_PROPERTY, &o, NULL)) != ZX_OK)
		return st;
	if (prop == ZX_PROP_VMO_CONTENT_SIZE) {
		if (size < sizeof(uint64_t))
			return ZX_ERR_BUFFER_TOO_SMALL;
		if (o->type != ZX_OBJ_TYPE_VMO)
			return ZX_ERR_WRONG_TYPE;
		return copy_to_user(value, &((struct vmo_obj *)o)->content_size, sizeof(uint64_t));
	}
	if (prop != ZX_PROP_NAME)
		return other_property(o, prop, size, PROP_GET);
	if (size < ZX_MAX_NAME_LEN)
		return ZX_ERR_BUFFER_TOO_SMALL;
	return copy_to_user(value, o->name, ZX_MAX_NAME_LEN);
}

/* Zircon's order: WRITE, the value's size, the type, the value, the kind of VMO. */
static zx_status_t set_content_size(struct object *o, zx_rights_t rights, user_ptr value,
				    size_t size)
{
	uint64_t content;

	if (!(rights & ZX_RIGHT_WRITE))
		return ZX_ERR_ACCESS_DENIED;
	if (size < sizeof(content))
		return ZX_ERR_BUFFER_TOO_SMALL;
	if (o->type != ZX_OBJ_TYPE_VMO)
		return ZX_ERR_WRONG_TYPE;
	if (copy_from_user(&content, value, sizeof(content)))
		return ZX_ERR_INVALID_ARGS;
	return vmo_obj_set_content_size((struct vmo_obj *)o, content);
}

int64_t sys_object_set_property(zx_handle_t handle, uint32_t prop, user_ptr value, size_t size)
{
	char name[ZX_MAX_NAME_LEN] = {0};
	size_t len = size < ZX_MAX_NAME_LEN - 1 ? size : ZX_MAX_NAME_LEN - 1;
	struct object *o;
	zx_rights_t rights;
	zx_status_t st;

	if (!value)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SET_PROPERTY, &o, &rights)) !=
	    ZX_OK)
		return st;
	if (prop == ZX_PROP_VMO_CONTENT_SIZE)
		return set_content_size(o, rights, value, size);
	if (prop != ZX_PROP_NAME)
		return other_property(o, prop, size, PROP_SET);
	if (len && copy_from_user(name, value, len))
		return ZX_ERR_INVALID_ARGS;
	object_set_name(o, name, strnlen(name, len));
	return ZX_OK;
}

/*
 * Zircon's order: the handle and WAIT, the observed pointer. The wait
 * blocks only the calling thread; closing the handle it waits through
 * (from another thread) ends it with CANCELED.
 */
int64_t sys_object_wait_one(zx_handle_t handle, zx_signals_t want, zx_instant_mono_t deadline,
			    user_ptr observed_p)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_WAIT, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (observed_p && (observed_p & 3 || !user_range_ok(observed_p, sizeof(zx_signals_t))))
		return ZX_ERR_INVALID_ARGS;
	object_ref(o); /* another thread may close the handle meanwhile */
	thread_current()->blocked_as = ZX_THREAD_STATE_BLOCKED_WAIT_ONE;
	st = object_wait(o, want, deadline, cur_handles(), handle);
	zx_signals_t observed = o->signals;
	object_unref(o);
	proc_exit_if_killed();
	if (observed_p && copy_to_user(observed_p, &observed, sizeof(observed)))
		return ZX_ERR_INVALID_ARGS;
	return st;
}

/* What one zx_object_wait_many needs, in one page (too much for a kernel stack frame). */
struct wait_many {
	zx_wait_item_t items[ZX_WAIT_MANY_MAX_ITEMS];
	struct object *objs[ZX_WAIT_MANY_MAX_ITEMS];
	struct waiter ws[ZX_WAIT_MANY_MAX_ITEMS];
};
_Static_assert(sizeof(struct wait_many) <= PAGE_SIZE, "one page");

/* Look up every item's handle (WAIT), taking a reference to each object. */
static zx_status_t take_wait_objects(struct wait_many *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		zx_status_t st = get_object(w->items[i].handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_WAIT,
					    &w->objs[i], NULL);
		if (st != ZX_OK) {
			while (i > 0)
				object_unref(w->objs[--i]);
			return st;
		}
		object_ref(w->objs[i]); /* another thread may close the handle meanwhile */
	}
	return ZX_OK;
}

/*
 * Zircon's order (lib/syscalls/object_wait.cc): the count, the items, each
 * handle and WAIT in turn; no items is a sleep to the deadline. The items'
 * pending signals are written back whatever the wait's result.
 */
int64_t sys_object_wait_many(user_ptr items, size_t count, zx_instant_mono_t deadline)
{
	zx_status_t st;

	if (count > ZX_WAIT_MANY_MAX_ITEMS)
		return ZX_ERR_OUT_OF_RANGE;
	paddr_t page = pmm_alloc();
	if (!page)
		return ZX_ERR_NO_MEMORY;
	struct wait_many *w = paddr_to_kva(page);
	if (count && copy_from_user(w->items, items, count * sizeof(zx_wait_item_t)))
		st = ZX_ERR_INVALID_ARGS;
	else if ((st = take_wait_objects(w, count)) == ZX_OK) {
		thread_current()->blocked_as = ZX_THREAD_STATE_BLOCKED_WAIT_MANY;
		st = count ? object_wait_many(w->objs, w->items, count, deadline, cur_handles(),
					      w->ws)
			   : sched_block(deadline);
		for (size_t i = 0; i < count; i++) {
			w->items[i].pending = w->objs[i]->signals;
			object_unref(w->objs[i]);
		}
		if (st == ZX_OK || st == ZX_ERR_TIMED_OUT || st == ZX_ERR_CANCELED)
			if (count && copy_to_user(items, w->items, count * sizeof(zx_wait_item_t)))
				st = ZX_ERR_INVALID_ARGS;
	}
	pmm_free(page);
	proc_exit_if_killed();
	return st;
}

int64_t sys_object_signal(zx_handle_t handle, uint32_t clear, uint32_t set)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_SIGNAL, &o, NULL);

	if (st != ZX_OK)
		return st;
	if ((clear | set) & ~o->ops->user_signals)
		return ZX_ERR_INVALID_ARGS;
	object_signal(o, clear, set);
	return ZX_OK;
}
