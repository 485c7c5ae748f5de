/*
 * VMAR objects: what a VMAR handle names. Each holds a reference to one
 * mm/ VMAR. A root VMAR, and everything in it, goes when its object does
 * (its process lets go); a sub-VMAR lives on in its parent after its last
 * handle closes, as in Zircon, until zx_vmar_destroy or its parent's end.
 */
#ifndef ZIRV_HANDLES_VMAR_H
#define ZIRV_HANDLES_VMAR_H

#include "handles/object.h"
#include "mm/vmar.h"

struct vmar_obj {
	struct object obj;
	struct vmar *vmar; /* owned */
};

/* The root VMAR of `as` and its object (one reference for the caller). */
zx_status_t vmar_obj_create_root(struct aspace *as, struct vmar_obj **out);
/*
 * zx_vmar_allocate's object part: a sub-VMAR of `parent` (see
 * vmar_allocate) and its object, one reference for the caller.
 */
zx_status_t vmar_obj_allocate(struct vmar *parent, uint32_t flags, size_t size,
			      const struct placement *at, struct vmar_obj **out);

static inline struct vmar *vmar_of(struct object *o)
{
	return ((struct vmar_obj *)o)->vmar;
}

#endif
