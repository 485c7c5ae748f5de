#include <string.h>
#include <zircon/errors.h>

#include "handles/object.h"
#include "kernel.h"

/* Koids start above ZX_KOID_KERNEL (1) and are never reused. */
static zx_koid_t next_koid = 1024;

void object_init(struct object *o, zx_obj_type_t type, const struct object_ops *ops)
{
	o->ops = ops;
	o->type = type;
	o->refs = 1;
	o->handles = 0;
	o->koid = next_koid++;
	o->signals = 0;
	/* o->name: objects come from kzalloc, already zeroed */
}

void object_ref(struct object *o)
{
	KASSERT(o->refs > 0);
	o->refs++;
}

/*
 * Objects whose last reference went while another destroy was running.
 * One hart runs the kernel with interrupts off, so one queue serves.
 */
static struct object *dead_head;
static bool destroying;

void object_unref(struct object *o)
{
	KASSERT(o->refs > 0);
	if (--o->refs != 0)
		return;
	o->dead_next = dead_head;
	dead_head = o;
	if (destroying)
		return; /* the outer object_unref below destroys it */
	destroying = true;
	while ((o = dead_head) != NULL) {
		dead_head = o->dead_next;
		o->ops->destroy(o);
	}
	destroying = false;
}

void object_signal(struct object *o, zx_signals_t clear, zx_signals_t set)
{
	o->signals = (o->signals & ~clear) | set;
}

void object_set_name(struct object *o, const char *name, size_t len)
{
	if (len > ZX_MAX_NAME_LEN - 1)
		len = ZX_MAX_NAME_LEN - 1;
	memset(o->name, 0, sizeof(o->name));
	memcpy(o->name, name, len);
}
