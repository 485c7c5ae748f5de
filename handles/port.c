#include <zircon/errors.h>
#include <zircon/types.h>

#include "handles/port.h"
#include "kernel.h"
#include "mm/heap.h"
#include "sched.h"
#include "timer.h"

/*
 * The port's own signal: packets are queued. Nobody can wait on a port
 * from user space (its handles lack ZX_RIGHT_WAIT), so only port_take's
 * waits see it.
 */
#define PORT_QUEUED ((zx_signals_t)1u << 0)

static void free_packet(struct port_packet *pk)
{
	if (pk->owner == PKT_WAIT)
		kfree((char *)pk - __builtin_offsetof(struct port_wait, packet),
		      sizeof(struct port_wait));
	else if (pk->owner == PKT_USER)
		kfree(pk, sizeof(*pk));
	else
		pk->queued = false; /* its owner's */
}

static void unlink_armed(struct port_wait *pw)
{
	struct port *p = pw->port;
	if (pw->prev)
		pw->prev->next = pw->next;
	else
		p->waits = pw->next;
	if (pw->next)
		pw->next->prev = pw->prev;
	p->armed--;
}

/* The port goes: its queue and its armed waits with it (their objects are alive: see port.h). */
static void port_destroy(struct object *o)
{
	struct port *p = (struct port *)o;

	while (p->waits) {
		struct port_wait *pw = p->waits;
		object_remove_async(pw->obj, &pw->w);
		unlink_armed(pw);
		kfree(pw, sizeof(*pw));
	}
	while (p->head) {
		struct port_packet *pk = p->head;
		p->head = pk->next;
		free_packet(pk);
	}
	KASSERT(!p->irq_head); /* a bound interrupt holds a reference to the port */
	kfree(p, sizeof(*p));
}

static const struct object_ops port_ops = {
    .destroy = port_destroy,
};

zx_status_t port_create(uint32_t options, struct port **out)
{
	struct port *p = kzalloc(sizeof(*p));
	if (!p)
		return ZX_ERR_NO_MEMORY;
	object_init(&p->obj, ZX_OBJ_TYPE_PORT, &port_ops);
	p->options = options;
	p->tail = &p->head;
	p->irq_tail = &p->irq_head;
	*out = p;
	return ZX_OK;
}

static void enqueue(struct port *p, struct port_packet *pk)
{
	pk->next = NULL;
	*p->tail = pk;
	p->tail = &pk->next;
	if (p->head == pk && !p->irq_head)
		object_signal(&p->obj, 0, PORT_QUEUED);
}

bool port_queue_external(struct port *p, struct port_packet *pk)
{
	KLOCK_HELD();
	if (pk->queued)
		return false;
	pk->queued = true;
	pk->next = NULL;
	*p->irq_tail = pk;
	p->irq_tail = &pk->next;
	if (p->irq_head == pk && !p->head)
		object_signal(&p->obj, 0, PORT_QUEUED);
	return true;
}

bool port_remove_external(struct port *p, struct port_packet *pk)
{
	KLOCK_HELD();
	if (!pk->queued)
		return false;
	for (struct port_packet **pp = &p->irq_head; *pp; pp = &(*pp)->next)
		if (*pp == pk) {
			*pp = pk->next;
			if (p->irq_tail == &pk->next)
				p->irq_tail = pp;
			break;
		}
	pk->queued = false;
	if (!p->head && !p->irq_head)
		object_signal(&p->obj, PORT_QUEUED, 0);
	return true;
}

zx_status_t port_queue_user(struct port *p, const zx_port_packet_t *pkt)
{
	KLOCK_HELD();
	if (p->user_packets >= PORT_MAX_USER_PACKETS)
		return ZX_ERR_SHOULD_WAIT;
	struct port_packet *pk = kalloc(sizeof(*pk));
	if (!pk)
		return ZX_ERR_NO_MEMORY;
	pk->table = NULL;
	pk->handle = ZX_HANDLE_INVALID;
	pk->owner = PKT_USER;
	pk->pkt = *pkt;
	pk->pkt.type = ZX_PKT_TYPE_USER;
	p->user_packets++;
	enqueue(p, pk);
	return ZX_OK;
}

bool port_dequeue(struct port *p, zx_port_packet_t *out)
{
	KLOCK_HELD();
	struct port_packet *pk = p->irq_head;

	if (pk) {
		if ((p->irq_head = pk->next) == NULL)
			p->irq_tail = &p->irq_head;
	} else if ((pk = p->head) != NULL) {
		if ((p->head = pk->next) == NULL)
			p->tail = &p->head;
		if (pk->owner == PKT_USER)
			p->user_packets--;
	} else {
		return false;
	}
	if (!p->head && !p->irq_head)
		object_signal(&p->obj, PORT_QUEUED, 0);
	*out = pk->pkt;
	free_packet(pk);
	return true;
}

zx_status_t port_take(struct port *p, zx_time_t deadline, const void *table, zx_handle_t h,
		      zx_port_packet_t *out)
{
	KLOCK_HELD();
	while (!port_dequeue(p, out)) {
		zx_status_t st = object_wait(&p->obj, PORT_QUEUED, deadline, table, h);
		if (st != ZX_OK)
			return st;
	}
	return ZX_OK;
}

/* The wait's signals are asserted: its packet joins the queue (it is off the object's list). */
static void wait_fired(struct async_wait *w, zx_signals_t observed)
{
	struct port_wait *pw = (struct port_wait *)w;
	zx_packet_signal_t *sig = &pw->packet.pkt.signal;

	unlink_armed(pw);
	sig->observed = observed;
	sig->count = 1;
	if (pw->options & (ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP))
		sig->timestamp = (uint64_t)timer_now(); /* zirv's clocks never part: boot = mono */
	enqueue(pw->port, &pw->packet);
}

/* Its handle left the table: the wait ends, no packet. */
static void wait_cancelled(struct async_wait *w)
{
	struct port_wait *pw = (struct port_wait *)w;
	unlink_armed(pw);
	kfree(pw, sizeof(*pw));
}

static const struct async_wait_ops level_wait_ops = {
    .fire = wait_fired,
    .cancel = wait_cancelled,
};

static const struct async_wait_ops edge_wait_ops = {
    .fire = wait_fired,
    .cancel = wait_cancelled,
    .edge = true,
};

zx_status_t port_wait_async(struct port *p, struct object *obj, const void *table, zx_handle_t h,
			    uint64_t key, zx_signals_t signals, uint32_t options)
{
	KLOCK_HELD();
	if (p->armed >= PORT_MAX_WAITS)
		return ZX_ERR_NO_RESOURCES;
	/* Not zeroed first: every field is written here, once (this is on every wait's path). */
	struct port_wait *pw = kalloc(sizeof(*pw));
	if (!pw)
		return ZX_ERR_NO_MEMORY;
	pw->w.next = NULL;
	pw->w.ops = options & ZX_WAIT_ASYNC_EDGE ? &edge_wait_ops : &level_wait_ops;
	pw->w.table = table;
	pw->w.handle = h;
	pw->w.want = signals;
	pw->obj = obj;
	pw->port = p;
	pw->prev = NULL;
	pw->options = options;
	pw->packet.next = NULL;
	pw->packet.table = table;
	pw->packet.handle = h;
	pw->packet.owner = PKT_WAIT;
	pw->packet.queued = false;
	pw->packet.pkt.key = key;
	pw->packet.pkt.type = ZX_PKT_TYPE_SIGNAL_ONE;
	pw->packet.pkt.status = ZX_OK;
	pw->packet.pkt.signal = (zx_packet_signal_t){.trigger = signals};
	pw->next = p->waits;
	if (p->waits)
		p->waits->prev = pw;
	p->waits = pw;
	p->armed++;
	object_add_async(obj, &pw->w); /* may fire at once: the record is complete by now */
	return ZX_OK;
}

bool port_cancel(struct port *p, struct object *obj, const void *table, zx_handle_t h, uint64_t key)
{
	KLOCK_HELD();
	bool found = false;

	for (struct port_wait *pw = p->waits, *next; pw; pw = next) {
		next = pw->next;
		if (pw->obj != obj || pw->w.table != table || pw->w.handle != h ||
		    pw->packet.pkt.key != key)
			continue;
		object_remove_async(obj, &pw->w);
		unlink_armed(pw);
		kfree(pw, sizeof(*pw));
		found = true;
	}
	struct port_packet **pp = &p->head;
	p->tail = &p->head;
	while (*pp) {
		struct port_packet *pk = *pp;
		if (pk->owner == PKT_WAIT && pk->table == table && pk->handle == h &&
		    pk->pkt.key == key) {
			*pp = pk->next;
			free_packet(pk);
			found = true;
			continue;
		}
		pp = &pk->next;
		p->tail = pp;
	}
	if (!p->head && !p->irq_head)
		object_signal(&p->obj, PORT_QUEUED, 0);
	return found;
}
