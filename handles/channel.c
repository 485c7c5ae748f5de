#include <zircon/errors.h>
#include <zircon/types.h>

#include "handles/channel.h"
#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "sched.h"

static size_t msg_size(uint32_t nhandles)
{
	return sizeof(struct channel_msg) + nhandles * sizeof(struct channel_handle);
}

/* Do the bytes live in the record, after the handles? */
static bool msg_inline(uint32_t nbytes, uint32_t nhandles)
{
	return msg_size(nhandles) + nbytes <= CHANNEL_INLINE_MAX;
}

/* An inline record is always CHANNEL_INLINE_MAX bytes: one heap class, known at compile time. */
static size_t record_size(uint32_t nbytes, uint32_t nhandles)
{
	return msg_inline(nbytes, nhandles) ? CHANNEL_INLINE_MAX : msg_size(nhandles);
}

static uint32_t nchunks(uint32_t nbytes)
{
	return (nbytes + CHANNEL_CHUNK - 1) / CHANNEL_CHUNK;
}

static void free_chunks(struct channel_msg *m, uint32_t n)
{
	if (!msg_inline(m->nbytes, m->nhandles))
		for (uint32_t i = 0; i < n; i++)
			pmm_free(kva_to_paddr(m->chunk[i]));
}

struct channel_msg *channel_msg_alloc_any(uint32_t nbytes, uint32_t nhandles)
{
	KASSERT(nbytes <= ZX_CHANNEL_MAX_MSG_BYTES && nhandles <= ZX_CHANNEL_MAX_MSG_HANDLES);
	struct channel_msg *m = kalloc(record_size(nbytes, nhandles));
	if (!m)
		return NULL;
	m->next = NULL;
	m->nbytes = nbytes;
	m->nhandles = nhandles;
	for (uint32_t i = 0; i < nhandles; i++)
		m->handle[i] = (struct channel_handle){NULL, 0};
	if (msg_inline(nbytes, nhandles)) {
		m->chunk[0] = (uint8_t *)&m->handle[nhandles];
		return m;
	}
	for (uint32_t i = 0; i < nchunks(nbytes); i++) {
		paddr_t pa = pmm_alloc();
		if (!pa) {
			free_chunks(m, i);
			kfree(m, record_size(nbytes, nhandles));
			return NULL;
		}
		m->chunk[i] = paddr_to_kva(pa);
	}
	return m;
}

void channel_msg_free_any(struct channel_msg *m)
{
	free_chunks(m, nchunks(m->nbytes));
	for (uint32_t i = 0; i < m->nhandles; i++)
		if (m->handle[i].obj) {
			m->handle[i].obj->handles--;
			object_unref(m->handle[i].obj);
		}
	kfree(m, record_size(m->nbytes, m->nhandles));
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

static struct object *channel_peer(struct object *o)
{
	struct channel *ch = (struct channel *)o;
	return ch->peer ? &ch->peer->obj : NULL;
}

static const struct object_ops channel_ops = {
    .destroy = channel_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .related_koid = channel_related,
    .peer = channel_peer,
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
	KLOCK_HELD();
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
