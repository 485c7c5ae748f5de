/*
 * VMAR objects: what a VMAR handle names. Each owns one mm/ VMAR; the VMAR,
 * and every mapping in it, goes when the object does.
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

static inline struct vmar *vmar_of(struct object *o)
{
	return ((struct vmar_obj *)o)->vmar;
}

#endif
