#include "arch.h"
#include "kernel.h"

/* Exit status QEMU reports after a kernel panic (test finisher). */
#define PANIC_EXIT_CODE 0x7f

void panic(const char *fmt, ...)
{
	static bool in_panic;
	va_list ap;
	char msg[256];

	csr_clear(sstatus, SSTATUS_SIE);
	if (in_panic)
		power_off(PANIC_EXIT_CODE);
	in_panic = true;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kprintf("\nzirv: panic: %s\n", msg);
	power_off(PANIC_EXIT_CODE);
}
