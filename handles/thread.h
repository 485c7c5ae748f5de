/*
 * Thread objects: a kthread (kernel/sched.h) that belongs to a process.
 * A thread is made NEW, started once (with its own kernel stack), and
 * ends DEAD: ZX_THREAD_TERMINATED is asserted, it leaves its process, and
 * once it is off its kernel stack the stack goes back and its running
 * reference is dropped. While it runs it holds a reference to itself and
 * to its process.
 */
#ifndef ZIRV_HANDLES_THREAD_H
#define ZIRV_HANDLES_THREAD_H

#include <zircon/types.h>

#include "handles/object.h"
#include "sched.h"

struct process;

enum thread_state { THREAD_NEW, THREAD_STARTED, THREAD_DEAD };

struct thread {
	struct object obj;
	struct kthread kt;
	struct process *proc;			/* a reference */
	struct thread *proc_next, **proc_pprev; /* among its process's live threads */
	enum thread_state state;
	uint32_t blocked_as; /* ZX_THREAD_STATE_BLOCKED_* while blocked in a syscall */
};

static inline struct thread *thread_of(struct kthread *kt)
{
	return (struct thread *)((char *)kt - __builtin_offsetof(struct thread, kt));
}

/* Can a thread start at pc? (Zircon: a user address.) */
bool user_entry_ok(uint64_t pc);
/* The calling thread (NULL on a hart's idle thread). */
static inline struct thread *thread_current(void)
{
	struct kthread *kt = this_thread();
	return kt->owner ? thread_of(kt) : NULL;
}

/* A NEW thread named `name` in p: BAD_STATE once p is dying or dead, NO_MEMORY. */
zx_status_t thread_create(struct process *p, const char *name, struct thread **out);
/*
 * Start t at pc with sp, a0 = arg0, a1 = arg1. BAD_STATE unless t is NEW
 * and its process running, INVALID_ARGS for a pc outside user space,
 * NO_MEMORY without a kernel stack.
 */
zx_status_t thread_start(struct thread *t, uint64_t pc, uint64_t sp, uint64_t arg0, uint64_t arg1);
/*
 * t is done (it is the caller, or it never started): DEAD, TERMINATED,
 * out of its process. Returns whether that was its process's last thread.
 */
bool thread_finish(struct thread *t);

#endif
