/* Kernel-wide services: console output, formatting, panic, power. */
#ifndef ZIRV_KERNEL_H
#define ZIRV_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)

/* Does [off, off+len) lie inside [0, size)? Without overflow, for any off and len. */
static inline bool range_within(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kputs(const char *line); /* line + newline */

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* Invariant check: panics with the condition, file and line. */
#define KASSERT(c)                                                                                 \
	do {                                                                                       \
		if (!(c))                                                                          \
			panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__);             \
	} while (0)

/* console.c: SBI until console_use_uart() gets the mapped 16550 (kmain maps it). */
void console_putc(char c);
void console_write(const char *s, size_t n);
void console_init_sbi(void);
void console_use_uart(volatile void *base, uint32_t reg_shift, uint32_t io_width);

/* power.c: powers the machine off; QEMU exits with `code` where it can. */
void power_use_finisher(volatile void *regs); /* the mapped sifive,test registers */
__attribute__((noreturn)) void power_off(int code);

/* sbi.c */
void sbi_init(void);
bool sbi_has_ext(unsigned long eid);
uint64_t sbi_mvendorid(void);
extern unsigned long sbi_spec_version;

#endif
