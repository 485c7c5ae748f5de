/*
 * Moving data across the user/kernel boundary. Every user pointer is
 * range-checked against the user half first; the copy itself runs with
 * sstatus.SUM set only inside arch_user_copy, whose faults the trap
 * handler turns into an error return instead of a kernel panic.
 */
#ifndef ZIRV_SYSCALL_UACCESS_H
#define ZIRV_SYSCALL_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <zircon/errors.h>
#include <zircon/types.h>

#include "arch.h"
#include "mm/layout.h"

/* [p, p+n) lies inside user space (n may be 0; p must still be a user address). */
static inline bool user_range_ok(vaddr_t p, size_t n)
{
	return p >= USER_BASE && p < USER_END && n <= USER_END - p;
}
/* ZX_OK, or ZX_ERR_INVALID_ARGS for a bad range or a fault (inline: on most syscalls). */
static inline zx_status_t copy_from_user(void *dst, vaddr_t src, size_t n)
{
	if (!user_range_ok(src, n) || arch_user_copy(dst, (const void *)src, n))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

static inline zx_status_t copy_to_user(vaddr_t dst, const void *src, size_t n)
{
	if (!user_range_ok(dst, n) || arch_user_copy((void *)dst, src, n))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}
/* A 4- or 8-byte value through an out-pointer: INVALID_ARGS if unaligned, outside or faulting. */
static inline zx_status_t put_user_u32(vaddr_t dst, uint32_t v)
{
	if (dst & 3 || !user_range_ok(dst, 4) || arch_user_put32((uint32_t *)dst, v))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

static inline zx_status_t put_user_u64(vaddr_t dst, uint64_t v)
{
	if (dst & 7 || !user_range_ok(dst, 8) || arch_user_put64((uint64_t *)dst, v))
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}
/* A typed out-pointer: non-NULL, aligned to `align`, writable. */
zx_status_t put_user(vaddr_t dst, const void *src, size_t n, size_t align);

#endif
