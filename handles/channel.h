/*
 * Channels: two ends, each an object of its own with a queue of the
 * messages written into the other end. A message is up to 64 KiB of bytes
 * and up to 64 handles, each held as an object reference with its rights
 * while the message waits. An end whose last reference goes closes its
 * peer's half (ZX_CHANNEL_PEER_CLOSED) and destroys what waits in its own
 * queue. Handle tables and user memory are the syscalls'.
 */
#ifndef ZIRV_HANDLES_CHANNEL_H
#define ZIRV_HANDLES_CHANNEL_H

#include <zircon/types.h>

#include "arch.h"
#include "handles/object.h"
#include "mm/heap.h"

/*
 * Message bytes are held in whole pages from the page allocator, which
 * takes them back when the message is read (the object heap never gives
 * its pages back, so it holds only the message records) — except for a
 * small message, whose bytes follow its handles inside a record of at
 * most CHANNEL_INLINE_MAX bytes.
 */
#define CHANNEL_CHUNK	   PAGE_SIZE
#define CHANNEL_MAX_CHUNKS (ZX_CHANNEL_MAX_MSG_BYTES / CHANNEL_CHUNK)
#define CHANNEL_INLINE_MAX 512
/*
 * Messages waiting in one end before a write into it is refused with
 * NO_RESOURCES (where Zircon raises a policy exception: zirv has none yet).
 */
#define CHANNEL_MAX_PENDING 3500

struct channel_handle {
	struct object *obj; /* a reference */
	zx_rights_t rights;
};

struct channel_msg {
	struct channel_msg *next;
	uint32_t nbytes, nhandles;
	uint8_t *chunk[CHANNEL_MAX_CHUNKS];
	struct channel_handle handle[]; /* nhandles of them */
};

/* A thread in zx_channel_call on an end, waiting for the reply that carries its txid. */
struct channel_caller {
	struct waiter w; /* on the end's waiter list, for ZX_CHANNEL_PEER_CLOSED */
	zx_txid_t txid;
	struct channel_msg *reply; /* set by the peer's write that matched */
	struct channel_caller *next;
};

/* Call txids are the kernel's: user-chosen ones stay below this (Zircon's contract). */
#define CHANNEL_MIN_KERNEL_TXID 0x80000000u

struct channel {
	struct object obj;
	struct channel *peer; /* NULL once the other end is gone */
	zx_koid_t peer_koid;  /* kept after it is gone (ZX_INFO_HANDLE_BASIC's related_koid) */
	struct channel_msg *head, **tail;
	uint32_t pending;
	uint32_t last_txid;
	struct channel_caller *callers; /* calls waiting on this end */
};

/* Both ends (one reference each for the caller), or NO_MEMORY. */
zx_status_t channel_create(struct channel **end0, struct channel **end1);
/* channel_msg_alloc and channel_msg_free below for any message (they inline the small case). */
struct channel_msg *channel_msg_alloc_any(uint32_t nbytes, uint32_t nhandles);
void channel_msg_free_any(struct channel_msg *m);

/* A message of bytes alone that fits in an inline record: the common case, inline. */
static inline bool channel_msg_small(uint32_t nbytes, uint32_t nhandles)
{
	return nhandles == 0 && nbytes <= CHANNEL_INLINE_MAX - sizeof(struct channel_msg);
}

/*
 * A message of `nbytes` bytes (uninitialised, see channel_msg_bytes) with
 * room for `nhandles` handles, which the caller fills; NULL if out of memory.
 */
static inline struct channel_msg *channel_msg_alloc(uint32_t nbytes, uint32_t nhandles)
{
	if (!channel_msg_small(nbytes, nhandles))
		return channel_msg_alloc_any(nbytes, nhandles);
	struct channel_msg *m = kalloc(CHANNEL_INLINE_MAX);
	if (m) {
		m->next = NULL;
		m->nbytes = nbytes;
		m->nhandles = 0;
		m->chunk[0] = (uint8_t *)m->handle; /* the bytes follow the (no) handles */
	}
	return m;
}

/* Free a message and close the handles it still holds. */
static inline void channel_msg_free(struct channel_msg *m)
{
	if (channel_msg_small(m->nbytes, m->nhandles))
		kfree(m, CHANNEL_INLINE_MAX);
	else
		channel_msg_free_any(m);
}
/*
 * Put a handle (the caller's reference to obj, taken out of a handle
 * table) in slot i; a handle in a message still counts in its object's
 * ZX_INFO_HANDLE_COUNT, as in Zircon.
 */
void channel_msg_put_handle(struct channel_msg *m, uint32_t i, struct object *obj,
			    zx_rights_t rights);
/* Take the handle out of slot i (its reference goes to the caller, who installs it). */
struct object *channel_msg_take_handle(struct channel_msg *m, uint32_t i, zx_rights_t *rights);
/* The `i`th chunk of the message's bytes and its length (inline: on every read and write). */
static inline uint8_t *channel_msg_bytes(const struct channel_msg *m, uint32_t i, uint32_t *len)
{
	uint32_t left = m->nbytes - i * CHANNEL_CHUNK;
	*len = left < CHANNEL_CHUNK ? left : CHANNEL_CHUNK;
	return m->chunk[i];
}
/*
 * Queue m on ch's peer (taking it over, whatever the result): PEER_CLOSED
 * (m freed) if the peer end is gone, NO_RESOURCES (m freed) if
 * CHANNEL_MAX_PENDING messages wait there already. A message whose txid
 * is a waiting call's on the peer goes to that call instead of the queue.
 */
zx_status_t channel_write(struct channel *ch, struct channel_msg *m);
/*
 * Write m (at least 4 bytes: its txid is overwritten with a fresh kernel
 * txid) and block until the peer writes a message with the same txid:
 * that reply goes to *reply. PEER_CLOSED if the peer is or goes away,
 * TIMED_OUT at the deadline, CANCELED if handle `h` of `table` leaves it
 * or the thread is killed; channel_write's errors. The caller holds a
 * reference to ch.
 */
zx_status_t channel_call(struct channel *ch, struct channel_msg *m, zx_time_t deadline,
			 const void *table, zx_handle_t h, struct channel_msg **reply);
/* The first message waiting in ch, or NULL: SHOULD_WAIT / PEER_CLOSED in *why. */
static inline struct channel_msg *channel_peek(struct channel *ch, zx_status_t *why)
{
	if (!ch->head)
		*why = ch->peer ? ZX_ERR_SHOULD_WAIT : ZX_ERR_PEER_CLOSED;
	return ch->head;
}

/* Take the first message off ch's queue (the caller now owns it). */
static inline struct channel_msg *channel_pop(struct channel *ch)
{
	struct channel_msg *m = ch->head;

	if ((ch->head = m->next) == NULL) {
		ch->tail = &ch->head;
		object_signal(&ch->obj, ZX_CHANNEL_READABLE, 0);
	}
	ch->pending--;
	return m;
}

#endif
