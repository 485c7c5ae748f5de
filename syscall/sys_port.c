/* zx_port_create, zx_port_queue, zx_port_wait, zx_port_cancel, zx_object_wait_async. */
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

#include "handles/port.h"
#include "handles/thread.h"
#include "kernel.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

/* Zircon's order (lib/syscalls/port.cc, PortDispatcher::Create): the options, the port, the handle.
 */
int64_t sys_port_create(uint32_t options, user_ptr out)
{
	struct port *p;
	zx_status_t st;

	if (options & ~ZX_PORT_BIND_TO_INTERRUPT)
		return ZX_ERR_INVALID_ARGS;
	if ((st = port_create(options, &p)) != ZX_OK)
		return st;
	st = give_handle(&p->obj, ZX_DEFAULT_PORT_RIGHTS, out);
	object_unref(&p->obj); /* the handle holds it, or it goes */
	return st;
}

/* Zircon's order: the handle and WRITE, the packet, the queue's room. */
int64_t sys_port_queue(zx_handle_t handle, user_ptr packet)
{
	struct object *o;
	zx_port_packet_t pkt;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (copy_from_user(&pkt, packet, sizeof(pkt)))
		return ZX_ERR_INVALID_ARGS;
	return port_queue_user((struct port *)o, &pkt);
}

/*
 * Zircon's order: the handle and READ, the wait, then the copy out (a packet
 * taken for a pointer that cannot be written is lost, as in Zircon).
 */
int64_t sys_port_wait(zx_handle_t handle, zx_instant_mono_t deadline, user_ptr packet)
{
	struct object *o;
	zx_port_packet_t pkt;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_PORT, ZX_RIGHT_READ, &o, NULL);

	if (st != ZX_OK)
		return st;
	object_ref(o); /* another thread may close the handle meanwhile */
	thread_current()->blocked_as = ZX_THREAD_STATE_BLOCKED_PORT;
	st = port_take((struct port *)o, deadline, cur_handles(), handle, &pkt);
	object_unref(o);
	proc_exit_if_killed();
	if (st == ZX_OK && copy_to_user(packet, &pkt, sizeof(pkt)))
		return ZX_ERR_INVALID_ARGS;
	return st;
}

/*
 * The handle to watch: BAD_HANDLE if it is not live, ACCESS_DENIED without
 * WAIT (every object zirv hands out with WAIT can be waited on).
 */
static zx_status_t get_watched(zx_handle_t source, struct object **obj)
{
	zx_rights_t rights;
	zx_status_t st = get_object(source, ZX_OBJ_TYPE_NONE, 0, obj, &rights);

	if (st == ZX_OK && !(rights & ZX_RIGHT_WAIT))
		st = ZX_ERR_ACCESS_DENIED;
	return st;
}

/* Zircon's order: the port and WRITE, the source and WAIT; NOT_FOUND if nothing matched. */
int64_t sys_port_cancel(zx_handle_t handle, zx_handle_t source, uint64_t key)
{
	struct object *port, *obj;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE, &port, NULL);

	if (st != ZX_OK || (st = get_watched(source, &obj)) != ZX_OK)
		return st;
	return port_cancel((struct port *)port, obj, cur_handles(), source, key) ? ZX_OK
										 : ZX_ERR_NOT_FOUND;
}

/*
 * Zircon's order (lib/syscalls/object_wait.cc): the options, the port
 * (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED without WRITE), the handle and WAIT.
 */
int64_t sys_object_wait_async(zx_handle_t handle, zx_handle_t port, uint64_t key,
			      zx_signals_t signals, uint32_t options)
{
	struct object *p, *obj;
	zx_status_t st;

	if (options &
	    ~(ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP | ZX_WAIT_ASYNC_EDGE))
		return ZX_ERR_INVALID_ARGS;
	if ((options & ZX_WAIT_ASYNC_TIMESTAMP) && (options & ZX_WAIT_ASYNC_BOOT_TIMESTAMP))
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(port, ZX_OBJ_TYPE_PORT, ZX_RIGHT_WRITE, &p, NULL)) != ZX_OK ||
	    (st = get_watched(handle, &obj)) != ZX_OK)
		return st;
	return port_wait_async((struct port *)p, obj, cur_handles(), handle, key, signals, options);
}
