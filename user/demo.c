/*
 * zirv's demo: the first process, built into the kernel (run when QEMU is
 * given no -initrd) and bin/init of the boot archive `./zirv run` boots.
 *
 * It does what a system's first process and a user-space driver on zirv do
 * (docs/drivers.md, docs/virtio.md):
 *  1. reads the device tree VMO through <zirv/dt.h>;
 *  2. maps every virtio-mmio window the tree lists through a physical VMO
 *     with ZX_CACHE_POLICY_UNCACHED_DEVICE and says what sits in it;
 *  3. from the boot archive, starts bin/virtio-blk, a driver process that
 *     gets only the disk's window, vector and a BTI, and bin/blk-client,
 *     which reads and writes the disk through it over a channel; built in,
 *     with no archive to start them from, it reads sector 0 itself;
 *  4. maps a RAM carve-out ZX_CACHE_POLICY_CACHED for virtqueues and reads
 *     16 bytes from the first virtio-rng.
 * `./zirv run` attaches both devices and a small disk image.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/zirv.h>
#include <zirv/block.h>
#include <zirv/dt.h>
#include <zirv/spawn.h>

#include <zirv/virtio/blk.h>
#include <zirv/virtio/probe.h>
#include <zirv/virtio/rng.h>

#define MAX_DEVICES 16

static struct zirv_dt *dt; /* the device tree, through <zirv/dt.h> */
static const struct restab *rt;
static zx_handle_t root, mmio, irq_root;
static struct vmmio devs[MAX_DEVICES];

static void show_machine(zx_handle_t mmio)
{
	static const char *const enc[] = {"none", "Svpbmt", "XTheadMae"};
	zx_info_zirv_memtype_t mt = {0};

	zx_object_get_info(mmio, ZX_INFO_ZIRV_MEMTYPE, &mt, sizeof(mt), NULL, NULL);
	printf("demo: device tree: %u resources; PTE memory types: %s\n", rt->n,
	       mt.encoding < 3 ? enc[mt.encoding] : "?");
}

/* The rings and buffers live in the first carve-out the tree grants. */
static zx_status_t map_dma(zx_handle_t mmio, struct dma_pool *dma)
{
	const struct rt_entry *c;
	zx_status_t st = probe_dma(mmio, rt, dma, &c);

	if (!c) {
		printf(
		    "demo: no carve-out for DMA (boot with -append zirv.carveout=1M@0x8c000000): "
		    "skipping the drivers\n");
	} else {
		printf("demo: DMA memory: carve-out %#llx, %llu KiB%s%s\n",
		       (unsigned long long)c->base, (unsigned long long)c->size / 1024,
		       st == ZX_OK ? "" : ": cannot map: ",
		       st == ZX_OK ? "" : zx_status_get_string(st));
	}
	return st;
}

/* Sector 0 as text up to its first NUL ('.' for the unprintable), else in hex. */
static void preview(const uint8_t *sector)
{
	size_t n = strnlen((const char *)sector, 64);

	if (n == 0) {
		printf("(binary)");
		for (size_t i = 0; i < 16; i++)
			printf(" %02x", sector[i]);
	} else {
		putchar('"');
		for (size_t i = 0; i < n; i++)
			putchar(isprint(sector[i]) ? sector[i] : '.');
		putchar('"');
	}
	putchar('\n');
}

static void show_blk(struct vmmio *d, struct dma_pool *dma)
{
	static struct vblk b;
	static uint8_t sector[VBLK_SECTOR];

	zx_status_t st = vblk_init(&b, d, dma);
	if (st == ZX_OK)
		st = vblk_read(&b, 0, sector, 1);
	if (st != ZX_OK) {
		printf("demo: blk %#llx: %s: %s\n", (unsigned long long)d->base,
		       zx_status_get_string(st), d->err);
		return;
	}
	printf("demo: blk %#llx: %llu KiB%s; sector 0: ", (unsigned long long)d->base,
	       (unsigned long long)b.capacity * VBLK_SECTOR / 1024, b.can_flush ? ", flush" : "");
	preview(sector);
}

static void show_rng(struct vmmio *d, struct dma_pool *dma)
{
	static struct vrng r;
	uint8_t bytes[16];

	zx_status_t st = vrng_init(&r, d, dma);
	if (st == ZX_OK)
		st = vrng_read(&r, bytes, sizeof(bytes));
	if (st != ZX_OK) {
		printf("demo: rng %#llx: %s: %s\n", (unsigned long long)d->base,
		       zx_status_get_string(st), d->err);
		return;
	}
	printf("demo: rng %#llx: 16 bytes of entropy:", (unsigned long long)d->base);
	for (size_t i = 0; i < sizeof(bytes); i++)
		printf(" %02x", bytes[i]);
	printf("\n");
}

/*
 * Booted from the boot archive `./zirv run` makes: start its bin/greeter as
 * a second process, with argv and one end of a channel, and talk to it.
 */
static void greet(void)
{
	const char *argv[] = {"greeter", "hello", "from", "demo", NULL};
	zx_handle_t mine, theirs, proc;
	uint32_t info = PA_HND(PA_USER0, 0), n = 0;
	zx_info_process_t pi = {0};
	char reply[8] = {0};
	zx_status_t st;

	if ((st = zx_channel_create(0, &mine, &theirs)) != ZX_OK ||
	    (st = zx_channel_write(mine, 0, "ping", 4, NULL, 0)) != ZX_OK ||
	    (st = zirv_spawn(zx_job_default(), "bin/greeter", argv, 1, &theirs, &info, &proc)) !=
		ZX_OK) {
		printf("demo: cannot start bin/greeter: %s\n", zx_status_get_string(st));
		return;
	}
	zx_info_handle_basic_t b = {0};
	zx_object_get_info(proc, ZX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL, NULL);
	zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
	zx_object_get_info(proc, ZX_INFO_PROCESS, &pi, sizeof(pi), NULL, NULL);
	zx_channel_read(mine, 0, reply, NULL, sizeof(reply) - 1, 0, &n, NULL);
	printf("demo: bin/greeter (process koid %llu) answered \"%s\" and exited with %lld\n",
	       (unsigned long long)b.koid, reply, (long long)pi.return_code);
	zx_handle_close(proc);
	zx_handle_close(mine);
}

/* Start `path` from the boot archive with argv and `n` handles; ZX_HANDLE_INVALID on failure. */
static zx_handle_t start(const char *path, const char *const *argv, uint32_t n, zx_handle_t *h,
			 const uint32_t *info)
{
	zx_handle_t proc = ZX_HANDLE_INVALID;
	zx_status_t st = zirv_spawn(zx_job_default(), path, argv, n, h, info, &proc);

	if (st != ZX_OK)
		printf("demo: cannot start %s: %s\n", path, zx_status_get_string(st));
	return st == ZX_OK ? proc : ZX_HANDLE_INVALID;
}

static int64_t wait_exit(zx_handle_t proc)
{
	zx_info_process_t pi = {0};

	zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
	zx_object_get_info(proc, ZX_INFO_PROCESS, &pi, sizeof(pi), NULL, NULL);
	zx_handle_close(proc);
	return pi.return_code;
}

/*
 * The disk served by a driver process: bin/virtio-blk gets only its
 * device's MMIO and IRQ resources and a BTI, found through <zirv/dt.h>;
 * bin/blk-client gets only a channel to it.
 */
static void serve_blk(const struct vmmio *blk)
{
	zx_iommu_desc_dummy_t desc = {0};
	struct zirv_dt_device dev;
	int cursor = 0;
	zx_handle_t h[4], iommu, chan;
	zx_status_t st = ZX_ERR_NOT_FOUND;

	while (zirv_dt_next(dt, "virtio,mmio", &cursor, &dev) && dev.reg[0].base != blk->base)
		;
	if (cursor < 0 || (st = zirv_dt_grant(mmio, irq_root, &dev, &h[0], &h[1])) != ZX_OK ||
	    (st = zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu)) !=
		ZX_OK) {
		printf("demo: cannot grant the disk to a driver: %s\n", zx_status_get_string(st));
		return;
	}
	st = zirv_dt_bti(iommu, &dev, &h[2]);
	zx_handle_close(iommu);
	if (st == ZX_OK)
		st = zx_channel_create(0, &h[3], &chan);
	if (st != ZX_OK) {
		printf("demo: no BTI or channel for the driver: %s\n", zx_status_get_string(st));
		zx_handle_close_many(h, 2);
		return;
	}
	printf("demo: %s (%s, vector %u): starting bin/virtio-blk with its window, vector and a "
	       "BTI\n",
	       dev.name, dev.compat[0], dev.irq[0].vector);
	static const uint32_t info[4] = {ZIRV_BLOCK_HND_MMIO, ZIRV_BLOCK_HND_IRQ,
					 ZIRV_BLOCK_HND_BTI, ZIRV_BLOCK_HND_CHANNEL};
	/* A device that does not snoop the caches: the driver maintains them. */
	const char *const argv[] = {"bin/virtio-blk", dev.dma_coherent ? NULL : "noncoherent",
				    NULL};
	zx_handle_t driver = start("bin/virtio-blk", argv, 4, h, info);
	uint32_t client_info = PA_HND(PA_USER0, 0);
	zx_handle_t client = start("bin/blk-client", NULL, 1, &chan, &client_info);
	if (client != ZX_HANDLE_INVALID)
		printf("demo: bin/blk-client exited with %lld\n", (long long)wait_exit(client));
	/* The client's end closed with it: the driver finishes and exits on its own. */
	if (driver != ZX_HANDLE_INVALID)
		printf("demo: bin/virtio-blk, its client gone, exited with %lld\n",
		       (long long)wait_exit(driver));
}

int main(void)
{
	zx_handle_t archive = zx_take_startup_handle(PA_HND(PA_VMO_BOOTFS, 0));
	struct dma_pool dma;

	printf("demo: hello from user space (%s; boot with -initrd to run your own)\n",
	       archive != ZX_HANDLE_INVALID ? "bin/init of the demo's boot archive"
					    : "built-in demo");
	mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0));
	irq_root = zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0));
	if (archive != ZX_HANDLE_INVALID) {
		zx_handle_close(archive);
		greet();
	}
	zx_handle_t dtvmo = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
	zx_status_t st = zirv_dt_open(dtvmo, &dt);
	zx_handle_close(dtvmo);
	if (st != ZX_OK) {
		printf("demo: cannot read the device tree: %s\n", zirv_dt_error(NULL));
		return 1;
	}
	rt = zirv_dt_restab(dt);
	show_machine(mmio);
	unsigned n = probe_virtio(mmio, rt, "demo", devs, MAX_DEVICES);
	struct vmmio *blk = probe_find(devs, n, VIRTIO_ID_BLOCK);
	struct vmmio *rng = probe_find(devs, n, VIRTIO_ID_RNG);
	if (blk && archive != ZX_HANDLE_INVALID) {
		serve_blk(blk);
		blk = NULL;
	}
	if ((!blk && !rng) || map_dma(mmio, &dma) != ZX_OK)
		return 0;
	if (blk)
		show_blk(blk, &dma);
	if (rng)
		show_rng(rng, &dma);
	return 0;
}
