/*
 * virtio-blk driver. See blk.h.
 *
 * A request is a descriptor chain (spec 5.2.6): a header the device reads,
 * the data segments (read or written by the device), and one status byte
 * the device writes. Keeping the header and status in descriptors of their
 * own works with legacy devices, which may expect exactly that layout.
 * Each request slot has its own header and status in DMA memory, so slots
 * complete independently.
 */
#include "blk.h"

#include <stddef.h>
#include <string.h>
#include <zircon/syscalls.h>

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
		b->req = dma_alloc(dma, sizeof(*b->req) * VBLK_MAX_INFLIGHT, 16, &b->req_pa);
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

/* Requests beyond the end of the disk never reach the device. */
static zx_status_t check_range(const struct vblk *b, uint64_t sector, uint64_t count)
{
	return sector < b->capacity && count <= b->capacity - sector ? ZX_OK : ZX_ERR_OUT_OF_RANGE;
}

static const uint32_t op_type[] = {[VBLK_READ] = VIRTIO_BLK_T_IN,
				   [VBLK_WRITE] = VIRTIO_BLK_T_OUT,
				   [VBLK_FLUSH] = VIRTIO_BLK_T_FLUSH};

zx_status_t vblk_queue(struct vblk *b, enum vblk_op op, uint64_t sector,
		       const struct virtq_buf *data, unsigned n, uint64_t cookie)
{
	struct virtq_buf bufs[VBLK_MAX_SEGMENTS + 2];
	uint64_t bytes = 0;

	if (b->dev->status & VIRTIO_STATUS_FAILED)
		return ZX_ERR_BAD_STATE; /* dev->err still says why */
	if ((unsigned)op > VBLK_FLUSH || n > VBLK_MAX_SEGMENTS || (op == VBLK_FLUSH) != (n == 0))
		return ZX_ERR_INVALID_ARGS;
	for (unsigned i = 0; i < n; i++) {
		if (data[i].len == 0)
			return ZX_ERR_INVALID_ARGS;
		bytes += data[i].len;
		bufs[i + 1] = (struct virtq_buf){data[i].pa, data[i].len, op == VBLK_READ};
	}
	if (bytes % VBLK_SECTOR || bytes > UINT32_MAX - 1)
		return ZX_ERR_INVALID_ARGS;
	if (op == VBLK_WRITE && b->read_only)
		return ZX_ERR_ACCESS_DENIED;
	if (op == VBLK_FLUSH && !b->can_flush)
		return ZX_ERR_NOT_SUPPORTED; /* spec 5.2.6.2: only with VIRTIO_BLK_F_FLUSH */
	if (op != VBLK_FLUSH && check_range(b, sector, bytes / VBLK_SECTOR) != ZX_OK)
		return ZX_ERR_OUT_OF_RANGE;

	unsigned i = 0;
	while (i < VBLK_MAX_INFLIGHT && (b->busy & (1u << i)))
		i++;
	if (i == VBLK_MAX_INFLIGHT)
		return ZX_ERR_SHOULD_WAIT;
	b->req[i] =
	    (struct vblk_req){.type = op_type[op], .sector = sector, .status = STATUS_UNSET};
	dma_cache_sync(&b->q.cache, &b->req[i], sizeof(b->req[i]), true);
	uint64_t hdr = b->req_pa + i * sizeof(struct vblk_req);
	bufs[0] = (struct virtq_buf){hdr, offsetof(struct vblk_req, status), false};
	bufs[n + 1] = (struct virtq_buf){hdr + offsetof(struct vblk_req, status), 1, true};
	uint16_t head;
	zx_status_t st = virtq_submit(&b->q, bufs, n + 2, &head);
	if (st == ZX_ERR_NO_RESOURCES)
		return ZX_ERR_SHOULD_WAIT;
	if (st != ZX_OK)
		return ZX_ERR_BAD_STATE;
	b->busy |= 1u << i;
	b->slot[i].head = head;
	b->slot[i].op = (uint8_t)op;
	b->slot[i].bytes = (uint32_t)bytes;
	b->slot[i].sector = sector;
	b->slot[i].cookie = cookie;
	vmmio_notify(b->dev, 0); /* virtq_submit() fenced the ring writes */
	return ZX_OK;
}

zx_status_t vblk_reap(struct vblk *b, uint64_t *cookie, zx_status_t *result)
{
	uint16_t head;
	uint32_t written;
	zx_status_t st = virtq_poll(&b->q, &head, &written);

	if (st == ZX_ERR_IO) {
		vmmio_error(b->dev, st, "%s", b->q.err);
		vmmio_fail(b->dev);
	}
	if (st != ZX_OK)
		return st;
	unsigned i = 0;
	while (i < VBLK_MAX_INFLIGHT && !((b->busy & (1u << i)) && b->slot[i].head == head))
		i++;
	if (i == VBLK_MAX_INFLIGHT) { /* virtq_poll() checked it was outstanding: ours */
		vmmio_error(b->dev, ZX_ERR_IO, "device returned request %u, not one of ours", head);
		vmmio_fail(b->dev);
		return ZX_ERR_IO;
	}
	b->busy &= ~(1u << i);
	*cookie = b->slot[i].cookie;
	dma_cache_sync(&b->q.cache, &b->req[i], sizeof(b->req[i]), false);
	uint8_t status = b->req[i].status;
	uint32_t op = op_type[b->slot[i].op];
	unsigned long long sector = (unsigned long long)b->slot[i].sector;
	if (status == VIRTIO_BLK_S_UNSUPP)
		*result = vmmio_error(b->dev, ZX_ERR_NOT_SUPPORTED,
				      "request type %u, sector %llu: status UNSUPP", op, sector);
	else if (status != VIRTIO_BLK_S_OK)
		*result =
		    vmmio_error(b->dev, ZX_ERR_IO, "request type %u, sector %llu: status %u (%s)",
				op, sector, status, status_name(status));
	/* A read must have filled the whole buffer, or the caller would get stale bytes. */
	else if (op == VIRTIO_BLK_T_IN && written < b->slot[i].bytes + 1)
		*result =
		    vmmio_error(b->dev, ZX_ERR_IO, "short read at sector %llu: %u of %u bytes",
				sector, written, b->slot[i].bytes + 1);
	else
		*result = ZX_OK;
	return ZX_OK;
}

unsigned vblk_inflight(const struct vblk *b)
{
	return (unsigned)__builtin_popcount(b->busy);
}

/* One request over the bounce buffer (`bytes` of it; 0 for a flush), waited for. */
static zx_status_t request(struct vblk *b, enum vblk_op op, uint64_t sector, uint32_t bytes)
{
	struct virtq_buf seg = {b->data_pa, bytes, false};
	dma_cache_sync(&b->q.cache, b->data, bytes, true);
	zx_status_t st = vblk_queue(b, op, sector, &seg, bytes ? 1 : 0, 0);
	zx_time_t deadline = zx_deadline_after(VIRTIO_TIMEOUT_NS);

	while (st == ZX_OK) {
		uint64_t cookie;
		zx_status_t result;
		st = vblk_reap(b, &cookie, &result);
		if (st == ZX_OK) {
			if (op == VBLK_READ)
				dma_cache_sync(&b->q.cache, b->data, bytes, false);
			return result;
		}
		if (st == ZX_ERR_SHOULD_WAIT)
			st = vmmio_wait(b->dev, deadline);
	}
	if (st == ZX_ERR_TIMED_OUT) {
		vmmio_error(b->dev, st, "no answer from the device in %lld ms",
			    VIRTIO_TIMEOUT_NS / 1000000);
		vmmio_fail(b->dev);
	}
	return st;
}

zx_status_t vblk_read(struct vblk *b, uint64_t sector, void *buf, uint32_t count)
{
	zx_status_t st = check_range(b, sector, count);

	for (uint32_t done = 0; st == ZX_OK && done < count;) {
		uint32_t n = count - done < VBLK_MAX_SECTORS ? count - done : VBLK_MAX_SECTORS;
		st = request(b, VBLK_READ, sector + done, n * VBLK_SECTOR);
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
		st = request(b, VBLK_WRITE, sector + done, n * VBLK_SECTOR);
		done += n;
	}
	return st;
}

zx_status_t vblk_flush(struct vblk *b)
{
	return b->can_flush ? request(b, VBLK_FLUSH, 0, 0) : ZX_OK;
}
