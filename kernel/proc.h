/*
 * Processes. zirv runs one user thread per process and, for now, one
 * process: the first one, loaded from the initrd (or the built-in demo).
 * It runs on the boot hart's kernel stack; its exit powers the machine off
 * with its exit code.
 */
#ifndef ZIRV_PROC_H
#define ZIRV_PROC_H

#include <zircon/types.h>

#include "handles/handle.h"
#include "handles/vmar.h"
#include "trap.h"

struct process {
	struct object obj;
	struct handle_table handles;
	struct aspace as;
	struct vmar_obj *root_vmar;
	int64_t return_code;
	zx_time_t start_time;
	uint32_t flags; /* ZX_INFO_PROCESS_FLAG_* */
};

extern struct process *current;

/* Load `elf` as the first process and enter it; does not return. */
__attribute__((noreturn)) void proc_start_first(const void *elf, size_t size, const char *name);
/* End the current process with `code` (syscall or fault); does not return. */
__attribute__((noreturn)) void proc_exit(int64_t code);
/* A user trap the process did not handle: report it and end the process. */
__attribute__((noreturn)) void proc_fault(struct trap_frame *tf);
zx_status_t proc_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
			  size_t len, size_t *actual);

#endif
