#include <zircon/errors.h>
#include <zircon/syscalls/port.h>

#include "handles/interrupt.h"
#include "irqc.h"
#include "kernel.h"
#include "mm/heap.h"
#include "sched.h"
#include "timer.h"

/* Give up the vector, the port and the packet; wake a waiter (it sees DESTROYED). */
static zx_status_t tear_down(struct interrupt *irq)
{
	zx_status_t st = ZX_OK;

	if (irq->vector)
		irqc_detach(irq->vector);
	if (irq->port) {
		bool was_queued = port_remove_external(irq->port, &irq->packet);
		if (irq->state == IRQ_NEEDACK && !was_queued)
			st = ZX_ERR_NOT_FOUND; /* taken by a port_wait and never acknowledged */
		object_unref(&irq->port->obj);
		irq->port = NULL;
	}
	irq->state = IRQ_DESTROYED;
	if (irq->waiter)
		sched_wake(irq->waiter->thread, ZX_OK);
	return st;
}

static void interrupt_destroy_obj(struct object *o)
{
	struct interrupt *irq = (struct interrupt *)o;
	if (irq->state != IRQ_DESTROYED)
		tear_down(irq);
	kfree(irq, sizeof(*irq));
}

static const struct object_ops interrupt_ops = {
    .destroy = interrupt_destroy_obj,
};

static struct interrupt *interrupt_new(void)
{
	struct interrupt *irq = kzalloc(sizeof(*irq));
	if (irq) {
		object_init(&irq->obj, ZX_OBJ_TYPE_INTERRUPT, &interrupt_ops);
		irq->packet.owner = PKT_EXTERNAL;
		irq->packet.pkt.type = ZX_PKT_TYPE_INTERRUPT;
	}
	return irq;
}

zx_status_t interrupt_create_virtual(struct interrupt **out)
{
	struct interrupt *irq = interrupt_new();
	if (!irq)
		return ZX_ERR_NO_MEMORY;
	*out = irq;
	return ZX_OK;
}

/* Send the packet for the firing at irq->timestamp; the interrupt now needs an ack. */
static void send_packet(struct interrupt *irq)
{
	irq->packet.pkt.interrupt.timestamp = irq->timestamp;
	port_queue_external(irq->port, &irq->packet);
	irq->timestamp = 0;
	irq->state = IRQ_NEEDACK;
}

/* It fired at `ts` (the PLIC's handler or zx_interrupt_trigger). */
static void fire(struct interrupt *irq, zx_time_t ts)
{
	irq->fired++;
	if (!irq->timestamp)
		irq->timestamp = ts; /* the first firing since the last one taken */
	if (irq->level)
		irqc_mask(irq->vector); /* until the next wait or ack */
	if (irq->port) {
		if (irq->state != IRQ_NEEDACK)
			send_packet(irq);
		return;
	}
	irq->state = IRQ_TRIGGERED;
	if (irq->waiter)
		sched_wake(irq->waiter->thread, ZX_OK);
}

static void physical_fired(void *arg)
{
	fire(arg, timer_now());
}

zx_status_t interrupt_create_physical(uint32_t vector, uint8_t trigger, struct interrupt **out)
{
	struct interrupt *irq = interrupt_new();
	zx_status_t st;

	if (!irq)
		return ZX_ERR_NO_MEMORY;
	irq->vector = vector;
	irq->level = rt_irq_is_level(trigger);
	if ((st = irqc_attach(vector, trigger, physical_fired, irq)) != ZX_OK) {
		irq->vector = 0; /* never attached: nothing to detach */
		object_unref(&irq->obj);
		return st;
	}
	*out = irq;
	return ZX_OK;
}

zx_status_t interrupt_wait(struct interrupt *irq, const void *table, zx_handle_t h,
			   zx_time_t *timestamp)
{
	KLOCK_HELD();
	for (;;) {
		if (irq->port)
			return ZX_ERR_BAD_STATE;
		switch (irq->state) {
		case IRQ_DESTROYED:
			return ZX_ERR_CANCELED;
		case IRQ_TRIGGERED:
			irq->state = IRQ_NEEDACK;
			*timestamp = irq->timestamp;
			irq->timestamp = 0;
			return ZX_OK;
		case IRQ_NEEDACK: /* this wait acknowledges the last one */
			if (irq->level)
				irqc_unmask(irq->vector);
			break;
		case IRQ_IDLE:
			break;
		default: /* another thread waits */
			return ZX_ERR_BAD_STATE;
		}
		/* A waiter no signal wakes: fire() does, and a close of its handle cancels it. */
		struct waiter w = {.thread = this_thread(), .want = 0, .table = table, .handle = h};
		irq->state = IRQ_WAITING;
		irq->waiter = &w;
		object_add_waiter(&irq->obj, &w);
		zx_status_t st = sched_block(ZX_TIME_INFINITE);
		object_remove_waiter(&irq->obj, &w);
		irq->waiter = NULL;
		if (st != ZX_OK) {
			if (irq->state == IRQ_WAITING)
				irq->state = IRQ_IDLE;
			return st;
		}
	}
}

zx_status_t interrupt_trigger(struct interrupt *irq, zx_time_t timestamp)
{
	KLOCK_HELD();
	if (irq->vector)
		return ZX_ERR_BAD_STATE;
	if (irq->state == IRQ_DESTROYED)
		return ZX_ERR_CANCELED;
	fire(irq, timestamp);
	return ZX_OK;
}

zx_status_t interrupt_ack(struct interrupt *irq)
{
	KLOCK_HELD();
	if (!irq->port)
		return irq->state == IRQ_DESTROYED ? ZX_ERR_CANCELED : ZX_ERR_BAD_STATE;
	if (irq->state != IRQ_NEEDACK)
		return ZX_OK;
	if (irq->level)
		irqc_unmask(irq->vector);
	if (irq->timestamp) /* it fired again meanwhile: the next packet at once */
		send_packet(irq);
	else
		irq->state = IRQ_IDLE;
	return ZX_OK;
}

zx_status_t interrupt_destroy(struct interrupt *irq)
{
	KLOCK_HELD();
	if (irq->state == IRQ_DESTROYED)
		return ZX_ERR_CANCELED;
	return tear_down(irq);
}

zx_status_t interrupt_bind(struct interrupt *irq, struct port *p, uint64_t key)
{
	KLOCK_HELD();
	if (irq->state == IRQ_DESTROYED)
		return ZX_ERR_CANCELED;
	if (irq->state == IRQ_WAITING)
		return ZX_ERR_BAD_STATE;
	if (irq->port)
		return ZX_ERR_ALREADY_BOUND;
	object_ref(&p->obj);
	irq->port = p;
	irq->packet.pkt.key = key;
	if (irq->state == IRQ_TRIGGERED) /* fired before the bind: its packet now */
		send_packet(irq);
	return ZX_OK;
}

zx_status_t interrupt_unbind(struct interrupt *irq, struct port *p)
{
	KLOCK_HELD();
	if (irq->state == IRQ_DESTROYED)
		return ZX_ERR_CANCELED;
	if (irq->port != p)
		return ZX_ERR_NOT_FOUND;
	port_remove_external(p, &irq->packet);
	object_unref(&p->obj);
	irq->port = NULL;
	if (irq->state == IRQ_NEEDACK) {
		if (irq->level)
			irqc_unmask(irq->vector);
		irq->state = IRQ_IDLE;
	}
	return ZX_OK;
}
