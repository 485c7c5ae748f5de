/*
 * Power off. QEMU's test finisher (sifive,test0/1) exits QEMU with a
 * status of our choosing: 0x5555 → 0, (code << 16) | 0x3333 → code.
 * Without one, SBI SRST shuts down (its exit status is always 0).
 */
#include "arch.h"
#include "kernel.h"
#include "mm/kvm.h"
#include "restab.h"

#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

static volatile uint32_t *finisher;

void power_init(const struct dt *dt, const struct restab *rt)
{
	uint64_t base, size;

	if (rt->finisher_node == DT_NONE || !restab_node_reg(dt, rt->finisher_node, &base, &size))
		return;
	finisher = kvm_map_mmio(rt, base, size < PAGE_SIZE ? size : PAGE_SIZE);
}

void power_off(int code)
{
	code &= 0xff;
	if (finisher)
		mmio_write32(finisher, code ? ((uint32_t)code << 16) | FINISHER_FAIL : FINISHER_PASS);
	if (sbi_has_ext(SBI_EXT_SRST))
		sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_SHUTDOWN,
			 code ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE, 0);
	for (;;)
		arch_wfi();
}
