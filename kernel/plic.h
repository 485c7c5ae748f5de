/*
 * The PLIC (RISC-V Platform-Level Interrupt Controller specification):
 * device interrupts for interrupt objects (handles/interrupt.c). Every
 * source starts disabled; a source with an owner is enabled, at priority
 * 1, in one hart's supervisor context (the first usable hart's): that hart
 * takes its interrupts, claims them, calls the owner and completes them.
 * A masked source keeps its enable bit and has priority 0.
 */
#ifndef ZIRV_PLIC_H
#define ZIRV_PLIC_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "restab.h"

/* Drive the PLIC mapped at `regs`, as `p` describes it. */
void plic_init(volatile uint8_t *regs, const struct rt_plic *p, const struct cpu_facts *cpu);
/* Is there a PLIC zirv drives? Then harts take supervisor external interrupts from it. */
bool plic_active(void);

/* What an owner's handler is: called with the kernel lock held, before the source completes. */
typedef void (*plic_handler)(void *arg);
/*
 * Make `fn(arg)` the owner of `vector` and enable it: NOT_SUPPORTED without
 * a PLIC, INVALID_ARGS for no such source, ALREADY_BOUND if it has an owner.
 */
zx_status_t plic_attach(uint32_t vector, plic_handler fn, void *arg);
/* Disable `vector` and drop its owner. */
void plic_detach(uint32_t vector);
/* Stop / resume forwarding `vector` (a level interrupt between its claim and its ack). */
void plic_mask(uint32_t vector);
void plic_unmask(uint32_t vector);
/* This hart's supervisor external interrupt: claim, dispatch and complete every pending source. */
void plic_handle(void);
/* Interrupts taken from the PLIC since boot (ZX_INFO of nothing yet: for tests and numbers). */
uint64_t plic_taken(void);

#endif
