#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/job.h"
#include "handles/process.h"
#include "kernel.h"
#include "mm/heap.h"

#define ROOT_JOB_MAX_HEIGHT 32	      /* Zircon's kRootJobMaxHeight */
#define JOB_NO_CHILDREN	    (1u << 6) /* Zircon's kernel-side ZX_JOB_NO_CHILDREN */

/* NO_JOBS, NO_PROCESSES, NO_CHILDREN as the lists are now. */
static void update_signals(struct job *j)
{
	zx_signals_t set = (j->jobs ? 0 : ZX_JOB_NO_JOBS) | (j->procs ? 0 : ZX_JOB_NO_PROCESSES);
	if (!j->jobs && !j->procs)
		set |= JOB_NO_CHILDREN;
	object_signal(&j->obj, ZX_JOB_NO_JOBS | ZX_JOB_NO_PROCESSES | JOB_NO_CHILDREN, set);
}

static void unlink_job(struct job *j)
{
	*j->pprev = j->next;
	if (j->next)
		j->next->pprev = j->pprev;
	j->pprev = NULL;
}

/*
 * A killed job whose last child left is dead: TERMINATED, and out of its
 * parent, which may be dead then too — up the tree, without recursing.
 */
static void finish_dead(struct job *j)
{
	while (j && j->state == JOB_KILLING && !j->jobs && !j->procs) {
		j->state = JOB_DEAD;
		object_signal(&j->obj, 0, ZX_JOB_TERMINATED);
		struct job *parent = j->parent;
		if (parent && j->pprev) {
			unlink_job(j);
			update_signals(parent);
		}
		j = parent;
	}
}

static void job_destroy(struct object *o)
{
	struct job *j = (struct job *)o;

	KASSERT(!j->jobs && !j->procs); /* children hold references to their job */
	if (j->parent) {
		if (j->pprev) {
			unlink_job(j);
			update_signals(j->parent);
		}
		object_unref(&j->parent->obj);
	}
	kfree(j, sizeof(*j));
}

static zx_status_t job_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				size_t len, size_t *actual)
{
	const struct job *j = (const struct job *)o;
	zx_info_job_t info = {.return_code = j->return_code, .exited = j->state != JOB_READY};

	(void)rights;
	(void)topic; /* ZX_INFO_JOB */
	return object_info_out(buf, len, &info, sizeof(info), actual);
}

static zx_koid_t job_related(const struct object *o)
{
	const struct job *j = (const struct job *)o;
	return j->parent ? j->parent->obj.koid : 0;
}

static const struct object_ops job_ops = {
    .destroy = job_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .get_info = job_get_info,
    .related_koid = job_related,
};

static struct job *job_new(struct job *parent, uint32_t max_height)
{
	struct job *j = kzalloc(sizeof(*j));
	if (!j)
		return NULL;
	object_init(&j->obj, ZX_OBJ_TYPE_JOB, &job_ops);
	j->max_height = max_height;
	update_signals(j);
	if ((j->parent = parent)) {
		object_ref(&parent->obj);
		j->next = parent->jobs;
		if (j->next)
			j->next->pprev = &j->next;
		j->pprev = &parent->jobs;
		parent->jobs = j;
		update_signals(parent);
	}
	return j;
}

zx_status_t job_create_root(struct job **out)
{
	return (*out = job_new(NULL, ROOT_JOB_MAX_HEIGHT)) ? ZX_OK : ZX_ERR_NO_MEMORY;
}

zx_status_t job_create(struct job *parent, struct job **out)
{
	if (parent->max_height == 0)
		return ZX_ERR_OUT_OF_RANGE;
	if (parent->state != JOB_READY)
		return ZX_ERR_BAD_STATE;
	return (*out = job_new(parent, parent->max_height - 1)) ? ZX_OK : ZX_ERR_NO_MEMORY;
}

/*
 * Kill j's tree: every READY job below it, found breadth first and held
 * (a reference each, linked through kill_next: no recursion, and no job
 * freed under the walk), is marked KILLING and its processes killed; then
 * the empty ones die, each death climbing to parents it leaves empty.
 */
void job_kill(struct job *j, int64_t code)
{
	if (j->state != JOB_READY)
		return;
	struct job *tail = j;
	j->kill_next = NULL;
	j->state = JOB_KILLING;
	j->return_code = code;
	object_ref(&j->obj);
	for (struct job *k = j; k; k = k->kill_next)
		for (struct job *c = k->jobs; c; c = c->next)
			if (c->state == JOB_READY) {
				c->state = JOB_KILLING;
				c->return_code = code;
				object_ref(&c->obj);
				c->kill_next = NULL;
				tail->kill_next = c;
				tail = c;
			}
	for (struct job *k = j; k; k = k->kill_next)
		for (struct process *p = k->procs, *next; p; p = next) {
			next = p->job_next;
			process_kill(p, code); /* off the list, or left dying (it is running) */
		}
	for (struct job *k = j; k; k = k->kill_next)
		finish_dead(k);
	for (struct job *k = j, *next; k; k = next) {
		next = k->kill_next;
		object_unref(&k->obj);
	}
}

zx_status_t job_add_process(struct job *j, struct process *p)
{
	if (j->state != JOB_READY)
		return ZX_ERR_BAD_STATE;
	p->job_next = j->procs;
	if (p->job_next)
		p->job_next->job_pprev = &p->job_next;
	p->job_pprev = &j->procs;
	j->procs = p;
	update_signals(j);
	return ZX_OK;
}

void job_remove_process(struct job *j, struct process *p)
{
	if (!p->job_pprev)
		return;
	*p->job_pprev = p->job_next;
	if (p->job_next)
		p->job_next->job_pprev = p->job_pprev;
	p->job_pprev = NULL;
	update_signals(j);
	finish_dead(j);
}
