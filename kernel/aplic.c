/*
 * The APLIC backend of kernel/irqc.h (RISC-V Advanced Interrupt
 * Architecture specification, chapter 4): the supervisor-level interrupt
 * domain, whose sources the firmware delegated from the machine-level one.
 *
 * Direct delivery: each hart's IDC delivers its interrupts as a
 * supervisor external interrupt; reading claimi claims the highest
 * pending one. MSI delivery: source v is sent as identity v + 1 to the
 * IMSIC supervisor file of the hart it is routed to (its MSI address the firmware set in
 * the root domain's smsiaddrcfg) and claimed through stopei.
 *
 * A source with an owner is active in the trigger mode asked for,
 * targeted at its hart and enabled; masking clears its enable
 * bit (clrienum), which keeps its pending bit, so an interrupt that comes
 * while masked is delivered at the unmask (a level one only if its input is
 * still asserted when it is claimed).
 */
#include "irqc.h"
#include "kernel.h"
#include "sched.h"

/* Register offsets (AIA specification 4.5 and 4.8). */
#define DOMAINCFG     0x0000u
#define SOURCECFG(i)  (0x0004u + 4u * ((i)-1u))
#define IN_CLRIP(w)   (0x1d00u + 4u * (w))
#define SETIENUM      0x1edcu
#define CLRIENUM      0x1fdcu
#define CLRIE(w)      (0x1f00u + 4u * (w))
#define TARGET(i)     (0x3004u + 4u * ((i)-1u))
#define IDC(k)	      (0x4000u + 32u * (k))
#define IDC_IDELIVERY 0x00u
#define IDC_IFORCE    0x04u
#define IDC_ITHRESH   0x08u
#define IDC_CLAIMI    0x1cu

#define DOMAINCFG_IE (1u << 8)
#define DOMAINCFG_DM (1u << 2) /* MSI delivery */

/* Source modes (sourcecfg.SM). */
#define SM_INACTIVE 0u
#define SM_EDGE1    4u
#define SM_EDGE0    5u
#define SM_LEVEL1   6u
#define SM_LEVEL0   7u

static volatile uint8_t *regs;
static const struct rt_irqc *aplic;

static inline volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(regs + off);
}

static uint32_t source_mode(uint8_t trigger)
{
	switch (trigger) {
	case RT_IRQ_EDGE_RISING:
		return SM_EDGE1;
	case RT_IRQ_EDGE_FALLING:
		return SM_EDGE0;
	case RT_IRQ_LEVEL_LOW:
		return SM_LEVEL0;
	default:
		return SM_LEVEL1; /* LEVEL_HIGH, or none given */
	}
}

/* target[src] below its hart index (bits 31:18): IPRIO 1 (direct) or the EIID (MSI). */
static uint32_t target_low(uint32_t src)
{
	return aplic->kind == RT_IRQC_APLIC_MSI ? src + IMSIC_IPI_ID : 1u;
}

static void enable(uint32_t src, uint8_t trigger, int target, bool on)
{
	if (!on) {
		*reg(CLRIENUM) = src;
		*reg(SOURCECFG(src)) = SM_INACTIVE;
		return;
	}
	*reg(SOURCECFG(src)) = source_mode(trigger);
	*reg(TARGET(src)) = (uint32_t)target << 18 | target_low(src);
	*reg(SETIENUM) = src;
}

/* A source the firmware did not delegate reads 0 in sourcecfg, whatever was written. */
static bool enabled(uint32_t src)
{
	return *reg(SOURCECFG(src)) != SM_INACTIVE;
}

static void mask(uint32_t src)
{
	*reg(CLRIENUM) = src;
}

static bool input_high(uint32_t src)
{
	return *reg(IN_CLRIP(src / 32)) >> (src % 32) & 1;
}

static void unmask(uint32_t src)
{
	*reg(SETIENUM) = src;
}

/*
 * A level-high source's pending bit should follow its input (AIA spec
 * 4.7), but QEMU's APLIC only ever sets it: when the device drops its line
 * while the source is masked, the pending bit stays, and the unmask
 * delivers an interrupt nobody asserts. Software cannot clear a level
 * source's pending bit (clripnum ignores it), but the claim does: a claimed
 * level-high source whose input (in_clrip reads the inputs) is low is not
 * dispatched. Active-low sources are dispatched as claimed: QEMU reports
 * raw inputs, the specification rectified ones. (The same holds for an MSI
 * sent for a stale pending bit.)
 */
static bool asserted(uint32_t src)
{
	return *reg(SOURCECFG(src)) != SM_LEVEL1 || input_high(src);
}

static void hart_init(int target)
{
	if (aplic->kind != RT_IRQC_APLIC)
		return; /* MSIs: the hart's IMSIC file is opened by the scheduler */
	uint32_t idc = IDC((uint32_t)target);
	*reg(idc + IDC_IFORCE) = 0;
	*reg(idc + IDC_ITHRESH) = 0; /* every priority is delivered */
	*reg(idc + IDC_IDELIVERY) = 1;
}

static void handle_direct(void)
{
	int idc = irqc_target_of(this_cpu()->hartid);
	uint32_t top;

	if (idc < 0)
		return;
	/* claimi: the identity in bits 25:16; reading it claims (clears) the pending bit. */
	while ((top = *reg(IDC((uint32_t)idc) + IDC_CLAIMI) >> 16 & 0x3ff) != 0)
		if (asserted(top) && !irqc_dispatch(top))
			mask(top); /* no owner: keep it quiet */
}

static const struct irqc_ops direct_ops = {enable,   enabled,	mask,	      unmask,
					   asserted, hart_init, handle_direct};
static const struct irqc_ops msi_ops = {enable,	   enabled,	    mask, unmask, asserted,
					hart_init, irqc_imsic_claim};

const struct irqc_ops *aplic_start(volatile uint8_t *r, const struct rt_irqc *p,
				   const struct cpu_facts *cpu)
{
	regs = r;
	aplic = p;
	*reg(DOMAINCFG) = 0; /* IE off while the sources are set up */
	for (uint32_t w = 0; w <= p->ndev / 32; w++)
		*reg(CLRIE(w)) = ~0u;
	for (uint32_t src = 1; src <= p->ndev; src++)
		*reg(SOURCECFG(src)) = SM_INACTIVE;
	(void)cpu; /* each hart opens its own IDC as it starts scheduling (hart_init) */
	bool msi = p->kind == RT_IRQC_APLIC_MSI;
	*reg(DOMAINCFG) = DOMAINCFG_IE | (msi ? DOMAINCFG_DM : 0);
	return msi ? &msi_ops : &direct_ops;
}
