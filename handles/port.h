/*
 * Ports: a queue of packets that threads take with zx_port_wait. Packets
 * come from zx_port_queue (user packets, copied into a record of their own)
 * and from asynchronous waits (zx_object_wait_async), whose one packet is
 * part of the wait's record: a wait that fires moves from its object's
 * waiter list to the port's queue, so firing never allocates.
 *
 * A wait lives as long as the handle it was made through stays in its
 * table (object_cancel_waits ends it) and the port lives; the port holds
 * no reference to the objects it watches, and they hold none to it.
 */
#ifndef ZIRV_HANDLES_PORT_H
#define ZIRV_HANDLES_PORT_H

#include <stdbool.h>
#include <zircon/syscalls/port.h>
#include <zircon/types.h>

#include "handles/object.h"

/*
 * User packets queued at once (Zircon's per-port limit: past it Zircon
 * raises a policy exception, zirv answers SHOULD_WAIT), and asynchronous
 * waits armed at once (Zircon's max_port_observers default; zirv answers
 * NO_RESOURCES).
 */
#define PORT_MAX_USER_PACKETS 4096
#define PORT_MAX_WAITS	      50000

/* Who a packet's memory belongs to. */
enum port_packet_owner {
	PKT_USER,     /* the port: freed when taken */
	PKT_WAIT,     /* a struct port_wait: freed with it when taken */
	PKT_EXTERNAL, /* an interrupt object, which queues it again and again */
};

struct port_packet {
	struct port_packet *next; /* on the port's queue */
	const void *table;	  /* a signal packet: the handle its wait came through */
	zx_handle_t handle;
	uint8_t owner; /* enum port_packet_owner */
	bool queued;   /* PKT_EXTERNAL: on a port's queue now */
	zx_port_packet_t pkt;
};

struct port_wait {
	struct async_wait w; /* on the object's list while armed */
	struct object *obj;
	struct port *port;
	struct port_wait *prev, *next; /* the port's armed waits */
	uint32_t options;
	struct port_packet packet;
};

struct port {
	struct object obj;
	uint32_t options;
	struct port_packet *head, **tail;
	struct port_packet *irq_head, **irq_tail; /* interrupt packets: taken first, as in Zircon */
	uint32_t user_packets;			  /* user packets in the queue */
	uint32_t armed;				  /* waits on the list below */
	struct port_wait *waits;
};

/* A new port (one reference for the caller): options 0 or ZX_PORT_BIND_TO_INTERRUPT. */
zx_status_t port_create(uint32_t options, struct port **out);
/* Queue a copy of `pkt` as a user packet: NO_MEMORY, or SHOULD_WAIT when the port is full. */
zx_status_t port_queue_user(struct port *p, const zx_port_packet_t *pkt);
/*
 * Queue an interrupt object's own packet (ZX_PKT_TYPE_INTERRUPT; the port
 * was made with ZX_PORT_BIND_TO_INTERRUPT): false if it is queued already.
 */
bool port_queue_external(struct port *p, struct port_packet *pk);
/* Take an external packet off p's queue; false if it was not on it. */
bool port_remove_external(struct port *p, struct port_packet *pk);
/* Take the first packet into *out; false if the queue is empty. */
bool port_dequeue(struct port *p, zx_port_packet_t *out);
/*
 * Take the first packet, blocking until one is queued: TIMED_OUT at the
 * deadline, CANCELED if handle `h` of `table` (the caller's) leaves it or
 * the thread is killed. The caller holds a reference to p.
 */
zx_status_t port_take(struct port *p, zx_time_t deadline, const void *table, zx_handle_t h,
		      zx_port_packet_t *out);
/*
 * Wait asynchronously for `signals` on obj, through handle `h` of `table`:
 * one packet with `key` when they are asserted (at once if they already are
 * and `options` lacks ZX_WAIT_ASYNC_EDGE). NO_MEMORY, or NO_RESOURCES past
 * PORT_MAX_WAITS.
 */
zx_status_t port_wait_async(struct port *p, struct object *obj, const void *table, zx_handle_t h,
			    uint64_t key, zx_signals_t signals, uint32_t options);
/*
 * End the waits on obj through handle `h` of `table` with `key`, and drop
 * their packets already queued; false if there were none of either.
 */
bool port_cancel(struct port *p, struct object *obj, const void *table, zx_handle_t h,
		 uint64_t key);

#endif
