/*
 * zx_iommu_create, zx_bti_create, zx_bti_pin, zx_pmt_unpin,
 * zx_bti_release_quarantine, zx_vmo_create_contiguous.
 */
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/resource.h>

#include "handles/bti.h"
#include "handles/resource.h"
#include "handles/vmo.h"
#include "kernel.h"
#include "main.h"
#include "mm/vmo.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

/*
 * Zircon's order (lib/syscalls/ddk.cc, dev/iommu/dummy): the resource (the
 * root, or a SYSTEM resource granting ZX_RSRC_SYSTEM_IOMMU_BASE), the
 * descriptor's size and bytes, the type and its descriptor.
 */
int64_t sys_iommu_create(zx_handle_t resource, uint32_t type, user_ptr desc, size_t desc_size,
			 user_ptr out)
{
	struct object *o;
	struct iommu *im;
	zx_iommu_desc_dummy_t dummy;
	zx_status_t st = get_object(resource, ZX_OBJ_TYPE_RESOURCE, 0, &o, NULL);

	if (st != ZX_OK)
		return st;
	if ((st = resource_grants_system((struct resource *)o, ZX_RSRC_SYSTEM_IOMMU_BASE)) != ZX_OK)
		return st;
	if (desc_size > ZX_IOMMU_MAX_DESC_LEN)
		return ZX_ERR_INVALID_ARGS;
	if (type != ZX_IOMMU_TYPE_DUMMY)
		return ZX_ERR_NOT_SUPPORTED; /* zirv drives no IOMMU */
	if (desc_size != sizeof(dummy) || copy_from_user(&dummy, desc, sizeof(dummy)))
		return ZX_ERR_INVALID_ARGS;
	if ((st = iommu_create(&im)) != ZX_OK)
		return st;
	st = give_handle(&im->obj, ZX_DEFAULT_IOMMU_RIGHTS, out);
	object_unref(&im->obj);
	return st;
}

/* Zircon's order: the options, the IOMMU (no right asked), the object, the handle. */
int64_t sys_bti_create(zx_handle_t iommu, uint32_t options, uint64_t bti_id, user_ptr out)
{
	struct object *o;
	struct bti *bti;
	zx_status_t st;

	if (options)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(iommu, ZX_OBJ_TYPE_IOMMU, 0, &o, NULL)) != ZX_OK)
		return st;
	/*
	 * zirv's bti_id names the device: its node's offset in the device tree
	 * (what <zirv/dt.h>'s zirv_dt_bti passes), whose bus's dma-ranges say
	 * how it sees memory. An id that names no node: CPU physical addresses.
	 */
	struct rt_dma dma = {0};
	int chain[DT_MAX_DEPTH + 1];
	if (bti_id <= INT32_MAX && boot.dt &&
	    dt_ancestors(boot.dt, (int)bti_id, chain, DT_MAX_DEPTH + 1) > 0 &&
	    restab_dma_ranges(boot.dt, (int)bti_id, &dma) != RT_DMA_OK)
		return ZX_ERR_NOT_SUPPORTED; /* nested or malformed dma-ranges */
	if ((st = bti_create((struct iommu *)o, bti_id, &dma, &bti)) != ZX_OK)
		return st;
	st = give_handle(&bti->obj, ZX_DEFAULT_BTI_RIGHTS, out);
	object_unref(&bti->obj);
	return st;
}

/* The permissions asked for, against the VMO handle's rights (Zircon's sys_bti_pin). */
static zx_status_t pin_options(uint32_t options, zx_rights_t vmo_rights, bool vmo_contiguous,
			       bool *compress, bool *contiguous)
{
	if ((options & ZX_BTI_PERM_READ) && !(vmo_rights & ZX_RIGHT_READ))
		return ZX_ERR_ACCESS_DENIED;
	if ((options & ZX_BTI_PERM_WRITE) && !(vmo_rights & ZX_RIGHT_WRITE))
		return ZX_ERR_ACCESS_DENIED;
	if ((options & ZX_BTI_PERM_EXECUTE) && !(vmo_rights & ZX_RIGHT_READ))
		return ZX_ERR_ACCESS_DENIED; /* the device's execute: READ, as Zircon */
	options &= ~(ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE | ZX_BTI_PERM_EXECUTE);
	*compress = *contiguous = false;
	if ((options & (ZX_BTI_COMPRESS | ZX_BTI_CONTIGUOUS)) !=
	    (ZX_BTI_COMPRESS | ZX_BTI_CONTIGUOUS)) {
		if (options & ZX_BTI_COMPRESS) {
			*compress = true;
			options &= ~ZX_BTI_COMPRESS;
		}
		if ((options & ZX_BTI_CONTIGUOUS) && vmo_contiguous) {
			*contiguous = true;
			options &= ~ZX_BTI_CONTIGUOUS;
		}
	}
	return options ? ZX_ERR_INVALID_ARGS : ZX_OK;
}

/*
 * The device addresses of the pinned range to user `addrs`: one per page
 * (also with COMPRESS: the dummy IOMMU's runs are pages), or, CONTIGUOUS,
 * the first only. INVALID_ARGS if `num` does not say that many, or the
 * copy fails.
 */
static zx_status_t copy_addrs(const struct bti *bti, struct vmo *v, uint64_t offset, uint64_t size,
			      bool contiguous, user_ptr addrs, size_t num)
{
	zx_paddr_t chunk[64];
	uint64_t pages = size / PAGE_SIZE;

	if (contiguous) {
		if (num != 1)
			return ZX_ERR_INVALID_ARGS;
		if (!bti_device_addr(bti, vmo_backing_page(v, offset), size, &chunk[0]))
			return ZX_ERR_OUT_OF_RANGE;
		return copy_to_user(addrs, chunk, sizeof(chunk[0])) ? ZX_ERR_INVALID_ARGS : ZX_OK;
	}
	if (num != pages)
		return ZX_ERR_INVALID_ARGS;
	for (uint64_t done = 0; done < pages;) {
		uint64_t k = pages - done < ARRAY_SIZE(chunk) ? pages - done : ARRAY_SIZE(chunk);
		for (uint64_t i = 0; i < k; i++)
			if (!bti_device_addr(bti,
					     vmo_backing_page(v, offset + (done + i) * PAGE_SIZE),
					     PAGE_SIZE, &chunk[i]))
				return ZX_ERR_OUT_OF_RANGE; /* a page the device cannot reach */
		if (copy_to_user(addrs + done * sizeof(zx_paddr_t), chunk, k * sizeof(zx_paddr_t)))
			return ZX_ERR_INVALID_ARGS;
		done += k;
	}
	return ZX_OK;
}

/*
 * Zircon's order: the BTI and MAP, the alignment of offset and size, the
 * VMO and MAP, the permissions against its rights, the options, an empty
 * range, the range against the VMO, the pin, the addresses, the handle;
 * a failure after the pin undoes it.
 */
int64_t sys_bti_pin(zx_handle_t handle, uint32_t options, zx_handle_t vmo, uint64_t offset,
		    uint64_t size, user_ptr addrs, size_t num_addrs, user_ptr pmt_out)
{
	struct object *b, *vo;
	zx_rights_t vmo_rights;
	bool compress, contiguous;
	struct pmt *p;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP, &b, NULL);

	if (st != ZX_OK)
		return st;
	if ((offset | size) & PAGE_MASK)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(vmo, ZX_OBJ_TYPE_VMO, 0, &vo, &vmo_rights)) != ZX_OK)
		return st;
	if (!(vmo_rights & ZX_RIGHT_MAP))
		return ZX_ERR_ACCESS_DENIED;
	struct vmo *v = vmo_of(vo);
	if ((st = pin_options(options, vmo_rights, v->physical || v->contiguous, &compress,
			      &contiguous)) != ZX_OK)
		return st;
	if (size == 0)
		return ZX_ERR_INVALID_ARGS;
	if (offset > v->size || size > v->size - offset)
		return ZX_ERR_OUT_OF_RANGE;
	if ((st = bti_pin((struct bti *)b, v, offset, size, &p)) != ZX_OK)
		return st;
	(void)compress; /* its addresses are the per-page ones: the dummy IOMMU's runs are pages */
	if ((st = copy_addrs((struct bti *)b, v, offset, size, contiguous, addrs, num_addrs)) !=
	    ZX_OK) {
		pmt_unpin(p);
		object_unref(&p->obj);
		return st;
	}
	if ((st = give_handle(&p->obj, ZX_DEFAULT_PMT_RIGHTS, pmt_out)) != ZX_OK)
		pmt_unpin(p);  /* a pin nobody can name: undone, not quarantined */
	object_unref(&p->obj); /* the handle holds it, or it goes */
	return st;
}

/* Zircon's order: the handle goes (whatever it names), then the type. */
int64_t sys_pmt_unpin(zx_handle_t handle)
{
	struct object *o;
	zx_status_t st = handle_take(cur_handles(), handle, &o, NULL);

	if (st != ZX_OK)
		return st;
	if (o->type != ZX_OBJ_TYPE_PMT)
		st = ZX_ERR_WRONG_TYPE;
	else
		pmt_unpin((struct pmt *)o);
	object_unref(o);
	return st;
}

int64_t sys_bti_release_quarantine(zx_handle_t handle)
{
	struct object *o;
	zx_status_t st = get_object(handle, ZX_OBJ_TYPE_BTI, ZX_RIGHT_WRITE, &o, NULL);

	if (st != ZX_OK)
		return st;
	bti_release_quarantine((struct bti *)o);
	return ZX_OK;
}

/*
 * Zircon's order (sys_vmo_create_contiguous): the size, the alignment (0:
 * a page), the BTI and MAP, the memory, the handle.
 */
int64_t sys_vmo_create_contiguous(zx_handle_t bti, size_t size, uint32_t alignment_log2,
				  user_ptr out)
{
	struct object *o;
	struct vmo *v;
	struct vmo_obj *vo;
	zx_status_t st;

	if (size == 0)
		return ZX_ERR_INVALID_ARGS;
	if (alignment_log2 == 0)
		alignment_log2 = PAGE_SHIFT;
	if (alignment_log2 < PAGE_SHIFT || alignment_log2 >= 64)
		return ZX_ERR_INVALID_ARGS;
	if ((st = get_object(bti, ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP, &o, NULL)) != ZX_OK)
		return st;
	if ((st = vmo_create_contiguous(size, alignment_log2, &v)) != ZX_OK)
		return st;
	vo = vmo_obj_create(v);
	vo->content_size = size;
	st = give_handle(&vo->obj, ZX_DEFAULT_VMO_RIGHTS, out);
	object_unref(&vo->obj);
	return st;
}
