/*
 * VMO objects: what a VMO handle names. Each wraps one mm/ VMO (holding a
 * reference to it) and adds what handles need: the koid and name, the
 * ZX_VMO_ZERO_CHILDREN signal, user signals and the ZX_INFO_VMO records.
 * Rights and the order of checks are the syscalls'.
 */
#ifndef ZIRV_HANDLES_VMO_H
#define ZIRV_HANDLES_VMO_H

#include "handles/object.h"
#include "mm/vmo.h"

struct vmo_obj {
	struct object obj;
	struct vmo *vmo;       /* a reference */
	uint64_t content_size; /* ZX_PROP_VMO_CONTENT_SIZE: the size asked for, or as set since */
};

/* Call once at start-up: lets mm/ VMOs report their children to their objects. */
void vmo_obj_init(void);
/*
 * The object for a new VMO v, in v's owner room (so it cannot fail), taking
 * over the caller's reference to v. One reference to it for the caller. Its
 * content size starts as v's size.
 */
struct vmo_obj *vmo_obj_create(struct vmo *v);

/*
 * ZX_PROP_VMO_CONTENT_SIZE set to `size`: any value, the VMO's bytes from
 * it to the VMO's end read as zeros afterwards. NOT_SUPPORTED on a
 * physical VMO (its content is its size); NO_MEMORY if zeroing needed a
 * private copy of a page shared with a snapshot and none was left.
 */
zx_status_t vmo_obj_set_content_size(struct vmo_obj *vo, uint64_t size);

static inline struct vmo *vmo_of(struct object *o)
{
	return ((struct vmo_obj *)o)->vmo;
}

#endif
