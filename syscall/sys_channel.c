/* zx_channel_create, zx_channel_write, zx_channel_read, zx_channel_call. */
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

#include "handles/channel.h"
#include "handles/thread.h"
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

/* Copy user bytes into m's chunks (INVALID_ARGS on a fault; inline: every write). */
static inline __attribute__((always_inline)) zx_status_t fill_bytes(struct channel_msg *m,
								    user_ptr bytes)
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
 * Read the values of m's handles from user `handles` and move them into m:
 * INVALID_ARGS (nothing consumed) if the values cannot be read, else
 * take_handles' result. m is the caller's to free on an error. The caller
 * holds a reference to ch: its own handle may be among those taken.
 */
static __attribute__((noinline)) zx_status_t
put_msg_handles(struct channel *ch, struct channel_msg *m, user_ptr handles)
{
	zx_handle_t vals[ZX_CHANNEL_MAX_MSG_HANDLES];

	if (copy_from_user(vals, handles, m->nhandles * sizeof(zx_handle_t)))
		return ZX_ERR_INVALID_ARGS; /* the one case that consumes nothing */
	return take_handles(ch, vals, m);
}

/* The rest of a write that carries handles (apart, so that a write of bytes alone keeps a small
 * frame). */
static __attribute__((noinline)) zx_status_t
write_with_handles(struct channel *ch, struct channel_msg *m, user_ptr handles)
{
	zx_status_t st;

	object_ref(&ch->obj);
	if ((st = put_msg_handles(ch, m, handles)) != ZX_OK)
		channel_msg_free(m);
	else
		st = channel_write(ch, m);
	object_unref(&ch->obj);
	return st;
}

/*
 * The part of a write (or call) before its handles: the channel handle with
 * `rights`, the sizes, the bytes. On an error nothing is left allocated and
 * the caller discards the handles.
 */
static inline __attribute__((always_inline)) zx_status_t
new_msg(zx_handle_t handle, zx_rights_t rights, user_ptr bytes, uint32_t num_bytes,
	uint32_t num_handles, struct channel **ch, struct channel_msg **mp)
{
	struct object *o;
	struct channel_msg *m;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_CHANNEL, rights, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (num_bytes > ZX_CHANNEL_MAX_MSG_BYTES || num_handles > ZX_CHANNEL_MAX_MSG_HANDLES)
		return ZX_ERR_OUT_OF_RANGE;
	if (!(m = channel_msg_alloc(num_bytes, num_handles)))
		return ZX_ERR_NO_MEMORY;
	if ((st = fill_bytes(m, bytes)) != ZX_OK) {
		channel_msg_free(m); /* no handles in it yet */
		return st;
	}
	*ch = (struct channel *)o;
	*mp = m;
	return ZX_OK;
}

/*
 * Zircon's order (lib/syscalls/channel.cc): the options, the channel
 * handle and WRITE, the sizes, the bytes, the handles; every early error
 * consumes the handles too.
 */
int64_t sys_channel_write(zx_handle_t handle, uint32_t options, user_ptr bytes, uint32_t num_bytes,
			  user_ptr handles, uint32_t num_handles)
{
	struct channel *ch;
	struct channel_msg *m;
	zx_status_t st;

	if (options & ~ZX_CHANNEL_WRITE_USE_IOVEC)
		st = ZX_ERR_INVALID_ARGS;
	else if (options)
		st = ZX_ERR_NOT_SUPPORTED; /* scatter-gather writes: not implemented */
	else
		st = new_msg(handle, ZX_RIGHT_WRITE, bytes, num_bytes, num_handles, &ch, &m);
	if (st != ZX_OK) {
		discard_handles(handles, num_handles);
		return st;
	}
	return num_handles ? write_with_handles(ch, m, handles) : channel_write(ch, m);
}

/* Copy m's bytes out to user memory (INVALID_ARGS on a fault; inline: every read). */
static inline __attribute__((always_inline)) zx_status_t copy_bytes_out(const struct channel_msg *m,
									user_ptr bytes)
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

/*
 * Hand a call's reply to the caller: BUFFER_TOO_SMALL if it does not fit
 * the read buffers, NO_RESOURCES if its handles do not fit the table, then
 * the actual sizes, the bytes and the handles. The reply is the caller's
 * alone, so on any error it is dropped (its handles closed).
 */
static zx_status_t call_reply_out(struct channel_msg *m, const zx_channel_call_args_t *a,
				  user_ptr actual_bytes, user_ptr actual_handles)
{
	uint32_t nb = m->nbytes, nh = m->nhandles;
	zx_status_t st;

	if (nb > a->rd_num_bytes || nh > a->rd_num_handles)
		st = ZX_ERR_BUFFER_TOO_SMALL;
	else if (nh && nh > handle_free_slots(cur_handles()))
		st = ZX_ERR_NO_RESOURCES;
	else if (copy_to_user(actual_bytes, &nb, sizeof(nb)) ||
		 copy_to_user(actual_handles, &nh, sizeof(nh)))
		st = ZX_ERR_INVALID_ARGS;
	else if ((st = copy_bytes_out(m, (user_ptr)a->rd_bytes)) == ZX_OK && nh)
		st = give_msg_handles(m, (user_ptr)a->rd_handles);
	channel_msg_free(m);
	return st;
}

/*
 * Zircon's order (channel_call_noretry): the arguments, the options and a
 * message too short for a txid, the handle and WRITE|READ, the sizes, the
 * bytes, the handles (every error so far consumes them), then the call:
 * PEER_CLOSED, TIMED_OUT, CANCELED (handle closed or thread killed), then
 * the reply as call_reply_out hands it over.
 */
int64_t sys_channel_call(zx_handle_t handle, uint32_t options, zx_instant_mono_t deadline,
			 user_ptr args, user_ptr actual_bytes, user_ptr actual_handles)
{
	zx_channel_call_args_t a;
	struct channel *ch;
	struct channel_msg *m, *reply = NULL;
	zx_status_t st;

	if (copy_from_user(&a, args, sizeof(a)))
		return ZX_ERR_INVALID_ARGS;
	if (options || a.wr_num_bytes < sizeof(zx_txid_t))
		st = ZX_ERR_INVALID_ARGS;
	else
		st = new_msg(handle, ZX_RIGHT_WRITE | ZX_RIGHT_READ, (user_ptr)a.wr_bytes,
			     a.wr_num_bytes, a.wr_num_handles, &ch, &m);
	if (st != ZX_OK) {
		discard_handles((user_ptr)a.wr_handles, a.wr_num_handles);
		return st;
	}
	object_ref(&ch->obj); /* held across the wait; its handle may also be among those sent */
	if (a.wr_num_handles && (st = put_msg_handles(ch, m, (user_ptr)a.wr_handles)) != ZX_OK)
		channel_msg_free(m);
	else {
		thread_current()->blocked_as = ZX_THREAD_STATE_BLOCKED_CHANNEL;
		st = channel_call(ch, m, deadline, cur_handles(), handle, &reply);
	}
	object_unref(&ch->obj);
	proc_exit_if_killed();
	return st == ZX_OK ? call_reply_out(reply, &a, actual_bytes, actual_handles) : st;
}
