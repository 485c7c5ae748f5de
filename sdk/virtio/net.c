/*
 * virtio-net driver. See net.h.
 *
 * Every frame, in and out, is two descriptors: the virtio-net header
 * (all zero going out: no checksum or segmentation offload) and the frame,
 * as legacy devices without VIRTIO_F_ANY_LAYOUT expect.
 */
#include "net.h"

#include <string.h>
#include <zircon/syscalls.h>

#define VIRTIO_NET_F_MAC (1ull << 5)

#define RXQ 0
#define TXQ 1

#define BUF	    2048u /* one buffer: the header, then the frame */
#define TX_BUF	    VNET_RX_BUFS
#define HDR_MAX	    12u
#define FRAME_AT(i) ((uint64_t)(i)*BUF + HDR_MAX)

static void post_rx(struct vnet *n, unsigned i)
{
	uint64_t pa = n->bufs_pa + (uint64_t)i * BUF;
	struct virtq_buf b[2] = {
	    {pa + HDR_MAX - n->hdr_len, n->hdr_len, true},
	    {pa + HDR_MAX, VNET_FRAME_MAX, true},
	};
	uint16_t head;
	dma_cache_sync(&n->rx.cache, n->bufs + (uint64_t)i * BUF, BUF, true);
	if (virtq_submit(&n->rx, b, 2, &head) == ZX_OK)
		n->rx_buf_of[head] = (uint16_t)i;
}

zx_status_t vnet_init(struct vnet *n, struct vmmio *dev, struct dma_pool *dma)
{
	zx_status_t st = vmmio_start(dev, VIRTIO_NET_F_MAC, VIRTIO_NET_F_MAC);

	*n = (struct vnet){.dev = dev};
	if (st != ZX_OK) {
		vmmio_fail(dev);
		return st;
	}
	if ((st = vmmio_rxtx_setup(dev, RXQ, &n->rx, TXQ, &n->tx, dma, (VNET_RX_BUFS + 1) * BUF,
				   &n->bufs, &n->bufs_pa)) != ZX_OK)
		return st;
	/* The MAC: config space bytes 0..5 (spec 5.1.4), read a word at a time. */
	uint32_t lo = vmmio_config32(dev, 0), hi = vmmio_config32(dev, 4);
	for (int i = 0; i < 4; i++)
		n->mac[i] = (uint8_t)(lo >> (8 * i));
	n->mac[4] = (uint8_t)hi;
	n->mac[5] = (uint8_t)(hi >> 8);
	/* With VERSION_1 the header always has num_buffers (spec 5.1.6). */
	n->hdr_len = dev->features & VIRTIO_F_VERSION_1 ? 12 : 10;
	if ((st = vmmio_ready(dev)) != ZX_OK)
		return st;
	for (unsigned i = 0; i < VNET_RX_BUFS; i++)
		post_rx(n, i);
	vmmio_notify(dev, RXQ);
	return ZX_OK;
}

zx_status_t vnet_send(struct vnet *n, const void *frame, size_t len)
{
	if (len < 14 || len > VNET_FRAME_MAX)
		return ZX_ERR_INVALID_ARGS;
	uint8_t *b = n->bufs + (uint64_t)TX_BUF * BUF;
	memset(b, 0, HDR_MAX);
	memcpy(b + HDR_MAX, frame, len);
	dma_cache_sync(&n->tx.cache, b, HDR_MAX + len, true);
	uint64_t pa = n->bufs_pa + (uint64_t)TX_BUF * BUF;
	struct virtq_buf bufs[2] = {
	    {pa + HDR_MAX - n->hdr_len, n->hdr_len, false},
	    {pa + HDR_MAX, (uint32_t)len, false},
	};
	uint32_t written;
	return vmmio_transfer(n->dev, &n->tx, TXQ, bufs, 2, &written);
}

zx_status_t vnet_recv(struct vnet *n, void *frame, size_t cap, size_t *len, zx_time_t deadline)
{
	for (;;) {
		uint16_t head;
		uint32_t got;
		zx_status_t st = virtq_poll(&n->rx, &head, &got);
		if (st == ZX_ERR_IO)
			return vmmio_error(n->dev, st, "%s", n->rx.err);
		if (st == ZX_OK) {
			unsigned i = n->rx_buf_of[head];
			size_t flen = got > n->hdr_len ? got - n->hdr_len : 0;
			dma_cache_sync(&n->rx.cache, n->bufs + (uint64_t)i * BUF, BUF, false);
			*len = flen < cap ? flen : cap;
			memcpy(frame, n->bufs + FRAME_AT(i), *len);
			post_rx(n, i);
			vmmio_notify(n->dev, RXQ);
			return ZX_OK;
		}
		if ((st = vmmio_wait(n->dev, deadline)) != ZX_OK)
			return st;
	}
}
