/* zx_clock_get_monotonic, zx_nanosleep, zx_debug_write, zx_process_exit. */
#include <zircon/errors.h>

#include "kernel.h"
#include "proc.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "timer.h"

int64_t sys_clock_get_monotonic(void)
{
	return timer_now();
}

int64_t sys_nanosleep(zx_instant_mono_t deadline)
{
	timer_wait_until(deadline);
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

/*
 * Numbered but not implemented: sub-VMARs. They answer ZX_ERR_NOT_SUPPORTED
 * (docs/syscalls/README.md lists them).
 */
int64_t sys_vmar_allocate(zx_handle_t parent, zx_vm_option_t options, uint64_t offset,
			  uint64_t size, user_ptr child_vmar, user_ptr child_addr)
{
	(void)parent;
	(void)options;
	(void)offset;
	(void)size;
	(void)child_vmar;
	(void)child_addr;
	return ZX_ERR_NOT_SUPPORTED;
}

int64_t sys_vmar_destroy(zx_handle_t handle)
{
	(void)handle;
	return ZX_ERR_NOT_SUPPORTED;
}
