/*
 * Process objects: a handle table, an address space and its root VMAR,
 * the job it belongs to, and what ZX_INFO_PROCESS reports. Making,
 * killing and ending a process live here; which process runs, and
 * starting the first one, are kernel/'s (kernel/proc.c).
 */
#ifndef ZIRV_HANDLES_PROCESS_H
#define ZIRV_HANDLES_PROCESS_H

#include <stdbool.h>
#include <zircon/types.h>

#include "handles/handle.h"
#include "handles/job.h"
#include "handles/thread.h"
#include "handles/vmar.h"

enum process_state {
	PROC_INITIAL, /* made, never started */
	PROC_RUNNING,
	PROC_DYING, /* killed or exiting: ends when its last running thread has left */
	PROC_DEAD,
};

struct thread;

struct process {
	struct object obj;
	struct handle_table handles;
	struct aspace as;
	struct vmar_obj *root_vmar;
	struct job *job; /* a reference */
	struct process *job_next, **job_pprev;
	enum process_state state;
	int64_t return_code;
	zx_time_t start_time;
	uint32_t flags;		  /* ZX_INFO_PROCESS_FLAG_* */
	struct thread *threads;	  /* live ones (not references): each holds the process */
	uint32_t running_threads; /* started and not yet finished: the last to go ends it */
};

/*
 * A process named `name` in `job`, with an empty handle table and address
 * space; one reference for the caller. BAD_STATE if the job was killed,
 * NO_MEMORY.
 */
zx_status_t process_create(struct job *job, const char *name, struct process **out);
/*
 * zx_process_start: start p's first thread t at pc with sp; `arg` (a
 * handle's object and rights, or NULL) moves into p's table and its value
 * is the thread's a0, arg2 its a1. In Zircon's order: ACCESS_DENIED if t
 * is not p's or arg lacks ZX_RIGHT_TRANSFER, BAD_STATE unless p and t are
 * new, INVALID_ARGS for a pc outside user space; `arg` is dropped on
 * failure.
 */
zx_status_t process_start(struct process *p, struct thread *t, uint64_t pc, uint64_t sp,
			  struct object *arg, zx_rights_t arg_rights, uint64_t arg2);
/*
 * Kill p with `code` (zx_task_kill, a job kill, zx_process_exit, a fault).
 * A process that never started ends at once; a running one becomes
 * PROC_DYING and each running thread is told to leave (sched_kill): the
 * last one to go ends it. Returns whether p is dead now.
 */
bool process_kill(struct process *p, int64_t code);
/*
 * Threads join and leave (handles/thread.c). Leaving returns whether t,
 * which `ran` or never started, was the last running thread of p.
 */
void process_add_thread(struct process *p, struct thread *t);
bool process_remove_thread(struct process *p, struct thread *t, bool ran);
/*
 * End p with `code`: record it, assert ZX_PROCESS_TERMINATED, finish the
 * threads that never started, then unmap its address space, close every
 * handle it holds, free its page tables and leave its job. The object
 * lives on for the references still held to it. No thread of it may be
 * running, and its address space must not be the one in use.
 */
void process_end(struct process *p, int64_t code);

#endif
