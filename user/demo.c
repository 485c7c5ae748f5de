/*
 * zirv's built-in demo: the first process when QEMU is given no -initrd.
 *
 * It does what a user-space driver on zirv does (docs/virtio.md):
 *  1. reads the device tree VMO into the resource table (libzirvdt);
 *  2. maps every virtio-mmio window the tree lists through a physical VMO
 *     with ZX_CACHE_POLICY_UNCACHED_DEVICE and says what sits in it;
 *  3. maps a RAM carve-out ZX_CACHE_POLICY_CACHED for the virtqueues;
 *  4. reads sector 0 of the first virtio-blk disk and 16 bytes from the
 *     first virtio-rng.
 * `./zirv run` attaches both devices and a small disk image.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/zirv.h>
#include <zirv/spawn.h>

#include <zirv/virtio/blk.h>
#include <zirv/virtio/probe.h>
#include <zirv/virtio/rng.h>

#define MAX_DEVICES 16

static struct restab rt; /* about 70 KiB: too big for the stack */
static struct vmmio devs[MAX_DEVICES];

static void show_machine(zx_handle_t mmio)
{
	static const char *const enc[] = {"none", "Svpbmt", "XTheadMae"};
	zx_info_zirv_memtype_t mt = {0};

	zx_object_get_info(mmio, ZX_INFO_ZIRV_MEMTYPE, &mt, sizeof(mt), NULL, NULL);
	printf("demo: device tree: %u resources; PTE memory types: %s\n", rt.n,
	       mt.encoding < 3 ? enc[mt.encoding] : "?");
}

/* The rings and buffers live in the first carve-out the tree grants. */
static zx_status_t map_dma(zx_handle_t mmio, struct dma_pool *dma)
{
	const struct rt_entry *c;
	zx_status_t st = probe_dma(mmio, &rt, dma, &c);

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

int main(void)
{
	zx_handle_t mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	zx_handle_t archive = zx_take_startup_handle(PA_HND(PA_VMO_BOOTFS, 0));
	struct dma_pool dma;

	printf("demo: hello from user space (%s; boot with -initrd to run your own)\n",
	       archive != ZX_HANDLE_INVALID ? "bin/init of the demo's boot archive"
					    : "built-in demo");
	if (archive != ZX_HANDLE_INVALID) {
		zx_handle_close(archive);
		greet();
	}
	int err = probe_restab(&rt);
	if (err != DT_OK) {
		printf("demo: cannot read the device tree: %s %s\n", dt_strerror(err), rt.err);
		return 1;
	}
	show_machine(mmio);
	unsigned n = probe_virtio(mmio, &rt, "demo", devs, MAX_DEVICES);
	struct vmmio *blk = probe_find(devs, n, VIRTIO_ID_BLOCK);
	struct vmmio *rng = probe_find(devs, n, VIRTIO_ID_RNG);
	if ((!blk && !rng) || map_dma(mmio, &dma) != ZX_OK)
		return 0;
	if (blk)
		show_blk(blk, &dma);
	if (rng)
		show_rng(rng, &dma);
	return 0;
}
