#include <string.h>
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/process.h"
#include "kernel.h"
#include "mm/heap.h"
#include "sched.h"
#include "timer.h"

static void process_destroy(struct object *o)
{
	struct process *p = (struct process *)o;
	if (p->state != PROC_DEAD) /* never started, and its last handle closed */
		process_end(p, 0);
	if (p->root_vmar)
		object_unref(&p->root_vmar->obj);
	object_unref(&p->job->obj);
	kfree(p, sizeof(*p));
}

static zx_status_t process_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				    size_t len, size_t *actual)
{
	struct process *p = (struct process *)o;
	zx_info_process_t info = {
	    .return_code = p->return_code,
	    .start_time = p->start_time,
	    .flags = p->flags,
	};

	/* As Zircon reports it: a process that ended counts as started, even if it never was. */
	if (p->state == PROC_DYING || p->state == PROC_DEAD)
		info.flags |= ZX_INFO_PROCESS_FLAG_STARTED | ZX_INFO_PROCESS_FLAG_EXITED;

	(void)rights;
	(void)topic; /* ZX_INFO_PROCESS */
	return object_info_out(buf, len, &info, sizeof(info), actual);
}

static zx_koid_t process_related(const struct object *o)
{
	return ((const struct process *)o)->job->obj.koid;
}

static const struct object_ops process_ops = {
    .destroy = process_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .get_info = process_get_info,
    .related_koid = process_related,
};

/* The parts of a process that can fail: handle table, address space, root VMAR. */
static zx_status_t process_init(struct process *p)
{
	zx_status_t st;

	if ((st = handle_table_init(&p->handles)) == ZX_OK) {
		if ((st = aspace_init(&p->as)) == ZX_OK) {
			if ((st = vmar_obj_create_root(&p->as, &p->root_vmar)) == ZX_OK)
				return ZX_OK;
			aspace_destroy(&p->as);
		}
		handle_table_destroy(&p->handles);
	}
	return st;
}

zx_status_t process_create(struct job *job, const char *name, struct process **out)
{
	KLOCK_HELD();
	struct process *p = kzalloc(sizeof(*p));
	zx_status_t st;

	if (!p)
		return ZX_ERR_NO_MEMORY;
	if ((st = process_init(p)) != ZX_OK) {
		kfree(p, sizeof(*p));
		return st;
	}
	object_init(&p->obj, ZX_OBJ_TYPE_PROCESS, &process_ops);
	object_set_name(&p->obj, name, strlen(name));
	object_ref(&job->obj);
	p->job = job;
	if ((st = job_add_process(job, p)) != ZX_OK) { /* after the rest, as in Zircon */
		object_unref(&p->obj);
		return st;
	}
	*out = p;
	return ZX_OK;
}

zx_status_t process_start(struct process *p, struct thread *t, uint64_t pc, uint64_t sp,
			  struct object *arg, zx_rights_t arg_rights, uint64_t arg2)
{
	zx_handle_t h = ZX_HANDLE_INVALID;
	zx_status_t st = ZX_OK;

	if (t->proc != p || (arg && !(arg_rights & ZX_RIGHT_TRANSFER)))
		st = ZX_ERR_ACCESS_DENIED;
	else if (p->state != PROC_INITIAL || t->state != THREAD_NEW)
		st = ZX_ERR_BAD_STATE;
	else if (!user_entry_ok(pc))
		st = ZX_ERR_INVALID_ARGS;
	if (st == ZX_OK && arg && (st = handle_add(&p->handles, arg, arg_rights, &h)) == ZX_OK)
		arg = NULL; /* the new handle holds it */
	if (st == ZX_OK) {
		p->state = PROC_RUNNING;
		if ((st = thread_start(t, pc, sp, h, arg2)) != ZX_OK) {
			p->state = PROC_INITIAL;
			if (h != ZX_HANDLE_INVALID &&
			    handle_take(&p->handles, h, &arg, NULL) != ZX_OK)
				arg = NULL;
		}
	}
	if (arg)
		object_unref(arg);
	if (st == ZX_OK) {
		p->start_time = timer_now();
		p->flags = ZX_INFO_PROCESS_FLAG_STARTED;
	}
	return st;
}

void process_add_thread(struct process *p, struct thread *t)
{
	t->proc_next = p->threads;
	if (t->proc_next)
		t->proc_next->proc_pprev = &t->proc_next;
	t->proc_pprev = &p->threads;
	p->threads = t;
}

bool process_remove_thread(struct process *p, struct thread *t, bool ran)
{
	if (!t->proc_pprev)
		return false;
	*t->proc_pprev = t->proc_next;
	if (t->proc_next)
		t->proc_next->proc_pprev = t->proc_pprev;
	t->proc_pprev = NULL;
	if (!ran)
		return false; /* never counted */
	return --p->running_threads == 0 && (p->state == PROC_RUNNING || p->state == PROC_DYING);
}

bool process_kill(struct process *p, int64_t code)
{
	KLOCK_HELD();
	if (p->state == PROC_DEAD || p->state == PROC_DYING)
		return p->state == PROC_DEAD;
	if (p->state == PROC_RUNNING) {
		p->return_code = code;
		p->state = PROC_DYING;
		for (struct thread *t = p->threads, *next; t; t = next) {
			next = t->proc_next;
			if (t->state == THREAD_NEW)
				thread_finish(t); /* never ran: nothing to stop */
			else
				sched_kill(&t->kt);
		}
		return false;
	}
	object_ref(&p->obj); /* tearing down must not free it under us */
	process_end(p, code);
	object_unref(&p->obj);
	return true;
}

void process_end(struct process *p, int64_t code)
{
	while (p->threads)
		thread_finish(p->threads); /* only threads that never started are left */
	p->state = PROC_DEAD;
	p->return_code = code;
	p->flags |= ZX_INFO_PROCESS_FLAG_EXITED;
	object_signal(&p->obj, 0, ZX_PROCESS_TERMINATED);
	vmar_destroy(p->root_vmar->vmar);
	handle_table_destroy(&p->handles);
	aspace_destroy(&p->as);
	job_remove_process(p->job, p);
}
