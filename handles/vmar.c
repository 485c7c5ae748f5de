#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/vmar.h"
#include "kernel.h"
#include "mm/heap.h"

static void vmar_obj_destroy(struct object *o)
{
	struct vmar_obj *vo = (struct vmar_obj *)o;

	if (!vo->vmar->parent && !vo->vmar->dead)
		vmar_destroy(vo->vmar); /* a root: its process is gone */
	vmar_unref(vo->vmar);
	kfree(vo, sizeof(*vo));
}

static zx_status_t vmar_obj_get_info(struct object *o, zx_rights_t rights, uint32_t topic,
				     void *buf, size_t len, size_t *actual)
{
	const struct vmar *v = vmar_of(o);
	zx_info_vmar_t info = {.base = v->base, .len = v->size};

	(void)rights;
	(void)topic; /* ZX_INFO_VMAR */
	return object_info_out(buf, len, &info, sizeof(info), actual);
}

static const struct object_ops vmar_obj_ops = {
    .destroy = vmar_obj_destroy,
    .get_info = vmar_obj_get_info,
};

/* Wrap a new VMAR, or its creation's error, in an object. */
static zx_status_t wrap(struct vmar_obj *vo, zx_status_t st, struct vmar_obj **out)
{
	if (st != ZX_OK) {
		kfree(vo, sizeof(*vo));
		return st;
	}
	object_init(&vo->obj, ZX_OBJ_TYPE_VMAR, &vmar_obj_ops);
	*out = vo;
	return ZX_OK;
}

zx_status_t vmar_obj_create_root(struct aspace *as, struct vmar_obj **out)
{
	struct vmar_obj *vo = kzalloc(sizeof(*vo));

	if (!vo)
		return ZX_ERR_NO_MEMORY;
	return wrap(vo, vmar_create_root(as, &vo->vmar), out);
}

zx_status_t vmar_obj_allocate(struct vmar *parent, uint32_t flags, size_t size,
			      const struct placement *at, struct vmar_obj **out)
{
	struct vmar_obj *vo = kzalloc(sizeof(*vo));

	if (!vo)
		return ZX_ERR_NO_MEMORY;
	return wrap(vo, vmar_allocate(parent, flags, size, at, &vo->vmar), out);
}
