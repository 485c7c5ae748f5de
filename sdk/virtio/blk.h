/*
 * virtio-blk (virtio spec 1.x, 5.2): read and write 512-byte sectors,
 * flush when the device offers it. One request at a time, completed by
 * polling.
 */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VBLK_SECTOR 512u
/* Sectors one request moves at most: the size of the DMA bounce buffer. */
#define VBLK_MAX_SECTORS 8u

struct vblk_req; /* header + status byte, in DMA memory */

struct vblk {
	struct vmmio *dev;
	struct virtq q;
	struct vblk_req *req;
	uint64_t req_pa;
	uint8_t *data; /* bounce buffer: the caller's memory has no known physical address */
	uint64_t data_pa;
	uint64_t capacity; /* in sectors */
	bool can_flush;	   /* VIRTIO_BLK_F_FLUSH: writes may sit in a volatile cache */
	bool read_only;	   /* VIRTIO_BLK_F_RO */
};

/* Bring up the device `dev` (opened, DeviceID 2) with memory from `dma`. */
zx_status_t vblk_init(struct vblk *b, struct vmmio *dev, struct dma_pool *dma);

zx_status_t vblk_read(struct vblk *b, uint64_t sector, void *buf, uint32_t count);
zx_status_t vblk_write(struct vblk *b, uint64_t sector, const void *buf, uint32_t count);

/* Make earlier writes durable. ZX_OK at once if the device has no write cache to flush. */
zx_status_t vblk_flush(struct vblk *b);

#endif
