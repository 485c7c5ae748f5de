/*
 * A split virtqueue (virtio spec 1.x, 2.7): the descriptor table, the
 * driver's "available" ring and the device's "used" ring, all in memory
 * the device reaches by DMA.
 *
 * This part only touches memory, never device registers, so it runs
 * unchanged in a host test against a simulated device. The transport
 * (virtio_mmio.h) tells the device where the rings are and rings its
 * doorbell.
 *
 * Nothing the device writes is trusted: virtq_poll() checks every used
 * element against what the driver actually handed out.
 */
#ifndef VIRTQ_H
#define VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>

#include "physmem.h"

/*
 * The largest queue this library sets up; a device offering less gets its
 * own maximum (QueueNumMax), rounded down to a power of two. The used ring
 * starts on the first VIRTQ_ALIGN boundary after the available ring, as the
 * legacy layout (spec 2.7.2) requires.
 */
#define VIRTQ_MAX_SIZE 1024
#define VIRTQ_ALIGN    4096u

#define VIRTQ_DESC_F_NEXT  1u /* the chain continues at `next` */
#define VIRTQ_DESC_F_WRITE 2u /* the device writes this buffer (else reads it) */

struct virtq_desc {
	uint64_t addr; /* physical address of the buffer */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx; /* where the driver puts the next head, mod size */
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id;  /* head of the completed chain */
	uint32_t len; /* bytes the device wrote into it */
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx; /* where the device puts the next element, mod size */
	struct virtq_used_elem ring[];
};

/* One buffer of a request: its physical address, length and direction. */
struct virtq_buf {
	uint64_t pa;
	uint32_t len;
	bool device_writes;
};

struct virtq {
	uint16_t size;
	/* The rings are shared with the device: every access goes through volatile. */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint64_t desc_pa, avail_pa, used_pa;

	uint16_t free_head; /* free descriptors are chained through `next` */
	uint16_t nfree;
	uint16_t avail_idx;		    /* our copy of avail->idx: the device never writes it */
	uint16_t used_seen;		    /* used->idx up to which we have consumed */
	uint16_t outstanding;		    /* chains handed to the device, not yet returned */
	uint16_t chain_len[VIRTQ_MAX_SIZE]; /* per head: descriptors in flight, 0 = not a head */
	uint32_t writable[VIRTQ_MAX_SIZE];  /* per head: bytes the device may write */
	struct dma_cache cache;		    /* the rings' cache maintenance (none: coherent DMA) */
	bool broken;			    /* the device misbehaved: stop using the queue */
	char err[96];			    /* what it did */
};

/* Bytes of DMA memory a queue of `size` needs (desc + avail, aligned, + used). */
uint64_t virtq_bytes(uint16_t size);

/*
 * Lay a queue of `size` (1..VIRTQ_MAX_SIZE, a power of two) out in zeroed
 * memory at `mem`, whose physical address is `pa` (VIRTQ_ALIGN-aligned).
 */
void virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t pa);

/*
 * Chain `n` buffers into one request and make it available; the caller
 * then notifies the device. *head identifies the request in
 * virtq_poll(). ZX_ERR_NO_RESOURCES if too few descriptors are free,
 * ZX_ERR_BAD_STATE if the queue is broken.
 */
zx_status_t virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n, uint16_t *head);

/*
 * Take one completed request off the used ring: ZX_OK with its head and
 * the length the device wrote, ZX_ERR_SHOULD_WAIT if none is ready, or
 * ZX_ERR_IO if the device broke the protocol (q->err says how; the queue
 * is then broken for good).
 */
zx_status_t virtq_poll(struct virtq *q, uint16_t *head, uint32_t *len);

/*
 * Orders this hart's accesses to memory and to device registers: ring
 * writes before the doorbell, the used index before the element it
 * covers. A plain `fence rw, rw` would not order the device register
 * (I/O) accesses; hence iorw.
 */
static inline void virtio_mb(void)
{
#if defined(__riscv)
	__asm__ volatile("fence iorw, iorw" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

#endif
