/*
 * virtio-console (virtio spec 1.x, 5.3): the first port of a console
 * device, without the multiport feature: bytes out on the transmit queue,
 * bytes in on the receive queue, where VCONS_RX_BUFS buffers stay posted.
 */
#ifndef VIRTIO_CONSOLE_H
#define VIRTIO_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VCONS_BUF     256u /* bytes one buffer carries */
#define VCONS_RX_BUFS 8u

struct vcons {
	struct vmmio *dev;
	struct virtq rx, tx;
	uint8_t *bufs; /* VCONS_RX_BUFS receive buffers, then the send buffer */
	uint64_t bufs_pa;
	uint16_t rx_buf_of[VIRTQ_MAX_SIZE]; /* receive queue head -> buffer */
};

/* Bring up the device `dev` (opened, DeviceID 3) with memory from `dma`. */
zx_status_t vcons_init(struct vcons *c, struct vmmio *dev, struct dma_pool *dma);

/* Write all of buf[0..len), VCONS_BUF bytes per request. */
zx_status_t vcons_write(struct vcons *c, const void *buf, size_t len);

/*
 * Read what the next receive buffer holds into buf[0..cap) (*len bytes;
 * the rest of a fuller buffer is dropped), waiting until `deadline`:
 * ZX_ERR_TIMED_OUT if nothing came.
 */
zx_status_t vcons_read(struct vcons *c, void *buf, size_t cap, size_t *len, zx_time_t deadline);

#endif
