#include <string.h>
#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/process.h"
#include "kernel.h"
#include "mm/heap.h"

static void process_destroy(struct object *o)
{
	struct process *p = (struct process *)o;
	if (p->root_vmar)
		object_unref(&p->root_vmar->obj);
	kfree(p, sizeof(*p));
}

static zx_status_t process_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				    size_t len, size_t *actual)
{
	struct process *p = (struct process *)o;
	zx_info_process_t info = {
	    .return_code = p->return_code,
	    .start_time = p->start_time,
	    .flags = p->flags,
	};

	(void)rights;
	(void)topic; /* ZX_INFO_PROCESS */
	return object_info_out(buf, len, &info, sizeof(info), actual);
}

static const struct object_ops process_ops = {
    .destroy = process_destroy,
    .user_signals = ZX_USER_SIGNAL_ALL,
    .get_info = process_get_info,
};

zx_status_t process_create(const char *name, struct process **out)
{
	struct process *p = kzalloc(sizeof(*p));
	zx_status_t st;

	if (!p)
		return ZX_ERR_NO_MEMORY;
	if ((st = handle_table_init(&p->handles)) == ZX_OK) {
		if ((st = aspace_init(&p->as)) == ZX_OK) {
			if ((st = vmar_obj_create_root(&p->as, &p->root_vmar)) == ZX_OK) {
				object_init(&p->obj, ZX_OBJ_TYPE_PROCESS, &process_ops);
				object_set_name(&p->obj, name, strlen(name));
				*out = p;
				return ZX_OK;
			}
			aspace_destroy(&p->as);
		}
		handle_table_destroy(&p->handles);
	}
	kfree(p, sizeof(*p));
	return st;
}

void process_started(struct process *p, zx_time_t now)
{
	p->start_time = now;
	p->flags = ZX_INFO_PROCESS_FLAG_STARTED;
}

void process_end(struct process *p, int64_t code)
{
	p->return_code = code;
	p->flags |= ZX_INFO_PROCESS_FLAG_EXITED;
	object_signal(&p->obj, 0, ZX_PROCESS_TERMINATED);
	vmar_destroy(p->root_vmar->vmar);
	handle_table_destroy(&p->handles);
	aspace_destroy(&p->as);
}
