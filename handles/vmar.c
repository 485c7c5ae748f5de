#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/vmar.h"
#include "kernel.h"
#include "mm/heap.h"

static void vmar_obj_destroy(struct object *o)
{
	struct vmar_obj *vo = (struct vmar_obj *)o;

	vmar_destroy(vo->vmar);
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

zx_status_t vmar_obj_create_root(struct aspace *as, struct vmar_obj **out)
{
	struct vmar_obj *vo = kzalloc(sizeof(*vo));
	zx_status_t st;

	if (!vo)
		return ZX_ERR_NO_MEMORY;
	if ((st = vmar_create_root(as, &vo->vmar)) != ZX_OK) {
		kfree(vo, sizeof(*vo));
		return st;
	}
	object_init(&vo->obj, ZX_OBJ_TYPE_VMAR, &vmar_obj_ops);
	*out = vo;
	return ZX_OK;
}
