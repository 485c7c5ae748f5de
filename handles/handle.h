/*
 * Per-process handle tables.
 *
 * A handle value is (generation << 10) | (slot << 2) | 0x3: the low two
 * bits are always set (ZX_HANDLE_FIXED_BITS_MASK), and a slot's generation
 * advances every time the slot is freed, so a closed or reused value no
 * longer matches and a forged one almost never does: both → BAD_HANDLE.
 * A slot that has used all 2^22 generations is retired for the life of the
 * table, so a value never comes back naming another object.
 */
#ifndef ZIRV_HANDLES_HANDLE_H
#define ZIRV_HANDLES_HANDLE_H

#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/types.h>

#include "handles/object.h"
#include "sched.h"

#define HANDLE_SLOTS 256 /* one page of slots */

struct handle_slot {
	struct object *obj; /* NULL: free */
	zx_rights_t rights; /* free: index of the next free slot, HANDLE_SLOTS ends the list */
	uint32_t gen;
};

#define HANDLE_GEN_SHIFT 10

static inline zx_handle_t handle_encode(uint32_t slot, uint32_t gen)
{
	return (gen << HANDLE_GEN_SHIFT) | (slot << 2) | ZX_HANDLE_FIXED_BITS_MASK;
}

struct handle_table {
	struct handle_slot *slot; /* HANDLE_SLOTS of them, in one PMM page */
	uint32_t used;
	uint32_t retired;   /* slots whose generations ran out: never handed out again */
	uint32_t free_head; /* first free slot: adding and removing are O(1) */
};

/* Boot argument zirv.handle_gen_bits=N (1..22): fewer generations, to test retiring. */
void handle_set_generation_bits(uint32_t bits);

/* ZX_ERR_NO_MEMORY if the slot page cannot be had. */
zx_status_t handle_table_init(struct handle_table *ht);

/*
 * Install a handle to obj (taking over one reference the caller holds).
 * ZX_ERR_NO_RESOURCES when the table is full (the reference stays the
 * caller's).
 */
static inline zx_status_t handle_add(struct handle_table *ht, struct object *obj,
				     zx_rights_t rights, zx_handle_t *out)
{
	KLOCK_HELD();
	uint32_t i = ht->free_head;
	if (i == HANDLE_SLOTS)
		return ZX_ERR_NO_RESOURCES;
	struct handle_slot *s = &ht->slot[i];
	ht->free_head = s->rights; /* a free slot's rights link the free list */
	s->obj = obj;
	s->rights = rights;
	obj->handles++;
	ht->used++;
	*out = handle_encode(i, s->gen);
	return ZX_OK;
}
/* The slot a value names, if it is live and its generation matches (inline: every syscall). */
static inline struct handle_slot *handle_lookup(struct handle_table *ht, zx_handle_t h)
{
	uint32_t slot = (h >> 2) & (HANDLE_SLOTS - 1);
	struct handle_slot *s = &ht->slot[slot];

	if ((h & ZX_HANDLE_FIXED_BITS_MASK) != ZX_HANDLE_FIXED_BITS_MASK || !s->obj ||
	    handle_encode(slot, s->gen) != h)
		return NULL;
	return s;
}
/*
 * Look up a handle: BAD_HANDLE if the value is not live, WRONG_TYPE if
 * `type` is not ZX_OBJ_TYPE_NONE and differs, ACCESS_DENIED if any of
 * `rights` is missing. No reference is taken: valid until the next
 * change to the table.
 */
static inline zx_status_t handle_get(struct handle_table *ht, zx_handle_t h, zx_obj_type_t type,
				     zx_rights_t rights, struct object **obj, zx_rights_t *have)
{
	struct handle_slot *s = handle_lookup(ht, h);

	if (!s)
		return ZX_ERR_BAD_HANDLE;
	if (type != ZX_OBJ_TYPE_NONE && s->obj->type != type)
		return ZX_ERR_WRONG_TYPE;
	if ((s->rights & rights) != rights)
		return ZX_ERR_ACCESS_DENIED;
	*obj = s->obj;
	if (have)
		*have = s->rights;
	return ZX_OK;
}
/* Remove a live handle; its reference goes to *obj. BAD_HANDLE otherwise. */
zx_status_t handle_take(struct handle_table *ht, zx_handle_t h, struct object **obj,
			zx_rights_t *rights);
/* Slots still free. */
uint32_t handle_free_slots(const struct handle_table *ht);
/* Close every handle and free the slots (process teardown). */
void handle_table_destroy(struct handle_table *ht);

#endif
