/* zx_clock_get_monotonic, zx_nanosleep, zx_debug_write, zx_process_exit. */
#include <zircon/errors.h>

#include "kernel.h"
#include "proc.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "timer.h"

int64_t sys_clock_get_monotonic(const uint64_t *a)
{
	(void)a;
	return timer_now();
}

int64_t sys_nanosleep(const uint64_t *a)
{
	timer_wait_until((zx_time_t)a[0]);
	return ZX_OK;
}

int64_t sys_debug_write(const uint64_t *a)
{
	char chunk[128];
	uint64_t ptr = a[0], len = a[1];

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

int64_t sys_process_exit(const uint64_t *a)
{
	proc_exit((int64_t)a[0]);
}

/*
 * Numbered but not implemented: resizable VMOs and sub-VMARs. They answer
 * ZX_ERR_NOT_SUPPORTED (docs/syscalls/README.md lists them).
 */
#define NOT_YET(name)                                                                              \
	int64_t sys_##name(const uint64_t *a)                                                      \
	{                                                                                          \
		(void)a;                                                                           \
		return ZX_ERR_NOT_SUPPORTED;                                                       \
	}
NOT_YET(vmo_set_size)
NOT_YET(vmar_allocate)
NOT_YET(vmar_destroy)
