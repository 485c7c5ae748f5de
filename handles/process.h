/*
 * Process objects: a handle table, an address space and its root VMAR,
 * and what ZX_INFO_PROCESS reports. Making a process and ending one live
 * here; which process runs, and starting the first one, are kernel/'s
 * (kernel/proc.c).
 */
#ifndef ZIRV_HANDLES_PROCESS_H
#define ZIRV_HANDLES_PROCESS_H

#include <zircon/types.h>

#include "handles/handle.h"
#include "handles/vmar.h"

struct process {
	struct object obj;
	struct handle_table handles;
	struct aspace as;
	struct vmar_obj *root_vmar;
	int64_t return_code;
	zx_time_t start_time;
	uint32_t flags; /* ZX_INFO_PROCESS_FLAG_* */
};

/* A process named `name` with an empty handle table and address space; one reference. */
zx_status_t process_create(const char *name, struct process **out);
/*
 * Record that p has started at `now` (ZX_INFO_PROCESS_FLAG_STARTED and
 * the start time).
 */
void process_started(struct process *p, zx_time_t now);
/*
 * End p with `code`: record it, assert ZX_PROCESS_TERMINATED, then unmap
 * its address space, close every handle it holds and free its page
 * tables. The object lives on for the references still held to it.
 */
void process_end(struct process *p, int64_t code);

#endif
