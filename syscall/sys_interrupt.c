/*
 * zx_interrupt_create, zx_interrupt_wait, zx_interrupt_ack,
 * zx_interrupt_trigger, zx_interrupt_destroy, zx_interrupt_bind.
 */
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

#include "handles/interrupt.h"
#include "handles/resource.h"
#include "handles/thread.h"
#include "irqc.h"
#include "kernel.h"
#include "main.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

#define PHYSICAL_OPTIONS                                                                           \
	(ZX_INTERRUPT_REMAP_IRQ | ZX_INTERRUPT_MODE_MASK | ZX_INTERRUPT_TIMESTAMP_MONO)

/*
 * The vector's trigger (an RT_IRQ_*), given the mode asked for. DEFAULT is
 * the DT's (a source without a trigger type is level-high). An APLIC takes
 * any mode but both edges, which neither controller has; the PLIC cannot
 * change a source's trigger, and a mode is accepted only if it is the DT's.
 */
static zx_status_t trigger_mode(uint32_t vector, uint32_t mode, uint8_t *trigger)
{
	static const uint8_t of_mode[] = {
	    [ZX_INTERRUPT_MODE_EDGE_LOW >> 1] = RT_IRQ_EDGE_FALLING,
	    [ZX_INTERRUPT_MODE_EDGE_HIGH >> 1] = RT_IRQ_EDGE_RISING,
	    [ZX_INTERRUPT_MODE_LEVEL_LOW >> 1] = RT_IRQ_LEVEL_LOW,
	    [ZX_INTERRUPT_MODE_LEVEL_HIGH >> 1] = RT_IRQ_LEVEL_HIGH,
	};
	const struct rt_irq *q = restab_irq(boot.rt, vector);
	uint8_t t = q ? q->trigger : RT_IRQ_TRIGGER_NONE;

	*trigger = t;
	if (mode == ZX_INTERRUPT_MODE_DEFAULT)
		return ZX_OK;
	if (mode > ZX_INTERRUPT_MODE_EDGE_BOTH)
		return ZX_ERR_INVALID_ARGS;
	if (mode == ZX_INTERRUPT_MODE_EDGE_BOTH)
		return ZX_ERR_NOT_SUPPORTED;
	uint8_t asked = of_mode[mode >> 1];
	if (irqc_sets_trigger()) {
		*trigger = asked;
		return ZX_OK;
	}
	return asked == (t == RT_IRQ_TRIGGER_NONE ? RT_IRQ_LEVEL_HIGH : t) ? ZX_OK
									   : ZX_ERR_NOT_SUPPORTED;
}

/*
 * Zircon's order (lib/syscalls/ddk.cc, object/interrupt_event_dispatcher.cc):
 * a physical interrupt's resource (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED
 * unless it grants the vector), the options, the vector's owner, the handle.
 */
int64_t sys_interrupt_create(zx_handle_t src_obj, uint32_t src_num, uint32_t options, user_ptr out)
{
	struct interrupt *irq;
	struct object *o;
	zx_status_t st;
	uint8_t trigger;

	if (options & ZX_INTERRUPT_VIRTUAL) {
		if (options & ~(ZX_INTERRUPT_VIRTUAL | ZX_INTERRUPT_TIMESTAMP_MONO))
			return ZX_ERR_INVALID_ARGS;
		st = interrupt_create_virtual(&irq);
	} else {
		if ((st = get_object(src_obj, ZX_OBJ_TYPE_RESOURCE, 0, &o, NULL)) != ZX_OK)
			return st;
		if (!resource_grants_irq((struct resource *)o, src_num))
			return ZX_ERR_ACCESS_DENIED;
		if (options & ~PHYSICAL_OPTIONS)
			return ZX_ERR_INVALID_ARGS;
		if ((st = trigger_mode(src_num, options & ZX_INTERRUPT_MODE_MASK, &trigger)) !=
		    ZX_OK)
			return st;
		st = interrupt_create_physical(src_num, trigger, &irq);
	}
	if (st != ZX_OK)
		return st;
	st = give_handle(&irq->obj, ZX_DEFAULT_INTERRUPT_RIGHTS, out);
	object_unref(&irq->obj); /* the handle holds it, or it goes (and gives up its vector) */
	return st;
}

/* Zircon's order: the handle and WAIT, the wait, the timestamp (if asked for). */
int64_t sys_interrupt_wait(zx_handle_t handle, user_ptr out_timestamp)
{
	struct object *o;
	zx_time_t ts = 0;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_INTERRUPT, ZX_RIGHT_WAIT, &o, NULL);

	if (st != ZX_OK)
		return st;
	object_ref(o); /* another thread may close the handle meanwhile */
	thread_current()->blocked_as = ZX_THREAD_STATE_BLOCKED_INTERRUPT;
	st = interrupt_wait((struct interrupt *)o, cur_handles(), handle, &ts);
	object_unref(o);
	proc_exit_if_killed();
	if (st == ZX_OK && out_timestamp && copy_to_user(out_timestamp, &ts, sizeof(ts)))
		return ZX_ERR_INVALID_ARGS;
	return st;
}

int64_t sys_interrupt_ack(zx_handle_t handle)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_INTERRUPT, ZX_RIGHT_WRITE, &o, NULL);

	return st != ZX_OK ? st : interrupt_ack((struct interrupt *)o);
}

/* Zircon's order: the options, the handle and SIGNAL, then the interrupt's kind and state. */
int64_t sys_interrupt_trigger(zx_handle_t handle, uint32_t options, zx_instant_mono_t timestamp)
{
	struct object *o;
	zx_status_t st;

	if (options)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(handle, ZX_OBJ_TYPE_INTERRUPT, ZX_RIGHT_SIGNAL, &o, NULL)) != ZX_OK)
		return st;
	return interrupt_trigger((struct interrupt *)o, timestamp);
}

int64_t sys_interrupt_destroy(zx_handle_t handle)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_INTERRUPT, 0, &o, NULL);

	return st != ZX_OK ? st : interrupt_destroy((struct interrupt *)o);
}

/*
 * Zircon's order: the options, the interrupt and READ, the port and WRITE,
 * a port made with ZX_PORT_BIND_TO_INTERRUPT (WRONG_TYPE otherwise), then
 * the interrupt's state.
 */
int64_t sys_interrupt_bind(zx_handle_t handle, zx_handle_t port, uint64_t key, uint32_t options)
{
	struct object *o, *p;
	zx_status_t st;

	if (options != ZX_INTERRUPT_BIND && options != ZX_INTERRUPT_UNBIND)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(handle, ZX_OBJ_TYPE_INTERRUPT, ZX_RIGHT_READ, &o, NULL)) != ZX_OK ||
	    (st = get_object(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE, &p, NULL)) != ZX_OK)
		return st;
	if (!(((struct port *)p)->options & ZX_PORT_BIND_TO_INTERRUPT))
		return ZX_ERR_WRONG_TYPE;
	if (options == ZX_INTERRUPT_BIND)
		return interrupt_bind((struct interrupt *)o, (struct port *)p, key);
	return interrupt_unbind((struct interrupt *)o, (struct port *)p);
}
