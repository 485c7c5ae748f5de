/*
 * bin/virtio-blk: a virtio-blk driver in a process of its own, serving the
 * block protocol of <zirv/block.h> over one channel.
 *
 * It holds exactly what its parent granted (ZIRV_BLOCK_HND_*): an MMIO
 * resource over its device's register window, an IRQ resource over its
 * interrupt vector, a BTI for its DMA, and the channel. Its own DMA memory
 * (the rings and request headers) is contiguous memory from the BTI; the
 * data moves straight between the disk and the client's VMO, whose pages
 * the BTI pins. One port carries both the device's interrupts and the
 * channel's signals, so the driver sleeps in one place. Started with the
 * argument "noncoherent" (its parent read dma-noncoherent in the tree),
 * it cleans and invalidates its rings and the client's pages around every
 * transfer, as a device that does not snoop the caches needs.
 *
 * When its client closes the channel, it resets the device, unpins and
 * exits 0. If it dies, the kernel takes back everything: the mapping, the
 * interrupt (the vector can be claimed again), the pins (quarantined in
 * the BTI), and the channel, whose peer then reads ZX_ERR_PEER_CLOSED.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zirv/block.h>
#include <zirv/virtio/blk.h>

#define KEY_IRQ	    0 /* vmmio_use_interrupt() binds the interrupt with key 0 */
#define KEY_CHANNEL 1

#define DMA_BYTES     (64u * 1024)
#define VMO_MAX_PAGES 1024u /* an attached VMO is at most 4 MiB */
/* Sectors per READ or WRITE: at most 129 pages, within VBLK_MAX_SEGMENTS. */
#define MAX_TRANSFER 1024u

static struct vmmio dev;
static struct vblk blk;
static zx_handle_t chan, bti, dma_pmt;
static bool noncoherent;

/* The client's pages under each READ in flight: invalidated when it is done. */
static struct {
	bool used;
	zx_txid_t txid;
	uint64_t off, len;
} reads[VBLK_MAX_INFLIGHT];

static struct {
	zx_handle_t vmo, pmt;
	uint64_t size;
	zx_paddr_t page[VMO_MAX_PAGES];
} att;

/* A request the device had no room for, taken off the channel: sent first when room frees up. */
static struct {
	bool valid;
	zirv_block_req_t req;
} held;

static void reply(zx_txid_t txid, zx_status_t st)
{
	zirv_block_reply_t r = {.txid = txid, .status = st};

	if (txid == 0 && st != ZX_OK)
		return; /* nobody to answer: not a call */
	zx_channel_write(chan, 0, &r, sizeof(r), NULL, 0);
}

static void info(zx_txid_t txid)
{
	zirv_block_reply_t r = {
	    .txid = txid,
	    .capacity = blk.capacity,
	    .block_size = VBLK_SECTOR,
	    .max_transfer = MAX_TRANSFER,
	    .flags = (blk.read_only ? ZIRV_BLOCK_FLAG_READ_ONLY : 0) |
		     (blk.can_flush ? ZIRV_BLOCK_FLAG_FLUSH : 0),
	};
	zx_channel_write(chan, 0, &r, sizeof(r), NULL, 0);
}

static void detach(void)
{
	if (att.pmt != ZX_HANDLE_INVALID)
		zx_pmt_unpin(att.pmt);
	zx_handle_close(att.vmo);
	att.vmo = att.pmt = ZX_HANDLE_INVALID;
	att.size = 0;
}

static zx_status_t attach(zx_handle_t vmo)
{
	uint64_t size = 0;
	zx_handle_t pmt;
	zx_status_t st;

	if (vblk_inflight(&blk) || held.valid) {
		zx_handle_close(vmo);
		return ZX_ERR_BAD_STATE; /* DMA into the old VMO is under way */
	}
	if ((st = zx_vmo_get_size(vmo, &size)) != ZX_OK || size == 0 ||
	    size > VMO_MAX_PAGES * 4096ull) {
		zx_handle_close(vmo);
		return st != ZX_OK ? st : size ? ZX_ERR_OUT_OF_RANGE : ZX_ERR_INVALID_ARGS;
	}
	/* The pin checks the handle's rights: the device both reads and writes it. */
	st = zx_bti_pin(bti, ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, vmo, 0, size, att.page,
			size / 4096, &pmt);
	if (st != ZX_OK) {
		zx_handle_close(vmo);
		return st;
	}
	detach();
	att.vmo = vmo;
	att.pmt = pmt;
	att.size = size;
	return ZX_OK;
}

/* The device addresses of [off, off + len) of the attached VMO, neighbouring pages merged. */
static unsigned segments(uint64_t off, uint64_t len, struct virtq_buf *seg)
{
	unsigned n = 0;

	while (len) {
		uint64_t in_page = 4096 - (off & 4095), chunk = len < in_page ? len : in_page;
		uint64_t pa = att.page[off / 4096] + (off & 4095);
		if (n && seg[n - 1].pa + seg[n - 1].len == pa)
			seg[n - 1].len += (uint32_t)chunk;
		else
			seg[n++] = (struct virtq_buf){pa, (uint32_t)chunk, false};
		off += chunk;
		len -= chunk;
	}
	return n;
}

/*
 * Hand a READ, WRITE or FLUSH to the device. ZX_ERR_SHOULD_WAIT: no room
 * at the device yet; ZX_OK: queued, answered when it finishes; anything
 * else is the answer now.
 */
static zx_status_t start(const zirv_block_req_t *q)
{
	static struct virtq_buf seg[VBLK_MAX_SEGMENTS];
	enum vblk_op op = q->op == ZIRV_BLOCK_OP_READ ? VBLK_READ : VBLK_WRITE;
	unsigned n = 0;
	uint64_t sector = 0;

	if (q->op == ZIRV_BLOCK_OP_FLUSH) {
		if (!blk.can_flush)
			return ZX_ERR_NEXT; /* nothing to flush: answered at once with ZX_OK */
		op = VBLK_FLUSH;
	} else {
		uint64_t len = (uint64_t)q->count * VBLK_SECTOR;
		if (att.vmo == ZX_HANDLE_INVALID)
			return ZX_ERR_BAD_STATE;
		if (q->count == 0 || q->count > MAX_TRANSFER)
			return ZX_ERR_INVALID_ARGS;
		if (q->vmo_offset > att.size || len > att.size - q->vmo_offset)
			return ZX_ERR_OUT_OF_RANGE;
		n = segments(q->vmo_offset, len, seg);
		sector = q->sector;
		if (noncoherent) /* the client's writes in memory, no dirty line left over its reads
				  */
			zx_vmo_op_range(att.vmo, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, q->vmo_offset,
					len, NULL, 0);
	}
	zx_status_t st = vblk_queue(&blk, op, sector, seg, n, q->txid);
	for (unsigned i = 0; st == ZX_OK && noncoherent && op == VBLK_READ; i++)
		if (!reads[i].used) {
			reads[i] = (typeof(reads[i])){true, q->txid, q->vmo_offset,
						      (uint64_t)q->count * VBLK_SECTOR};
			break;
		}
	return st;
}

/* Start a request, or hold it while the device is full; answer at once what needs no device. */
static void dispatch(const zirv_block_req_t *q)
{
	zx_status_t st = start(q);

	if (st == ZX_ERR_SHOULD_WAIT) {
		held.valid = true;
		held.req = *q;
	} else if (st == ZX_ERR_NEXT) {
		reply(q->txid, ZX_OK);
	} else if (st != ZX_OK) {
		reply(q->txid, st);
	}
}

/* Read and act on one message. False when the channel has none (or its peer is gone). */
static bool serve_one(bool *closed)
{
	static uint8_t bytes[ZX_CHANNEL_MAX_MSG_BYTES];
	static zx_handle_t handles[ZX_CHANNEL_MAX_MSG_HANDLES];
	uint32_t nb = 0, nh = 0;
	zx_status_t st = zx_channel_read(chan, 0, bytes, handles, sizeof(bytes),
					 ZX_CHANNEL_MAX_MSG_HANDLES, &nb, &nh);

	if (st == ZX_ERR_PEER_CLOSED)
		*closed = true;
	if (st != ZX_OK)
		return false;
	zirv_block_req_t q = {0};
	memcpy(&q, bytes, nb < sizeof(q) ? nb : sizeof(q));
	bool wants_vmo = q.op == ZIRV_BLOCK_OP_ATTACH;
	if (nb != sizeof(q) || nh != (wants_vmo ? 1u : 0u) || q.reserved) {
		zx_handle_close_many(handles, nh);
		reply(q.txid, ZX_ERR_INVALID_ARGS);
		return true;
	}
	switch (q.op) {
	case ZIRV_BLOCK_OP_INFO:
		info(q.txid);
		break;
	case ZIRV_BLOCK_OP_ATTACH:
		reply(q.txid, attach(handles[0]));
		break;
	case ZIRV_BLOCK_OP_READ:
	case ZIRV_BLOCK_OP_WRITE:
	case ZIRV_BLOCK_OP_FLUSH:
		dispatch(&q);
		break;
	default:
		reply(q.txid, ZX_ERR_NOT_SUPPORTED);
	}
	return true;
}

/* Answer every request the device has finished. */
static void reap(void)
{
	uint64_t txid;
	zx_status_t result, st;

	while ((st = vblk_reap(&blk, &txid, &result)) == ZX_OK) {
		for (unsigned i = 0; noncoherent && i < VBLK_MAX_INFLIGHT; i++)
			if (reads[i].used && reads[i].txid == (zx_txid_t)txid) {
				/* What the disk wrote, not what the caches kept. */
				zx_vmo_op_range(att.vmo, ZX_VMO_OP_CACHE_INVALIDATE, reads[i].off,
						reads[i].len, NULL, 0);
				reads[i].used = false;
			}
		reply((zx_txid_t)txid, result);
	}
	if (st != ZX_ERR_SHOULD_WAIT) {
		printf("virtio-blk %#llx: %s\n", (unsigned long long)dev.base, dev.err);
		zx_process_exit(1); /* the client sees PEER_CLOSED */
	}
}

static zx_status_t bring_up(void)
{
	zx_handle_t mmio = zx_take_startup_handle(ZIRV_BLOCK_HND_MMIO);
	zx_handle_t irq = zx_take_startup_handle(ZIRV_BLOCK_HND_IRQ);
	zx_info_resource_t ri = {0};
	struct dma_pool dma;
	zx_vaddr_t va;
	uint64_t base, size;
	zx_status_t st;

	bti = zx_take_startup_handle(ZIRV_BLOCK_HND_BTI);
	chan = zx_take_startup_handle(ZIRV_BLOCK_HND_CHANNEL);
	if ((st = physmem_map_resource(mmio, ZX_CACHE_POLICY_UNCACHED_DEVICE, &va, &base, &size)) !=
	    ZX_OK) {
		printf("virtio-blk: cannot map its registers: %s\n", zx_status_get_string(st));
		return st;
	}
	if ((st = vmmio_open(&dev, (volatile void *)va, base)) != ZX_OK ||
	    (st = dev.device_id == VIRTIO_ID_BLOCK ? ZX_OK : ZX_ERR_NOT_FOUND) != ZX_OK) {
		printf("virtio-blk %#llx: no virtio-blk device there: %s\n",
		       (unsigned long long)base, dev.err);
		return st;
	}
	if ((st = zx_object_get_info(irq, ZX_INFO_RESOURCE, &ri, sizeof(ri), NULL, NULL)) ==
	    ZX_OK) {
		dev.vector = (uint32_t)ri.base;
		st = dma_pool_from_bti(&dma, bti, DMA_BYTES, &dma_pmt);
	}
	if (st == ZX_OK && noncoherent) {
		dma_pool_noncoherent(&dma);
		/* Where no hart can clean a cache line the kernel says so: serve nothing then. */
		if ((st = dma_cache_sync(&dma.cache, dma.va, dma.size, true)) != ZX_OK)
			snprintf(dev.err, sizeof(dev.err),
				 "DMA is not coherent and the caches cannot be maintained here");
	}
	if (st == ZX_OK)
		st = vblk_init(&blk, &dev, &dma);
	if (st == ZX_OK)
		st = vmmio_use_interrupt(&dev, irq);
	if (st == ZX_OK)
		st = zx_object_wait_async(chan, dev.port, KEY_CHANNEL,
					  ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0);
	if (st != ZX_OK)
		printf("virtio-blk %#llx: cannot start: %s: %s\n", (unsigned long long)base,
		       zx_status_get_string(st), dev.err);
	zx_handle_close(mmio);
	zx_handle_close(irq);
	return st;
}

int main(int argc, char **argv)
{
	bool armed = true, closed = false;

	noncoherent = argc > 1 && !strcmp(argv[1], "noncoherent");
	if (bring_up() != ZX_OK)
		return 1;
	printf("virtio-blk %#llx: %llu KiB, vector %u, serving%s\n", (unsigned long long)dev.base,
	       (unsigned long long)blk.capacity * VBLK_SECTOR / 1024, dev.vector,
	       noncoherent ? " (maintaining caches: DMA is not coherent)" : "");
	for (;;) {
		zx_port_packet_t pk;
		zx_status_t st = zx_port_wait(dev.port, ZX_TIME_INFINITE, &pk);
		if (st != ZX_OK)
			return 1;
		if (pk.key == KEY_IRQ)
			vmmio_interrupt_ack(&dev);
		else
			armed = false;
		reap();
		if (held.valid) {
			held.valid = false;
			dispatch(&held.req);
		}
		while (!armed && !held.valid && !closed && serve_one(&closed))
			;
		if (closed && !vblk_inflight(&blk) && !held.valid)
			break;
		if (!armed && !held.valid && !closed) {
			zx_object_wait_async(chan, dev.port, KEY_CHANNEL,
					     ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0);
			armed = true;
		}
	}
	/* A clean end: the device stops, then nothing it could reach stays pinned. */
	if (vmmio_reset(&dev) != ZX_OK)
		return 1; /* the pins stay quarantined */
	detach();
	zx_pmt_unpin(dma_pmt);
	return 0;
}
