/*
 * The virtio-blk driver as a process of its own (bin/virtio-blk beside
 * this bin/init), driven as its client over the block protocol of
 * <zirv/block.h>: reads by DMA into a paged VMO the driver pins as a
 * scatter list, many requests in flight at once, every error its protocol
 * lists, and the driver killed: the client sees ZX_ERR_PEER_CLOSED, the
 * pins are quarantined in the BTI, the vector can be claimed again and a
 * new driver serves the same disk. The host wrote host_pattern() into the
 * image; this writes guest_pattern() to GUEST_SECTOR, which run_blk.py
 * checks in the image file afterwards.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/zirv.h>
#include <zirv/block.h>
#include <zirv/dt.h>
#include <zirv/spawn.h>
#include <zxtest/zxtest.h>

#include "vtest.h"

#define DISK_SECTORS 128
#define VMO_PAGES    64

struct driver {
	zx_handle_t proc, chan;
};

static zx_handle_t bti_seen; /* a duplicate of the BTI of the driver last started */
static bool noncoherent;     /* the tree says the disk's DMA is not coherent */
static zx_handle_t root;

/* Cache-block instructions the kernel has run (ZX_INFO_ZIRV_CACHE_OPS). */
static uint64_t cache_lines(void)
{
	zx_info_zirv_cache_ops_t co = {0};
	zx_object_get_info(root, ZX_INFO_ZIRV_CACHE_OPS, &co, sizeof(co), NULL, NULL);
	return co.cbo_blocks;
}
static uint32_t vector;	    /* the disk's interrupt */
static zx_handle_t irq_res; /* an IRQ resource over it */

/* Find the disk through <zirv/dt.h>, grant its window, vector and a BTI, start a driver. */
static zx_status_t start_driver(struct driver *d)
{
	static struct zirv_dt *dt;
	static zx_handle_t mmio, irqs, iommu;
	struct zirv_dt_device dev;
	int cursor = 0;
	zx_status_t st;

	if (!dt) {
		root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0));
		mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
		irqs = zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0));
		zx_handle_t vmo = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
		zx_iommu_desc_dummy_t desc = {0};
		if ((st = zirv_dt_open(vmo, &dt)) != ZX_OK ||
		    (st = zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc),
					  &iommu)) != ZX_OK)
			return st;
		zx_handle_close(vmo);
	}
	/* The disk is the virtio-mmio slot whose DeviceID register says blk. */
	for (;;) {
		volatile void *regs;
		if (!zirv_dt_next(dt, "virtio,mmio", &cursor, &dev))
			return ZX_ERR_NOT_FOUND;
		if (zirv_dt_map_reg(mmio, &dev, 0, ZX_CACHE_POLICY_UNCACHED_DEVICE, NULL, &regs) !=
		    ZX_OK)
			continue;
		struct vmmio probe;
		if (vmmio_open(&probe, regs, dev.reg[0].base) == ZX_OK &&
		    probe.device_id == VIRTIO_ID_BLOCK)
			break;
	}
	zx_handle_t h[4];
	if ((st = zirv_dt_grant(mmio, irqs, &dev, &h[0], &h[1])) != ZX_OK)
		return st;
	vector = dev.irq[0].vector;
	zx_handle_close(irq_res);
	zx_handle_duplicate(h[1], ZX_RIGHT_SAME_RIGHTS, &irq_res);
	if ((st = zirv_dt_bti(iommu, &dev, &h[2])) != ZX_OK ||
	    (st = zx_channel_create(0, &h[3], &d->chan)) != ZX_OK)
		return st;
	zx_handle_close(bti_seen);
	zx_handle_duplicate(h[2], ZX_RIGHT_SAME_RIGHTS, &bti_seen);
	static const uint32_t info[4] = {ZIRV_BLOCK_HND_MMIO, ZIRV_BLOCK_HND_IRQ,
					 ZIRV_BLOCK_HND_BTI, ZIRV_BLOCK_HND_CHANNEL};
	noncoherent = !dev.dma_coherent;
	const char *const argv[] = {"bin/virtio-blk", noncoherent ? "noncoherent" : NULL, NULL};
	return zirv_spawn(zx_job_default(), "bin/virtio-blk", argv, 4, h, info, &d->proc);
}

static zx_status_t call(const struct driver *d, zirv_block_req_t q, zx_handle_t vmo,
			zirv_block_reply_t *r)
{
	uint32_t nb = 0, nh = 0;
	zirv_block_reply_t scratch;
	if (!r)
		r = &scratch;
	zx_channel_call_args_t args = {
	    .wr_bytes = &q,
	    .wr_handles = &vmo,
	    .rd_bytes = r,
	    .wr_num_bytes = sizeof(q),
	    .wr_num_handles = vmo != ZX_HANDLE_INVALID,
	    .rd_num_bytes = sizeof(*r),
	};
	zx_status_t st =
	    zx_channel_call(d->chan, 0, zx_deadline_after(ZX_SEC(10)), &args, &nb, &nh);
	if (st == ZX_OK && nb != sizeof(*r))
		st = ZX_ERR_IO;
	return st == ZX_OK ? r->status : st;
}

static zirv_block_req_t rw(uint32_t op, uint64_t sector, uint32_t count, uint64_t off)
{
	return (zirv_block_req_t){.op = op, .sector = sector, .count = count, .vmo_offset = off};
}

static bool sectors_are(const uint8_t *p, uint64_t sector, uint32_t count)
{
	for (uint32_t s = 0; s < count; s++)
		for (unsigned i = 0; i < 512; i++)
			if (p[s * 512 + i] != host_pattern(sector + s, i))
				return false;
	return true;
}

static struct driver drv;
static zx_handle_t vmo;
static uint8_t *buf;

static void dup_vmo(zx_handle_t *out, zx_rights_t rights)
{
	ASSERT_OK(zx_handle_duplicate(vmo, rights, out));
}

TEST(BlkProcess, StartsWithOnlyItsGrants)
{
	ASSERT_OK(start_driver(&drv));
	zirv_block_reply_t r;
	ASSERT_OK(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_INFO}, 0, &r));
	EXPECT_EQ(r.capacity, DISK_SECTORS);
	EXPECT_EQ(r.block_size, 512u);
	EXPECT_TRUE(r.max_transfer >= 128, "max_transfer %u", r.max_transfer);
	EXPECT_EQ(r.flags, ZIRV_BLOCK_FLAG_FLUSH);
}

TEST(BlkProcess, ErrorsBeforeAVmoIsAttached)
{
	EXPECT_STATUS(call(&drv, rw(ZIRV_BLOCK_OP_READ, 0, 1, 0), 0, NULL), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(call(&drv, (zirv_block_req_t){.op = 99}, 0, NULL), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(
	    call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_INFO, .reserved = 1}, 0, NULL),
	    ZX_ERR_INVALID_ARGS);
	/* A message of the wrong size: answered (its txid is the kernel's) with INVALID_ARGS. */
	uint32_t word[2] = {0, ZIRV_BLOCK_OP_INFO}, nb, nh;
	zirv_block_reply_t r;
	zx_channel_call_args_t args = {.wr_bytes = word,
				       .rd_bytes = &r,
				       .wr_num_bytes = sizeof(word),
				       .rd_num_bytes = sizeof(r)};
	ASSERT_OK(zx_channel_call(drv.chan, 0, zx_deadline_after(ZX_SEC(10)), &args, &nb, &nh));
	EXPECT_STATUS(r.status, ZX_ERR_INVALID_ARGS);
}

TEST(BlkProcess, AttachChecksTheVmoHandle)
{
	zx_vaddr_t va;
	ASSERT_OK(zx_vmo_create(VMO_PAGES * 4096, 0, &vmo));
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
			      VMO_PAGES * 4096, &va));
	buf = (uint8_t *)va;
	/* Scatter the pages: commit every other one first, then the rest. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = pass; i < VMO_PAGES; i += 2)
			buf[i * 4096] = 1;
	zx_handle_t h;
	dup_vmo(&h, ZX_RIGHT_TRANSFER | ZX_RIGHT_READ | ZX_RIGHT_MAP);
	EXPECT_STATUS(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_ATTACH}, h, NULL),
		      ZX_ERR_ACCESS_DENIED, "the device writes it: a read-only handle is refused");
	zx_handle_t ev;
	ASSERT_OK(zx_event_create(0, &ev));
	EXPECT_STATUS(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_ATTACH}, ev, NULL),
		      ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_event_create(0, &ev));
	EXPECT_STATUS(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_INFO}, ev, NULL),
		      ZX_ERR_INVALID_ARGS, "INFO takes no handle");
	dup_vmo(&h, ZX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_ATTACH}, h, NULL));
	zx_info_bti_t bi;
	ASSERT_OK(zx_object_get_info(bti_seen, ZX_INFO_BTI, &bi, sizeof(bi), NULL, NULL));
	EXPECT_EQ(bi.pmo_count, 2u, "the driver's own DMA memory and this VMO are pinned");
	/* What the driver's scatter lists are made of: pages that are not one run. */
	static zx_paddr_t pa[VMO_PAGES];
	zx_handle_t pmt;
	ASSERT_OK(
	    zx_bti_pin(bti_seen, ZX_BTI_PERM_READ, vmo, 0, VMO_PAGES * 4096, pa, VMO_PAGES, &pmt));
	unsigned breaks = 0;
	for (int i = 1; i < VMO_PAGES; i++)
		breaks += pa[i] != pa[i - 1] + 4096;
	EXPECT_TRUE(breaks > 0, "the VMO's pages are scattered");
	EXPECT_OK(zx_pmt_unpin(pmt));
}

TEST(BlkProcess, ReadsLandInThePinnedPages)
{
	memset(buf, 0, VMO_PAGES * 4096);
	uint64_t lines = cache_lines();
	/* The whole disk in one request, starting mid-page: 17 pages' worth of scatter list. */
	ASSERT_OK(call(&drv, rw(ZIRV_BLOCK_OP_READ, 0, DISK_SECTORS, 3 * 4096 + 512), 0, NULL));
	EXPECT_TRUE(sectors_are(buf + 3 * 4096 + 512, 0, DISK_SECTORS));
	/* Without coherent DMA the driver cleaned the client's 64 KiB before and invalidated it
	 * after (64-byte lines: 1024 each way), its rings too; with it, nothing. */
	lines = cache_lines() - lines;
	if (noncoherent)
		EXPECT_TRUE(lines >= 2 * DISK_SECTORS * 512 / 64, "%llu lines maintained",
			    (unsigned long long)lines);
	else
		EXPECT_EQ(lines, 0u, "coherent DMA: no cache maintenance");
	EXPECT_EQ(buf[3 * 4096 + 511], 0, "nothing before the offset was written");
	EXPECT_EQ(buf[3 * 4096 + 512 + DISK_SECTORS * 512], 0, "nor after the end");
}

TEST(BlkProcess, ManyRequestsInFlight)
{
	/* More than the driver keeps at the device: the rest wait their turn in it. */
	enum { N = ZIRV_BLOCK_MAX_INFLIGHT + 8 };
	memset(buf, 0, VMO_PAGES * 4096);
	for (uint32_t i = 0; i < N; i++) {
		zirv_block_req_t q = rw(ZIRV_BLOCK_OP_READ, (i * 3) % DISK_SECTORS, 1, i * 1024);
		q.txid = i + 1;
		ASSERT_OK(zx_channel_write(drv.chan, 0, &q, sizeof(q), NULL, 0));
	}
	bool seen[N + 1] = {false};
	unsigned out_of_order = 0;
	for (uint32_t i = 0; i < N; i++) {
		zirv_block_reply_t r;
		uint32_t nb;
		ASSERT_OK(zx_object_wait_one(drv.chan, ZX_CHANNEL_READABLE,
					     zx_deadline_after(ZX_SEC(10)), NULL));
		ASSERT_OK(zx_channel_read(drv.chan, 0, &r, NULL, sizeof(r), 0, &nb, NULL));
		ASSERT_EQ(nb, sizeof(r));
		ASSERT_TRUE(r.txid >= 1 && r.txid <= N && !seen[r.txid], "txid %u", r.txid);
		seen[r.txid] = true;
		out_of_order += r.txid != i + 1;
		EXPECT_OK(r.status, "request %u", r.txid);
	}
	for (uint32_t i = 0; i < N; i++)
		EXPECT_TRUE(sectors_are(buf + i * 1024, (i * 3) % DISK_SECTORS, 1), "request %u",
			    i + 1);
	printf("# %d reads answered, %u of them out of order\n", N, out_of_order);
}

TEST(BlkProcess, ProtocolErrors)
{
	EXPECT_STATUS(call(&drv, rw(ZIRV_BLOCK_OP_READ, DISK_SECTORS, 1, 0), 0, NULL),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(call(&drv, rw(ZIRV_BLOCK_OP_READ, DISK_SECTORS - 1, 2, 0), 0, NULL),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(call(&drv, rw(ZIRV_BLOCK_OP_READ, 0, 1, VMO_PAGES * 4096 - 511), 0, NULL),
		      ZX_ERR_OUT_OF_RANGE, "past the end of the VMO");
	EXPECT_STATUS(call(&drv, rw(ZIRV_BLOCK_OP_READ, 0, 0, 0), 0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(call(&drv, rw(ZIRV_BLOCK_OP_WRITE, 0, 4096, 0), 0, NULL), ZX_ERR_INVALID_ARGS,
		      "above max_transfer");
}

TEST(BlkProcess, WritesReachTheImage)
{
	for (unsigned i = 0; i < 512; i++)
		buf[8192 + i] = guest_pattern(i);
	ASSERT_OK(call(&drv, rw(ZIRV_BLOCK_OP_WRITE, GUEST_SECTOR, 1, 8192), 0, NULL));
	ASSERT_OK(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_FLUSH}, 0, NULL));
	memset(buf, 0, 3 * 512);
	ASSERT_OK(call(&drv, rw(ZIRV_BLOCK_OP_READ, GUEST_SECTOR - 1, 3, 0), 0, NULL));
	EXPECT_TRUE(sectors_are(buf, GUEST_SECTOR - 1, 1));
	for (unsigned i = 0; i < 512; i++)
		ASSERT_EQ(buf[512 + i], guest_pattern(i), "byte %u", i);
	EXPECT_TRUE(sectors_are(buf + 1024, GUEST_SECTOR + 1, 1));
}

TEST(BlkProcess, AKilledDriverLeavesNothingBehind)
{
	ASSERT_OK(zx_task_kill(drv.proc));
	ASSERT_OK(zx_object_wait_one(drv.proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL));
	zx_info_process_t pi;
	ASSERT_OK(zx_object_get_info(drv.proc, ZX_INFO_PROCESS, &pi, sizeof(pi), NULL, NULL));
	EXPECT_EQ(pi.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	/* The client is not left hanging. */
	EXPECT_STATUS(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_INFO}, 0, NULL),
		      ZX_ERR_PEER_CLOSED);
	/* Its pins outlive it in the BTI's quarantine: the device may still be writing. */
	zx_info_bti_t bi;
	ASSERT_OK(zx_object_get_info(bti_seen, ZX_INFO_BTI, &bi, sizeof(bi), NULL, NULL));
	EXPECT_EQ(bi.pmo_count, 0u);
	EXPECT_EQ(bi.quarantine_count, 2u);
	EXPECT_OK(zx_bti_release_quarantine(bti_seen));
	ASSERT_OK(zx_object_get_info(bti_seen, ZX_INFO_BTI, &bi, sizeof(bi), NULL, NULL));
	EXPECT_EQ(bi.quarantine_count, 0u);
	/* Its vector is free again. */
	zx_handle_t irq;
	ASSERT_OK(zx_interrupt_create(irq_res, vector, 0, &irq), "vector %u", vector);
	EXPECT_OK(zx_interrupt_destroy(irq));
	zx_handle_close(irq);
	zx_handle_close(drv.proc);
	zx_handle_close(drv.chan);

	/* A new driver resets the device and serves the same disk. */
	ASSERT_OK(start_driver(&drv));
	zx_handle_t h;
	dup_vmo(&h, ZX_RIGHT_SAME_RIGHTS);
	ASSERT_OK(call(&drv, (zirv_block_req_t){.op = ZIRV_BLOCK_OP_ATTACH}, h, NULL));
	memset(buf, 0, 4096);
	ASSERT_OK(call(&drv, rw(ZIRV_BLOCK_OP_READ, 2, 4, 0), 0, NULL));
	EXPECT_TRUE(sectors_are(buf, 2, 4));
	/* Its client leaving ends it: it resets the device, unpins everything and exits 0. */
	zx_handle_close(drv.chan);
	ASSERT_OK(zx_object_wait_one(drv.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(ZX_SEC(10)),
				     NULL));
	ASSERT_OK(zx_object_get_info(drv.proc, ZX_INFO_PROCESS, &pi, sizeof(pi), NULL, NULL));
	EXPECT_EQ(pi.return_code, 0);
	ASSERT_OK(zx_object_get_info(bti_seen, ZX_INFO_BTI, &bi, sizeof(bi), NULL, NULL));
	EXPECT_EQ(bi.pmo_count, 0u);
	EXPECT_EQ(bi.quarantine_count, 0u);
}
