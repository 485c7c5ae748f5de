#include <zircon/errors.h>
#include <zircon/syscalls/object.h>

#include "handles/bti.h"
#include "kernel.h"
#include "mm/heap.h"
#include "sched.h"

static void unpin(struct bti_pin *bp)
{
	vmo_unpin(bp->vmo, &bp->pin); /* may drop the VMO's last reference */
	kfree(bp, sizeof(*bp));
}

static void iommu_destroy(struct object *o)
{
	kfree(o, sizeof(struct iommu));
}

static const struct object_ops iommu_ops = {.destroy = iommu_destroy};

zx_status_t iommu_create(struct iommu **out)
{
	struct iommu *im = kzalloc(sizeof(*im));
	if (!im)
		return ZX_ERR_NO_MEMORY;
	object_init(&im->obj, ZX_OBJ_TYPE_IOMMU, &iommu_ops);
	*out = im;
	return ZX_OK;
}

/* The BTI goes (no handle, no PMT left): so does its quarantine, as in Zircon. */
static void bti_destroy(struct object *o)
{
	struct bti *bti = (struct bti *)o;
	bti_release_quarantine(bti);
	object_unref(&bti->iommu->obj);
	kfree(bti, sizeof(*bti));
}

static zx_status_t bti_get_info(struct object *o, zx_rights_t rights, uint32_t topic, void *buf,
				size_t len, size_t *actual)
{
	zx_info_bti_t info;
	(void)rights;
	if (topic != ZX_INFO_BTI)
		return ZX_ERR_NOT_SUPPORTED;
	bti_info((struct bti *)o, &info);
	return object_info_out(buf, len, &info, sizeof(info), actual);
}

static const struct object_ops bti_ops = {.destroy = bti_destroy, .get_info = bti_get_info};

zx_status_t bti_create(struct iommu *iommu, uint64_t bti_id, const struct rt_dma *dma,
		       struct bti **out)
{
	struct bti *bti = kzalloc(sizeof(*bti));
	if (!bti)
		return ZX_ERR_NO_MEMORY;
	object_init(&bti->obj, ZX_OBJ_TYPE_BTI, &bti_ops);
	object_ref(&iommu->obj);
	bti->iommu = iommu;
	bti->bti_id = bti_id;
	bti->dma = *dma;
	*out = bti;
	return ZX_OK;
}

bool bti_device_addr(const struct bti *bti, uint64_t pa, uint64_t len, uint64_t *dev)
{
	if (bti->dma.n == 0) {
		*dev = pa;
		return true;
	}
	for (uint32_t i = 0; i < bti->dma.n; i++) {
		uint64_t cpu = bti->dma.w[i].cpu, size = bti->dma.w[i].size;
		if (pa >= cpu && len <= size && pa - cpu <= size - len) {
			*dev = bti->dma.w[i].dev + (pa - cpu);
			return true;
		}
	}
	return false;
}

void bti_info(const struct bti *bti, zx_info_bti_t *info)
{
	*info = (zx_info_bti_t){.minimum_contiguity = PAGE_SIZE,
				.aspace_size = UINT64_MAX,
				.pmo_count = bti->pmts,
				.quarantine_count = bti->quarantined};
}

void bti_release_quarantine(struct bti *bti)
{
	KLOCK_HELD();
	while (bti->quarantine) {
		struct bti_pin *bp = bti->quarantine;
		bti->quarantine = bp->next;
		bti->quarantined--;
		unpin(bp);
	}
}

/* The PMT goes; a pin it still holds goes to the quarantine (its handle was closed, not unpinned).
 */
static void pmt_destroy(struct object *o)
{
	struct pmt *p = (struct pmt *)o;
	struct bti *bti = p->bti;

	if (p->pin) {
		bti->pmts--;
		p->pin->next = bti->quarantine;
		bti->quarantine = p->pin;
		bti->quarantined++;
	}
	kfree(p, sizeof(*p));
	object_unref(&bti->obj);
}

static const struct object_ops pmt_ops = {.destroy = pmt_destroy};

zx_status_t bti_pin(struct bti *bti, struct vmo *v, uint64_t offset, uint64_t size,
		    struct pmt **out)
{
	KLOCK_HELD();
	struct bti_pin *bp = kzalloc(sizeof(*bp));
	struct pmt *p = bp ? kzalloc(sizeof(*p)) : NULL;
	zx_status_t st = p ? vmo_pin(v, offset, size, &bp->pin) : ZX_ERR_NO_MEMORY;

	if (st != ZX_OK) {
		kfree(p, sizeof(*p));
		kfree(bp, sizeof(*bp));
		return st;
	}
	bp->vmo = v;
	object_init(&p->obj, ZX_OBJ_TYPE_PMT, &pmt_ops);
	object_ref(&bti->obj);
	p->bti = bti;
	p->pin = bp;
	bti->pmts++;
	*out = p;
	return ZX_OK;
}

void pmt_unpin(struct pmt *p)
{
	KLOCK_HELD();
	if (!p->pin)
		return;
	p->bti->pmts--;
	unpin(p->pin);
	p->pin = NULL;
}
