#include <string.h>
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/process.h"
#include "kernel.h"
#include "mm/heap.h"

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

void process_started(struct process *p, zx_time_t now)
{
	p->start_time = now;
	p->flags = ZX_INFO_PROCESS_FLAG_STARTED;
	p->state = PROC_RUNNING;
}

bool process_kill(struct process *p, int64_t code)
{
	if (p->state == PROC_DEAD || p->state == PROC_DYING)
		return p->state == PROC_DEAD;
	if (p->state == PROC_RUNNING) {
		p->return_code = code;
		p->state = PROC_DYING;
		return false;
	}
	object_ref(&p->obj); /* tearing down must not free it under us */
	process_end(p, code);
	object_unref(&p->obj);
	return true;
}

void process_end(struct process *p, int64_t code)
{
	p->state = PROC_DEAD;
	p->return_code = code;
	p->flags |= ZX_INFO_PROCESS_FLAG_EXITED;
	object_signal(&p->obj, 0, ZX_PROCESS_TERMINATED);
	vmar_destroy(p->root_vmar->vmar);
	handle_table_destroy(&p->handles);
	aspace_destroy(&p->as);
	job_remove_process(p->job, p);
}
