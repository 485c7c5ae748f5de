/*
 * Events and eventpairs: objects that only carry signals. An event's
 * signals are ZX_EVENT_SIGNALED and the user signals; the two ends of an
 * eventpair are each other's peer, like a channel's, and an end whose peer
 * is gone asserts ZX_EVENTPAIR_PEER_CLOSED.
 */
#ifndef ZIRV_HANDLES_EVENT_H
#define ZIRV_HANDLES_EVENT_H

#include <zircon/types.h>

#include "handles/object.h"

struct eventpair {
	struct object obj;
	struct eventpair *peer; /* NULL once the other end is gone */
	zx_koid_t peer_koid;	/* kept after it is gone (ZX_INFO_HANDLE_BASIC) */
};

/* A new event (one reference for the caller), or NO_MEMORY. */
zx_status_t event_create(struct object **out);
/* Both ends of a new eventpair (one reference each), or NO_MEMORY. */
zx_status_t eventpair_create(struct eventpair **end0, struct eventpair **end1);

#endif
