#include <string.h>
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/vmo.h"
#include "kernel.h"
#include "mm/heap.h"

_Static_assert(sizeof(struct vmo_obj) <= VMO_OWNER_ROOM, "the object fits its VMO's room");

/* The object lives in its VMO's block (vmo_take_owner_room): it goes with the VMO. */
static void vmo_obj_destroy(struct object *o)
{
	struct vmo *v = vmo_of(o);

	v->owner = NULL; /* the VMO may outlive this object (mappings, slices) */
	vmo_unref(v);	 /* the last use of the object's memory */
}

static zx_status_t vmo_obj_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				    size_t len, size_t *actual)
{
	const struct vmo *v = vmo_of(o);
	zx_info_vmo_t info = {
	    .koid = o->koid,
	    .size_bytes = v->size,
	    .num_mappings = v->mappings,
	    .share_count = 1,
	    .flags = (v->physical ? ZX_INFO_VMO_TYPE_PHYSICAL | ZX_INFO_VMO_CONTIGUOUS
				  : ZX_INFO_VMO_TYPE_PAGED) |
		     (v->contiguous ? ZX_INFO_VMO_CONTIGUOUS : 0) |
		     (v->resizable ? ZX_INFO_VMO_RESIZABLE : 0) |
		     (v->cow_parent ? ZX_INFO_VMO_IS_COW_CLONE : 0) | ZX_INFO_VMO_VIA_HANDLE,
	    .parent_koid = v->parent	   ? v->parent->user_id
			   : v->cow_parent ? v->cow_parent->user_id
					   : 0,
	    .num_children = v->children,
	    .committed_bytes = v->committed << PAGE_SHIFT,
	    .populated_bytes = v->committed << PAGE_SHIFT,
	    .handle_rights = rights,
	    .cache_policy = v->cache_policy,
	};
	/* Every older layout is a prefix of today's record. */
	size_t size = topic == ZX_INFO_VMO_V1	? sizeof(zx_info_vmo_v1_t)
		      : topic == ZX_INFO_VMO_V2 ? sizeof(zx_info_vmo_v2_t)
		      : topic == ZX_INFO_VMO_V3 ? sizeof(zx_info_vmo_v3_t)
						: sizeof(info);

	memcpy(info.name, o->name, sizeof(info.name));
	return object_info_out(buf, len, &info, size, actual);
}

static const struct object_ops vmo_obj_ops = {
    .destroy = vmo_obj_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .get_info = vmo_obj_get_info,
};

/* Zircon asserts ZX_VMO_ZERO_CHILDREN on a VMO without children, from its creation. */
static void children_hook(void *owner, bool none)
{
	struct object *o = owner;
	object_signal(o, none ? 0 : ZX_VMO_ZERO_CHILDREN, none ? ZX_VMO_ZERO_CHILDREN : 0);
}

void vmo_obj_init(void)
{
	vmo_children_hook = children_hook;
}

zx_status_t vmo_obj_set_content_size(struct vmo_obj *vo, uint64_t size)
{
	struct vmo *v = vo->vmo;

	zx_status_t st;

	if (v->physical)
		return ZX_ERR_NOT_SUPPORTED;
	/* NO_MEMORY only where a page shared with a snapshot needed a copy to zero */
	if (size < v->size && (st = vmo_zero(v, size, v->size - size)) != ZX_OK)
		return st;
	vo->content_size = size;
	return ZX_OK;
}

struct vmo_obj *vmo_obj_create(struct vmo *v)
{
	struct vmo_obj *vo = vmo_take_owner_room(v);

	object_init(&vo->obj, ZX_OBJ_TYPE_VMO, &vmo_obj_ops);
	vo->vmo = v;
	vo->content_size = v->size;
	v->user_id = vo->obj.koid;
	v->owner = &vo->obj;
	vo->obj.signals = v->children ? 0 : ZX_VMO_ZERO_CHILDREN; /* a new object: no waiter yet */
	return vo;
}
