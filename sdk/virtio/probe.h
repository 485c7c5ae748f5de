/*
 * Finding virtio devices the way a zirv driver should: from the device
 * tree (the resource table libzirvdt builds), never from fixed addresses.
 */
#ifndef VIRTIO_PROBE_H
#define VIRTIO_PROBE_H

#include <zirv/restab.h>

#include "physmem.h"
#include "virtio_mmio.h"

/* Read the device tree VMO (a start-up handle) into *rt: DT_OK or a DT_E_* code. */
int probe_restab(struct restab *rt);

/*
 * Map every "virtio,mmio" window of `rt` (UNCACHED_DEVICE) and print one
 * line per window, starting with `who` (NULL: print nothing): its base and
 * Version, DeviceID, VendorID, or "empty", or why it was skipped. The
 * devices found are stored in devs[0..max) (their windows stay mapped),
 * each with its interrupt vector from `rt`; returns how many.
 */
unsigned probe_virtio(zx_handle_t mmio, const struct restab *rt, const char *who,
		      struct vmmio *devs, unsigned max);

/* The first device with DeviceID `id` among devs[0..n), or NULL. */
struct vmmio *probe_find(struct vmmio *devs, unsigned n, uint32_t id);

/* Map the first carve-out of `rt` as a DMA pool; ZX_ERR_NOT_FOUND if there is none. */
zx_status_t probe_dma(zx_handle_t mmio, const struct restab *rt, struct dma_pool *dma,
		      const struct rt_entry **carveout);

#endif
