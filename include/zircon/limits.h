/* zirv SDK: page-size limits of the Zircon ABI.
 *
 * zirv runs Sv39 with 4 KiB base pages; the largest leaf it could use for a
 * single translation is a 2 MiB megapage, which is what Zircon reports for
 * RISC-V as well. Programs that need the run-time value should still call
 * zx_system_get_page_size(). */
#ifndef ZIRCON_LIMITS_H_
#define ZIRCON_LIMITS_H_

#include <stdint.h>

#define ZX_PAGE_SHIFT ((uint32_t)12u)
#define ZX_PAGE_SIZE  ((uintptr_t)(1u << ZX_PAGE_SHIFT))
#define ZX_PAGE_MASK  (ZX_PAGE_SIZE - 1u)

#if defined(__riscv) || defined(__x86_64__) || defined(__i386__)
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)21u)
#elif defined(__aarch64__)
#define ZX_MIN_PAGE_SHIFT ((uint32_t)12u)
#define ZX_MAX_PAGE_SHIFT ((uint32_t)16u)
#else
#error "zirv SDK: unknown architecture"
#endif

#define ZX_MIN_PAGE_SIZE ((uintptr_t)(1u << ZX_MIN_PAGE_SHIFT))
#define ZX_MAX_PAGE_SIZE ((uintptr_t)(1u << ZX_MAX_PAGE_SHIFT))

#endif /* ZIRCON_LIMITS_H_ */
