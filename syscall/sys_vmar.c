/* zx_vmar_map, zx_vmar_unmap, zx_vmar_protect, zx_vmar_op_range. */
#include <zircon/errors.h>
#include <zircon/rights.h>

#include "handles/vmar.h"
#include "handles/vmo.h"
#include "kernel.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

#define VM_PERMS       (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)
#define VM_CAN_MAP_RWX (ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE)
#define VM_ALIGN_MASK  (0xfful << ZX_VM_ALIGN_BASE)
/* The options Zircon knows of (split_syscall_flags), and those a mapping may take. */
#define VM_KNOWN                                                                                   \
	(VM_PERMS | ZX_VM_COMPACT | ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE |                    \
	 ZX_VM_CAN_MAP_SPECIFIC | VM_CAN_MAP_RWX | ZX_VM_MAP_RANGE | ZX_VM_REQUIRE_NON_RESIZABLE | \
	 ZX_VM_ALLOW_FAULTS | ZX_VM_OFFSET_IS_UPPER_LIMIT | ZX_VM_FAULT_BEYOND_STREAM_SIZE |       \
	 VM_ALIGN_MASK)
#define VM_MAP_OK                                                                                  \
	(VM_KNOWN & ~(ZX_VM_COMPACT | ZX_VM_CAN_MAP_SPECIFIC | VM_CAN_MAP_RWX |                    \
		      ZX_VM_FAULT_BEYOND_STREAM_SIZE))

/* Rights a handle needs for each permission (held by both the VMO and VMAR handles). */
static zx_rights_t perm_rights(uint32_t perms)
{
	return (perms & ZX_VM_PERM_READ ? ZX_RIGHT_READ : 0) |
	       (perms & ZX_VM_PERM_WRITE ? ZX_RIGHT_WRITE : 0) |
	       (perms & ZX_VM_PERM_EXECUTE ? ZX_RIGHT_EXECUTE : 0);
}

/* Decode options: the alignment (bytes) or 0 for a bad request. */
static size_t map_align(uint32_t options)
{
	uint32_t shift = (options & VM_ALIGN_MASK) >> ZX_VM_ALIGN_BASE;
	if (shift == 0)
		return PAGE_SIZE;
	if (shift < 10 || shift > 32)
		return 0;
	return shift < PAGE_SHIFT ? PAGE_SIZE : 1ul << shift;
}

/*
 * ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, as ELF loaders pass it for text:
 * zirv maps nothing execute-only, so the flag always means "and readable".
 */
static uint32_t xom_to_read(uint32_t options)
{
	if (options & ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED)
		options = (options & ~ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) | ZX_VM_PERM_READ;
	return options;
}

/* The permissions both handles allow. */
static uint32_t allowed_perms(zx_rights_t r)
{
	return (r & ZX_RIGHT_READ ? ZX_VM_PERM_READ : 0) |
	       (r & ZX_RIGHT_WRITE ? ZX_VM_PERM_WRITE : 0) |
	       (r & ZX_RIGHT_EXECUTE ? ZX_VM_PERM_EXECUTE : 0);
}

/* The permissions a VMAR's ZX_VM_CAN_MAP_* flags allow. */
static uint32_t can_map_perms(uint32_t flags)
{
	return (flags & ZX_VM_CAN_MAP_READ ? ZX_VM_PERM_READ : 0) |
	       (flags & ZX_VM_CAN_MAP_WRITE ? ZX_VM_PERM_WRITE : 0) |
	       (flags & ZX_VM_CAN_MAP_EXECUTE ? ZX_VM_PERM_EXECUTE : 0);
}

/*
 * Where a new mapping or sub-VMAR of `len` bytes goes in v: Zircon's
 * checks of the offset, in its order (VmAddressRegion::CreateSubVmarInner).
 * Without SPECIFIC or OFFSET_IS_UPPER_LIMIT the offset must be 0; with
 * either, v must allow ZX_VM_CAN_MAP_SPECIFIC.
 */
static inline zx_status_t placement_of(const struct vmar *v, uint32_t options, uint64_t offset,
				       size_t len, size_t align, struct placement *at)
{
	bool specific = options & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE);
	bool upper = options & ZX_VM_OFFSET_IS_UPPER_LIMIT;

	if ((specific && upper) || (!specific && !upper && offset) || offset & PAGE_MASK)
		return ZX_ERR_INVALID_ARGS;
	if ((specific || upper) && !(v->flags & ZX_VM_CAN_MAP_SPECIFIC))
		return ZX_ERR_ACCESS_DENIED;
	if (upper && (offset > v->size || len > offset))
		return ZX_ERR_INVALID_ARGS;
	if (!specific && !upper && len > v->size)
		return ZX_ERR_INVALID_ARGS; /* could never fit */
	if (specific && (!range_within(offset, len, v->size) || (v->base + offset) & (align - 1)))
		return ZX_ERR_INVALID_ARGS;
	*at = (struct placement){specific, v->base + offset, upper ? v->base + offset : 0, align};
	return ZX_OK;
}

/*
 * Zircon's order (vmar_map_common, VmAddressRegionDispatcher::Map,
 * VmAddressRegion::CreateVmMapping and CreateSubVmarInner): the handles,
 * the permission combination, the rights, the options, the VMAR's
 * CAN_MAP_* limits, the VMO offset and length, the VMAR's state, the
 * placement; the out-pointer last (a mapping that cannot be reported is
 * undone). zirv's own refusals — a range past the VMO's end, the alias
 * guard — come where their Zircon counterparts would.
 */
int64_t sys_vmar_map(zx_handle_t handle, zx_vm_option_t asked, uint64_t vmar_off,
		     zx_handle_t vmo_handle, uint64_t vmo_off, uint64_t len, user_ptr out)
{
	uint32_t options = xom_to_read(asked), perms = options & VM_PERMS;
	struct object *vo, *mo;
	zx_rights_t vr, mr;
	zx_status_t st;
	vaddr_t addr;

	if ((st = get_object(handle, ZX_OBJ_TYPE_VMAR, 0, &vo, &vr)) != ZX_OK ||
	    (st = get_object(vmo_handle, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP, &mo, &mr)) != ZX_OK)
		return st;
	if ((perms & (ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)) && !(perms & ZX_VM_PERM_READ))
		return ZX_ERR_INVALID_ARGS;
	if ((options & ZX_VM_MAP_RANGE) && (options & ZX_VM_SPECIFIC_OVERWRITE))
		return ZX_ERR_INVALID_ARGS;
	if (options & VM_CAN_MAP_RWX)
		return ZX_ERR_INVALID_ARGS; /* a mapping's limits come from the rights */
	struct vmar *vmar = vmar_of(vo);
	struct vmo *vmo = vmo_of(mo);
	if ((perm_rights(perms) & ~vr) || (perm_rights(perms) & ~mr))
		return ZX_ERR_ACCESS_DENIED;
	if (options & ~VM_KNOWN || !map_align(options))
		return ZX_ERR_INVALID_ARGS;
	if ((options & ZX_VM_REQUIRE_NON_RESIZABLE) && vmo->resizable)
		return ZX_ERR_NOT_SUPPORTED;
	if (options & ~VM_MAP_OK)
		return ZX_ERR_INVALID_ARGS; /* COMPACT, CAN_MAP_SPECIFIC (sub-VMARs'), streams */
	if (perms & ~can_map_perms(vmar->flags))
		return ZX_ERR_ACCESS_DENIED;
	if (vmo_off & PAGE_MASK)
		return ZX_ERR_INVALID_ARGS;
	uint64_t rounded = ALIGN_UP(len, PAGE_SIZE);
	if (rounded < len)
		return ZX_ERR_OUT_OF_RANGE;
	if (vmar->dead)
		return ZX_ERR_BAD_STATE;
	if (len == 0)
		return ZX_ERR_INVALID_ARGS;
	len = rounded;
	if (vmo_off + len < vmo_off || vmo_off + len > vmo->size)
		return ZX_ERR_OUT_OF_RANGE; /* zirv maps no page past the VMO's end */
	struct map_request rq = {
	    .vmo = vmo,
	    .vmo_off = vmo_off,
	    .len = len,
	    .perms = perms,
	    .max_perms = allowed_perms(vr) & allowed_perms(mr) & can_map_perms(vmar->flags),
	    .overwrite = options & ZX_VM_SPECIFIC_OVERWRITE,
	};
	if ((st = placement_of(vmar, options, vmar_off, len, map_align(options), &rq.at)) != ZX_OK)
		return st;
	if (!(options & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE | VM_ALIGN_MASK)) &&
	    vmo->physical)
		rq.at.align = vmar_large_align(vmo->phys + vmo_off, len);
	if ((st = vmar_map(vmar, &rq, &addr)) != ZX_OK)
		return st;
	if (put_user_u64(out, addr) != ZX_OK) {
		/* a whole mapping: no record to allocate, cannot fail */
		vmar_unmap(vmar, addr, len, false);
		return ZX_ERR_INVALID_ARGS;
	}
	return ZX_OK;
}

#define VM_ALLOCATE_OK                                                                             \
	(ZX_VM_COMPACT | ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT | VMAR_CAN_MAP_ALL |         \
	 VM_ALIGN_MASK)

/*
 * Zircon's order (sys_vmar_allocate, VmAddressRegionDispatcher::Allocate,
 * VmAddressRegion::CreateSubVmarInner): the rights the CAN_MAP_* flags
 * need, the options, the size, the parent's state, the CAN_MAP_* flags
 * against the parent's, the placement; the out-pointers last, a failure
 * there destroying the new VMAR.
 */
int64_t sys_vmar_allocate(zx_handle_t parent, zx_vm_option_t asked, uint64_t offset, uint64_t size,
			  user_ptr child_vmar, user_ptr child_addr)
{
	uint32_t options = asked & ~ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED;
	struct object *po;
	struct placement at;
	zx_status_t st;

	if ((st = get_object(parent, ZX_OBJ_TYPE_VMAR, perm_rights(can_map_perms(options)), &po,
			     NULL)) != ZX_OK)
		return st;
	if (options & ~VM_ALLOCATE_OK || !map_align(options) || size & PAGE_MASK)
		return ZX_ERR_INVALID_ARGS;
	struct vmar *pv = vmar_of(po);
	if (pv->dead)
		return ZX_ERR_BAD_STATE;
	if (size == 0)
		return ZX_ERR_INVALID_ARGS;
	if (can_map_perms(options) & ~can_map_perms(pv->flags))
		return ZX_ERR_ACCESS_DENIED;
	if ((st = placement_of(pv, options, offset, size, map_align(options), &at)) != ZX_OK)
		return st;
	struct vmar_obj *child;
	uint32_t flags = options & (VMAR_CAN_MAP_ALL | ZX_VM_COMPACT);
	if ((st = vmar_obj_allocate(pv, flags, size, &at, &child)) != ZX_OK)
		return st;
	/* What Zircon gives a new VMAR's handle: not narrowed by the parent handle's rights. */
	zx_rights_t rights = ZX_DEFAULT_VMAR_RIGHTS | perm_rights(can_map_perms(flags));
	if ((st = copy_to_user(child_addr, &child->vmar->base, sizeof(vaddr_t))) != ZX_OK ||
	    (st = give_handle(&child->obj, rights, child_vmar)) != ZX_OK)
		vmar_destroy(child->vmar);
	object_unref(&child->obj);
	return st;
}

int64_t sys_vmar_destroy(zx_handle_t handle)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMAR, ZX_RIGHT_OP_CHILDREN, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (!vmar_of(o)->parent && !vmar_of(o)->dead)
		return ZX_ERR_NOT_SUPPORTED; /* a process's root VMAR */
	return vmar_destroy(vmar_of(o));
}

/* addr page-aligned, len non-zero (rounded up to pages), inside the VMAR. */
static zx_status_t check_range(const struct vmar *v, uint64_t addr, uint64_t *len)
{
	if (addr & PAGE_MASK || *len == 0)
		return ZX_ERR_INVALID_ARGS;
	*len = ALIGN_UP(*len, PAGE_SIZE);
	if (*len == 0 || addr + *len < addr || addr < v->base || addr + *len > v->base + v->size)
		return ZX_ERR_INVALID_ARGS;
	return ZX_OK;
}

int64_t sys_vmar_unmap(zx_handle_t handle, zx_vaddr_t addr, uint64_t len)
{
	struct object *o;
	zx_rights_t rights;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMAR, 0, &o, &rights);

	if (st != ZX_OK)
		return st;
	if (addr & PAGE_MASK || ALIGN_UP(len, PAGE_SIZE) == 0)
		return ZX_ERR_INVALID_ARGS; /* unaligned, or 0 once rounded (which 0 is too) */
	if (vmar_of(o)->dead)
		return ZX_ERR_BAD_STATE;
	if ((st = check_range(vmar_of(o), addr, &len)) != ZX_OK)
		return st;
	return vmar_unmap(vmar_of(o), addr, len, rights & ZX_RIGHT_OP_CHILDREN);
}

/* Zircon's order: the rights the permissions need, then what the options ask for. */
int64_t sys_vmar_protect(zx_handle_t handle, zx_vm_option_t asked, zx_vaddr_t addr, uint64_t len)
{
	uint32_t options = xom_to_read(asked), perms = options & VM_PERMS;
	struct object *o;
	zx_rights_t rights;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMAR, perm_rights(perms), &o, &rights);

	if (st != ZX_OK)
		return st;
	if ((perms & (ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE)) && !(perms & ZX_VM_PERM_READ))
		return ZX_ERR_INVALID_ARGS;
	if (options & ~VM_PERMS || addr & PAGE_MASK || ALIGN_UP(len, PAGE_SIZE) == 0)
		return ZX_ERR_INVALID_ARGS;
	if (vmar_of(o)->dead)
		return ZX_ERR_BAD_STATE;
	if ((st = check_range(vmar_of(o), addr, &len)) != ZX_OK)
		return st;
	return vmar_protect(vmar_of(o), perms, addr, len, rights & ZX_RIGHT_OP_CHILDREN);
}

struct range_op {
	uint32_t op;
	bool op_children; /* the handle has ZX_RIGHT_OP_CHILDREN */
	bool apply;	  /* false: only check every piece */
};

static zx_status_t commit_and_populate(struct mapping *m, uint64_t off, size_t len)
{
	zx_status_t st = vmo_commit(m->vmo, off, len);
	return st == ZX_OK ? vmar_populate(m, off, len) : st;
}

/*
 * One mapping's part of a zx_vmar_op_range, as Zircon's VMO call for the op
 * would judge it. COMMIT and PREFETCH commit the pages and write their
 * leaves, MAP_RANGE writes the leaves of what is committed; mapped pages
 * are never reclaimed, so the two hints have nothing to do.
 */
static zx_status_t range_op_piece(struct mapping *m, bool nested, uint64_t off, size_t len,
				  void *ctx)
{
	const struct range_op *r = ctx;
	struct vmo *v = m->vmo;

	/* A sub-VMAR's mapping: COMMIT, DECOMMIT, PREFETCH never; the rest with OP_CHILDREN. */
	if (nested && (!r->op_children || r->op == ZX_VMAR_OP_COMMIT ||
		       r->op == ZX_VMAR_OP_DECOMMIT || r->op == ZX_VMAR_OP_PREFETCH))
		return ZX_ERR_INVALID_ARGS;
	switch (r->op) {
	case ZX_VMAR_OP_COMMIT:
	case ZX_VMAR_OP_DECOMMIT:
	case ZX_VMAR_OP_ZERO:
		if (!(m->max_perms & ZX_VM_PERM_WRITE))
			return ZX_ERR_ACCESS_DENIED; /* it could never be made writable */
		if (v->physical ||
		    (r->op == ZX_VMAR_OP_DECOMMIT && (vmo_has_cow_relatives(v) || v->contiguous)))
			return ZX_ERR_NOT_SUPPORTED;
		if (r->op == ZX_VMAR_OP_DECOMMIT && vmo_pinned(v, off, len))
			return ZX_ERR_BAD_STATE; /* pinned pages stay, as in Zircon */
		if (!r->apply)
			return ZX_OK;
		if (r->op != ZX_VMAR_OP_COMMIT)
			return vmo_zero(v, off, len);
		return commit_and_populate(m, off, len);
	case ZX_VMAR_OP_PREFETCH:
		if (!(m->max_perms & ZX_VM_PERM_READ))
			return ZX_ERR_ACCESS_DENIED;
		if (v->physical)
			return ZX_ERR_NOT_SUPPORTED;
		return r->apply ? commit_and_populate(m, off, len) : ZX_OK;
	case ZX_VMAR_OP_ALWAYS_NEED:
	case ZX_VMAR_OP_DONT_NEED:
		return v->physical ? ZX_ERR_NOT_SUPPORTED : ZX_OK;
	default: /* ZX_VMAR_OP_MAP_RANGE: what is committed, without committing more */
		return r->apply ? vmar_populate(m, off, len) : ZX_OK;
	}
}

/*
 * Zircon's order: the op, the right it needs, the buffer, the range, then
 * mapping by mapping. zirv checks every mapping before acting on any.
 */
int64_t sys_vmar_op_range(zx_handle_t handle, uint32_t op, zx_vaddr_t addr, size_t len,
			  user_ptr buffer, size_t buffer_size)
{
	struct object *o;
	zx_rights_t rights, need;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_VMAR, 0, &o, &rights);

	if (st != ZX_OK)
		return st;
	switch (op) {
	case ZX_VMAR_OP_COMMIT:
	case ZX_VMAR_OP_DECOMMIT:
	case ZX_VMAR_OP_ZERO:
		need = ZX_RIGHT_WRITE;
		break;
	case ZX_VMAR_OP_MAP_RANGE:
	case ZX_VMAR_OP_PREFETCH:
		need = ZX_RIGHT_READ;
		break;
	case ZX_VMAR_OP_DONT_NEED:
	case ZX_VMAR_OP_ALWAYS_NEED:
		need = 0; /* hints */
		break;
	default:
		return ZX_ERR_INVALID_ARGS;
	}
	if (need & ~rights)
		return ZX_ERR_ACCESS_DENIED;
	if (buffer || buffer_size)
		return ZX_ERR_INVALID_ARGS;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0 || addr & PAGE_MASK)
		return ZX_ERR_INVALID_ARGS;
	struct vmar *v = vmar_of(o);
	if (addr < v->base || !range_within(addr - v->base, len, v->size))
		return ZX_ERR_OUT_OF_RANGE;
	if (v->dead)
		return ZX_ERR_BAD_STATE;
	struct range_op r = {op, rights & ZX_RIGHT_OP_CHILDREN, false};
	if ((st = vmar_each_piece(v, addr, len, range_op_piece, &r)) == ZX_OK) {
		r.apply = true;
		st = vmar_each_piece(v, addr, len, range_op_piece, &r);
	}
	return st == ZX_ERR_NOT_FOUND ? ZX_ERR_BAD_STATE : st; /* a page of the range is unmapped */
}
