/* zx_channel_create, zx_channel_write, zx_channel_read. */
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "handles/channel.h"
#include "kernel.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

int64_t sys_channel_create(uint32_t options, user_ptr out0, user_ptr out1)
{
	struct channel *end[2];
	zx_status_t st;

	if (options)
		return ZX_ERR_INVALID_ARGS;
	if ((st = channel_create(&end[0], &end[1])) != ZX_OK)
		return st;
	return give_two_handles(&end[0]->obj, ZX_DEFAULT_CHANNEL_RIGHTS, out0, &end[1]->obj,
				ZX_DEFAULT_CHANNEL_RIGHTS, out1);
}

/*
 * A write that failed early still consumes the handles it would have sent,
 * as Zircon does, unless their array cannot be read.
 */
static __attribute__((noinline)) void discard_handles(user_ptr handles, uint32_t n)
{
	zx_handle_t chunk[ZX_CHANNEL_MAX_MSG_HANDLES];

	for (uint32_t done = 0; done < n;) {
		uint32_t k = n - done < ARRAY_SIZE(chunk) ? n - done : ARRAY_SIZE(chunk);
		if (copy_from_user(chunk, handles + done * sizeof(zx_handle_t),
				   k * sizeof(zx_handle_t)))
			return;
		for (uint32_t i = 0; i < k; i++)
			close_handle(chunk[i]);
		done += k;
	}
}

/*
 * Move the handles named in `vals` out of the caller's table into m, in
 * Zircon's way: every one is removed; one that was not live is BAD_HANDLE,
 * one without ZX_RIGHT_TRANSFER ACCESS_DENIED, the writing channel's own
 * NOT_SUPPORTED — those are closed, and the first such error is the result.
 */
static zx_status_t take_handles(const struct channel *ch, const zx_handle_t *vals,
				struct channel_msg *m)
{
	zx_status_t result = ZX_OK;

	for (uint32_t i = 0; i < m->nhandles; i++) {
		struct object *o = NULL;
		zx_rights_t rights = 0;
		zx_status_t st = handle_take(cur_handles(), vals[i], &o, &rights);
		if (st == ZX_OK && !(rights & ZX_RIGHT_TRANSFER))
			st = ZX_ERR_ACCESS_DENIED;
		else if (st == ZX_OK && o == &ch->obj)
			st = ZX_ERR_NOT_SUPPORTED;
		if (st == ZX_OK) {
			channel_msg_put_handle(m, i, o, rights);
			continue;
		}
		if (o)
			object_unref(o); /* removed, and closed */
		if (result == ZX_OK)
			result = st;
	}
	return result;
}

/* Copy user bytes into m's chunks (INVALID_ARGS on a fault). */
static zx_status_t fill_bytes(struct channel_msg *m, user_ptr bytes)
{
	uint32_t done = 0;
	for (uint32_t i = 0; done < m->nbytes; i++) {
		uint32_t n;
		uint8_t *chunk = channel_msg_bytes(m, i, &n);
		if (copy_from_user(chunk, bytes + done, n))
			return ZX_ERR_INVALID_ARGS;
		done += n;
	}
	return ZX_OK;
}

/*
 * The rest of a write that carries handles (apart, so that a write of
 * bytes alone keeps a small frame): read their values, move them into m,
 * queue it.
 */
static __attribute__((noinline)) zx_status_t
write_with_handles(struct channel *ch, struct channel_msg *m, user_ptr handles)
{
	zx_handle_t vals[ZX_CHANNEL_MAX_MSG_HANDLES];
	zx_status_t st;

	if (copy_from_user(vals, handles, m->nhandles * sizeof(zx_handle_t))) {
		channel_msg_free(m);
		return ZX_ERR_INVALID_ARGS; /* the one case that consumes nothing */
	}
	object_ref(&ch->obj); /* its own handle may be among those taken */
	if ((st = take_handles(ch, vals, m)) != ZX_OK)
		channel_msg_free(m);
	else
		st = channel_write(ch, m);
	object_unref(&ch->obj);
	return st;
}

/*
 * Zircon's order (lib/syscalls/channel.cc): the options, the channel
 * handle and WRITE, the sizes, the bytes, the handles; every early error
 * consumes the handles too.
 */
int64_t sys_channel_write(zx_handle_t handle, uint32_t options, user_ptr bytes, uint32_t num_bytes,
			  user_ptr handles, uint32_t num_handles)
{
	struct object *o = NULL;
	struct channel_msg *m = NULL;
	zx_status_t st;

	if (options & ~ZX_CHANNEL_WRITE_USE_IOVEC)
		st = ZX_ERR_INVALID_ARGS;
	else if (options)
		st = ZX_ERR_NOT_SUPPORTED; /* scatter-gather writes: not implemented */
	else if ((st = get_object(handle, ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_WRITE, &o, NULL)) ==
		     ZX_OK &&
		 (num_bytes > ZX_CHANNEL_MAX_MSG_BYTES || num_handles > ZX_CHANNEL_MAX_MSG_HANDLES))
		st = ZX_ERR_OUT_OF_RANGE;
	else if (st == ZX_OK && !(m = channel_msg_alloc(num_bytes, num_handles)))
		st = ZX_ERR_NO_MEMORY;
	else if (st == ZX_OK)
		st = fill_bytes(m, bytes);
	if (st != ZX_OK) {
		if (m)
			channel_msg_free(m); /* no handles in it yet */
		discard_handles(handles, num_handles);
		return st;
	}
	struct channel *ch = (struct channel *)o;
	return num_handles ? write_with_handles(ch, m, handles) : channel_write(ch, m);
}

/* Copy m's bytes out to user memory (INVALID_ARGS on a fault). */
static zx_status_t copy_bytes_out(const struct channel_msg *m, user_ptr bytes)
{
	uint32_t done = 0;
	for (uint32_t i = 0; done < m->nbytes; i++) {
		uint32_t n;
		const uint8_t *chunk = channel_msg_bytes(m, i, &n);
		if (copy_to_user(bytes + done, chunk, n))
			return ZX_ERR_INVALID_ARGS;
		done += n;
	}
	return ZX_OK;
}

/* Give m's handles to the caller (room is there) and write their values to `handles`. */
static __attribute__((noinline)) zx_status_t give_msg_handles(struct channel_msg *m,
							      user_ptr handles)
{
	zx_handle_t vals[ZX_CHANNEL_MAX_MSG_HANDLES];

	for (uint32_t i = 0; i < m->nhandles; i++) {
		zx_rights_t rights;
		struct object *o = channel_msg_take_handle(m, i, &rights);
		zx_status_t st = handle_add(cur_handles(), o, rights, &vals[i]);
		KASSERT(st == ZX_OK); /* the free slots were counted first */
	}
	if (m->nhandles && copy_to_user(handles, vals, m->nhandles * sizeof(zx_handle_t))) {
		for (uint32_t i = 0; i < m->nhandles; i++)
			close_handle(vals[i]);
		return ZX_ERR_INVALID_ARGS;
	}
	return ZX_OK;
}

/*
 * Zircon's order: the handle and READ, the options, an empty queue, the
 * sizes (reported in actual_* whether they fit or not), then the bytes and
 * the handles. zirv's table holds 256 handles: a message whose handles do
 * not fit in its free slots stays queued (NO_RESOURCES).
 */
int64_t sys_channel_read(zx_handle_t handle, uint32_t options, user_ptr bytes, user_ptr handles,
			 uint32_t num_bytes, uint32_t num_handles, user_ptr actual_bytes,
			 user_ptr actual_handles)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_CHANNEL, ZX_RIGHT_READ, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (options & ~ZX_CHANNEL_READ_MAY_DISCARD)
		return ZX_ERR_NOT_SUPPORTED;
	struct channel *ch = (struct channel *)o;
	struct channel_msg *m = channel_peek(ch, &st);
	if (!m)
		return st;
	uint32_t nb = m->nbytes, nh = m->nhandles;
	bool fits = nb <= num_bytes && nh <= num_handles;
	if (fits && nh && nh > handle_free_slots(cur_handles()))
		return ZX_ERR_NO_RESOURCES;
	if (fits || (options & ZX_CHANNEL_READ_MAY_DISCARD))
		m = channel_pop(ch);
	if (!fits && (options & ZX_CHANNEL_READ_MAY_DISCARD)) {
		channel_msg_free(m);
		m = NULL;
	}
	if ((actual_bytes && copy_to_user(actual_bytes, &nb, sizeof(nb))) ||
	    (actual_handles && copy_to_user(actual_handles, &nh, sizeof(nh))))
		st = ZX_ERR_INVALID_ARGS;
	else if (!fits)
		st = ZX_ERR_BUFFER_TOO_SMALL;
	else if ((st = copy_bytes_out(m, bytes)) == ZX_OK && nh)
		st = give_msg_handles(m, handles);
	if (fits)
		channel_msg_free(m); /* read, or lost to a bad pointer as in Zircon */
	return st;
}
