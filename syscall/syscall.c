#include <zircon/errors.h>

#include "handles/process.h"
#include "kernel.h"
#include "proc.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

typedef int64_t (*sys_fn)(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			  uint64_t a5, uint64_t a6, uint64_t a7);

/*
 * One stub per syscall: the user's a0.. (whole registers, any bits)
 * converted to sys_<name>'s parameter types, so that a 32-bit parameter
 * is what the calling convention promises (sign-extended) whatever the
 * user put in the upper half. Mostly a tail call.
 */
#define ARGS_0
#define ARGS_1 a0
#define ARGS_2 ARGS_1, a1
#define ARGS_3 ARGS_2, a2
#define ARGS_4 ARGS_3, a3
#define ARGS_5 ARGS_4, a4
#define ARGS_6 ARGS_5, a5
#define ARGS_7 ARGS_6, a6
#define ARGS_8 ARGS_7, a7 /* the trap vector moved the eighth from t0 to a7 */
#define SYSCALL(n, name, nargs, params)                                                            \
	static int64_t call_##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,             \
				   uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7)             \
	{                                                                                          \
		(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5, (void)a6, (void)a7;    \
		return sys_##name(ARGS_##nargs);                                                   \
	}
#include "syscall/syscalls.def"
#undef SYSCALL

/* Its size is the highest number plus one. */
union syscall_numbers {
#define SYSCALL(n, name, nargs, params) char name[(n) + 1];
#include "syscall/syscalls.def"
#undef SYSCALL
};
#define SYSCALL_COUNT sizeof(union syscall_numbers)

/* What the trap vector's fast path calls through (kernel/trapvec.S): a count, then the stubs. */
const struct {
	uint64_t count;
	sys_fn fn[SYSCALL_COUNT];
} syscall_table = {
    .count = SYSCALL_COUNT,
    .fn =
	{
#define SYSCALL(n, name, nargs, params) [n] = call_##name,
#include "syscall/syscalls.def"
#undef SYSCALL
	},
};

/* A number past the table or without a syscall. */
int64_t syscall_bad_number(void)
{
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
	if (!user_out_handle_ok(out0) || !user_out_handle_ok(out1) || put_user_u32(out0, h0) ||
	    put_user_u32(out1, h1)) {
		close_handle(h1);
		close_handle(h0);
		return ZX_ERR_INVALID_ARGS;
	}
	return ZX_OK;
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

	/* A bad `out` is INVALID_ARGS even with the table full (test
	 * Table.HoldsExactly256AndRecovers). */
	if (!user_out_handle_ok(out) ||
	    (st = handle_add(&current->handles, o, rights, &h)) != ZX_OK) {
		object_unref(o);
		return st;
	}
	if ((st = put_user_u32(out, h)) != ZX_OK) {
		struct object *back;
		handle_take(&current->handles, h, &back, NULL);
		object_unref(back);
	}
	return st;
}
