/*
 * System calls: one table (syscalls.def) gives numbers to the kernel's
 * dispatch and the SDK's stubs. Each sys_* takes the raw argument
 * registers a0..a6 and returns the value for a0; it checks handles and
 * rights, copies user memory, and calls one object function.
 */
#ifndef ZIRV_SYSCALL_H
#define ZIRV_SYSCALL_H

#include <stdint.h>
#include <zircon/types.h>

#include "handles/handle.h"
#include "handles/process.h"
#include "proc.h"
#include "syscall/uaccess.h"
#include "trap.h"

/* What the trap vector calls for a number without a syscall: ZX_ERR_BAD_SYSCALL. */
int64_t syscall_bad_number(void);

/* A user-space address: checked by the copy helpers (syscall/uaccess.h), never dereferenced. */
typedef uint64_t user_ptr;

#define SYSCALL(n, name, nargs, params) int64_t sys_##name params;
#include "syscall/syscalls.def"
#undef SYSCALL

/* The current process's handle table. */
static inline struct handle_table *cur_handles(void)
{
	return &current->handles;
}

/* Look up a handle of `type` with `rights` in the current process (inline: every syscall). */
static inline zx_status_t get_object(zx_handle_t h, zx_obj_type_t type, zx_rights_t rights,
				     struct object **o, zx_rights_t *have)
{
	return handle_get(cur_handles(), h, type, rights, o, have);
}
/* Remove a live handle from the current process's table and drop it; BAD_HANDLE otherwise. */
zx_status_t close_handle(zx_handle_t h);
/* Can a handle be written at user `out` (4-byte aligned, in user space)? */
static inline bool user_out_handle_ok(user_ptr out)
{
	return !(out & 3) && user_range_ok(out, sizeof(zx_handle_t));
}
/*
 * Install handles to o0 and o1 (taking over one reference to each) and
 * write their values to user out0 and out1, both or neither: on failure
 * both references are dropped and nothing is left behind. The values are
 * written last, as Zircon writes out-handles.
 */
zx_status_t give_two_handles(struct object *o0, zx_rights_t r0, user_ptr out0, struct object *o1,
			     zx_rights_t r1, user_ptr out1);
/* Install a new handle and write its value to user `out`; on failure nothing is left behind. */
zx_status_t give_handle(struct object *o, zx_rights_t rights, uint64_t out);
/* give_handle, the new handle taking over the caller's reference (dropped on failure). */
zx_status_t give_handle_ref(struct object *o, zx_rights_t rights, uint64_t out);

#endif
