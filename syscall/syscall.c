#include <zircon/errors.h>

#include "handles/process.h"
#include "kernel.h"
#include "proc.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

typedef int64_t (*sys_fn)(const uint64_t *a);

/* One stub per syscall: the saved a0.. converted to sys_<name>'s parameter types. */
#define ARGS_0(a)
#define ARGS_1(a) a[0]
#define ARGS_2(a) ARGS_1(a), a[1]
#define ARGS_3(a) ARGS_2(a), a[2]
#define ARGS_4(a) ARGS_3(a), a[3]
#define ARGS_5(a) ARGS_4(a), a[4]
#define ARGS_6(a) ARGS_5(a), a[5]
#define ARGS_7(a) ARGS_6(a), a[6]
#define ARGS_8(a) ARGS_7(a), a[7] /* the stub moved the eighth from a7 to t0 */
#define SYSCALL(n, name, nargs, params)                                                            \
	static int64_t call_##name(const uint64_t *a)                                              \
	{                                                                                          \
		(void)a;                                                                           \
		return sys_##name(ARGS_##nargs(a));                                                \
	}
#include "syscall/syscalls.def"
#undef SYSCALL

static const sys_fn table[] = {
#define SYSCALL(n, name, nargs, params) [n] = call_##name,
#include "syscall/syscalls.def"
#undef SYSCALL
};

/* Called by the trap vector's fast path with the saved a0..a6, t0, and the number (a7). */
int64_t syscall_dispatch_args(const uint64_t *args, uint64_t n)
{
	if (n < ARRAY_SIZE(table) && table[n])
		return table[n](args);
	return ZX_ERR_BAD_SYSCALL;
}

zx_status_t close_handle(zx_handle_t h)
{
	struct object *o;
	zx_status_t st = handle_take(&current->handles, h, &o, NULL);
	if (st == ZX_OK)
		object_unref(o);
	return st;
}

zx_status_t give_two_handles(struct object *o0, zx_rights_t r0, user_ptr out0, struct object *o1,
			     zx_rights_t r1, user_ptr out1)
{
	zx_handle_t h0, h1;
	zx_status_t st;

	if ((st = handle_add(&current->handles, o0, r0, &h0)) != ZX_OK) {
		object_unref(o0);
		object_unref(o1);
		return st;
	}
	if ((st = handle_add(&current->handles, o1, r1, &h1)) != ZX_OK) {
		object_unref(o1);
		close_handle(h0);
		return st;
	}
	if (!user_out_handle_ok(out0) || !user_out_handle_ok(out1) ||
	    copy_to_user(out0, &h0, sizeof(h0)) || copy_to_user(out1, &h1, sizeof(h1))) {
		close_handle(h1);
		close_handle(h0);
		return ZX_ERR_INVALID_ARGS;
	}
	return ZX_OK;
}

bool user_out_handle_ok(user_ptr out)
{
	return !(out & 3) && user_range_ok(out, sizeof(zx_handle_t));
}

zx_status_t give_handle(struct object *o, zx_rights_t rights, uint64_t out)
{
	object_ref(o);
	return give_handle_ref(o, rights, out);
}

zx_status_t give_handle_ref(struct object *o, zx_rights_t rights, uint64_t out)
{
	zx_handle_t h;
	zx_status_t st = ZX_ERR_INVALID_ARGS;

	if (!user_out_handle_ok(out) ||
	    (st = handle_add(&current->handles, o, rights, &h)) != ZX_OK) {
		object_unref(o);
		return st;
	}
	if ((st = copy_to_user(out, &h, sizeof(h))) != ZX_OK) {
		struct object *back;
		handle_take(&current->handles, h, &back, NULL);
		object_unref(back);
	}
	return st;
}
