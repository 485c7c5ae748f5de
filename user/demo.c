/*
 * zirv's built-in demo: the first process when QEMU is given no -initrd.
 * It shows what a user program gets at start-up and uses it: the device
 * tree VMO, and the MMIO resource to look at the virtio-mmio windows
 * through a physical VMO mapped UNCACHED_DEVICE.
 */
#include <stdint.h>
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/zirv.h>

#define VIRTIO_BASE 0x10001000ul
#define VIRTIO_SLOTS 8
#define VIRTIO_MAGIC 0x74726976u

static const char *device_name(uint32_t id)
{
	static const char *const names[] = {"empty", "net", "blk", "console", "rng"};
	return id < sizeof(names) / sizeof(names[0]) ? names[id] : "other";
}

static void show_startup(zx_handle_t mmio)
{
	static const char *const enc[] = {"none", "Svpbmt", "XTheadMae"};
	zx_info_zirv_memtype_t mt = {0};
	zx_handle_t dt = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
	uint64_t dt_size = 0;

	zx_vmo_get_size(dt, &dt_size);
	zx_object_get_info(mmio, ZX_INFO_ZIRV_MEMTYPE, &mt, sizeof(mt), NULL, NULL);
	printf("demo: device tree VMO %lu bytes; PTE memory types: %s\n", (unsigned long)dt_size,
	       mt.encoding < 3 ? enc[mt.encoding] : "?");
	zx_handle_close(dt);
}

static int probe(zx_handle_t mmio)
{
	zx_handle_t vmo;
	zx_vaddr_t va;
	zx_status_t st = zx_vmo_create_physical(mmio, VIRTIO_BASE, VIRTIO_SLOTS * 0x1000, &vmo);

	if (st == ZX_OK)
		st = zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	if (st == ZX_OK)
		st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0,
				 VIRTIO_SLOTS * 0x1000, &va);
	if (st != ZX_OK) {
		printf("demo: cannot map the virtio-mmio windows: %s\n", zx_status_get_string(st));
		return 1;
	}
	for (int i = 0; i < VIRTIO_SLOTS; i++) {
		volatile uint32_t *r = (volatile uint32_t *)(va + (zx_vaddr_t)i * 0x1000);
		if (r[0] != VIRTIO_MAGIC) {
			printf("demo: slot %d at %#lx: bad magic %#x\n", i, VIRTIO_BASE + i * 0x1000ul,
			       r[0]);
			continue;
		}
		printf("demo: slot %d at %#lx: version %u, device %u (%s)\n", i,
		       VIRTIO_BASE + i * 0x1000ul, r[1], r[2], device_name(r[2]));
	}
	zx_vmar_unmap(zx_vmar_root_self(), va, VIRTIO_SLOTS * 0x1000);
	zx_handle_close(vmo);
	return 0;
}

int main(void)
{
	zx_handle_t mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));

	printf("demo: hello from user space (built-in demo; boot with -initrd to run your own)\n");
	show_startup(mmio);
	return probe(mmio);
}
