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
#include "handles/vmar.h"

enum process_state {
	PROC_INITIAL, /* made, never started */
	PROC_RUNNING,
	PROC_DYING, /* killed while running: ends when its thread next leaves the kernel */
	PROC_DEAD,
};

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
	uint32_t flags; /* ZX_INFO_PROCESS_FLAG_* */
};

/*
 * A process named `name` in `job`, with an empty handle table and address
 * space; one reference for the caller. BAD_STATE if the job was killed,
 * NO_MEMORY.
 */
zx_status_t process_create(struct job *job, const char *name, struct process **out);
/* Record that p has started at `now` (ZX_INFO_PROCESS_FLAG_STARTED, the start time). */
void process_started(struct process *p, zx_time_t now);
/*
 * zx_task_kill: end p with `code` (ZX_TASK_RETCODE_SYSCALL_KILL). A
 * process that never started ends at once (process_end); a running one is
 * left PROC_DYING, for the kernel to end once its syscall is done. Nothing
 * for a dead one. Returns whether p is dead now.
 */
bool process_kill(struct process *p, int64_t code);
/*
 * End p with `code`: record it, assert ZX_PROCESS_TERMINATED, then unmap
 * its address space, close every handle it holds, free its page tables and
 * leave its job. The object lives on for the references still held to it.
 * Its address space must not be the one in use.
 */
void process_end(struct process *p, int64_t code);

#endif
