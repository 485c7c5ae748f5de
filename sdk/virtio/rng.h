/*
 * virtio-rng (virtio spec 1.x, 5.4): entropy from the host. The driver
 * offers the device a buffer to fill; the device may fill less of it.
 */
#ifndef VIRTIO_RNG_H
#define VIRTIO_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VRNG_CHUNK 64u /* bytes asked for per request */

struct vrng {
	struct vmmio *dev;
	struct virtq q;
	uint8_t *buf; /* DMA buffer the device fills */
	uint64_t buf_pa;
};

/* Bring up the device `dev` (opened, DeviceID 4) with memory from `dma`. */
zx_status_t vrng_init(struct vrng *r, struct vmmio *dev, struct dma_pool *dma);

/* Fill out[0..len) with entropy. */
zx_status_t vrng_read(struct vrng *r, void *out, size_t len);

#endif
