/*
 * Interrupt objects: a device's interrupt vector at the interrupt
 * controller (one owner per vector, kernel/irqc.h), or a virtual interrupt that
 * zx_interrupt_trigger fires. A thread takes each interrupt with
 * zx_interrupt_wait, or the interrupt is bound to a port and each one
 * arrives as a ZX_PKT_TYPE_INTERRUPT packet, the next only after
 * zx_interrupt_ack. A level-triggered vector stays masked from the moment
 * it fires until the next wait (or the ack, when bound), so the device can
 * be quieted first. The state machine is Zircon's (object/interrupt_dispatcher.cc).
 */
#ifndef ZIRV_HANDLES_INTERRUPT_H
#define ZIRV_HANDLES_INTERRUPT_H

#include <zircon/types.h>

#include "handles/object.h"
#include "handles/port.h"

enum irq_state { IRQ_IDLE, IRQ_TRIGGERED, IRQ_NEEDACK, IRQ_WAITING, IRQ_DESTROYED };

struct interrupt {
	struct object obj;
	uint32_t vector; /* physical: its PLIC source; 0 for a virtual one */
	bool level;	 /* physical and level-triggered: masked from firing to the next wait/ack */
	uint8_t state;	 /* enum irq_state */
	zx_time_t timestamp;	   /* of the first firing not yet taken, 0 if none */
	struct waiter *waiter;	   /* the thread in zx_interrupt_wait, if any */
	struct port *port;	   /* bound (a reference), or NULL */
	struct port_packet packet; /* its packet on the port */
	uint64_t fired;		   /* times it fired (ZX_INFO_INTERRUPT-like counts for tests) */
};

/* A virtual interrupt (one reference for the caller), or NO_MEMORY. */
zx_status_t interrupt_create_virtual(struct interrupt **out);
/*
 * An interrupt on controller source `vector`, in `trigger` (an RT_IRQ_*):
 * NO_MEMORY, or irqc_attach's NOT_SUPPORTED / INVALID_ARGS / ALREADY_BOUND.
 */
zx_status_t interrupt_create_physical(uint32_t vector, uint8_t trigger, struct interrupt **out);
/*
 * Block until the interrupt fires, through handle `h` of `table`: ZX_OK and
 * its timestamp; BAD_STATE if bound to a port or another thread waits;
 * CANCELED if destroyed (before or during the wait), if the handle leaves
 * the table or the thread is killed. The caller holds a reference.
 */
zx_status_t interrupt_wait(struct interrupt *irq, const void *table, zx_handle_t h,
			   zx_time_t *timestamp);
/* Fire a virtual interrupt at `timestamp`: BAD_STATE if physical, CANCELED if destroyed. */
zx_status_t interrupt_trigger(struct interrupt *irq, zx_time_t timestamp);
/* Re-arm a bound interrupt after its packet: BAD_STATE if unbound, CANCELED if destroyed. */
zx_status_t interrupt_ack(struct interrupt *irq);
/*
 * Destroy: its vector is given up, a waiter gets CANCELED, its packet is
 * taken back from the port (NOT_FOUND if it was already taken and not
 * acknowledged, as in Zircon).
 */
zx_status_t interrupt_destroy(struct interrupt *irq);
/* Bind to / unbind from a port: CANCELED, BAD_STATE (a thread waits), ALREADY_BOUND, NOT_FOUND. */
zx_status_t interrupt_bind(struct interrupt *irq, struct port *p, uint64_t key);
zx_status_t interrupt_unbind(struct interrupt *irq, struct port *p);

#endif
