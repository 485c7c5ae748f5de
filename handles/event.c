#include <zircon/errors.h>
#include <zircon/types.h>

#include "handles/event.h"
#include "kernel.h"
#include "mm/heap.h"

static void event_destroy(struct object *o)
{
	kfree(o, sizeof(*o));
}

static const struct object_ops event_ops = {
    .destroy = event_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL | ZX_EVENT_SIGNALED,
};

zx_status_t event_create(struct object **out)
{
	struct object *o = kzalloc(sizeof(*o));
	if (!o)
		return ZX_ERR_NO_MEMORY;
	object_init(o, ZX_OBJ_TYPE_EVENT, &event_ops);
	*out = o;
	return ZX_OK;
}

/* An end goes: its peer learns it. */
static void eventpair_destroy(struct object *o)
{
	struct eventpair *e = (struct eventpair *)o;

	if (e->peer) {
		e->peer->peer = NULL;
		object_signal(&e->peer->obj, 0, ZX_EVENTPAIR_PEER_CLOSED);
	}
	kfree(e, sizeof(*e));
}

static zx_koid_t eventpair_related(const struct object *o)
{
	return ((const struct eventpair *)o)->peer_koid;
}

static struct object *eventpair_peer(struct object *o)
{
	struct eventpair *e = (struct eventpair *)o;
	return e->peer ? &e->peer->obj : NULL;
}

static const struct object_ops eventpair_ops = {
    .destroy = eventpair_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL | ZX_EVENTPAIR_SIGNALED,
    .related_koid = eventpair_related,
    .peer = eventpair_peer,
};

zx_status_t eventpair_create(struct eventpair **end0, struct eventpair **end1)
{
	struct eventpair *a = kzalloc(sizeof(*a)), *b = a ? kzalloc(sizeof(*b)) : NULL;

	if (!b) {
		kfree(a, sizeof(*a));
		return ZX_ERR_NO_MEMORY;
	}
	object_init(&a->obj, ZX_OBJ_TYPE_EVENTPAIR, &eventpair_ops);
	object_init(&b->obj, ZX_OBJ_TYPE_EVENTPAIR, &eventpair_ops);
	a->peer = b;
	b->peer = a;
	a->peer_koid = b->obj.koid;
	b->peer_koid = a->obj.koid;
	*end0 = a;
	*end1 = b;
	return ZX_OK;
}
