#include <string.h>
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/process.h"
#include "handles/thread.h"
#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "sched.h"
#include "timer.h"

static void thread_destroy(struct object *o)
{
	struct thread *t = (struct thread *)o;
	if (t->state == THREAD_NEW)
		thread_finish(t); /* never started: its process forgets it now */
	object_unref(&t->proc->obj);
	kfree(t, sizeof(*t));
}

static uint32_t zx_state(const struct thread *t)
{
	switch (t->state) {
	case THREAD_NEW:
		return ZX_THREAD_STATE_NEW;
	case THREAD_DEAD:
		return ZX_THREAD_STATE_DEAD;
	default:
		if (t->kt.killed)
			return ZX_THREAD_STATE_DYING;
		return t->kt.state == KT_BLOCKED ? t->blocked_as : ZX_THREAD_STATE_RUNNING;
	}
}

static zx_status_t thread_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				   size_t len, size_t *actual)
{
	struct thread *t = (struct thread *)o;
	(void)rights;
	if (topic == ZX_INFO_THREAD) {
		zx_info_thread_t info = {.state = zx_state(t)};
		for (uint32_t i = 0; i < sched_num_cpus(); i++)
			info.cpu_affinity_mask.mask[i / 64] |= 1ul << (i % 64);
		return object_info_out(buf, len, &info, sizeof(info), actual);
	}
	uint64_t ticks = t->kt.runtime;
	if (t->kt.state == KT_RUNNING && t->state == THREAD_STARTED)
		ticks += timer_ticks() - t->kt.ran_since;
	zx_info_thread_stats_t stats = {
	    .total_runtime = timer_ticks_to_ns(ticks),
	    .last_scheduled_cpu = t->kt.cpu ? t->kt.cpu->index : ZX_INFO_INVALID_CPU,
	};
	return object_info_out(buf, len, &stats, sizeof(stats), actual);
}

static zx_koid_t thread_related(const struct object *o)
{
	return ((const struct thread *)o)->proc->obj.koid;
}

static const struct object_ops thread_ops = {
    .destroy = thread_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .get_info = thread_get_info,
    .related_koid = thread_related,
};

zx_status_t thread_create(struct process *p, const char *name, struct thread **out)
{
	KLOCK_HELD();
	if (p->state == PROC_DYING || p->state == PROC_DEAD)
		return ZX_ERR_BAD_STATE;
	struct thread *t = kzalloc(sizeof(*t));
	if (!t)
		return ZX_ERR_NO_MEMORY;
	object_init(&t->obj, ZX_OBJ_TYPE_THREAD, &thread_ops);
	object_set_name(&t->obj, name, strlen(name));
	object_ref(&p->obj);
	t->proc = p;
	t->state = THREAD_NEW;
	process_add_thread(p, t);
	*out = t;
	return ZX_OK;
}

/* Off its stack at last (kernel/sched.c): the stack goes back, and the running reference. */
static void thread_reap(struct kthread *kt)
{
	struct thread *t = thread_of(kt);
	kvm_stack_free(kt->kstack_top);
	object_unref(&t->obj);
}

bool user_entry_ok(uint64_t pc)
{
	return pc >= USER_BASE && pc < USER_END;
}

zx_status_t thread_start(struct thread *t, uint64_t pc, uint64_t sp, uint64_t arg0, uint64_t arg1)
{
	KLOCK_HELD();
	if (t->state != THREAD_NEW || t->proc->state != PROC_RUNNING)
		return ZX_ERR_BAD_STATE;
	if (!user_entry_ok(pc))
		return ZX_ERR_INVALID_ARGS;
	vaddr_t top = kvm_stack_alloc("a thread's kernel stack");
	if (!top)
		return ZX_ERR_NO_MEMORY;
	kthread_init_user(&t->kt, top, pc, sp, arg0, arg1);
	t->kt.mmu = &t->proc->as.mmu;
	t->kt.owner = t->proc;
	t->kt.reap = thread_reap;
	t->state = THREAD_STARTED;
	t->proc->running_threads++;
	object_ref(&t->obj); /* the running reference */
	object_signal(&t->obj, 0, ZX_THREAD_RUNNING);
	sched_ready(&t->kt);
	return ZX_OK;
}

bool thread_finish(struct thread *t)
{
	bool ran = t->state == THREAD_STARTED;
	t->state = THREAD_DEAD;
	object_signal(&t->obj, ZX_THREAD_RUNNING, ZX_THREAD_TERMINATED);
	return process_remove_thread(t->proc, t, ran);
}
