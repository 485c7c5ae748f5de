/*
 * The virtio-mmio transport, legacy (v1) and modern (v2). See virtio_mmio.h.
 */
#include "virtio_mmio.h"

#include <stdarg.h>
#include <stdio.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>

/* How long the driver sleeps between looks at the used ring. */
#define POLL_INTERVAL_NS 20000

static uint32_t rd(const struct vmmio *d, uint32_t off)
{
	return d->regs[off / 4];
}

static void wr(struct vmmio *d, uint32_t off, uint32_t val)
{
	d->regs[off / 4] = val;
}

zx_status_t vmmio_error(struct vmmio *d, zx_status_t st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return st;
}

const char *virtio_device_name(uint32_t id)
{
	static const char *const names[] =
	    {
		"empty",    "net",	    "blk",   "console",	       "rng",
		"balloon",  "iomem",	    "rpmsg", "scsi",	       "9p",
		"mac80211", "rproc-serial", "caif",  "memory-balloon", [16] = "gpu",
		"clock",    "input",	    "vsock", "crypto",
	    };
	const char *n = id < sizeof(names) / sizeof(names[0]) ? names[id] : NULL;
	return n ? n : "other";
}

zx_status_t vmmio_open(struct vmmio *d, volatile void *regs, uint64_t base)
{
	*d = (struct vmmio){.regs = regs, .base = base};
	uint32_t magic = rd(d, VMMIO_MAGIC);
	if (magic != VIRTIO_MMIO_MAGIC)
		return vmmio_error(d, ZX_ERR_NOT_SUPPORTED,
				   "MagicValue %#x, not 0x74726976: not virtio-mmio", magic);
	d->version = rd(d, VMMIO_VERSION);
	if (d->version != 1 && d->version != 2)
		return vmmio_error(d, ZX_ERR_NOT_SUPPORTED, "unknown virtio-mmio Version %u",
				   d->version);
	d->device_id = rd(d, VMMIO_DEVICE_ID);
	d->vendor_id = rd(d, VMMIO_VENDOR_ID);
	return ZX_OK;
}

/*
 * The device's status must be exactly what the driver wrote: a device
 * that wants a reset, or that shows bits of its own, is not trusted.
 */
static zx_status_t check_status(struct vmmio *d)
{
	uint32_t s = rd(d, VMMIO_STATUS);

	if (s & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return vmmio_error(d, ZX_ERR_IO, "device needs reset (status %#x)", s);
	if (s != d->status)
		return vmmio_error(d, ZX_ERR_IO, "device status %#x, but the driver set %#x", s,
				   d->status);
	return ZX_OK;
}

static zx_status_t set_status(struct vmmio *d, uint32_t bit)
{
	d->status |= bit;
	wr(d, VMMIO_STATUS, d->status);
	return check_status(d);
}

void vmmio_fail(struct vmmio *d)
{
	d->status |= VIRTIO_STATUS_FAILED;
	wr(d, VMMIO_STATUS, d->status);
}

/* Writing 0 resets; a modern device reports completion by reading 0. */
zx_status_t vmmio_reset(struct vmmio *d)
{
	zx_time_t deadline = zx_deadline_after(VIRTIO_TIMEOUT_NS);

	d->status = 0;
	wr(d, VMMIO_STATUS, 0);
	while (rd(d, VMMIO_STATUS) != 0) {
		if (zx_clock_get_monotonic() > deadline)
			return vmmio_error(d, ZX_ERR_TIMED_OUT, "device did not finish its reset");
		zx_nanosleep(zx_deadline_after(POLL_INTERVAL_NS));
	}
	return ZX_OK;
}

static uint64_t device_features(struct vmmio *d)
{
	wr(d, VMMIO_DEVICE_FEATURES_SEL, 1);
	uint64_t hi = rd(d, VMMIO_DEVICE_FEATURES);
	wr(d, VMMIO_DEVICE_FEATURES_SEL, 0);
	return hi << 32 | rd(d, VMMIO_DEVICE_FEATURES);
}

static void driver_features(struct vmmio *d, uint64_t f)
{
	wr(d, VMMIO_DRIVER_FEATURES_SEL, 0);
	wr(d, VMMIO_DRIVER_FEATURES, (uint32_t)f);
	if (d->version == 1)
		return; /* a legacy device has 32 feature bits only */
	wr(d, VMMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, VMMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
}

/* Features: steps 4-6 of spec 3.1.1; a legacy device has no FEATURES_OK. */
static zx_status_t negotiate(struct vmmio *d, uint64_t wanted, uint64_t required)
{
	uint64_t offered = device_features(d);

	if (d->version == 2)
		required |= VIRTIO_F_VERSION_1;
	if ((offered & required) != required)
		return vmmio_error(d, ZX_ERR_NOT_SUPPORTED,
				   "device offers features %#llx, need %#llx",
				   (unsigned long long)offered, (unsigned long long)required);
	d->features = offered & (wanted | required);
	driver_features(d, d->features);
	if (d->version == 1) {
		wr(d, VMMIO_GUEST_PAGE_SIZE, VIRTQ_ALIGN); /* the unit of QueuePFN */
		return ZX_OK;
	}
	zx_status_t st = set_status(d, VIRTIO_STATUS_FEATURES_OK);
	if (st != ZX_OK && !(rd(d, VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		vmmio_error(d, st, "device refused features %#llx",
			    (unsigned long long)d->features);
	return st;
}

zx_status_t vmmio_start(struct vmmio *d, uint64_t wanted, uint64_t required)
{
	zx_status_t st = vmmio_reset(d);

	if (st == ZX_OK)
		st = set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
	if (st == ZX_OK)
		st = set_status(d, VIRTIO_STATUS_DRIVER);
	if (st == ZX_OK)
		st = negotiate(d, wanted, required);
	if (st != ZX_OK)
		vmmio_fail(d);
	return st;
}

/* Tells the device where the rings of the selected queue are. */
static void queue_address(struct vmmio *d, const struct virtq *q)
{
	if (d->version == 1) {
		wr(d, VMMIO_QUEUE_ALIGN, VIRTQ_ALIGN);
		wr(d, VMMIO_QUEUE_PFN, (uint32_t)(q->desc_pa / VIRTQ_ALIGN));
		return;
	}
	wr(d, VMMIO_QUEUE_DESC_LOW, (uint32_t)q->desc_pa);
	wr(d, VMMIO_QUEUE_DESC_HIGH, (uint32_t)(q->desc_pa >> 32));
	wr(d, VMMIO_QUEUE_DRIVER_LOW, (uint32_t)q->avail_pa);
	wr(d, VMMIO_QUEUE_DRIVER_HIGH, (uint32_t)(q->avail_pa >> 32));
	wr(d, VMMIO_QUEUE_DEVICE_LOW, (uint32_t)q->used_pa);
	wr(d, VMMIO_QUEUE_DEVICE_HIGH, (uint32_t)(q->used_pa >> 32));
	wr(d, VMMIO_QUEUE_READY, 1);
}

/* The largest power of two that is at most both limits (split rings need one). */
static uint16_t queue_size(uint32_t max)
{
	uint16_t size = VIRTQ_MAX_SIZE;

	while (size > max)
		size /= 2;
	return size;
}

zx_status_t vmmio_queue_setup(struct vmmio *d, uint16_t index, struct virtq *q,
			      struct dma_pool *dma)
{
	wr(d, VMMIO_QUEUE_SEL, index);
	uint32_t in_use = rd(d, d->version == 1 ? VMMIO_QUEUE_PFN : VMMIO_QUEUE_READY);
	uint32_t max = rd(d, VMMIO_QUEUE_NUM_MAX);
	if (in_use)
		return vmmio_error(d, ZX_ERR_BAD_STATE, "queue %u is already in use", index);
	if (max == 0)
		return vmmio_error(d, ZX_ERR_NOT_SUPPORTED,
				   "queue %u not available (QueueNumMax 0)", index);

	uint16_t size = queue_size(max);
	uint64_t pa;
	void *mem = dma_alloc(dma, virtq_bytes(size), VIRTQ_ALIGN, &pa);
	if (!mem)
		return vmmio_error(d, ZX_ERR_NO_MEMORY, "DMA pool too small for queue %u", index);
	virtq_init(q, size, mem, pa);
	q->cache = dma->cache;
	dma_cache_sync(&q->cache, mem, virtq_bytes(size), true); /* the zeroed rings, in memory */
	wr(d, VMMIO_QUEUE_NUM, size);
	virtio_mb(); /* the zeroed rings before the device learns where they are */
	queue_address(d, q);
	return check_status(d);
}

zx_status_t vmmio_rxtx_setup(struct vmmio *d, uint16_t rxq, struct virtq *rx, uint16_t txq,
			     struct virtq *tx, struct dma_pool *dma, uint64_t size, uint8_t **bufs,
			     uint64_t *bufs_pa)
{
	zx_status_t st = vmmio_queue_setup(d, rxq, rx, dma);
	if (st == ZX_OK)
		st = vmmio_queue_setup(d, txq, tx, dma);
	if (st == ZX_OK && !(*bufs = dma_alloc(dma, size, 64, bufs_pa)))
		st = vmmio_error(d, ZX_ERR_NO_MEMORY, "DMA pool too small for buffers");
	if (st != ZX_OK)
		vmmio_fail(d);
	return st;
}

zx_status_t vmmio_ready(struct vmmio *d)
{
	zx_status_t st = set_status(d, VIRTIO_STATUS_DRIVER_OK);

	if (st != ZX_OK)
		vmmio_fail(d);
	return st;
}

uint32_t vmmio_config32(const struct vmmio *d, uint32_t off)
{
	return rd(d, VMMIO_CONFIG + off);
}

/* A 64-bit field is read in two halves; the device may change it in between
 * (spec 4.2.2.2). A legacy device has no generation counter and reads 0. */
uint64_t vmmio_config64(const struct vmmio *d, uint32_t off)
{
	uint32_t gen, lo, hi;

	do {
		gen = rd(d, VMMIO_CONFIG_GENERATION);
		lo = vmmio_config32(d, off);
		hi = vmmio_config32(d, off + 4);
	} while (gen != rd(d, VMMIO_CONFIG_GENERATION));
	return (uint64_t)hi << 32 | lo;
}

/* Polls until the device returns a request, misbehaves, or time runs out. */
zx_status_t vmmio_use_interrupt(struct vmmio *d, zx_handle_t irq_resource)
{
	zx_handle_t irq = ZX_HANDLE_INVALID, port = ZX_HANDLE_INVALID;
	zx_status_t st = zx_interrupt_create(irq_resource, d->vector, 0, &irq);

	if (st == ZX_OK)
		st = zx_port_create(ZX_PORT_BIND_TO_INTERRUPT, &port);
	if (st == ZX_OK)
		st = zx_interrupt_bind(irq, port, 0, ZX_INTERRUPT_BIND);
	if (st != ZX_OK) {
		zx_handle_close(irq);
		zx_handle_close(port);
		return vmmio_error(d, st, "cannot take interrupt vector %u", d->vector);
	}
	d->irq = irq;
	d->port = port;
	return ZX_OK;
}

zx_status_t vmmio_interrupt_ack(struct vmmio *d)
{
	wr(d, VMMIO_INTERRUPT_ACK, rd(d, VMMIO_INTERRUPT_STATUS));
	return zx_interrupt_ack(d->irq);
}

void vmmio_notify(struct vmmio *d, uint16_t index)
{
	wr(d, VMMIO_QUEUE_NOTIFY, index);
}

zx_status_t vmmio_wait(struct vmmio *d, zx_time_t deadline)
{
	zx_status_t st = check_status(d);

	if (st != ZX_OK)
		return st;
	if (d->port == ZX_HANDLE_INVALID) {
		if (zx_clock_get_monotonic() > deadline)
			return ZX_ERR_TIMED_OUT;
		return zx_nanosleep(zx_deadline_after(POLL_INTERVAL_NS));
	}
	zx_port_packet_t pk;
	st = zx_port_wait(d->port, deadline, &pk);
	if (st == ZX_OK)
		st = vmmio_interrupt_ack(d);
	if (st != ZX_OK && st != ZX_ERR_TIMED_OUT)
		return vmmio_error(d, st, "waiting for the device's interrupt");
	return st;
}

static zx_status_t wait_used(struct vmmio *d, struct virtq *q, uint16_t *head, uint32_t *len)
{
	zx_time_t deadline = zx_deadline_after(VIRTIO_TIMEOUT_NS);

	for (;;) {
		zx_status_t st = virtq_poll(q, head, len);
		if (st == ZX_ERR_IO)
			return vmmio_error(d, st, "%s", q->err);
		if (st != ZX_ERR_SHOULD_WAIT)
			return st;
		st = vmmio_wait(d, deadline);
		if (st == ZX_ERR_TIMED_OUT)
			break;
		if (st != ZX_OK)
			return st;
	}
	return vmmio_error(d, ZX_ERR_TIMED_OUT, "no answer from the device in %lld ms",
			   VIRTIO_TIMEOUT_NS / 1000000);
}

zx_status_t vmmio_transfer(struct vmmio *d, struct virtq *q, uint16_t index,
			   const struct virtq_buf *bufs, unsigned n, uint32_t *written)
{
	uint16_t head, done;

	if (d->status & VIRTIO_STATUS_FAILED)
		return ZX_ERR_BAD_STATE; /* d->err still says why */
	zx_status_t st = virtq_submit(q, bufs, n, &head);
	if (st != ZX_OK)
		return vmmio_error(d, st, "cannot queue a request of %u buffers", n);
	wr(d, VMMIO_QUEUE_NOTIFY, index); /* virtq_submit() fenced the ring writes */
	st = wait_used(d, q, &done, written);
	if (st == ZX_OK && done != head)
		st = vmmio_error(d, ZX_ERR_IO, "device returned request %u, expected %u", done,
				 head);
	if (st != ZX_OK)
		vmmio_fail(d);
	/* InterruptStatus still shows "used buffer"; acknowledge it so a later
	 * interrupt-driven driver starts clean. */
	wr(d, VMMIO_INTERRUPT_ACK, rd(d, VMMIO_INTERRUPT_STATUS));
	return st;
}
