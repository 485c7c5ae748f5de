/*
 * zx_thread_create, _start, _exit, zx_process_start, zx_futex_wait, _wake,
 * _requeue, zx_system_get_num_cpus.
 */
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

#include "handles/futex.h"
#include "handles/process.h"
#include "handles/thread.h"
#include "kernel.h"
#include "proc.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

/* A name as Zircon's copy_user_string takes it: a pointer even for size 0, cut to 31. */
static zx_status_t copy_name(user_ptr name, size_t name_size, char buf[ZX_MAX_NAME_LEN])
{
	if (!name)
		return ZX_ERR_INVALID_ARGS;
	if (name_size > ZX_MAX_NAME_LEN - 1)
		name_size = ZX_MAX_NAME_LEN - 1;
	return name_size && copy_from_user(buf, name, name_size) ? ZX_ERR_INVALID_ARGS : ZX_OK;
}

/* Zircon's order (sys_thread_create): the options, the name, the process handle, the thread. */
int64_t sys_thread_create(zx_handle_t process, user_ptr name, size_t name_size, uint32_t options,
			  user_ptr out)
{
	char buf[ZX_MAX_NAME_LEN] = {0};
	struct object *o;
	struct thread *t;
	zx_status_t st;

	if (options)
		return ZX_ERR_INVALID_ARGS;
	if ((st = copy_name(name, name_size, buf)) != ZX_OK ||
	    (st = get_object(process, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_MANAGE_THREAD, &o, NULL)) !=
		ZX_OK ||
	    (st = thread_create((struct process *)o, buf, &t)) != ZX_OK)
		return st;
	st = give_handle(&t->obj, ZX_DEFAULT_THREAD_RIGHTS, out);
	object_unref(&t->obj); /* a thread the caller could not get is gone again */
	return st;
}

/* Zircon's order (sys_thread_start, ThreadDispatcher::Start): the handle, the state, the entry. */
int64_t sys_thread_start(zx_handle_t handle, zx_vaddr_t entry, zx_vaddr_t stack, uintptr_t arg1,
			 uintptr_t arg2)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_MANAGE_THREAD, &o, NULL);

	if (st != ZX_OK)
		return st;
	return thread_start((struct thread *)o, entry, stack, arg1, arg2);
}

int64_t sys_thread_exit(void)
{
	proc_thread_exit();
}

/*
 * Zircon's order (sys_process_start, ProcessDispatcher::Start): the
 * process handle (WRITE), the thread handle (WRITE) — arg1 is closed if
 * either fails — then arg1 leaves the caller (an invalid value is simply
 * no handle, as in Zircon), the thread's process, arg1's TRANSFER right,
 * the state, the entry (process_start).
 */
int64_t sys_process_start(zx_handle_t handle, zx_handle_t thread, zx_vaddr_t entry,
			  zx_vaddr_t stack, zx_handle_t arg1, uintptr_t arg2)
{
	struct object *po, *to, *arg = NULL;
	zx_rights_t arg_rights = 0;
	zx_status_t st;

	if ((st = get_object(handle, ZX_OBJ_TYPE_PROCESS, ZX_RIGHT_WRITE, &po, NULL)) != ZX_OK ||
	    (st = get_object(thread, ZX_OBJ_TYPE_THREAD, ZX_RIGHT_WRITE, &to, NULL)) != ZX_OK) {
		if (arg1 != ZX_HANDLE_INVALID)
			close_handle(arg1);
		return st;
	}
	object_ref(po); /* taking arg1 out may close the last handle to either */
	object_ref(to);
	if (arg1 != ZX_HANDLE_INVALID &&
	    handle_take(cur_handles(), arg1, &arg, &arg_rights) != ZX_OK)
		arg = NULL;
	st = process_start((struct process *)po, (struct thread *)to, entry, stack, arg, arg_rights,
			   arg2);
	object_unref(to);
	object_unref(po);
	return st;
}

/* A futex word: 4-byte aligned, in user space. */
static bool futex_ptr_ok(user_ptr p)
{
	return p && !(p & 3) && user_range_ok(p, sizeof(zx_futex_t));
}

/*
 * A futex owner handle: none, or a thread of the caller's process other
 * than the caller that has started and waits on neither `addr` nor `also`.
 * One that has ended is accepted, as no owner. zirv records no owner (no
 * priority inheritance); it checks the handle as Zircon does.
 */
static zx_status_t check_owner(zx_handle_t owner, user_ptr addr, user_ptr also)
{
	struct object *o;
	zx_status_t st;

	if (owner == ZX_HANDLE_INVALID)
		return ZX_OK;
	if ((st = get_object(owner, ZX_OBJ_TYPE_THREAD, 0, &o, NULL)) != ZX_OK)
		return st;
	struct thread *t = (struct thread *)o;
	if (t->state == THREAD_DEAD)
		return ZX_OK;
	if (t == thread_current() || t->proc != current || t->state != THREAD_STARTED ||
	    futex_is_waiting(current, addr, &t->kt) || futex_is_waiting(current, also, &t->kt))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

/* The word at p equals `expect`: ZX_OK, BAD_STATE if not, INVALID_ARGS if unreadable. */
static zx_status_t futex_value_is(user_ptr p, int32_t expect)
{
	zx_futex_t v;
	if (copy_from_user(&v, p, sizeof(v)))
		return ZX_ERR_INVALID_ARGS;
	return v == expect ? ZX_OK : ZX_ERR_BAD_STATE;
}

/* Zircon's order (FutexContext::FutexWait): the pointer, the value, the owner, the wait. */
int64_t sys_futex_wait(user_ptr value_ptr, int32_t current_value, zx_handle_t new_futex_owner,
		       zx_instant_mono_t deadline)
{
	zx_status_t st;

	if (!futex_ptr_ok(value_ptr))
		return ZX_ERR_INVALID_ARGS;
	if ((st = futex_value_is(value_ptr, current_value)) != ZX_OK ||
	    (st = check_owner(new_futex_owner, value_ptr, value_ptr)) != ZX_OK)
		return st;
	thread_current()->blocked_as = ZX_THREAD_STATE_BLOCKED_FUTEX;
	st = futex_wait(current, value_ptr, deadline);
	proc_exit_if_killed();
	return st;
}

int64_t sys_futex_wake(user_ptr value_ptr, uint32_t wake_count)
{
	if (!futex_ptr_ok(value_ptr))
		return ZX_ERR_INVALID_ARGS;
	futex_wake(current, value_ptr, wake_count);
	return ZX_OK;
}

/* Zircon's order (FutexContext::FutexRequeue): both pointers, the value, the owner. */
int64_t sys_futex_requeue(user_ptr value_ptr, uint32_t wake_count, int32_t current_value,
			  user_ptr requeue_ptr, uint32_t requeue_count,
			  zx_handle_t new_requeue_owner)
{
	zx_status_t st;

	if (!futex_ptr_ok(value_ptr) || !futex_ptr_ok(requeue_ptr) || value_ptr == requeue_ptr)
		return ZX_ERR_INVALID_ARGS;
	if ((st = futex_value_is(value_ptr, current_value)) != ZX_OK ||
	    (st = check_owner(new_requeue_owner, value_ptr, requeue_ptr)) != ZX_OK)
		return st;
	futex_requeue(current, value_ptr, wake_count, requeue_ptr, requeue_count);
	return ZX_OK;
}

int64_t sys_system_get_num_cpus(void)
{
	return sched_num_cpus();
}
