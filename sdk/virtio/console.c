/*
 * virtio-console driver. See console.h.
 */
#include "console.h"

#include <string.h>

#define RXQ 0 /* port 0's receiveq and transmitq (spec 5.3.2) */
#define TXQ 1

static void post_rx(struct vcons *c, unsigned i)
{
	struct virtq_buf b = {c->bufs_pa + (uint64_t)i * VCONS_BUF, VCONS_BUF, true};
	uint16_t head;
	dma_cache_sync(&c->rx.cache, c->bufs + (uint64_t)i * VCONS_BUF, VCONS_BUF, true);
	if (virtq_submit(&c->rx, &b, 1, &head) == ZX_OK)
		c->rx_buf_of[head] = (uint16_t)i;
}

zx_status_t vcons_init(struct vcons *c, struct vmmio *dev, struct dma_pool *dma)
{
	/* No VIRTIO_CONSOLE_F_MULTIPORT: port 0 alone, on queues 0 and 1. */
	zx_status_t st = vmmio_start(dev, 0, 0);

	*c = (struct vcons){.dev = dev};
	if (st != ZX_OK) {
		vmmio_fail(dev);
		return st;
	}
	if ((st = vmmio_rxtx_setup(dev, RXQ, &c->rx, TXQ, &c->tx, dma,
				   (VCONS_RX_BUFS + 1) * VCONS_BUF, &c->bufs, &c->bufs_pa)) !=
		ZX_OK ||
	    (st = vmmio_ready(dev)) != ZX_OK)
		return st;
	for (unsigned i = 0; i < VCONS_RX_BUFS; i++)
		post_rx(c, i);
	vmmio_notify(dev, RXQ);
	return ZX_OK;
}

zx_status_t vcons_write(struct vcons *c, const void *buf, size_t len)
{
	uint8_t *out = c->bufs + (uint64_t)VCONS_RX_BUFS * VCONS_BUF;

	for (size_t done = 0; done < len;) {
		size_t n = len - done < VCONS_BUF ? len - done : VCONS_BUF;
		memcpy(out, (const uint8_t *)buf + done, n);
		dma_cache_sync(&c->tx.cache, out, n, true);
		struct virtq_buf b = {c->bufs_pa + (uint64_t)VCONS_RX_BUFS * VCONS_BUF, (uint32_t)n,
				      false};
		uint32_t written;
		zx_status_t st = vmmio_transfer(c->dev, &c->tx, TXQ, &b, 1, &written);
		if (st != ZX_OK)
			return st;
		done += n;
	}
	return ZX_OK;
}

zx_status_t vcons_read(struct vcons *c, void *buf, size_t cap, size_t *len, zx_time_t deadline)
{
	for (;;) {
		uint16_t head;
		uint32_t got;
		zx_status_t st = virtq_poll(&c->rx, &head, &got);
		if (st == ZX_ERR_IO)
			return vmmio_error(c->dev, st, "%s", c->rx.err);
		if (st == ZX_OK) {
			unsigned i = c->rx_buf_of[head];
			dma_cache_sync(&c->rx.cache, c->bufs + (uint64_t)i * VCONS_BUF, VCONS_BUF,
				       false);
			*len = got < cap ? got : cap;
			memcpy(buf, c->bufs + (uint64_t)i * VCONS_BUF, *len);
			post_rx(c, i);
			vmmio_notify(c->dev, RXQ);
			return ZX_OK;
		}
		if ((st = vmmio_wait(c->dev, deadline)) != ZX_OK)
			return st;
	}
}
