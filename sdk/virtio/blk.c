/*
 * virtio-blk driver. See blk.h.
 *
 * A request is three descriptors (spec 5.2.6): a header the device reads,
 * the data (read or written by the device), and one status byte the device
 * writes. Keeping each in its own descriptor works with legacy devices,
 * which may expect exactly that layout.
 */
#include "blk.h"

#include <stddef.h>
#include <string.h>

#define VIRTIO_BLK_F_RO	   (1ull << 5)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)

#define VIRTIO_BLK_T_IN	   0u
#define VIRTIO_BLK_T_OUT   1u
#define VIRTIO_BLK_T_FLUSH 4u

#define VIRTIO_BLK_S_OK	    0u
#define VIRTIO_BLK_S_IOERR  1u
#define VIRTIO_BLK_S_UNSUPP 2u

#define STATUS_UNSET 0xffu /* no status a device may write: catches one that writes none */

struct vblk_req {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
	uint8_t status;
};

zx_status_t vblk_init(struct vblk *b, struct vmmio *dev, struct dma_pool *dma)
{
	zx_status_t st = vmmio_start(dev, VIRTIO_BLK_F_RO | VIRTIO_BLK_F_FLUSH, 0);

	*b = (struct vblk){.dev = dev};
	if (st == ZX_OK)
		st = vmmio_queue_setup(dev, 0, &b->q, dma);
	if (st == ZX_OK) {
		b->req = dma_alloc(dma, sizeof(*b->req), 16, &b->req_pa);
		b->data = dma_alloc(dma, VBLK_MAX_SECTORS * VBLK_SECTOR, VBLK_SECTOR, &b->data_pa);
		if (!b->req || !b->data)
			st = vmmio_error(dev, ZX_ERR_NO_MEMORY, "DMA pool too small for buffers");
	}
	if (st != ZX_OK) {
		vmmio_fail(dev);
		return st;
	}
	b->capacity = vmmio_config64(dev, 0);
	b->can_flush = dev->features & VIRTIO_BLK_F_FLUSH;
	b->read_only = dev->features & VIRTIO_BLK_F_RO;
	return vmmio_ready(dev);
}

static const char *status_name(uint8_t s)
{
	switch (s) {
	case VIRTIO_BLK_S_IOERR:
		return "IOERR";
	case VIRTIO_BLK_S_UNSUPP:
		return "UNSUPP";
	case STATUS_UNSET:
		return "none written";
	default:
		return "unknown";
	}
}

/* One request moving `bytes` of the bounce buffer (0 for a flush). */
static zx_status_t request(struct vblk *b, uint32_t type, uint64_t sector, uint32_t bytes)
{
	*b->req = (struct vblk_req){.type = type, .sector = sector, .status = STATUS_UNSET};
	struct virtq_buf bufs[3] = {
	    {b->req_pa, offsetof(struct vblk_req, status), false},
	    {b->data_pa, bytes, type == VIRTIO_BLK_T_IN},
	};
	unsigned n = bytes ? 3 : 2;
	bufs[n - 1] = (struct virtq_buf){b->req_pa + offsetof(struct vblk_req, status), 1, true};

	uint32_t written;
	zx_status_t st = vmmio_transfer(b->dev, &b->q, 0, bufs, n, &written);
	if (st != ZX_OK)
		return st;
	if (b->req->status != VIRTIO_BLK_S_OK)
		return vmmio_error(
		    b->dev, ZX_ERR_IO, "request type %u, sector %llu: status %u (%s)", type,
		    (unsigned long long)sector, b->req->status, status_name(b->req->status));
	/* A read must have filled the whole buffer, or we would return stale bytes. */
	if (type == VIRTIO_BLK_T_IN && written < bytes + 1)
		return vmmio_error(b->dev, ZX_ERR_IO, "short read at sector %llu: %u of %u bytes",
				   (unsigned long long)sector, written, bytes + 1);
	return ZX_OK;
}

/* Requests beyond the end of the disk never reach the device. */
static zx_status_t check_range(const struct vblk *b, uint64_t sector, uint32_t count)
{
	return sector < b->capacity && count <= b->capacity - sector ? ZX_OK : ZX_ERR_OUT_OF_RANGE;
}

zx_status_t vblk_read(struct vblk *b, uint64_t sector, void *buf, uint32_t count)
{
	zx_status_t st = check_range(b, sector, count);

	for (uint32_t done = 0; st == ZX_OK && done < count;) {
		uint32_t n = count - done < VBLK_MAX_SECTORS ? count - done : VBLK_MAX_SECTORS;
		st = request(b, VIRTIO_BLK_T_IN, sector + done, n * VBLK_SECTOR);
		if (st == ZX_OK)
			memcpy((uint8_t *)buf + (size_t)done * VBLK_SECTOR, b->data,
			       n * VBLK_SECTOR);
		done += n;
	}
	return st;
}

zx_status_t vblk_write(struct vblk *b, uint64_t sector, const void *buf, uint32_t count)
{
	zx_status_t st = b->read_only ? ZX_ERR_ACCESS_DENIED : check_range(b, sector, count);

	for (uint32_t done = 0; st == ZX_OK && done < count;) {
		uint32_t n = count - done < VBLK_MAX_SECTORS ? count - done : VBLK_MAX_SECTORS;
		memcpy(b->data, (const uint8_t *)buf + (size_t)done * VBLK_SECTOR, n * VBLK_SECTOR);
		st = request(b, VIRTIO_BLK_T_OUT, sector + done, n * VBLK_SECTOR);
		done += n;
	}
	return st;
}

zx_status_t vblk_flush(struct vblk *b)
{
	return b->can_flush ? request(b, VIRTIO_BLK_T_FLUSH, 0, 0) : ZX_OK;
}
