/*
 * kill_self.c: a process that kills itself (KILL=1) or the job it is in
 * (KILL=2) does not come back from zx_task_kill; it ends with
 * ZX_TASK_RETCODE_SYSCALL_KILL (-1024), and being the first process, the
 * machine powers off with -1024 & 0xff = 0.
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

int main(void)
{
	zx_handle_t j = ZX_HANDLE_INVALID;
	zx_status_t st = zx_job_create(zx_job_default(), 0, &j);
	printf("kill-self: a job to lose: %d\n", st);
	zx_task_kill(KILL == 1 ? zx_process_self() : zx_job_default());
	printf("survived\n");
	return 3;
}
