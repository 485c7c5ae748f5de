/* zx_resource_create. */
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "handles/resource.h"
#include "kernel.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

int64_t sys_resource_create(zx_handle_t parent, uint32_t options, uint64_t base, size_t size,
			    user_ptr name_p, size_t name_len, user_ptr out)
{
	char name[ZX_MAX_NAME_LEN] = {0};
	struct object *o;
	struct resource *r;
	zx_status_t st = get_object(parent, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_WRITE, &o, NULL);

	if (st != ZX_OK)
		return st;
	if ((st = resource_check((struct resource *)o, options, base, size)) != ZX_OK)
		return st; /* before the name is read, as in Zircon */
	if (name_len > ZX_MAX_NAME_LEN - 1)
		name_len = ZX_MAX_NAME_LEN - 1; /* Zircon truncates to 31 bytes */
	if (name_len && copy_from_user(name, name_p, name_len))
		return ZX_ERR_INVALID_ARGS;
	/* the out-pointer once the resource is made (it goes again if that fails), as Zircon */
	st = resource_create((struct resource *)o, options, base, size, name, name_len, &r);
	if (st != ZX_OK)
		return st;
	st = give_handle(&r->obj, ZX_DEFAULT_RESOURCE_RIGHTS, out);
	object_unref(&r->obj);
	return st;
}
