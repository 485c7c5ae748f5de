/* zx_object_get_info, _get_property, _set_property, _wait_one, _signal. */
#include <string.h>
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/zirv.h>

#include "kernel.h"
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
	};
	return object_info_out(buf, *len, &b, sizeof(b), len);
}

/* Topics that belong to one object type; each type's get_info answers its own. */
static const struct {
	uint32_t topic;
	zx_obj_type_t type;
} typed_topics[] = {
    {ZX_INFO_PROCESS, ZX_OBJ_TYPE_PROCESS},
    {ZX_INFO_VMO, ZX_OBJ_TYPE_VMO},
    {ZX_INFO_VMAR, ZX_OBJ_TYPE_VMAR},
    {ZX_INFO_RESOURCE, ZX_OBJ_TYPE_RESOURCE},
    {ZX_INFO_ZIRV_MEMTYPE, ZX_OBJ_TYPE_RESOURCE},
    {ZX_INFO_ZIRV_CACHE_OPS, ZX_OBJ_TYPE_RESOURCE},
    {ZX_INFO_KMEM_STATS_V1, ZX_OBJ_TYPE_RESOURCE},
};

/* NOT_SUPPORTED for an unknown topic, WRONG_TYPE for another type's topic. */
static zx_status_t topic_check(uint32_t topic, const struct object *o)
{
	for (size_t i = 0; i < ARRAY_SIZE(typed_topics); i++)
		if (typed_topics[i].topic == topic)
			return typed_topics[i].type == o->type ? ZX_OK : ZX_ERR_WRONG_TYPE;
	return ZX_ERR_NOT_SUPPORTED;
}

int64_t sys_object_get_info(const uint64_t *a)
{
	zx_handle_t h = (zx_handle_t)a[0];
	uint32_t topic = (uint32_t)a[1];
	uint64_t ubuf = a[2], usize = a[3];
	uint8_t kbuf[256];
	size_t len = usize < sizeof(kbuf) ? usize : sizeof(kbuf);
	struct object *o;
	zx_rights_t rights;
	zx_status_t st = get_object(h, ZX_OBJ_TYPE_NONE, 0, &o, &rights);

	if (st != ZX_OK || topic == ZX_INFO_HANDLE_VALID)
		return st;
	if (usize && !user_range_ok(ubuf, usize))
		return ZX_ERR_INVALID_ARGS;
	if (topic == ZX_INFO_HANDLE_BASIC) {
		st = info_basic(o, rights, kbuf, &len);
	} else {
		if ((st = topic_check(topic, o)) != ZX_OK)
			return st;
		if (!(rights & ZX_RIGHT_INSPECT))
			return ZX_ERR_ACCESS_DENIED;
		size_t actual = 0;
		st = o->ops->get_info(o, rights, topic, kbuf, len, &actual);
		len = actual;
	}
	if (st == ZX_ERR_BUFFER_TOO_SMALL)
		put_counts(a[4], a[5], 0, 1);
	if (st != ZX_OK)
		return st;
	if (copy_to_user(ubuf, kbuf, len))
		return ZX_ERR_INVALID_ARGS;
	return put_counts(a[4], a[5], 1, 1);
}

int64_t sys_object_get_property(const uint64_t *a)
{
	struct object *o;
	zx_status_t st =
	    get_object((zx_handle_t)a[0], ZX_OBJ_TYPE_NONE, ZX_RIGHT_GET_PROPERTY, &o, NULL);
	if (st != ZX_OK)
		return st;
	if ((uint32_t)a[1] != ZX_PROP_NAME)
		return ZX_ERR_NOT_SUPPORTED;
	if (a[3] < ZX_MAX_NAME_LEN)
		return ZX_ERR_BUFFER_TOO_SMALL;
	return copy_to_user(a[2], o->name, ZX_MAX_NAME_LEN);
}

int64_t sys_object_set_property(const uint64_t *a)
{
	char name[ZX_MAX_NAME_LEN] = {0};
	size_t len = a[3] < ZX_MAX_NAME_LEN - 1 ? a[3] : ZX_MAX_NAME_LEN - 1;
	struct object *o;
	zx_status_t st =
	    get_object((zx_handle_t)a[0], ZX_OBJ_TYPE_NONE, ZX_RIGHT_SET_PROPERTY, &o, NULL);
	if (st != ZX_OK)
		return st;
	if ((uint32_t)a[1] != ZX_PROP_NAME)
		return ZX_ERR_NOT_SUPPORTED;
	if (len && copy_from_user(name, a[2], len))
		return ZX_ERR_INVALID_ARGS;
	object_set_name(o, name, strnlen(name, len));
	return ZX_OK;
}

/*
 * With one user thread nothing else can raise a signal while it waits, so
 * an unsatisfied wait sleeps to its deadline and times out.
 */
int64_t sys_object_wait_one(const uint64_t *a)
{
	zx_signals_t want = (zx_signals_t)a[1];
	zx_time_t deadline = (zx_time_t)a[2];
	uint64_t observed_p = a[3];
	struct object *o;
	zx_status_t st = get_object((zx_handle_t)a[0], ZX_OBJ_TYPE_NONE, ZX_RIGHT_WAIT, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (observed_p && (observed_p & 3 || !user_range_ok(observed_p, sizeof(zx_signals_t))))
		return ZX_ERR_INVALID_ARGS;
	if (!(o->signals & want)) {
		timer_wait_until(deadline);
		st = ZX_ERR_TIMED_OUT;
	}
	if (observed_p && copy_to_user(observed_p, &o->signals, sizeof(zx_signals_t)))
		return ZX_ERR_INVALID_ARGS;
	return st;
}

int64_t sys_object_signal(const uint64_t *a)
{
	zx_signals_t clear = (zx_signals_t)a[1], set = (zx_signals_t)a[2];
	struct object *o;
	zx_status_t st = get_object((zx_handle_t)a[0], ZX_OBJ_TYPE_NONE, ZX_RIGHT_SIGNAL, &o, NULL);

	if (st != ZX_OK)
		return st;
	if ((clear | set) & ~o->ops->user_signals)
		return ZX_ERR_INVALID_ARGS;
	object_signal(o, clear, set);
	return ZX_OK;
}
