/*
 * bin/blk-client: a client of bin/virtio-blk, with one channel to it
 * (PA_HND(PA_USER0, 0)) and nothing else: no resource, no device.
 *
 * It attaches a VMO of its own, reads the disk's first sector into it,
 * keeps eight reads in flight at once, and counts its runs in sector 1
 * (read, written, flushed, read back), all through the block protocol of
 * <zirv/block.h>. Exits 0, or 1 with a line saying what failed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zirv/block.h>

#define VMO_BYTES (64u * 1024)
#define INFLIGHT  8u

static zx_handle_t chan;

/* One request, answered; the reply's status (or the call's own error). */
static zx_status_t call(zirv_block_req_t *q, zx_handle_t *h, zirv_block_reply_t *r)
{
	uint32_t nb = 0, nh = 0;
	zx_channel_call_args_t args = {
	    .wr_bytes = q,
	    .wr_handles = h,
	    .rd_bytes = r,
	    .wr_num_bytes = sizeof(*q),
	    .wr_num_handles = h ? 1 : 0,
	    .rd_num_bytes = sizeof(*r),
	};
	zx_status_t st = zx_channel_call(chan, 0, ZX_TIME_INFINITE, &args, &nb, &nh);

	if (st == ZX_OK && nb != sizeof(*r))
		st = ZX_ERR_IO;
	return st == ZX_OK ? r->status : st;
}

static int fail(const char *what, zx_status_t st)
{
	printf("blk-client: %s: %s\n", what, zx_status_get_string(st));
	return 1;
}

int main(void)
{
	zirv_block_reply_t r;
	zx_handle_t vmo, dup;
	zx_vaddr_t va;
	zx_status_t st;

	chan = zx_take_startup_handle(PA_HND(PA_USER0, 0));
	if ((st = call(&(zirv_block_req_t){.op = ZIRV_BLOCK_OP_INFO}, NULL, &r)) != ZX_OK)
		return fail("INFO", st);
	printf("blk-client: a %llu KiB disk of %u-byte sectors, through bin/virtio-blk\n",
	       (unsigned long long)r.capacity * r.block_size / 1024, r.block_size);

	/* The driver pins this VMO's pages; the disk's sectors land in them by DMA. */
	if ((st = zx_vmo_create(VMO_BYTES, 0, &vmo)) != ZX_OK ||
	    (st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
			      VMO_BYTES, &va)) != ZX_OK ||
	    (st = zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &dup)) != ZX_OK)
		return fail("the VMO", st);
	uint8_t *buf = (uint8_t *)va;
	if ((st = call(&(zirv_block_req_t){.op = ZIRV_BLOCK_OP_ATTACH}, &dup, &r)) != ZX_OK)
		return fail("ATTACH", st);

	if ((st = call(&(zirv_block_req_t){.op = ZIRV_BLOCK_OP_READ, .count = 1}, NULL, &r)) !=
	    ZX_OK)
		return fail("READ sector 0", st);
	printf("blk-client: sector 0: \"");
	for (size_t i = 0; i < 64 && buf[i]; i++)
		putchar(isprint(buf[i]) ? buf[i] : '.');
	printf("\"\n");

	/* Eight reads written before any answer is read: the driver has them all at the device. */
	for (uint32_t i = 0; i < INFLIGHT; i++) {
		zirv_block_req_t q = {.txid = 100 + i,
				      .op = ZIRV_BLOCK_OP_READ,
				      .sector = i,
				      .count = 1,
				      .vmo_offset = 4096 + i * 4096ull};
		if ((st = zx_channel_write(chan, 0, &q, sizeof(q), NULL, 0)) != ZX_OK)
			return fail("writing a READ", st);
	}
	printf("blk-client: %u reads in flight, answered:", INFLIGHT);
	for (uint32_t i = 0; i < INFLIGHT; i++) {
		uint32_t nb;
		st = zx_object_wait_one(chan, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
					ZX_TIME_INFINITE, NULL);
		if (st == ZX_OK)
			st = zx_channel_read(chan, 0, &r, NULL, sizeof(r), 0, &nb, NULL);
		if (st == ZX_OK)
			st = r.status;
		if (st != ZX_OK)
			return fail("an answer", st);
		printf(" #%u", r.txid - 100);
	}
	printf("\n");
	if (memcmp(buf, buf + 4096, 512) != 0)
		return fail("sector 0 read twice", ZX_ERR_IO);

	/* Sector 1 counts the runs: read, add one, write, flush, read back. */
	zirv_block_req_t rd = {.op = ZIRV_BLOCK_OP_READ, .sector = 1, .count = 1};
	if ((st = call(&rd, NULL, &r)) != ZX_OK)
		return fail("READ sector 1", st);
	unsigned runs = 0;
	if (sscanf((const char *)buf, "blk-client runs: %u", &runs) != 1)
		runs = 0;
	memset(buf, 0, 512);
	snprintf((char *)buf, 512, "blk-client runs: %u", runs + 1);
	if ((st = call(&(zirv_block_req_t){.op = ZIRV_BLOCK_OP_WRITE, .sector = 1, .count = 1},
		       NULL, &r)) != ZX_OK ||
	    (st = call(&(zirv_block_req_t){.op = ZIRV_BLOCK_OP_FLUSH}, NULL, &r)) != ZX_OK)
		return fail("WRITE sector 1", st);
	memset(buf, 0, 512);
	if ((st = call(&rd, NULL, &r)) != ZX_OK)
		return fail("READ sector 1 again", st);
	printf("blk-client: sector 1 now reads \"%.40s\" (written, flushed, read back)\n",
	       (const char *)buf);
	return 0;
}
