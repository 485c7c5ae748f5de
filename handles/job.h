/*
 * Jobs: the tree processes live in. A job holds a reference to its parent;
 * a parent lists its live child jobs and processes without holding them,
 * so a job whose handles are all closed lives on while it has children,
 * and leaves its parent's lists when it goes. Killing a job kills every
 * process and job below it; a job is dead (ZX_JOB_TERMINATED) once it was
 * killed and has no children left. Processes join through
 * job_add_process / job_remove_process (handles/process.c).
 */
#ifndef ZIRV_HANDLES_JOB_H
#define ZIRV_HANDLES_JOB_H

#include <stdbool.h>
#include <zircon/types.h>

#include "handles/object.h"

struct process;

enum job_state { JOB_READY, JOB_KILLING, JOB_DEAD };

struct job {
	struct object obj;
	struct job *parent; /* a reference; NULL for the root job */
	struct job *jobs;   /* live child jobs (not references) */
	struct job *next, **pprev;
	struct process *procs; /* live processes (not references) */
	enum job_state state;
	int64_t return_code;
	uint32_t max_height;   /* how many levels of jobs may still go below it */
	struct job *kill_next; /* job_kill's list of the jobs it is killing */
};

/* The root job, made once at start-up (one reference for the caller). */
zx_status_t job_create_root(struct job **out);
/* A child of `parent`: OUT_OF_RANGE (too deep), BAD_STATE (parent killed), NO_MEMORY. */
zx_status_t job_create(struct job *parent, struct job **out);
/* zx_task_kill of a job: every process and job below it, with `code`. */
void job_kill(struct job *j, int64_t code);
/* p joins j: BAD_STATE if j is no longer READY. */
zx_status_t job_add_process(struct job *j, struct process *p);
/* p leaves its job (it died or was destroyed); a killed job may die of it. */
void job_remove_process(struct job *j, struct process *p);

#endif
