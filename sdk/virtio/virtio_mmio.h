/*
 * The virtio-mmio transport (virtio spec 1.x, 4.2): one 4 KiB register
 * window per device, legacy (Version 1) or modern (Version 2).
 *
 * The caller maps the window (physmem.h) and hands its address to
 * vmmio_open(). Everything else goes through the registers: the status
 * handshake, feature negotiation, queue setup, the doorbell, and waiting
 * for completions: by the device's interrupt (vmmio_use_interrupt), else by
 * polling the used ring.
 *
 * Errors come back as zx_status_t with a sentence in d->err; a device that
 * misbehaves is told so by the FAILED status bit and is not used again.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stdint.h>
#include <zircon/types.h>

#include "physmem.h"
#include "virtq.h"

#define VIRTIO_MMIO_MAGIC 0x74726976u /* "virt" */
#define VIRTIO_MMIO_SIZE  0x1000u

/* Register offsets (virtio 1.x spec 4.2.2, MMIO Device Register Layout). */
enum vmmio_reg {
	VMMIO_MAGIC = 0x000,
	VMMIO_VERSION = 0x004,
	VMMIO_DEVICE_ID = 0x008,
	VMMIO_VENDOR_ID = 0x00c,
	VMMIO_DEVICE_FEATURES = 0x010,
	VMMIO_DEVICE_FEATURES_SEL = 0x014,
	VMMIO_DRIVER_FEATURES = 0x020,
	VMMIO_DRIVER_FEATURES_SEL = 0x024,
	VMMIO_GUEST_PAGE_SIZE = 0x028, /* v1 only */
	VMMIO_QUEUE_SEL = 0x030,
	VMMIO_QUEUE_NUM_MAX = 0x034,
	VMMIO_QUEUE_NUM = 0x038,
	VMMIO_QUEUE_ALIGN = 0x03c, /* v1 only */
	VMMIO_QUEUE_PFN = 0x040,   /* v1 only */
	VMMIO_QUEUE_READY = 0x044, /* v2 only */
	VMMIO_QUEUE_NOTIFY = 0x050,
	VMMIO_INTERRUPT_STATUS = 0x060,
	VMMIO_INTERRUPT_ACK = 0x064,
	VMMIO_STATUS = 0x070,
	VMMIO_QUEUE_DESC_LOW = 0x080, /* v2 only, as are the five below */
	VMMIO_QUEUE_DESC_HIGH = 0x084,
	VMMIO_QUEUE_DRIVER_LOW = 0x090,
	VMMIO_QUEUE_DRIVER_HIGH = 0x094,
	VMMIO_QUEUE_DEVICE_LOW = 0x0a0,
	VMMIO_QUEUE_DEVICE_HIGH = 0x0a4,
	VMMIO_CONFIG_GENERATION = 0x0fc,
	VMMIO_CONFIG = 0x100,
};

/* Device status bits (spec 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	 1u
#define VIRTIO_STATUS_DRIVER		 2u
#define VIRTIO_STATUS_DRIVER_OK		 4u
#define VIRTIO_STATUS_FEATURES_OK	 8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED		 128u

/* Device IDs (spec 5). */
#define VIRTIO_ID_NET	  1u
#define VIRTIO_ID_BLOCK	  2u
#define VIRTIO_ID_CONSOLE 3u
#define VIRTIO_ID_RNG	  4u

#define VIRTIO_F_VERSION_1 (1ull << 32) /* modern device; a v2 driver must accept it */

/* How long a request may take before the driver gives up on the device. */
#define VIRTIO_TIMEOUT_NS (2ll * 1000 * 1000 * 1000)

struct vmmio {
	volatile uint32_t *regs; /* the mapped register window */
	uint64_t base;		 /* its physical address, for messages */
	uint32_t version;	 /* 1 legacy, 2 modern */
	uint32_t device_id;	 /* 0: the slot is empty */
	uint32_t vendor_id;
	uint32_t status;   /* the status bits this driver has set */
	uint64_t features; /* what both sides agreed on */
	uint32_t vector;   /* its interrupt at the PLIC (the device tree's), 0: unknown */
	zx_handle_t irq;   /* with vmmio_use_interrupt: its interrupt object ... */
	zx_handle_t port;  /* ... bound to this port; transfers wait there instead of polling */
	char err[128];
};

/* "blk", "rng", ... for a device ID; "empty" for 0. */
const char *virtio_device_name(uint32_t id);

/*
 * Read the identification registers of the window mapped at `regs`.
 * ZX_ERR_NOT_SUPPORTED (with d->err) if the MagicValue or Version is
 * wrong; an empty slot is ZX_OK with device_id 0.
 */
zx_status_t vmmio_open(struct vmmio *d, volatile void *regs, uint64_t base);

/*
 * Reset the device and negotiate features (spec 3.1.1 steps 1-6): the
 * driver accepts `wanted & offered` (plus VIRTIO_F_VERSION_1 on v2) and
 * fails unless every bit of `required` is offered.
 */
zx_status_t vmmio_start(struct vmmio *d, uint64_t wanted, uint64_t required);

/*
 * Set up queue `index` with rings allocated from `dma` (the largest size
 * the device allows, up to VIRTQ_MAX_SIZE). Between vmmio_start() and
 * vmmio_ready().
 */
zx_status_t vmmio_queue_setup(struct vmmio *d, uint16_t index, struct virtq *q,
			      struct dma_pool *dma);

/*
 * A receive and a transmit queue (queues `rxq` and `txq`) and `size` bytes
 * of buffers at *bufs (device address *bufs_pa), all from `dma`, as the
 * console and network drivers take them; on failure the device is given
 * up (vmmio_fail). Between vmmio_start() and vmmio_ready().
 */
zx_status_t vmmio_rxtx_setup(struct vmmio *d, uint16_t rxq, struct virtq *rx, uint16_t txq,
			     struct virtq *tx, struct dma_pool *dma, uint64_t size, uint8_t **bufs,
			     uint64_t *bufs_pa);

/* Tell the device the driver is ready (DRIVER_OK). */
zx_status_t vmmio_ready(struct vmmio *d);

/* Record in d->err why a request or the device failed; returns `st`. */
zx_status_t vmmio_error(struct vmmio *d, zx_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Reset the device (spec 4.2.2.1): it forgets its queues and does no more
 * DMA, so the memory it used may be unpinned and reused. ZX_ERR_TIMED_OUT
 * if it never reads back 0.
 */
zx_status_t vmmio_reset(struct vmmio *d);

/* Give up on the device: set FAILED (spec 2.1.1). */
void vmmio_fail(struct vmmio *d);

/* Config space reads; the 64-bit one retries until ConfigGeneration is stable. */
uint32_t vmmio_config32(const struct vmmio *d, uint32_t off);
uint64_t vmmio_config64(const struct vmmio *d, uint32_t off);

/*
 * Take the device's interrupts (d->vector, granted by `irq_resource`):
 * transfers then sleep on a port until the device's interrupt instead of
 * polling. The interrupt_create / port_create error; d keeps polling then.
 */
zx_status_t vmmio_use_interrupt(struct vmmio *d, zx_handle_t irq_resource);

/* Ring queue `index`'s doorbell (after virtq_submit(), which fenced the ring). */
void vmmio_notify(struct vmmio *d, uint16_t index);

/*
 * Wait for the device to make progress: until its interrupt after
 * vmmio_use_interrupt() (then acknowledged by vmmio_interrupt_ack()), else
 * for one polling interval. ZX_ERR_TIMED_OUT once `deadline` has passed;
 * ZX_ERR_IO if the device asks to be reset; the port's error. The port is
 * then the library's alone: a driver that waits on it for other things too
 * calls zx_port_wait itself and vmmio_interrupt_ack() on the interrupt's
 * packets (key 0).
 */
zx_status_t vmmio_wait(struct vmmio *d, zx_time_t deadline);

/* Quiet the device's interrupt (InterruptStatus) and let the next one come (zx_interrupt_ack). */
zx_status_t vmmio_interrupt_ack(struct vmmio *d);

/*
 * Submit one request to queue `index`, ring the doorbell and wait until
 * the device returns it (at most VIRTIO_TIMEOUT_NS): by its interrupt
 * after vmmio_use_interrupt, else by polling. *written gets the byte count
 * the device reports. ZX_ERR_TIMED_OUT, or ZX_ERR_IO when the device broke
 * the protocol or asks to be reset.
 */
zx_status_t vmmio_transfer(struct vmmio *d, struct virtq *q, uint16_t index,
			   const struct virtq_buf *bufs, unsigned n, uint32_t *written);

#endif
