/*
 * virtio-net (virtio spec 1.x, 5.1): Ethernet frames in and out, with the
 * MAC address the device reports. No offloads: the driver offers only
 * VIRTIO_NET_F_MAC, so every frame is whole and checksummed by the sender.
 *
 * Receive buffers (VNET_RX_BUFS of them) stay posted to the device; a
 * received frame is copied out and its buffer posted again. One frame is
 * sent at a time, waited for.
 */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include <stddef.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VNET_FRAME_MAX 1514u /* Ethernet header + 1500-byte payload, no FCS */
#define VNET_RX_BUFS   16u

struct vnet {
	struct vmmio *dev;
	struct virtq rx, tx;
	uint8_t mac[6];
	uint32_t hdr_len; /* struct virtio_net_hdr: 10 bytes legacy, 12 with VERSION_1 */
	uint8_t *bufs;	  /* VNET_RX_BUFS receive buffers, then the send buffer */
	uint64_t bufs_pa;
	uint16_t rx_buf_of[VIRTQ_MAX_SIZE]; /* receive queue head -> buffer */
};

/* Bring up the device `dev` (opened, DeviceID 1) with memory from `dma`; post the receive buffers.
 */
zx_status_t vnet_init(struct vnet *n, struct vmmio *dev, struct dma_pool *dma);

/* Send one frame of `len` bytes (14 to VNET_FRAME_MAX): ZX_ERR_INVALID_ARGS otherwise. */
zx_status_t vnet_send(struct vnet *n, const void *frame, size_t len);

/*
 * Take the next received frame into frame[0..cap) (*len: its length; a
 * longer frame is cut to cap), waiting until `deadline`: ZX_ERR_TIMED_OUT
 * if none came.
 */
zx_status_t vnet_recv(struct vnet *n, void *frame, size_t cap, size_t *len, zx_time_t deadline);

#endif
