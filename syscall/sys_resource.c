/* zx_resource_create. */
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "handles/resource.h"
#include "kernel.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

int64_t sys_resource_create(const uint64_t *a)
{
	uint32_t options = (uint32_t)a[1];
	uint64_t base = a[2], size = a[3], name_p = a[4], name_len = a[5];
	char name[ZX_MAX_NAME_LEN] = {0};
	struct object *o;
	struct resource *r;
	zx_status_t st =
	    get_object((zx_handle_t)a[0], ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_WRITE, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (name_len > ZX_MAX_NAME_LEN - 1)
		name_len = ZX_MAX_NAME_LEN - 1; /* Zircon truncates to 31 bytes */
	if (name_len && copy_from_user(name, name_p, name_len))
		return ZX_ERR_INVALID_ARGS;
	if (a[6] & 3 || !user_range_ok(a[6], sizeof(zx_handle_t)))
		return ZX_ERR_INVALID_ARGS;
	st = resource_create((struct resource *)o, options, base, size, name, name_len, &r);
	if (st != ZX_OK)
		return st;
	st = give_handle(&r->obj, ZX_DEFAULT_RESOURCE_RIGHTS, a[6]);
	object_unref(&r->obj);
	return st;
}
