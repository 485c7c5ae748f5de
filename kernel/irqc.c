/*
 * Device interrupts: the owners of the vectors, over the backend the tree
 * calls for (kernel/plic.c, kernel/aplic.c). See irqc.h.
 */
#include <zircon/errors.h>

#include "irqc.h"
#include "kernel.h"
#include "sched.h"

#define MAX_SOURCES 1024 /* both specifications': sources 1 .. 1023 */

static const struct irqc_ops *ops;
static const struct rt_irqc *irqc;
static const struct cpu_facts *harts;
static uint64_t taken;
static struct {
	irqc_handler fn;
	void *arg;
	int target; /* where it is routed */
} owner[MAX_SOURCES];
static uint32_t next_cpu; /* the running hart the next source goes to */

/* A running hart's target, taking them in turn; the boot hart's if the others have none. */
static int pick_target(void)
{
	uint32_t n = sched_num_cpus();
	for (uint32_t k = 0; k < n; k++) {
		int t = irqc_target_of(cpus[next_cpu++ % n].hartid);
		if (t >= 0)
			return t;
	}
	return irqc_target_of(cpus[0].hartid);
}

void irqc_init(volatile uint8_t *regs, const struct rt_irqc *p, const struct cpu_facts *cpu)
{
	irqc = p;
	harts = cpu;
	if (irqc_target_of(this_cpu()->hartid) < 0) {
		kprintf("interrupts: the boot hart has no target at the controller: none taken\n");
		return;
	}
	ops = p->kind == RT_IRQC_PLIC ? plic_start(regs, p, cpu) : aplic_start(regs, p, cpu);
}

int irqc_target_of(uint64_t hartid)
{
	for (uint32_t i = 0; i < harts->harts_usable && i < 64; i++)
		if (harts->hartid[i] == hartid)
			return irqc->sctx[i];
	return -1;
}

bool irqc_active(void)
{
	return ops != NULL;
}

uint32_t irqc_msi_ids(void)
{
	return ops && irqc->kind == RT_IRQC_APLIC_MSI ? irqc->ndev + 1 : 0;
}

bool irqc_sets_trigger(void)
{
	return ops && irqc->kind != RT_IRQC_PLIC;
}

zx_status_t irqc_attach(uint32_t vector, uint8_t trigger, irqc_handler fn, void *arg)
{
	KLOCK_HELD();
	if (!ops)
		return ZX_ERR_NOT_SUPPORTED;
	if (vector == 0 || vector > irqc->ndev)
		return ZX_ERR_INVALID_ARGS;
	if (owner[vector].fn)
		return ZX_ERR_ALREADY_BOUND;
	int target = pick_target();
	ops->enable(vector, trigger, target, true);
	if (!ops->enabled(vector)) {
		ops->enable(vector, trigger, target, false);
		return ZX_ERR_NOT_SUPPORTED; /* the firmware kept it */
	}
	owner[vector].fn = fn;
	owner[vector].arg = arg;
	owner[vector].target = target;
	return ZX_OK;
}

void irqc_detach(uint32_t vector)
{
	KLOCK_HELD();
	ops->enable(vector, 0, owner[vector].target, false);
	owner[vector].fn = NULL;
	owner[vector].arg = NULL;
}

void irqc_mask(uint32_t vector)
{
	ops->mask(vector);
}

void irqc_unmask(uint32_t vector)
{
	if (owner[vector].fn)
		ops->unmask(vector);
}

bool irqc_dispatch(uint32_t vector)
{
	taken++;
	this_cpu()->counts.ints++;
	if (vector == 0 || vector >= MAX_SOURCES || !owner[vector].fn)
		return false;
	owner[vector].fn(owner[vector].arg);
	return true;
}

void irqc_hart_init(void)
{
	int target = ops ? irqc_target_of(this_cpu()->hartid) : -1;
	if (target >= 0)
		ops->hart_init(target);
}

void irqc_handle(void)
{
	KLOCK_HELD();
	if (ops)
		ops->handle();
}

/* An IMSIC identity just claimed: dispatch it if it is a device's. */
static void msi_claimed(uint32_t identity)
{
	uint32_t vector = identity - 1;
	if (identity == IMSIC_IPI_ID)
		this_cpu()->counts.reschedule_ipis++;
	else if (irqc_msi_ids() && identity > IMSIC_IPI_ID && identity <= irqc_msi_ids() &&
		 ops->asserted(vector) && !irqc_dispatch(vector))
		ops->mask(vector); /* no owner: keep it quiet */
}

void irqc_imsic_claim(void)
{
	uint64_t top;

	for (;;) { /* csrrw stopei claims the highest pending identity (bits 26:16); 0 when none */
		__asm__ volatile("csrrw %0, 0x15c, zero" : "=r"(top));
		if (!top)
			break;
		msi_claimed((uint32_t)(top >> 16) & 0x7ff);
	}
}

uint64_t irqc_taken(void)
{
	return taken;
}
