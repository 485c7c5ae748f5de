/*
 * The interrupt controller zirv drives for device interrupts, whichever
 * the device tree names (kernel/restab.h, struct rt_irqc): a PLIC, an
 * APLIC delivering directly to the harts' IDCs, or an APLIC sending MSIs
 * to the harts' IMSIC supervisor files. Interrupt objects
 * (handles/interrupt.c) own vectors through it. Every source starts
 * disabled; a source with an owner is enabled and routed to one hart's
 * supervisor external interrupt, which claims it, calls the owner and
 * completes it. Owned sources are spread over the running harts in turn,
 * as they are attached. A masked source stays enabled in
 * the controller's routing but is not delivered.
 */
#ifndef ZIRV_IRQC_H
#define ZIRV_IRQC_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "restab.h"

/* The IMSIC identity of IPIs; device vector v arrives as identity v + 1 (irqc MSIs). */
#define IMSIC_IPI_ID 1

/* Drive the controller mapped at `regs`, as `p` describes it. */
void irqc_init(volatile uint8_t *regs, const struct rt_irqc *p, const struct cpu_facts *cpu);
/* Is there one? Then harts take supervisor external interrupts from it. */
bool irqc_active(void);
/* Does it send MSIs? Then every hart enables identities 2 .. irqc_msi_ids() in its IMSIC file. */
uint32_t irqc_msi_ids(void);
/* May an interrupt's trigger differ from the tree's? (An APLIC's can; a PLIC's cannot.) */
bool irqc_sets_trigger(void);

/* What an owner's handler is: called with the kernel lock held, before the source completes. */
typedef void (*irqc_handler)(void *arg);
/*
 * Make `fn(arg)` the owner of `vector` and enable it with `trigger` (an
 * RT_IRQ_*; the PLIC keeps its own): NOT_SUPPORTED without a controller or
 * for a source the firmware did not delegate to the supervisor, INVALID_ARGS
 * for no such source, ALREADY_BOUND if it has an owner.
 */
zx_status_t irqc_attach(uint32_t vector, uint8_t trigger, irqc_handler fn, void *arg);
/* Disable `vector` and drop its owner. */
void irqc_detach(uint32_t vector);
/* Stop / resume delivering `vector` (a level interrupt between its claim and its ack). */
void irqc_mask(uint32_t vector);
void irqc_unmask(uint32_t vector);
/*
 * Open this hart's target for delivery, as each hart starts scheduling:
 * the firmware closes it when it starts the hart (OpenSBI sets a PLIC
 * context's threshold to the maximum in its warm boot).
 */
void irqc_hart_init(void);
/* This hart's supervisor external interrupt: claim, dispatch and complete every pending source. */
void irqc_handle(void);
/*
 * Claim every identity pending in this hart's IMSIC supervisor file
 * (stopei), handing the devices' to their owners; the IPI's (identity 1)
 * needs nothing more than the claim. The IPI path and the APLIC's MSI
 * handler both take them here.
 */
void irqc_imsic_claim(void);
/* Interrupts taken since boot. */
uint64_t irqc_taken(void);

/* The backends: each sets up its controller and implements the operations on it. */
struct irqc_ops {
	/* Route `vector` to `target` (a struct rt_irqc sctx value) in `trigger`, or stop it. */
	void (*enable)(uint32_t vector, uint8_t trigger, int target, bool on);
	bool (*enabled)(uint32_t vector); /* after enable(on): did the source take it? */
	void (*mask)(uint32_t vector);
	void (*unmask)(uint32_t vector);
	bool (*asserted)(uint32_t vector); /* is its device still asking (false: a stale claim)? */
	void (*hart_init)(int target);	   /* open `target` (this hart's) for delivery */
	void (*handle)(void); /* claim every pending source, calling irqc_dispatch() for each */
};
const struct irqc_ops *plic_start(volatile uint8_t *regs, const struct rt_irqc *p,
				  const struct cpu_facts *cpu);
const struct irqc_ops *aplic_start(volatile uint8_t *regs, const struct rt_irqc *p,
				   const struct cpu_facts *cpu);
/*
 * The controller's target (PLIC context, APLIC IDC or IMSIC hart index, as
 * struct rt_irqc's sctx) of the hart with this id, or -1. Harts are found by
 * id: the kernel numbers its CPUs from the boot hart, the tree in its own
 * order.
 */
int irqc_target_of(uint64_t hartid);
/* Call the owner of `vector` (from a backend's handle()); true if it has one. */
bool irqc_dispatch(uint32_t vector);

#endif
