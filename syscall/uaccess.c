#include <zircon/errors.h>

#include "mm/layout.h"
#include "syscall/uaccess.h"

zx_status_t put_user(vaddr_t dst, const void *src, size_t n, size_t align)
{
	if (dst & (align - 1))
		return ZX_ERR_INVALID_ARGS;
	return copy_to_user(dst, src, n);
}
