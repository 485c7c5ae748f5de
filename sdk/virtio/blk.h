/*
 * virtio-blk (virtio spec 1.x, 5.2): read and write 512-byte sectors,
 * flush when the device offers it.
 *
 * Two ways to use it:
 *  - vblk_read() / vblk_write() / vblk_flush(): one request at a time,
 *    through a bounce buffer in the driver's DMA pool, for callers whose
 *    memory has no known physical address;
 *  - vblk_queue() / vblk_reap(): up to VBLK_MAX_INFLIGHT requests in flight
 *    at once, each over a scatter list of device addresses (pages a BTI
 *    pinned), completed in whatever order the device finishes them. A
 *    driver process waits for the device's interrupt itself and reaps.
 */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VBLK_SECTOR 512u
/* Sectors one vblk_read/vblk_write request moves at most: the bounce buffer's size. */
#define VBLK_MAX_SECTORS 8u
/* Requests vblk_queue() keeps in flight at most. */
#define VBLK_MAX_INFLIGHT 32u
/* Data segments one queued request may have: 2 more descriptors carry its header and status. */
#define VBLK_MAX_SEGMENTS 256u

enum vblk_op { VBLK_READ, VBLK_WRITE, VBLK_FLUSH };

struct vblk_req; /* header + status byte, in DMA memory */

struct vblk {
	struct vmmio *dev;
	struct virtq q;
	struct vblk_req *req; /* VBLK_MAX_INFLIGHT of them */
	uint64_t req_pa;
	uint8_t *data; /* bounce buffer of vblk_read/vblk_write */
	uint64_t data_pa;
	uint64_t capacity; /* in sectors */
	bool can_flush;	   /* VIRTIO_BLK_F_FLUSH: writes may sit in a volatile cache */
	bool read_only;	   /* VIRTIO_BLK_F_RO */
	uint32_t busy;	   /* bit i: request slot i is in flight */
	struct {
		uint16_t head;	/* its descriptor chain */
		uint8_t op;	/* enum vblk_op */
		uint32_t bytes; /* data it moves */
		uint64_t sector, cookie;
	} slot[VBLK_MAX_INFLIGHT];
};

/* Bring up the device `dev` (opened, DeviceID 2) with memory from `dma`. */
zx_status_t vblk_init(struct vblk *b, struct vmmio *dev, struct dma_pool *dma);

zx_status_t vblk_read(struct vblk *b, uint64_t sector, void *buf, uint32_t count);
zx_status_t vblk_write(struct vblk *b, uint64_t sector, const void *buf, uint32_t count);

/* Make earlier writes durable. ZX_OK at once if the device has no write cache to flush. */
zx_status_t vblk_flush(struct vblk *b);

/*
 * Hand the device one request and ring its doorbell: `op` at `sector`
 * over the `n` segments `data` (device addresses; their lengths add up to
 * a whole number of sectors; none for a flush). `cookie` comes back from
 * vblk_reap(). ZX_ERR_OUT_OF_RANGE past the end of the disk,
 * ZX_ERR_ACCESS_DENIED for a write to a read-only disk, ZX_ERR_INVALID_ARGS
 * for a bad length or too many segments, ZX_ERR_NOT_SUPPORTED for a flush
 * the device does not offer (it has no write cache), ZX_ERR_SHOULD_WAIT when
 * VBLK_MAX_INFLIGHT requests or every descriptor are in flight (reap
 * first), ZX_ERR_BAD_STATE once the device failed.
 */
zx_status_t vblk_queue(struct vblk *b, enum vblk_op op, uint64_t sector,
		       const struct virtq_buf *data, unsigned n, uint64_t cookie);

/*
 * Take one finished request: ZX_OK with its cookie and its outcome in
 * *result (ZX_OK, or ZX_ERR_IO / ZX_ERR_NOT_SUPPORTED as the device
 * answered, with dev->err), ZX_ERR_SHOULD_WAIT if none has finished, or
 * ZX_ERR_IO when the device broke the protocol (the device is failed).
 */
zx_status_t vblk_reap(struct vblk *b, uint64_t *cookie, zx_status_t *result);

/* Requests queued and not yet reaped. */
unsigned vblk_inflight(const struct vblk *b);

#endif
