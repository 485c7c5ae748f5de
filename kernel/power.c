/*
 * Power off. QEMU's test finisher (sifive,test0/1) exits QEMU with a
 * status of our choosing: 0x5555 → 0, (code << 16) | 0x3333 → code.
 * Without one, SBI SRST shuts down; its exit status is 0 whatever the
 * reason (OpenSBI's own finisher driver writes a pass, or a fail with code
 * 0), so only the finisher can report a failure to whoever runs QEMU.
 */
#include "arch.h"
#include "kernel.h"

#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

static volatile uint32_t *finisher;

void power_use_finisher(volatile void *regs)
{
	finisher = regs;
}

static __attribute__((noreturn)) void halt(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	for (;;)
		arch_wfi();
}

void power_off(int code)
{
	code &= 0xff;
	if (finisher) {
		/*
		 * QEMU >= 8 only queues the shutdown and lets the hart run on:
		 * anything written after this (SRST makes OpenSBI write the
		 * finisher too) could replace the status. Write once, then park.
		 */
		mmio_write32(finisher,
			     code ? ((uint32_t)code << 16) | FINISHER_FAIL : FINISHER_PASS);
		halt();
	}
	if (sbi_has_ext(SBI_EXT_SRST)) {
		struct sbiret r =
		    sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN,
			     code ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0);
		kprintf("zirv: SBI system reset failed (error %ld): halting instead\n", r.error);
	} else {
		kprintf("zirv: cannot power off: no power-off device in the device tree and no SBI "
			"SRST; halting\n");
	}
	halt();
}
