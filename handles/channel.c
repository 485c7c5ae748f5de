#include <string.h>
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

static zx_txid_t msg_txid(const struct channel_msg *m)
{
	zx_txid_t txid;
	memcpy(&txid, m->chunk[0], sizeof(txid));
	return txid;
}

/* Hand m to the call on `to` waiting for its txid, if there is one (apart: rare). */
static __attribute__((noinline)) bool give_to_caller(struct channel *to, struct channel_msg *m)
{
	if (m->nbytes < sizeof(zx_txid_t) || msg_txid(m) < CHANNEL_MIN_KERNEL_TXID)
		return false;
	for (struct channel_caller **pp = &to->callers, *c; (c = *pp) != NULL; pp = &c->next)
		if (c->txid == msg_txid(m)) {
			*pp = c->next;
			c->reply = m;
			sched_wake(c->w.thread, ZX_OK);
			return true;
		}
	return false;
}

zx_status_t channel_write(struct channel *ch, struct channel_msg *m)
{
	KLOCK_HELD();
	struct channel *to = ch->peer;

	if (to && to->callers && give_to_caller(to, m))
		return ZX_OK;
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

/* A txid no call waiting on ch has. */
static zx_txid_t new_txid(struct channel *ch)
{
	for (;;) {
		zx_txid_t txid = ++ch->last_txid | CHANNEL_MIN_KERNEL_TXID;
		struct channel_caller *c = ch->callers;
		while (c && c->txid != txid)
			c = c->next;
		if (!c)
			return txid;
	}
}

static void unlink_caller(struct channel *ch, struct channel_caller *me)
{
	for (struct channel_caller **pp = &ch->callers; *pp; pp = &(*pp)->next)
		if (*pp == me) {
			*pp = me->next;
			return;
		}
}

zx_status_t channel_call(struct channel *ch, struct channel_msg *m, zx_time_t deadline,
			 const void *table, zx_handle_t h, struct channel_msg **reply)
{
	KLOCK_HELD();
	struct channel_caller me = {
	    .w = {.thread = this_thread(),
		  .table = table,
		  .handle = h,
		  .want = ZX_CHANNEL_PEER_CLOSED},
	    .txid = new_txid(ch),
	};
	zx_status_t st;

	if (!ch->peer) {
		channel_msg_free(m);
		return ZX_ERR_PEER_CLOSED;
	}
	memcpy(m->chunk[0], &me.txid, sizeof(me.txid));
	me.next = ch->callers;
	ch->callers = &me;
	object_add_waiter(&ch->obj, &me.w);
	if ((st = channel_write(ch, m)) == ZX_OK)
		st = sched_block(deadline);
	object_remove_waiter(&ch->obj, &me.w);
	if (me.reply) { /* a reply that came is the result, whatever else happened */
		*reply = me.reply;
		return ZX_OK;
	}
	unlink_caller(ch, &me);
	return st == ZX_OK ? ZX_ERR_PEER_CLOSED : st; /* woken by PEER_CLOSED */
}
