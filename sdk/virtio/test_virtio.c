/*
 * Host test of the virtqueue and the virtio-mmio transport against a
 * device simulated in memory: normal completion on v1 and v2, then each
 * kind of misbehaviour the driver must report instead of trusting.
 *
 * The register window is plain memory, so the driver reads back what it
 * wrote. The simulated device acts only when the driver waits: the fake
 * zx_nanosleep() below advances a fake clock and runs one device step,
 * which keeps every run deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/syscalls.h>

#include "rng.h"
#include "virtio_mmio.h"

#define FAKE_PA 0x80000000ull /* where the "device" sees the DMA pool */

enum behaviour {
	DEV_OK,		     /* fill the buffers and return the request */
	DEV_SILENT,	     /* never answer */
	DEV_JUMP,	     /* used.idx moves by 2 for one request */
	DEV_ID_RANGE,	     /* used element id beyond the queue */
	DEV_ID_IDLE,	     /* used element id of a descriptor not in flight */
	DEV_TOO_LONG,	     /* claims to have written more than the buffer */
	DEV_NEEDS_RESET,     /* sets DEVICE_NEEDS_RESET instead of answering */
	DEV_CLEARS_DRIVER_OK /* drops a status bit the driver set */
};

static uint32_t regs[VIRTIO_MMIO_SIZE / 4] __attribute__((aligned(4096)));
static uint8_t pool_mem[64 * 1024] __attribute__((aligned(4096)));
static struct dma_pool pool;
static enum behaviour behaviour;
static int64_t now;
static int failures;

static uint32_t reg(uint32_t off)
{
	return regs[off / 4];
}

static void *dev_ptr(uint64_t pa)
{
	return pool_mem + (pa - FAKE_PA);
}

static uint64_t reg64(uint32_t low)
{
	return (uint64_t)reg(low + 4) << 32 | reg(low);
}

/*
 * Where the driver put queue 0's rings, found as the device finds them: v2
 * from the three address registers, v1 from QueuePFN and the legacy layout
 * (spec 2.7, "Legacy Interfaces"), computed here independently of virtq.c.
 */
static void dev_rings(uint64_t *desc, uint64_t *avail, uint64_t *used)
{
	uint32_t size = reg(VMMIO_QUEUE_NUM), align = reg(VMMIO_QUEUE_ALIGN);

	if (reg(VMMIO_VERSION) == 2) {
		*desc = reg64(VMMIO_QUEUE_DESC_LOW);
		*avail = reg64(VMMIO_QUEUE_DRIVER_LOW);
		*used = reg64(VMMIO_QUEUE_DEVICE_LOW);
		return;
	}
	*desc = (uint64_t)reg(VMMIO_QUEUE_PFN) * reg(VMMIO_GUEST_PAGE_SIZE);
	*avail = *desc + 16 * size;
	*used = align ? *desc + (16 * size + 2 * (3 + size) + align - 1) / align * align : 0;
}

static uint16_t dev_seen; /* avail entries the device has taken */

/* One device step: answer every new request according to `behaviour`. */
static void device_step(void)
{
	uint64_t desc_pa, avail_pa, used_pa;
	uint16_t size = (uint16_t)reg(VMMIO_QUEUE_NUM);

	dev_rings(&desc_pa, &avail_pa, &used_pa);
	if (!size || !desc_pa || !used_pa)
		return;
	volatile struct virtq_desc *desc = dev_ptr(desc_pa);
	volatile struct virtq_avail *avail = dev_ptr(avail_pa);
	volatile struct virtq_used *used = dev_ptr(used_pa);
	while (dev_seen != avail->idx) {
		uint16_t head = avail->ring[dev_seen++ % size];
		uint32_t written = 0;
		for (uint16_t d = head;; d = desc[d].next) {
			if (desc[d].flags & VIRTQ_DESC_F_WRITE) {
				memset(dev_ptr(desc[d].addr), 0xa5, desc[d].len);
				written += desc[d].len;
			}
			if (!(desc[d].flags & VIRTQ_DESC_F_NEXT))
				break;
		}
		switch (behaviour) {
		case DEV_SILENT:
			return;
		case DEV_NEEDS_RESET:
			regs[VMMIO_STATUS / 4] |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
			return;
		case DEV_CLEARS_DRIVER_OK:
			regs[VMMIO_STATUS / 4] &= ~VIRTIO_STATUS_DRIVER_OK;
			return;
		case DEV_ID_RANGE:
			head = 5000; /* past any queue size */
			break;
		case DEV_ID_IDLE:
			head = (uint16_t)(head + 5);
			break;
		case DEV_TOO_LONG:
			written += 1;
			break;
		default:
			break;
		}
		used->ring[used->idx % size] = (struct virtq_used_elem){head, written};
		used->idx = (uint16_t)(used->idx + (behaviour == DEV_JUMP ? 2 : 1));
	}
}

/* The syscalls the transport uses, faked: time passes only while it sleeps. */
zx_instant_mono_t zx_clock_get_monotonic(void)
{
	return now;
}

zx_instant_mono_t zx_deadline_after(zx_duration_mono_t ns)
{
	return now + ns;
}

zx_status_t zx_nanosleep(zx_instant_mono_t deadline)
{
	if (deadline > now)
		now = deadline;
	device_step();
	return ZX_OK;
}

/* No interrupts here: the transport is tested polling (vmmio_use_interrupt fails). */
zx_status_t zx_interrupt_create(zx_handle_t src, uint32_t num, uint32_t options, zx_handle_t *out)
{
	(void)src, (void)num, (void)options, (void)out;
	return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t zx_port_create(uint32_t options, zx_handle_t *out)
{
	(void)options, (void)out;
	return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t zx_interrupt_bind(zx_handle_t h, zx_handle_t port, uint64_t key, uint32_t options)
{
	(void)h, (void)port, (void)key, (void)options;
	return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t zx_port_wait(zx_handle_t h, zx_instant_mono_t deadline, zx_port_packet_t *pk)
{
	(void)h, (void)deadline, (void)pk;
	return ZX_ERR_NOT_SUPPORTED;
}

zx_status_t zx_interrupt_ack(zx_handle_t h)
{
	(void)h;
	return ZX_ERR_NOT_SUPPORTED;
}

/* Cache operations the drivers ask for (a pool marked non-coherent): counted, by kind. */
static unsigned cache_ops[2]; /* [0] for the CPU (INVALIDATE), [1] for the device */
zx_status_t zx_vmo_op_range(zx_handle_t h, uint32_t op, uint64_t offset, uint64_t size, void *buf,
			    size_t len)
{
	(void)h;
	(void)offset;
	(void)buf;
	(void)len;
	if (size)
		cache_ops[op == ZX_VMO_OP_CACHE_CLEAN_INVALIDATE]++;
	return ZX_OK;
}

zx_status_t zx_handle_close(zx_handle_t h)
{
	(void)h;
	return ZX_OK;
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                     \
			printf(__VA_ARGS__);                                                       \
			printf("\n");                                                              \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* A fresh rng device of the given transport version, and a fresh pool. */
static void new_device(uint32_t version, enum behaviour b)
{
	memset(regs, 0, sizeof(regs));
	memset(pool_mem, 0xee, sizeof(pool_mem)); /* the driver must zero what it uses */
	regs[VMMIO_MAGIC / 4] = VIRTIO_MMIO_MAGIC;
	regs[VMMIO_VERSION / 4] = version;
	regs[VMMIO_DEVICE_ID / 4] = VIRTIO_ID_RNG;
	regs[VMMIO_VENDOR_ID / 4] = 0x554d4551;
	regs[VMMIO_QUEUE_NUM_MAX / 4] = 1024;
	/* One word serves both halves (DeviceFeaturesSel is not simulated):
	 * bit 0 reads as VIRTIO_F_VERSION_1 in the high half. */
	regs[VMMIO_DEVICE_FEATURES / 4] = version == 2 ? 1 : 0;
	pool = (struct dma_pool){.va = pool_mem, .pa = FAKE_PA, .size = sizeof(pool_mem)};
	behaviour = b;
	dev_seen = 0;
}

static void test_ok(uint32_t version)
{
	struct vmmio d;
	struct vrng r;
	uint8_t out[100];

	new_device(version, DEV_OK);
	CHECK(vmmio_open(&d, regs, 0x10008000) == ZX_OK, "%s", d.err);
	CHECK(d.device_id == VIRTIO_ID_RNG && d.version == version, "id %u", d.device_id);
	CHECK(vrng_init(&r, &d, &pool) == ZX_OK, "%s", d.err);
	uint32_t want = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK |
			(version == 2 ? VIRTIO_STATUS_FEATURES_OK : 0);
	CHECK(reg(VMMIO_STATUS) == want, "status %#x, want %#x", reg(VMMIO_STATUS), want);
	CHECK(reg(VMMIO_QUEUE_NUM) == VIRTQ_MAX_SIZE, "QueueNum %u", reg(VMMIO_QUEUE_NUM));
	if (version == 1) {
		CHECK(reg(VMMIO_QUEUE_ALIGN) == 4096 && reg(VMMIO_GUEST_PAGE_SIZE) == 4096,
		      "align");
	} else {
		CHECK(reg(VMMIO_QUEUE_READY) == 1, "QueueReady");
	}
	uint64_t desc, avail, used;
	dev_rings(&desc, &avail, &used);
	CHECK(desc == FAKE_PA && avail == r.q.avail_pa && used == r.q.used_pa, "rings");
	/* 100 bytes take two requests of VRNG_CHUNK; wrap the 16-bit indices too. */
	for (int i = 0; i < 70000 / 2; i++) {
		memset(out, 0, sizeof(out));
		CHECK(vrng_read(&r, out, sizeof(out)) == ZX_OK, "read %d: %s", i, d.err);
		CHECK(out[0] == 0xa5 && out[99] == 0xa5, "data");
	}
	CHECK(r.q.outstanding == 0 && r.q.nfree == r.q.size, "descriptors leaked");
	printf("ok - v%u: handshake, queue setup, 70000 requests\n", version);
}

/*
 * The same over a pool marked non-coherent: every request cleans the rings
 * and the buffer for the device, and invalidates the used ring and the
 * buffer for the CPU; a coherent pool asks for nothing.
 */
static void test_noncoherent(uint32_t version)
{
	struct vmmio d;
	struct vrng r;
	uint8_t out[64];

	new_device(version, DEV_OK);
	memset(cache_ops, 0, sizeof(cache_ops));
	CHECK(vmmio_open(&d, regs, 0x10008000) == ZX_OK && vrng_init(&r, &d, &pool) == ZX_OK, "%s",
	      d.err);
	CHECK(vrng_read(&r, out, sizeof(out)) == ZX_OK, "%s", d.err);
	CHECK(cache_ops[0] == 0 && cache_ops[1] == 0, "coherent: %u, %u", cache_ops[0],
	      cache_ops[1]);
	new_device(version, DEV_OK);
	pool.vmo = 1;
	dma_pool_noncoherent(&pool);
	CHECK(vmmio_open(&d, regs, 0x10008000) == ZX_OK && vrng_init(&r, &d, &pool) == ZX_OK, "%s",
	      d.err);
	unsigned setup = cache_ops[1];
	CHECK(setup >= 1, "the zeroed rings cleaned");
	for (int i = 0; i < 10; i++)
		CHECK(vrng_read(&r, out, sizeof(out)) == ZX_OK && out[0] == 0xa5, "%s", d.err);
	/* Per request: the buffer, the descriptors, the ring, its index; then the used ring
	 * (once per poll: at least once) and the buffer. */
	CHECK(cache_ops[1] - setup == 10 * 4, "cleaned %u times", cache_ops[1] - setup);
	CHECK(cache_ops[0] >= 10 * 2, "invalidated %u times", cache_ops[0]);
	printf("ok - v%u: a non-coherent pool's rings and buffers maintained\n", version);
}

/* The device misbehaves on the first request; the driver must say `msg`. */
static void test_bad(uint32_t version, enum behaviour b, zx_status_t want, const char *msg)
{
	struct vmmio d;
	struct vrng r;
	uint8_t out[8];

	new_device(version, b);
	CHECK(vmmio_open(&d, regs, 0x10008000) == ZX_OK, "%s", d.err);
	CHECK(vrng_init(&r, &d, &pool) == ZX_OK, "%s", d.err);
	zx_status_t st = vrng_read(&r, out, sizeof(out));
	CHECK(st == want, "status %d, want %d (%s)", st, want, d.err);
	CHECK(strstr(d.err, msg), "message '%s', want '%s'", d.err, msg);
	CHECK(reg(VMMIO_STATUS) & VIRTIO_STATUS_FAILED, "FAILED not set");
	CHECK(vrng_read(&r, out, sizeof(out)) == ZX_ERR_BAD_STATE,
	      "a failed device was used again");
	CHECK(strstr(d.err, msg), "the first error was overwritten: '%s'", d.err);
	printf("ok - v%u: %s\n", version, d.err);
}

static void test_setup_errors(void)
{
	struct vmmio d;
	struct vrng r;

	new_device(2, DEV_OK);
	regs[VMMIO_QUEUE_NUM_MAX / 4] = 0;
	CHECK(vmmio_open(&d, regs, 0) == ZX_OK, "%s", d.err);
	CHECK(vrng_init(&r, &d, &pool) == ZX_ERR_NOT_SUPPORTED, "QueueNumMax 0 accepted");
	CHECK(strstr(d.err, "queue 0 not available"), "%s", d.err);
	CHECK(reg(VMMIO_STATUS) & VIRTIO_STATUS_FAILED, "FAILED not set");
	printf("ok - %s\n", d.err);

	new_device(2, DEV_OK);
	regs[VMMIO_DEVICE_FEATURES / 4] = 0;
	CHECK(vmmio_open(&d, regs, 0) == ZX_OK, "%s", d.err);
	CHECK(vrng_init(&r, &d, &pool) == ZX_ERR_NOT_SUPPORTED, "v2 without VERSION_1 accepted");
	printf("ok - %s\n", d.err);

	new_device(1, DEV_OK);
	regs[VMMIO_MAGIC / 4] = 0x12345678;
	CHECK(vmmio_open(&d, regs, 0) == ZX_ERR_NOT_SUPPORTED, "bad magic accepted");
	CHECK(strstr(d.err, "MagicValue 0x12345678"), "%s", d.err);
	printf("ok - %s\n", d.err);

	new_device(1, DEV_OK);
	pool.size = 4096; /* room for the rings' first page only */
	CHECK(vmmio_open(&d, regs, 0) == ZX_OK, "%s", d.err);
	CHECK(vrng_init(&r, &d, &pool) == ZX_ERR_NO_MEMORY, "tiny pool accepted");
	printf("ok - %s\n", d.err);
}

int main(void)
{
	for (uint32_t v = 1; v <= 2; v++) {
		test_ok(v);
		test_noncoherent(v);
		test_bad(v, DEV_SILENT, ZX_ERR_TIMED_OUT, "no answer from the device");
		test_bad(v, DEV_JUMP, ZX_ERR_IO, "used ring index jumped from 0 to 2 with 1");
		test_bad(v, DEV_ID_RANGE, ZX_ERR_IO, "used element id 5000 out of range");
		test_bad(v, DEV_ID_IDLE, ZX_ERR_IO, "used element id 5 was not outstanding");
		test_bad(v, DEV_TOO_LONG, ZX_ERR_IO, "device wrote 65 bytes into 64 writable");
		test_bad(v, DEV_NEEDS_RESET, ZX_ERR_IO, "device needs reset");
		test_bad(v, DEV_CLEARS_DRIVER_OK, ZX_ERR_IO, "but the driver set");
	}
	test_setup_errors();
	printf(failures ? "%d FAILED\n" : "all passed\n", failures);
	return failures ? 1 : 0;
}
