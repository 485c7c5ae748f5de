#include <zircon/errors.h>

#include "handles/handle.h"
#include "kernel.h"
#include "mm/kvm.h"
#include "mm/pmm.h"
#include "sched.h"

_Static_assert(HANDLE_SLOTS * sizeof(struct handle_slot) == PAGE_SIZE, "slots fill one page");

zx_status_t handle_table_init(struct handle_table *ht)
{
	paddr_t pa = pmm_alloc_zeroed();
	if (!pa)
		return ZX_ERR_NO_MEMORY;
	ht->slot = paddr_to_kva(pa);
	ht->used = 0;
	ht->retired = 0;
	for (uint32_t i = 0; i < HANDLE_SLOTS; i++)
		ht->slot[i].rights = i + 1;
	ht->free_head = 0;
	return ZX_OK;
}

#define GEN_BITS 22

/* The generations a slot lives through; zirv.handle_gen_bits=N shrinks it for tests. */
static uint32_t gen_limit = 1u << GEN_BITS;

void handle_set_generation_bits(uint32_t bits)
{
	if (bits >= 1 && bits <= GEN_BITS)
		gen_limit = 1u << bits;
}

zx_status_t handle_take(struct handle_table *ht, zx_handle_t h, struct object **obj,
			zx_rights_t *rights)
{
	KLOCK_HELD();
	struct handle_slot *s = handle_lookup(ht, h);

	if (!s)
		return ZX_ERR_BAD_HANDLE;
	*obj = s->obj;
	if (rights)
		*rights = s->rights;
	if (object_waited_on(s->obj)) /* a wait through this value ends (Zircon: CANCELED) */
		object_cancel_waits(s->obj, ht, h);
	s->obj->handles--;
	s->obj = NULL;
	ht->used--;
	/*
	 * A slot whose generations are used up is retired, never reused: a
	 * wrapped generation would make some stale value name the new object.
	 * (It still counts as used, so a table of retired slots is full.)
	 */
	if (++s->gen == gen_limit) {
		ht->retired++;
		return ZX_OK;
	}
	s->rights = ht->free_head;
	ht->free_head = (uint32_t)(s - ht->slot);
	return ZX_OK;
}

uint32_t handle_free_slots(const struct handle_table *ht)
{
	return HANDLE_SLOTS - ht->used - ht->retired;
}

void handle_table_destroy(struct handle_table *ht)
{
	for (uint32_t i = 0; i < HANDLE_SLOTS && ht->used > 0; i++) {
		struct object *o;
		if (ht->slot[i].obj &&
		    handle_take(ht, handle_encode(i, ht->slot[i].gen), &o, NULL) == ZX_OK)
			object_unref(o);
	}
	pmm_free(kva_to_paddr(ht->slot));
	ht->slot = NULL;
}
