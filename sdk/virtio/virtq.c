/*
 * Split virtqueue bookkeeping (virtio spec 1.x, 2.7). See virtq.h.
 */
#include "virtq.h"

#include <stdarg.h>
#include <stdio.h>

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* The legacy layout (spec 2.7, "Legacy Interfaces"): used ring on the next
 * VIRTQ_ALIGN boundary. Modern devices accept any layout; we use the same. */
static uint64_t used_offset(uint16_t size)
{
	uint64_t avail_end = sizeof(struct virtq_desc) * size + sizeof(uint16_t) * (3u + size);
	return align_up(avail_end, VIRTQ_ALIGN);
}

uint64_t virtq_bytes(uint16_t size)
{
	return used_offset(size) + sizeof(uint16_t) * 3u + sizeof(struct virtq_used_elem) * size;
}

void virtq_init(struct virtq *q, uint16_t size, void *mem, uint64_t pa)
{
	uint8_t *m = mem;

	*q = (struct virtq){.size = size, .nfree = size};
	q->desc = (volatile struct virtq_desc *)m;
	q->avail = (volatile struct virtq_avail *)(m + sizeof(struct virtq_desc) * size);
	q->used = (volatile struct virtq_used *)(m + used_offset(size));
	q->desc_pa = pa;
	q->avail_pa = pa + sizeof(struct virtq_desc) * size;
	q->used_pa = pa + used_offset(size);
	for (uint16_t i = 0; i < size; i++)
		q->desc[i].next = (uint16_t)(i + 1);
}

/* Marks the queue unusable and records why. Always returns ZX_ERR_IO. */
static zx_status_t broken(struct virtq *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q->err, sizeof(q->err), fmt, ap);
	va_end(ap);
	q->broken = true;
	return ZX_ERR_IO;
}

zx_status_t virtq_submit(struct virtq *q, const struct virtq_buf *bufs, unsigned n, uint16_t *head)
{
	if (q->broken)
		return ZX_ERR_BAD_STATE;
	if (n == 0 || n > q->nfree)
		return ZX_ERR_NO_RESOURCES;

	uint16_t h = q->free_head, d = h;
	uint32_t writable = 0;
	for (unsigned i = 0; i < n; i++) {
		q->desc[d].addr = bufs[i].pa;
		q->desc[d].len = bufs[i].len;
		q->desc[d].flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
					      (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		if (bufs[i].device_writes)
			writable += bufs[i].len;
		if (i + 1 < n)
			d = q->desc[d].next;
	}
	q->free_head = q->desc[d].next;
	q->nfree = (uint16_t)(q->nfree - n);
	q->chain_len[h] = (uint16_t)n;
	q->writable[h] = writable;
	q->outstanding++;

	/* The device may read the ring entry as soon as idx covers it, so the
	 * descriptors and the entry must be visible first (spec 2.7.13). */
	q->avail->ring[q->avail_idx % q->size] = h;
	virtio_mb();
	/* Without coherent DMA: the descriptors and the entry reach memory before the index. */
	dma_cache_sync(&q->cache, q->desc, sizeof(struct virtq_desc) * q->size, true);
	dma_cache_sync(&q->cache, q->avail, sizeof(uint16_t) * (3u + q->size), true);
	q->avail->idx = ++q->avail_idx;
	virtio_mb();
	dma_cache_sync(&q->cache, q->avail, 2 * sizeof(uint16_t), true);
	*head = h;
	return ZX_OK;
}

/* Puts the chain starting at `head` back on the free list. */
static void free_chain(struct virtq *q, uint16_t head)
{
	uint16_t last = head;
	for (unsigned i = 1; i < q->chain_len[head]; i++)
		last = q->desc[last].next;
	q->desc[last].next = q->free_head;
	q->free_head = head;
	q->nfree = (uint16_t)(q->nfree + q->chain_len[head]);
	q->chain_len[head] = 0;
	q->outstanding--;
}

zx_status_t virtq_poll(struct virtq *q, uint16_t *head, uint32_t *len)
{
	if (q->broken)
		return ZX_ERR_BAD_STATE;

	/* Without coherent DMA: the used ring as the device wrote it, not as a cache kept it. */
	dma_cache_sync(&q->cache, q->used,
		       sizeof(uint16_t) * 3u + sizeof(struct virtq_used_elem) * q->size, false);
	uint16_t idx = q->used->idx;
	uint16_t ready = (uint16_t)(idx - q->used_seen); /* indices wrap at 2^16 */
	if (ready == 0)
		return ZX_ERR_SHOULD_WAIT;
	if (ready > q->outstanding)
		return broken(q, "used ring index jumped from %u to %u with %u buffers outstanding",
			      q->used_seen, idx, q->outstanding);
	/* Read the element only after the index that publishes it. */
	virtio_mb();

	volatile struct virtq_used_elem *e = &q->used->ring[q->used_seen % q->size];
	uint32_t id = e->id, n = e->len;
	if (id >= q->size)
		return broken(q, "used element id %u out of range (queue size %u)", id, q->size);
	if (q->chain_len[id] == 0)
		return broken(q, "used element id %u was not outstanding", id);
	if (n > q->writable[id])
		return broken(q, "device wrote %u bytes into %u writable (id %u)", n,
			      q->writable[id], id);
	q->used_seen++;
	free_chain(q, (uint16_t)id);
	*head = (uint16_t)id;
	*len = n;
	return ZX_OK;
}
