/*
 * zx_vmo_create, _read, _write, _get_size, _set_size, _set_cache_policy, _create_child,
 * _create_physical, _op_range, _replace_as_executable.
 */
#include <string.h>
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "handles/resource.h"
#include "handles/vmo.h"
#include "kernel.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

/*
 * An object for the new VMO v (the caller's reference), with `content_size`
 * and `name` (or none), and a handle to it at user `out`.
 */
static zx_status_t give_vmo_named(struct vmo *v, zx_rights_t rights, uint64_t content_size,
				  const char *name, uint64_t out)
{
	struct vmo_obj *vo = vmo_obj_create(v);

	vo->content_size = content_size;
	if (name)
		memcpy(vo->obj.name, name, sizeof(vo->obj.name));
	return give_handle_ref(&vo->obj, rights,
			       out); /* a failed handoff leaves no object behind */
}

static zx_status_t give_vmo(struct vmo *v, zx_rights_t rights, uint64_t content_size, uint64_t out)
{
	return give_vmo_named(v, rights, content_size, NULL, out);
}

int64_t sys_vmo_create(uint64_t size, uint32_t options, user_ptr out)
{
	struct vmo *v;
	zx_status_t st;

	/* Zircon's order: the size (rounded), the options; the out-pointer once it is made. */
	if (ALIGN_UP(size, PAGE_SIZE) < size)
		return ZX_ERR_OUT_OF_RANGE;
	if (options & ~ZX_VMO_RESIZABLE)
		return ZX_ERR_INVALID_ARGS;
	if ((st = vmo_create(size, &v)) != ZX_OK)
		return st;
	v->resizable = options & ZX_VMO_RESIZABLE;
	return give_vmo(v, ZX_DEFAULT_VMO_RIGHTS | (v->resizable ? ZX_RIGHT_RESIZE : 0), size, out);
}

static zx_status_t to_user(void *piece, size_t done, size_t n, void *ctx)
{
	return copy_to_user(*(vaddr_t *)ctx + done, piece, n);
}

static zx_status_t from_user(void *piece, size_t done, size_t n, void *ctx)
{
	return copy_from_user(piece, *(vaddr_t *)ctx + done, n);
}

static zx_status_t rw(zx_handle_t handle, user_ptr buf, uint64_t off, size_t len, zx_rights_t right,
		      bool write)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMO, right, &o, NULL);

	if (st != ZX_OK)
		return st;
	struct vmo *v = vmo_of(o);
	if (v->physical)
		return ZX_ERR_NOT_SUPPORTED; /* map it instead: device memory has no kernel copy
						path */
	/* Zircon's order: the kind, the range, then the buffer as it is copied. */
	if (!range_within(off, len, v->size))
		return ZX_ERR_OUT_OF_RANGE;
	if (len && !user_range_ok(buf, len))
		return ZX_ERR_INVALID_ARGS;
	return vmo_copy(v, off, len, write, write ? from_user : to_user, &buf);
}

int64_t sys_vmo_read(zx_handle_t handle, user_ptr buffer, uint64_t offset, size_t buffer_size)
{
	return rw(handle, buffer, offset, buffer_size, ZX_RIGHT_READ, false);
}

int64_t sys_vmo_write(zx_handle_t handle, user_ptr buffer, uint64_t offset, size_t buffer_size)
{
	return rw(handle, buffer, offset, buffer_size, ZX_RIGHT_WRITE, true);
}

int64_t sys_vmo_get_size(zx_handle_t handle, user_ptr size)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMO, 0, &o, NULL);

	if (st != ZX_OK)
		return st;
	return put_user(size, &vmo_of(o)->size, sizeof(uint64_t), sizeof(uint64_t));
}

/* Zircon's order: WRITE, RESIZE if resizable, the size's rounding, the kind of VMO. */
int64_t sys_vmo_set_size(zx_handle_t handle, uint64_t size)
{
	struct object *o;
	zx_rights_t rights;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, &o, &rights);

	if (st != ZX_OK)
		return st;
	struct vmo *v = vmo_of(o);
	if (v->resizable && !(rights & ZX_RIGHT_RESIZE))
		return ZX_ERR_ACCESS_DENIED;
	uint64_t aligned = ALIGN_UP(size, PAGE_SIZE);
	if (aligned < size)
		return ZX_ERR_OUT_OF_RANGE;
	if (v->physical)
		return ZX_ERR_NOT_SUPPORTED; /* Zircon: VmObjectPhysical has no Resize */
	if (!v->resizable)
		return ZX_ERR_UNAVAILABLE;
	if ((st = vmo_resize(v, aligned)) != ZX_OK)
		return st;
	/* the content size is `size`, and the last page's bytes past it are zeroed */
	return vmo_obj_set_content_size((struct vmo_obj *)o, size);
}

int64_t sys_vmo_set_cache_policy(zx_handle_t handle, uint32_t policy)
{
	struct object *o;

	if (policy & ~ZX_CACHE_POLICY_MASK)
		return ZX_ERR_INVALID_ARGS;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP, &o, NULL);
	if (st != ZX_OK)
		return st;
	struct vmo *v = vmo_of(o);
	/* Paged pages sit in the cached direct map: any other type would alias it. */
	if (!v->physical && policy != ZX_CACHE_POLICY_CACHED)
		return ZX_ERR_NOT_SUPPORTED;
	return vmo_set_cache_policy(v, policy);
}

/*
 * A child that is not a slice, in Zircon's order (VmObjectDispatcher::
 * CreateChild, VmObjectPaged::CreateClone): the type and its options,
 * physical parents, the offset, the range, then the copy. SNAPSHOT and
 * SNAPSHOT_AT_LEAST_ON_WRITE both make a full snapshot, as Zircon does for
 * VMOs without a pager; SNAPSHOT_MODIFIED and reference children are not
 * implemented.
 */
static zx_status_t other_child(struct object *o, zx_rights_t rights, uint32_t options,
			       uint64_t offset, uint64_t size, uint64_t aligned, user_ptr out)
{
	uint32_t kind = options & ~ZX_VMO_CHILD_NO_WRITE;
	struct vmo *v = vmo_of(o), *child;
	zx_status_t st;

	if (kind & ZX_VMO_CHILD_REFERENCE) {
		if (kind & ~(ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE))
			return ZX_ERR_INVALID_ARGS;
		return ZX_ERR_NOT_SUPPORTED; /* reference children: not yet */
	}
	/* the first snapshot type set is the type; only RESIZABLE may join it */
	uint32_t type = kind & ZX_VMO_CHILD_SNAPSHOT ? ZX_VMO_CHILD_SNAPSHOT
			: kind & ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE
			    ? ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE
			: kind & ZX_VMO_CHILD_SNAPSHOT_MODIFIED ? ZX_VMO_CHILD_SNAPSHOT_MODIFIED
								: 0;
	if (!type || (kind & ~type & ~ZX_VMO_CHILD_RESIZABLE))
		return ZX_ERR_INVALID_ARGS;
	if (v->physical || type == ZX_VMO_CHILD_SNAPSHOT_MODIFIED)
		return ZX_ERR_NOT_SUPPORTED; /* physical VMOs have no copy-on-write children */
	if (offset & PAGE_MASK)
		return ZX_ERR_INVALID_ARGS;
	if (offset + aligned < offset || aligned > VMO_MAX_SIZE)
		return ZX_ERR_OUT_OF_RANGE;
	if (!user_out_handle_ok(out))
		return ZX_ERR_INVALID_ARGS;
	/* zirv: a write after the snapshot would move a page a device may be using */
	if (v->pins || v->contiguous)
		return ZX_ERR_BAD_STATE;
	if ((st = vmo_create_snapshot(v, offset, aligned, &child)) != ZX_OK)
		return st;
	child->resizable = kind & ZX_VMO_CHILD_RESIZABLE;
	/* Zircon's rights for a copy-on-write child: its own pages, so WRITE but not EXECUTE. */
	rights = (rights & ~ZX_RIGHT_RESIZE) | ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY |
		 (child->resizable ? ZX_RIGHT_RESIZE : 0);
	if (options & ZX_VMO_CHILD_NO_WRITE)
		rights &= ~ZX_RIGHT_WRITE;
	else
		rights = (rights & ~ZX_RIGHT_EXECUTE) | ZX_RIGHT_WRITE;
	return give_vmo_named(child, rights, size,
			      (rights & ZX_RIGHT_GET_PROPERTY) ? o->name : NULL, out);
}

/*
 * Zircon's order: the size (rounded up to pages), NO_WRITE with RESIZABLE,
 * the handle, then the child type and its options, then the range.
 */
int64_t sys_vmo_create_child(zx_handle_t handle, uint32_t options, uint64_t offset, uint64_t size,
			     user_ptr out)
{
	struct object *o;
	zx_rights_t rights;
	struct vmo *child;
	uint64_t aligned = ALIGN_UP(size, PAGE_SIZE);
	zx_status_t st;

	if (aligned < size)
		return ZX_ERR_OUT_OF_RANGE;
	if ((options & ZX_VMO_CHILD_NO_WRITE) && (options & ZX_VMO_CHILD_RESIZABLE))
		return ZX_ERR_INVALID_ARGS;
	st = get_object(handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ, &o, &rights);
	if (st != ZX_OK)
		return st;
	struct vmo *v = vmo_of(o);
	uint32_t kind = options & ~ZX_VMO_CHILD_NO_WRITE;
	if (!(kind & ZX_VMO_CHILD_SLICE))
		return other_child(o, rights, options, offset, size, aligned, out);
	if (kind != ZX_VMO_CHILD_SLICE)
		return ZX_ERR_INVALID_ARGS; /* nothing goes with SLICE but NO_WRITE */
	if (!v->physical)
		return ZX_ERR_NOT_SUPPORTED; /* slices of paged VMOs: not yet */
	if (offset & PAGE_MASK || !range_within(offset, aligned, v->size))
		return ZX_ERR_INVALID_ARGS;
	if (!user_out_handle_ok(out))
		return ZX_ERR_INVALID_ARGS;
	if ((st = vmo_create_slice(v, offset, aligned, &child)) != ZX_OK)
		return st;
	rights |= ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
	if (options & ZX_VMO_CHILD_NO_WRITE)
		rights &= ~ZX_RIGHT_WRITE;
	return give_vmo(child, rights, size, out);
}

int64_t sys_vmo_create_physical(zx_handle_t resource, zx_paddr_t pa, size_t size, user_ptr out)
{
	struct object *o;
	struct vmo *v;
	zx_status_t st = get_object(resource, ZX_OBJ_TYPE_RESOURCE, 0, &o, NULL);

	if (st != ZX_OK)
		return st;
	struct resource *r = (struct resource *)o;
	if (r->kind != ZX_RSRC_KIND_MMIO && r->kind != ZX_RSRC_KIND_ROOT)
		return ZX_ERR_WRONG_TYPE;
	if (pa + size < pa)
		return ZX_ERR_INVALID_ARGS;
	if ((pa | size) & PAGE_MASK || size == 0)
		return ZX_ERR_INVALID_ARGS; /* the seed: no silent rounding */
	if (!resource_grants_mmio(r, pa, size))
		return ZX_ERR_ACCESS_DENIED;
	if (!user_out_handle_ok(out))
		return ZX_ERR_INVALID_ARGS;
	if ((st = vmo_create_physical(pa, size, &v)) != ZX_OK)
		return st;
	return give_vmo(v, ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE, size, out);
}

/* COMMIT, DECOMMIT or ZERO on a paged VMO, after the right and the kind are checked. */
static zx_status_t paged_page_op(struct vmo *v, uint32_t op, uint64_t offset, uint64_t size)
{
	if (offset > v->size)
		return ZX_ERR_OUT_OF_RANGE;
	if (size > v->size - offset) {
		if (op != ZX_VMO_OP_DECOMMIT)
			return ZX_ERR_OUT_OF_RANGE;
		size = v->size - offset; /* Zircon trims a decommit to the VMO */
	}
	if (op == ZX_VMO_OP_COMMIT)
		return vmo_commit(v, offset, size);
	if (op == ZX_VMO_OP_ZERO || size == 0)
		return vmo_zero(v, offset, size);
	if (vmo_has_cow_relatives(v) || v->contiguous)
		return ZX_ERR_NOT_SUPPORTED; /* as Zircon: its pages may be a snapshot's too */
	/* DECOMMIT acts on every page the range touches */
	uint64_t start = ALIGN_DOWN(offset, PAGE_SIZE),
		 len = ALIGN_UP(offset + size, PAGE_SIZE) - start;
	if (vmo_pinned(v, start, len))
		return ZX_ERR_BAD_STATE; /* as Zircon: pinned pages stay */
	return vmo_zero(v, start, len);
}

int64_t sys_vmo_op_range(zx_handle_t handle, uint32_t op, uint64_t offset, uint64_t size,
			 user_ptr buffer, size_t buffer_size)
{
	(void)buffer; /* only the lock ops, not supported yet, take a buffer */
	(void)buffer_size;
	struct object *o;
	zx_rights_t rights;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMO, 0, &o, &rights);

	if (st != ZX_OK)
		return st;
	struct vmo *v = vmo_of(o);
	switch (op) {
	case ZX_VMO_OP_COMMIT:
	case ZX_VMO_OP_DECOMMIT:
	case ZX_VMO_OP_ZERO:
		if (!(rights & ZX_RIGHT_WRITE))
			return ZX_ERR_ACCESS_DENIED;
		if (v->physical)
			return ZX_ERR_NOT_SUPPORTED;
		return paged_page_op(v, op, offset, size);
	case ZX_VMO_OP_DONT_NEED:
	case ZX_VMO_OP_ALWAYS_NEED:
		/* Hints, as Zircon takes them for VMOs without a pager: accepted, nothing to do. */
		return ZX_OK;
	case ZX_VMO_OP_PREFETCH:
		/* Paged VMOs here are never reclaimed, so their pages need no fetching. */
		if (!(rights & ZX_RIGHT_READ))
			return ZX_ERR_ACCESS_DENIED;
		if (!range_within(offset, size, v->size))
			return ZX_ERR_OUT_OF_RANGE;
		return v->physical ? ZX_ERR_NOT_SUPPORTED : ZX_OK;
	case ZX_VMO_OP_LOCK:
	case ZX_VMO_OP_TRY_LOCK:
	case ZX_VMO_OP_UNLOCK:
		return ZX_ERR_NOT_SUPPORTED;
	case ZX_VMO_OP_CACHE_SYNC:
	case ZX_VMO_OP_CACHE_INVALIDATE:
	case ZX_VMO_OP_CACHE_CLEAN:
	case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE:
		if (!(rights & (op == ZX_VMO_OP_CACHE_INVALIDATE ? ZX_RIGHT_WRITE : ZX_RIGHT_READ)))
			return ZX_ERR_ACCESS_DENIED;
		if (size == 0 && !v->physical)
			return ZX_ERR_INVALID_ARGS; /* VmObjectPaged::CacheOp, before the range */
		if (!range_within(offset, size, v->size))
			return ZX_ERR_OUT_OF_RANGE;
		if (v->physical && !resource_is_carveout(v->phys, v->size))
			return ZX_ERR_NOT_SUPPORTED; /* device memory: no cache to maintain */
		return vmo_cache_op(v, op, offset, size);
	default:
		return ZX_ERR_INVALID_ARGS;
	}
}

/*
 * Zircon's order: vmex is judged first but its verdict waits until the VMO
 * handle has been taken, so from then on the handle is gone whatever the
 * outcome. No job policy restricts ZX_HANDLE_INVALID (the ambient
 * ZX_POL_AMBIENT_MARK_VMO_EXEC is allowed).
 */
int64_t sys_vmo_replace_as_executable(zx_handle_t handle, zx_handle_t vmex, user_ptr out)
{
	zx_status_t vmex_st = ZX_OK, st;
	struct object *o;
	zx_rights_t rights;

	if (vmex != ZX_HANDLE_INVALID &&
	    (vmex_st = get_object(vmex, ZX_OBJ_TYPE_RESOURCE, 0, &o, NULL)) == ZX_OK)
		vmex_st = resource_grants_system((struct resource *)o, ZX_RSRC_SYSTEM_VMEX_BASE);
	if ((st = handle_take(cur_handles(), handle, &o, &rights)) != ZX_OK)
		return st;
	if (o->type != ZX_OBJ_TYPE_VMO)
		st = ZX_ERR_BAD_HANDLE;
	else if ((st = vmex_st) == ZX_OK)
		st = give_handle(o, rights | ZX_RIGHT_EXECUTE, out);
	object_unref(o);
	return st;
}
