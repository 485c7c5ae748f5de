/*
 * Running processes. zirv runs one user thread per process and, for now,
 * one process: the first one, loaded from the initrd (or the built-in
 * demo). It runs on the boot hart's kernel stack; its exit powers the
 * machine off with its exit code. The process object itself is
 * handles/process.c's.
 */
#ifndef ZIRV_PROC_H
#define ZIRV_PROC_H

#include <zircon/types.h>

#include "trap.h"

struct process;

/* The process whose thread runs on this hart (handles/process.h has its layout). */
extern struct process *current;

/*
 * Load `elf` as the first process and enter it; does not return. With a
 * boot archive (elf is its bin/init), the process also gets a read-only
 * VMO of the whole archive at PA_HND(PA_VMO_BOOTFS, 0).
 */
__attribute__((noreturn)) void proc_start_first(const void *elf, size_t size, const char *name,
						const void *archive, size_t archive_size);
/* End the current process with `code` (syscall or fault); does not return. */
__attribute__((noreturn)) void proc_exit(int64_t code);
/* A user trap the process did not handle: report it and end the process. */
__attribute__((noreturn)) void proc_fault(struct trap_frame *tf);

#endif
