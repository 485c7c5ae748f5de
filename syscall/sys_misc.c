/*
 * zx_clock_get_monotonic, zx_clock_get_boot, zx_ticks_per_second,
 * zx_nanosleep, zx_debug_write, zx_process_exit.
 */
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/thread.h"
#include "kernel.h"
#include "proc.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "timer.h"

int64_t sys_clock_get_monotonic(void)
{
	return timer_now();
}

/* zirv never suspends: the boot clock is the monotonic clock. */
int64_t sys_clock_get_boot(void)
{
	return timer_now();
}

int64_t sys_ticks_per_second(void)
{
	return (int64_t)timer_ticks_per_second();
}

int64_t sys_nanosleep(zx_instant_mono_t deadline)
{
	struct thread *t = thread_current();
	if (deadline <= timer_now()) {
		sched_yield(); /* a deadline already past gives the hart to someone else, as in
				  Zircon */
		return ZX_OK;
	}
	t->blocked_as = ZX_THREAD_STATE_BLOCKED_SLEEPING;
	sched_block(deadline);
	proc_exit_if_killed();
	return ZX_OK;
}

int64_t sys_debug_write(user_ptr ptr, size_t len)
{
	char chunk[128];

	if (len && !user_range_ok(ptr, len))
		return ZX_ERR_INVALID_ARGS;
	for (uint64_t done = 0; done < len;) {
		size_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		if (copy_from_user(chunk, ptr + done, n))
			return ZX_ERR_INVALID_ARGS;
		console_write(chunk, n);
		done += n;
	}
	return ZX_OK;
}

int64_t sys_process_exit(int64_t retcode)
{
	proc_exit(retcode);
}
