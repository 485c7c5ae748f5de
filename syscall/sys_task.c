/* zx_job_create, zx_process_create, zx_task_kill. */
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

#include "handles/job.h"
#include "handles/process.h"
#include "kernel.h"
#include "proc.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

/* Zircon's order (sys_job_create, JobDispatcher::Create): options, the handle, the tree. */
int64_t sys_job_create(zx_handle_t parent, uint32_t options, user_ptr out)
{
	struct object *o;
	struct job *j;
	zx_status_t st;

	if (options)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(parent, ZX_OBJ_TYPE_JOB, ZX_RIGHT_MANAGE_JOB, &o, NULL)) != ZX_OK ||
	    (st = job_create((struct job *)o, &j)) != ZX_OK)
		return st;
	st = give_handle(&j->obj, ZX_DEFAULT_JOB_RIGHTS, out);
	object_unref(&j->obj); /* a job the caller could not get is gone again */
	return st;
}

/*
 * Zircon's order (sys_process_create, ProcessDispatcher::Create): the
 * options, the name, the job handle, the process, its place in the job;
 * the two handles last (both or neither).
 */
int64_t sys_process_create(zx_handle_t job, user_ptr name, size_t name_size, uint32_t options,
			   user_ptr proc_handle, user_ptr vmar_handle)
{
	char buf[ZX_MAX_NAME_LEN] = {0};
	struct object *o;
	struct process *p;
	zx_status_t st;

	if (options & ~ZX_PROCESS_SHARED)
		return ZX_ERR_INVALID_ARGS;
	if (options)
		return ZX_ERR_NOT_SUPPORTED; /* address spaces shared between processes: not yet */
	if (!name)
		return ZX_ERR_INVALID_ARGS; /* even with size 0, as Zircon's copy_user_string */
	if (name_size > ZX_MAX_NAME_LEN - 1)
		name_size = ZX_MAX_NAME_LEN - 1; /* at most 31 characters survive */
	if (name_size && copy_from_user(buf, name, name_size))
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(job, ZX_OBJ_TYPE_JOB, ZX_RIGHT_MANAGE_PROCESS, &o, NULL)) != ZX_OK ||
	    (st = process_create((struct job *)o, buf, &p)) != ZX_OK)
		return st;
	object_ref(&p->root_vmar->obj); /* the VMAR handle's */
	return give_two_handles(&p->obj, ZX_DEFAULT_PROCESS_RIGHTS, proc_handle, &p->root_vmar->obj,
				ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE |
				    ZX_RIGHT_EXECUTE,
				vmar_handle);
}

/*
 * Zircon's order (sys_task_kill): DESTROY before the type, then a job or a
 * process; always ZX_OK. A process that kills itself (or a job above it)
 * does not come back from the call.
 */
int64_t sys_task_kill(zx_handle_t handle)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_NONE, ZX_RIGHT_DESTROY, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (o->type == ZX_OBJ_TYPE_JOB)
		job_kill((struct job *)o, ZX_TASK_RETCODE_SYSCALL_KILL);
	else if (o->type == ZX_OBJ_TYPE_PROCESS)
		process_kill((struct process *)o, ZX_TASK_RETCODE_SYSCALL_KILL);
	else
		return ZX_ERR_WRONG_TYPE;
	proc_exit_if_killed(); /* it was the caller's process, or a job above it */
	return ZX_OK;
}
