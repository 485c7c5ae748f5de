/*
 * DMA: IOMMU, BTI (bus transaction initiator) and PMT (pinned memory
 * token) objects. zirv's IOMMU is Zircon's dummy one: a device address is
 * the CPU physical address. zx_bti_pin pins a VMO range (its pages
 * committed and kept where they are) and returns their addresses with a
 * PMT; zx_pmt_unpin ends the pin. A PMT whose handle is closed without an
 * unpin leaves its pin in the BTI's quarantine, still pinned, until
 * zx_bti_release_quarantine or the BTI's end — the device may still be
 * writing there.
 */
#ifndef ZIRV_HANDLES_BTI_H
#define ZIRV_HANDLES_BTI_H

#include <zircon/syscalls/object.h>
#include <zircon/types.h>

#include "handles/object.h"
#include "mm/vmo.h"
#include "restab.h"

struct iommu {
	struct object obj;
};

/* One pinned range: a PMT's while it has a handle, then the BTI's quarantine's. */
struct bti_pin {
	struct vmo_pin pin;
	struct vmo *vmo;
	struct bti_pin *next; /* on the quarantine */
};

struct bti {
	struct object obj;
	struct iommu *iommu; /* a reference */
	uint64_t bti_id;
	struct rt_dma dma;    /* the device's view of memory (no windows: CPU physical addresses) */
	uint64_t pmts;	      /* PMTs pinned now */
	uint64_t quarantined; /* pins on the quarantine */
	struct bti_pin *quarantine;
};

struct pmt {
	struct object obj;
	struct bti *bti;     /* a reference */
	struct bti_pin *pin; /* NULL once unpinned */
};

zx_status_t iommu_create(struct iommu **out);
/* A BTI for the device whose DMA windows are `dma` (copied). NO_MEMORY. */
zx_status_t bti_create(struct iommu *iommu, uint64_t bti_id, const struct rt_dma *dma,
		       struct bti **out);
/*
 * The device address of CPU physical [pa, pa + len) through bti's DMA
 * windows: false if no window holds all of it (the device cannot reach it).
 */
bool bti_device_addr(const struct bti *bti, uint64_t pa, uint64_t len, uint64_t *dev);
/*
 * Pin [offset, offset+size) of v (page-aligned, non-empty, in range: the
 * caller checks) for bti: a new PMT (one reference). NO_MEMORY, or
 * vmo_pin's BAD_STATE.
 */
zx_status_t bti_pin(struct bti *bti, struct vmo *v, uint64_t offset, uint64_t size,
		    struct pmt **out);
/* End the PMT's pin (it stays, unpinned, until its references go). */
void pmt_unpin(struct pmt *p);
/* Unpin everything on bti's quarantine. */
void bti_release_quarantine(struct bti *bti);
/* ZX_INFO_BTI. */
void bti_info(const struct bti *bti, zx_info_bti_t *info);

#endif
