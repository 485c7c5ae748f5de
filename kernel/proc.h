/*
 * Running processes: starting the first one, and how threads and
 * processes end. The first process is loaded from the initrd (or the
 * built-in demo) and started on the run queue; when it ends, the machine
 * powers off with its return code. The process and thread objects are
 * handles/'s.
 */
#ifndef ZIRV_PROC_H
#define ZIRV_PROC_H

#include <zircon/types.h>

#include "sched.h"
#include "trap.h"

struct process;

/* The process of the thread running on this hart (NULL on an idle hart). */
#define current ((struct process *)this_thread()->owner)

/*
 * Load `elf` as the first process and queue its thread; sched_run() then
 * runs it. With a boot archive (elf is its bin/init), the process also
 * gets a read-only VMO of the whole archive at PA_HND(PA_VMO_BOOTFS, 0).
 */
void proc_start_first(const void *elf, size_t size, const char *name, const void *archive,
		      size_t archive_size);
/* zx_process_exit: the caller's process ends with `code`; does not return. */
__attribute__((noreturn)) void proc_exit(int64_t code);
/* A user trap the process did not handle: report it and kill the process. */
__attribute__((noreturn)) void proc_fault(struct trap_frame *tf, zx_status_t why);
/*
 * The calling thread ends (zx_thread_exit, or it was killed): the last
 * thread of a process to go ends the process. Does not return.
 */
__attribute__((noreturn)) void proc_thread_exit(void);
/* At the end of a syscall that may block: leave now if the caller was killed meanwhile. */
void proc_exit_if_killed(void);

#endif
