/*
 * The PLIC backend of kernel/irqc.h (RISC-V Platform-Level Interrupt
 * Controller specification). A source with an owner is enabled, at
 * priority 1, in its hart's supervisor context; masking sets its priority
 * to 0 (never interrupts) and keeps it enabled: a completion of a source
 * that is not enabled for the context is ignored (the specification's
 * "Interrupt Completion"), which would leave its gateway closed for good.
 * The PLIC cannot change a source's trigger.
 */
#include "irqc.h"
#include "kernel.h"
#include "sched.h"

/* Register offsets (PLIC specification, chapter "Memory Map"). */
#define PRIORITY(src)  (4u * (src))
#define ENABLE(ctx, w) (0x2000u + 0x80u * (ctx) + 4u * (w))
#define THRESHOLD(ctx) (0x200000u + 0x1000u * (ctx))
#define CLAIM(ctx)     (0x200004u + 0x1000u * (ctx))

static volatile uint8_t *regs;
static const struct rt_irqc *plic;

static inline volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(regs + off);
}

static void enable(uint32_t src, uint8_t trigger, int ctx, bool on)
{
	(void)trigger;
	volatile uint32_t *w = reg(ENABLE((uint32_t)ctx, src / 32));
	uint32_t bit = 1u << (src % 32);
	*reg(PRIORITY(src)) = on ? 1 : 0;
	*w = on ? *w | bit : *w & ~bit;
}

static bool enabled(uint32_t src)
{
	(void)src;
	return true;
}

static void mask(uint32_t src)
{
	*reg(PRIORITY(src)) = 0;
}

static void unmask(uint32_t src)
{
	*reg(PRIORITY(src)) = 1;
}

static bool asserted(uint32_t src)
{
	(void)src;
	return true; /* the gateway forwards a level source only while it is asserted */
}

static void hart_init(int ctx)
{
	*reg(THRESHOLD((uint32_t)ctx)) = 0; /* every priority above 0 interrupts */
}

static void handle(void)
{
	int ctx = irqc_target_of(this_cpu()->hartid);
	uint32_t src;

	if (ctx < 0)
		return;
	while ((src = *reg(CLAIM((uint32_t)ctx))) != 0) {
		if (!irqc_dispatch(src))
			*reg(PRIORITY(src)) = 0;  /* no owner: keep it quiet */
		*reg(CLAIM((uint32_t)ctx)) = src; /* complete: it is still enabled */
	}
}

static const struct irqc_ops plic_ops = {enable,   enabled,   mask,  unmask,
					 asserted, hart_init, handle};

const struct irqc_ops *plic_start(volatile uint8_t *r, const struct rt_irqc *p,
				  const struct cpu_facts *cpu)
{
	regs = r;
	plic = p;
	for (uint32_t i = 0; i < cpu->harts_usable && i < 64; i++) {
		if (p->sctx[i] < 0)
			continue;
		uint32_t ctx = (uint32_t)p->sctx[i];
		for (uint32_t w = 0; w <= p->ndev / 32; w++)
			*reg(ENABLE(ctx, w)) = 0;
		*reg(THRESHOLD(ctx)) = 0;
	}
	for (uint32_t src = 1; src <= p->ndev; src++)
		*reg(PRIORITY(src)) = 0; /* 0: never interrupts */
	return &plic_ops;
}
