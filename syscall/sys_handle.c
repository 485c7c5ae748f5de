/* zx_handle_close, _close_many, _duplicate, _replace. */
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "kernel.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

static zx_status_t close_one(zx_handle_t h)
{
	return h == ZX_HANDLE_INVALID ? ZX_OK : close_handle(h);
}

int64_t sys_handle_close(zx_handle_t handle)
{
	return close_one(handle);
}

/* Every valid handle is closed even if some are not; then BAD_HANDLE. */
int64_t sys_handle_close_many(user_ptr ptr, size_t n)
{
	zx_handle_t chunk[32];
	zx_status_t result = ZX_OK;

	if (n && (n > (1ul << 40) || !user_range_ok(ptr, n * sizeof(zx_handle_t))))
		return ZX_ERR_INVALID_ARGS;
	for (uint64_t done = 0; done < n;) {
		uint64_t k = n - done < ARRAY_SIZE(chunk) ? n - done : ARRAY_SIZE(chunk);
		if (copy_from_user(chunk, ptr + done * sizeof(zx_handle_t),
				   k * sizeof(zx_handle_t)))
			return ZX_ERR_INVALID_ARGS;
		for (uint64_t i = 0; i < k; i++)
			if (close_one(chunk[i]) != ZX_OK)
				result = ZX_ERR_BAD_HANDLE;
		done += k;
	}
	return result;
}

static bool rights_ok(zx_rights_t have, zx_rights_t want)
{
	return want == ZX_RIGHT_SAME_RIGHTS || (want & ~have) == 0;
}

int64_t sys_handle_duplicate(zx_handle_t handle, zx_rights_t want, user_ptr out)
{
	zx_rights_t have;
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_NONE, 0, &o, &have);

	if (st != ZX_OK)
		return st;
	if (!(have & ZX_RIGHT_DUPLICATE))
		return ZX_ERR_ACCESS_DENIED;
	if (!rights_ok(have, want))
		return ZX_ERR_INVALID_ARGS;
	return give_handle(o, want == ZX_RIGHT_SAME_RIGHTS ? have : want, out);
}

/* The old handle is consumed whether or not the new one can be made. */
int64_t sys_handle_replace(zx_handle_t handle, zx_rights_t want, user_ptr out)
{
	zx_rights_t have;
	struct object *o;
	zx_status_t st;

	if ((st = handle_take(cur_handles(), handle, &o, &have)) != ZX_OK)
		return st;
	st = rights_ok(have, want) ? give_handle(o, want == ZX_RIGHT_SAME_RIGHTS ? have : want, out)
				   : ZX_ERR_INVALID_ARGS;
	object_unref(o);
	return st;
}
