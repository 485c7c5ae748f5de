#include <zircon/errors.h>
#include <zircon/types.h>

#include "handles/channel.h"
#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"

static size_t msg_size(uint32_t nhandles)
{
	return sizeof(struct channel_msg) + nhandles * sizeof(struct channel_handle);
}

static uint32_t chunk_len(const struct channel_msg *m, uint32_t i)
{
	uint32_t left = m->nbytes - i * CHANNEL_CHUNK;
	return left < CHANNEL_CHUNK ? left : CHANNEL_CHUNK;
}

static uint32_t nchunks(uint32_t nbytes)
{
	return (nbytes + CHANNEL_CHUNK - 1) / CHANNEL_CHUNK;
}

struct channel_msg *channel_msg_alloc(uint32_t nbytes, uint32_t nhandles)
{
	KASSERT(nbytes <= ZX_CHANNEL_MAX_MSG_BYTES && nhandles <= ZX_CHANNEL_MAX_MSG_HANDLES);
	struct channel_msg *m = kzalloc(msg_size(nhandles));
	if (!m)
		return NULL;
	m->nbytes = nbytes;
	m->nhandles = nhandles;
	for (uint32_t i = 0; i < nchunks(nbytes); i++) {
		paddr_t pa = pmm_alloc();
		if (!pa) {
			m->nhandles = 0; /* none filled in yet */
			channel_msg_free(m);
			return NULL;
		}
		m->chunk[i] = paddr_to_kva(pa);
	}
	return m;
}

void channel_msg_free(struct channel_msg *m)
{
	for (uint32_t i = 0; i < nchunks(m->nbytes) && m->chunk[i]; i++)
		pmm_free(kva_to_paddr(m->chunk[i]));
	for (uint32_t i = 0; i < m->nhandles; i++)
		if (m->handle[i].obj) {
			m->handle[i].obj->handles--;
			object_unref(m->handle[i].obj);
		}
	kfree(m, msg_size(m->nhandles));
}

void channel_msg_put_handle(struct channel_msg *m, uint32_t i, struct object *obj,
			    zx_rights_t rights)
{
	obj->handles++;
	m->handle[i] = (struct channel_handle){obj, rights};
}

struct object *channel_msg_take_handle(struct channel_msg *m, uint32_t i, zx_rights_t *rights)
{
	struct object *o = m->handle[i].obj;
	o->handles--;
	*rights = m->handle[i].rights;
	m->handle[i].obj = NULL;
	return o;
}

uint8_t *channel_msg_bytes(const struct channel_msg *m, uint32_t i, uint32_t *len)
{
	*len = chunk_len(m, i);
	return m->chunk[i];
}

/* An end goes: its peer learns it, and what waits for it is destroyed with it. */
static void channel_destroy(struct object *o)
{
	struct channel *ch = (struct channel *)o;

	if (ch->peer) {
		ch->peer->peer = NULL;
		object_signal(&ch->peer->obj, ZX_CHANNEL_WRITABLE, ZX_CHANNEL_PEER_CLOSED);
	}
	while (ch->head)
		channel_msg_free(channel_pop(ch));
	kfree(ch, sizeof(*ch));
}

static zx_koid_t channel_related(const struct object *o)
{
	return ((const struct channel *)o)->peer_koid;
}

static const struct object_ops channel_ops = {
    .destroy = channel_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .related_koid = channel_related,
};

static struct channel *end_new(void)
{
	struct channel *ch = kzalloc(sizeof(*ch));
	if (ch) {
		object_init(&ch->obj, ZX_OBJ_TYPE_CHANNEL, &channel_ops);
		ch->tail = &ch->head;
		object_signal(&ch->obj, 0, ZX_CHANNEL_WRITABLE);
	}
	return ch;
}

zx_status_t channel_create(struct channel **end0, struct channel **end1)
{
	struct channel *a = end_new(), *b = a ? end_new() : NULL;

	if (!b) {
		if (a)
			object_unref(&a->obj);
		return ZX_ERR_NO_MEMORY;
	}
	a->peer = b;
	b->peer = a;
	a->peer_koid = b->obj.koid;
	b->peer_koid = a->obj.koid;
	*end0 = a;
	*end1 = b;
	return ZX_OK;
}

zx_status_t channel_write(struct channel *ch, struct channel_msg *m)
{
	struct channel *to = ch->peer;

	if (!to || to->pending >= CHANNEL_MAX_PENDING) {
		channel_msg_free(m);
		return to ? ZX_ERR_NO_RESOURCES : ZX_ERR_PEER_CLOSED;
	}
	m->next = NULL;
	*to->tail = m;
	to->tail = &m->next;
	if (to->pending++ == 0)
		object_signal(&to->obj, 0, ZX_CHANNEL_READABLE);
	return ZX_OK;
}

struct channel_msg *channel_peek(struct channel *ch, zx_status_t *why)
{
	if (!ch->head)
		*why = ch->peer ? ZX_ERR_SHOULD_WAIT : ZX_ERR_PEER_CLOSED;
	return ch->head;
}

struct channel_msg *channel_pop(struct channel *ch)
{
	struct channel_msg *m = ch->head;

	if ((ch->head = m->next) == NULL) {
		ch->tail = &ch->head;
		object_signal(&ch->obj, ZX_CHANNEL_READABLE, 0);
	}
	ch->pending--;
	return m;
}
