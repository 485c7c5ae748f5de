#include <zircon/errors.h>

#include "mm/layout.h"
#include "syscall/uaccess.h"

bool user_range_ok(vaddr_t p, size_t n)
{
	return p >= USER_BASE && p < USER_END && n <= USER_END - p;
}

zx_status_t copy_from_user(void *dst, vaddr_t src, size_t n)
{
	if (!user_range_ok(src, n) || arch_user_copy(dst, (const void *)src, n))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

zx_status_t copy_to_user(vaddr_t dst, const void *src, size_t n)
{
	if (!user_range_ok(dst, n) || arch_user_copy((void *)dst, src, n))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

zx_status_t put_user(vaddr_t dst, const void *src, size_t n, size_t align)
{
	if (dst & (align - 1))
		return ZX_ERR_INVALID_ARGS;
	return copy_to_user(dst, src, n);
}
