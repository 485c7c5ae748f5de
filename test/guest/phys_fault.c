/*
 * phys_fault.c: touching what is no longer mapped (or no longer writable)
 * through a physical mapping must kill the process. Not a zxtest program:
 * meson matches the kernel's "killed" line (exact cause and address) and
 * the exit status 252 (ZX_TASK_RETCODE_EXCEPTION_KILL & 0xff), and rejects
 * "survived". Built once per -DFAULT=...:
 *
 *   FAULT_UNMAP    map the rng window, read it, unmap it, read it again
 *   FAULT_PROTECT  carve-out page made read-only with zx_vmar_protect, then written
 *   FAULT_SPLIT    1 GiB carve-out mapped, one 4 KiB page in the middle
 *                  unmapped; its neighbours still read, the page itself faults
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "guest_util.h"

#define FAULT_UNMAP   1
#define FAULT_PROTECT 2
#define FAULT_SPLIT   3

#define VIRTIO_RNG 0x10008000ul
#define AT	   0x2000000000ul /* where every mapping goes (1 GiB aligned) */

static zx_vaddr_t map_at(zx_paddr_t pa, size_t size, uint32_t policy, uint32_t perms)
{
	zx_handle_t res = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0)), vmo;
	zx_status_t st;

	if ((st = zx_vmo_create_physical(res, pa, size, &vmo)) != ZX_OK ||
	    (st = zx_vmo_set_cache_policy(vmo, policy)) != ZX_OK ||
	    (st = map_fixed(vmo, perms, AT, 0, size)) != ZX_OK) {
		printf("setup failed: %d\n", st);
		zx_process_exit(1);
	}
	zx_handle_close(vmo); /* the mapping holds it */
	printf("mapped %#lx bytes of %#lx at %#lx\n", (unsigned long)size, (unsigned long)pa,
	       (unsigned long)AT);
	return AT;
}

int main(void)
{
	zx_status_t st;
#if FAULT == FAULT_UNMAP
	volatile uint32_t *r = (volatile uint32_t *)map_at(
	    VIRTIO_RNG, PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE, ZX_VM_PERM_READ);
	printf("magic %#x device %u\n", r[0], r[2]);
	st = zx_vmar_unmap(zx_vmar_root_self(), AT, PAGE);
	printf("unmap: %d\n", st);
	fflush(stdout);
	printf("survived: read %#x\n", r[0]);
#elif FAULT == FAULT_PROTECT
	volatile uint64_t *p = (volatile uint64_t *)map_at(
	    0x8a000000ul, 2 * PAGE, ZX_CACHE_POLICY_CACHED, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
	p[0] = 0x1111;
	p[PAGE / 8 + 1] = 0x2222;
	st = zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, AT + PAGE, PAGE);
	printf("protect: %d\n", st);
	p[0] = 0x3333; /* the other page is still writable */
	printf("values %#lx %#lx\n", (unsigned long)p[0], (unsigned long)p[PAGE / 8 + 1]);
	fflush(stdout);
	p[PAGE / 8 + 1] = 0x4444;
	printf("survived: wrote a read-only page\n");
#elif FAULT == FAULT_SPLIT
	const size_t gib = 1ul << 30, mid = gib / 2;
	volatile uint64_t *p = (volatile uint64_t *)map_at(
	    0x100000000ul, gib, ZX_CACHE_POLICY_CACHED, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
	p[(mid - PAGE) / 8] = 0xaaaa;
	p[mid / 8] = 0xbbbb;
	p[(mid + PAGE) / 8] = 0xcccc;
	st = zx_vmar_unmap(zx_vmar_root_self(), AT + mid, PAGE);
	printf("unmap: %d\n", st);
	p[(mid - PAGE) / 8] += 1;
	p[(mid + PAGE) / 8] += 1;
	printf("neighbours %#lx %#lx\n", (unsigned long)p[(mid - PAGE) / 8],
	       (unsigned long)p[(mid + PAGE) / 8]);
	fflush(stdout);
	printf("survived: read %#lx\n", (unsigned long)p[mid / 8]);
#else
#error "build with -DFAULT=FAULT_UNMAP, FAULT_PROTECT or FAULT_SPLIT"
#endif
	return 0;
}
