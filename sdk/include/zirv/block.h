/*
 * The block protocol zirv's virtio-blk driver process (bin/virtio-blk)
 * serves over a channel.
 *
 * A client attaches one VMO, which the driver pins through its BTI; reads
 * and writes then move sectors between the disk and that VMO directly, by
 * DMA into its pages, with no copy. Every message starts with a txid, so
 * zx_channel_call() works, and so does writing several requests before
 * reading any reply: the driver keeps up to ZIRV_BLOCK_MAX_INFLIGHT of
 * them at the device and answers each as the device finishes it, not
 * necessarily in order.
 *
 *	request               handles   reply status
 *	INFO                  -         ZX_OK; capacity, block_size, max_transfer, flags
 *	ATTACH                1 VMO     ZX_OK, or the zx_bti_pin error (ACCESS_DENIED: the
 *	                                handle lacks READ or WRITE), OUT_OF_RANGE (above
 *	                                4 MiB), BAD_STATE (requests in flight); replaces
 *	                                (unpins) an earlier VMO
 *	READ / WRITE          -         ZX_OK, BAD_STATE (no VMO), OUT_OF_RANGE (past the
 *	                                disk or the VMO), INVALID_ARGS (count 0 or above
 *	                                max_transfer), ACCESS_DENIED (WRITE, read-only disk),
 *	                                IO (the device said so)
 *	FLUSH                 -         ZX_OK (also when the disk has no write cache), IO
 *	anything else         -         NOT_SUPPORTED
 * A message of the wrong size or with unexpected handles gets INVALID_ARGS
 * (its handles are closed). When the driver dies, the client's calls fail
 * with ZX_ERR_PEER_CLOSED.
 */
#ifndef ZIRV_BLOCK_H
#define ZIRV_BLOCK_H

#include <stdint.h>
#include <zircon/processargs.h>
#include <zircon/types.h>

/* bin/virtio-blk's start-up handles (zirv_spawn's handle_info words). */
#define ZIRV_BLOCK_HND_MMIO    PA_HND(PA_USER0, 0) /* MMIO resource: the device's window */
#define ZIRV_BLOCK_HND_IRQ     PA_HND(PA_USER0, 1) /* IRQ resource: its vector */
#define ZIRV_BLOCK_HND_BTI     PA_HND(PA_USER0, 2) /* its BTI */
#define ZIRV_BLOCK_HND_CHANNEL PA_HND(PA_USER0, 3) /* the channel it serves */

#define ZIRV_BLOCK_OP_INFO   1u
#define ZIRV_BLOCK_OP_ATTACH 2u
#define ZIRV_BLOCK_OP_READ   3u
#define ZIRV_BLOCK_OP_WRITE  4u
#define ZIRV_BLOCK_OP_FLUSH  5u

#define ZIRV_BLOCK_FLAG_READ_ONLY 1u
#define ZIRV_BLOCK_FLAG_FLUSH	  2u /* the disk has a write cache that FLUSH empties */

#define ZIRV_BLOCK_MAX_INFLIGHT 32u

typedef struct zirv_block_req {
	zx_txid_t txid;
	uint32_t op;	     /* ZIRV_BLOCK_OP_* */
	uint64_t sector;     /* READ, WRITE: the first sector (block_size bytes each) */
	uint32_t count;	     /* READ, WRITE: sectors */
	uint32_t reserved;   /* 0 */
	uint64_t vmo_offset; /* READ, WRITE: where in the attached VMO */
} zirv_block_req_t;

typedef struct zirv_block_reply {
	zx_txid_t txid;
	zx_status_t status;
	uint64_t capacity;     /* INFO: sectors */
	uint32_t block_size;   /* INFO: 512 */
	uint32_t max_transfer; /* INFO: sectors one READ or WRITE moves at most */
	uint32_t flags;	       /* INFO: ZIRV_BLOCK_FLAG_* */
	uint32_t reserved;
} zirv_block_reply_t;

#endif
