/* zx_vmo_create, _read, _write, _get_size. */
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "kernel.h"
#include "mm/vmo.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

int64_t sys_vmo_create(const uint64_t *a)
{
	uint64_t size = a[0];
	uint32_t options = (uint32_t)a[1];
	struct vmo *v;
	zx_status_t st;

	if (options & ~ZX_VMO_RESIZABLE)
		return ZX_ERR_INVALID_ARGS;
	if (options & ZX_VMO_RESIZABLE)
		return ZX_ERR_NOT_SUPPORTED; /* zx_vmo_set_size is not implemented yet */
	if (a[2] & 3 || !user_range_ok(a[2], sizeof(zx_handle_t)))
		return ZX_ERR_INVALID_ARGS;
	if ((st = vmo_create(size, &v)) != ZX_OK)
		return st;
	st = give_handle(&v->obj, ZX_DEFAULT_VMO_RIGHTS, a[2]);
	object_unref(&v->obj);
	return st;
}

static zx_status_t rw(const uint64_t *a, zx_rights_t right, bool write)
{
	struct object *o;
	zx_status_t st = get_object((zx_handle_t)a[0], ZX_OBJ_TYPE_VMO, right, &o, NULL);
	uint64_t buf = a[1], off = a[2], len = a[3];

	if (st != ZX_OK)
		return st;
	if (len && !user_range_ok(buf, len))
		return ZX_ERR_INVALID_ARGS;
	struct vmo *v = (struct vmo *)o;
	return write ? vmo_write_user(v, buf, off, len) : vmo_read_user(v, buf, off, len);
}

int64_t sys_vmo_read(const uint64_t *a)
{
	return rw(a, ZX_RIGHT_READ, false);
}

int64_t sys_vmo_write(const uint64_t *a)
{
	return rw(a, ZX_RIGHT_WRITE, true);
}

int64_t sys_vmo_get_size(const uint64_t *a)
{
	struct object *o;
	zx_status_t st = get_object((zx_handle_t)a[0], ZX_OBJ_TYPE_VMO, 0, &o, NULL);

	if (st != ZX_OK)
		return st;
	return put_user(a[1], &((struct vmo *)o)->size, sizeof(uint64_t), sizeof(uint64_t));
}
