#include <zircon/errors.h>

#include "kernel.h"
#include "plic.h"
#include "sched.h"

/* Register offsets (PLIC specification, chapter "Memory Map"). */
#define PRIORITY(src)  (4u * (src))
#define ENABLE(ctx, w) (0x2000u + 0x80u * (ctx) + 4u * (w))
#define THRESHOLD(ctx) (0x200000u + 0x1000u * (ctx))
#define CLAIM(ctx)     (0x200004u + 0x1000u * (ctx))

#define MAX_SOURCES 1024 /* the specification's: sources 1 .. 1023 */

static volatile uint8_t *regs;
static const struct rt_plic *plic;
static uint32_t route_ctx; /* the context every enabled source goes to */
static uint64_t taken;
static struct {
	plic_handler fn;
	void *arg;
} owner[MAX_SOURCES];

static inline volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(regs + off);
}

void plic_init(volatile uint8_t *r, const struct rt_plic *p, const struct cpu_facts *cpu)
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
	for (uint32_t i = 0; i < cpu->harts_usable && i < 64; i++)
		if (p->sctx[i] >= 0) {
			route_ctx = (uint32_t)p->sctx[i];
			break;
		}
}

bool plic_active(void)
{
	return regs != NULL;
}

static void set_enable(uint32_t src, bool on)
{
	volatile uint32_t *w = reg(ENABLE(route_ctx, src / 32));
	uint32_t bit = 1u << (src % 32);
	*w = on ? *w | bit : *w & ~bit;
}

zx_status_t plic_attach(uint32_t vector, plic_handler fn, void *arg)
{
	KLOCK_HELD();
	if (!regs)
		return ZX_ERR_NOT_SUPPORTED;
	if (vector == 0 || vector > plic->ndev)
		return ZX_ERR_INVALID_ARGS;
	if (owner[vector].fn)
		return ZX_ERR_ALREADY_BOUND;
	owner[vector].fn = fn;
	owner[vector].arg = arg;
	*reg(PRIORITY(vector)) = 1;
	set_enable(vector, true);
	return ZX_OK;
}

void plic_detach(uint32_t vector)
{
	KLOCK_HELD();
	set_enable(vector, false);
	*reg(PRIORITY(vector)) = 0;
	owner[vector].fn = NULL;
	owner[vector].arg = NULL;
}

/*
 * Masking sets the source's priority to 0 (never interrupts) and keeps it
 * enabled: a completion of a source that is not enabled for the context is
 * ignored (PLIC spec, "Interrupt Completion"), which would leave its
 * gateway closed for good.
 */
void plic_mask(uint32_t vector)
{
	*reg(PRIORITY(vector)) = 0;
}

void plic_unmask(uint32_t vector)
{
	if (owner[vector].fn)
		*reg(PRIORITY(vector)) = 1;
}

void plic_handle(void)
{
	KLOCK_HELD();
	int16_t ctx = regs ? plic->sctx[this_cpu()->index] : -1;
	uint32_t src;

	if (ctx < 0)
		return;
	while ((src = *reg(CLAIM((uint32_t)ctx))) != 0) {
		taken++;
		if (src < MAX_SOURCES && owner[src].fn)
			owner[src].fn(owner[src].arg);
		else if (src < MAX_SOURCES)
			*reg(PRIORITY(src)) = 0;  /* no owner: keep it quiet */
		*reg(CLAIM((uint32_t)ctx)) = src; /* complete: it is still enabled */
	}
}

uint64_t plic_taken(void)
{
	return taken;
}
