/*
 * virtio-rng driver. See rng.h.
 */
#include "rng.h"

#include <string.h>

zx_status_t vrng_init(struct vrng *r, struct vmmio *dev, struct dma_pool *dma)
{
	zx_status_t st = vmmio_start(dev, 0, 0); /* virtio-rng has no features */

	*r = (struct vrng){.dev = dev};
	if (st == ZX_OK)
		st = vmmio_queue_setup(dev, 0, &r->q, dma);
	if (st == ZX_OK) {
		r->buf = dma_alloc(dma, VRNG_CHUNK, 16, &r->buf_pa);
		if (!r->buf)
			st = vmmio_error(dev, ZX_ERR_NO_MEMORY, "DMA pool too small for buffers");
	}
	if (st != ZX_OK) {
		vmmio_fail(dev);
		return st;
	}
	return vmmio_ready(dev);
}

zx_status_t vrng_read(struct vrng *r, void *out, size_t len)
{
	for (size_t done = 0; done < len;) {
		struct virtq_buf buf = {r->buf_pa, VRNG_CHUNK, true};
		uint32_t got;
		dma_cache_sync(&r->q.cache, r->buf, VRNG_CHUNK, true);
		zx_status_t st = vmmio_transfer(r->dev, &r->q, 0, &buf, 1, &got);
		if (st != ZX_OK)
			return st;
		dma_cache_sync(&r->q.cache, r->buf, VRNG_CHUNK, false);
		/* A device that returns nothing would keep us here for ever. */
		if (got == 0)
			return vmmio_error(r->dev, ZX_ERR_IO, "device returned no entropy");
		size_t n = got < len - done ? got : len - done;
		memcpy((uint8_t *)out + done, r->buf, n);
		done += n;
	}
	return ZX_OK;
}
