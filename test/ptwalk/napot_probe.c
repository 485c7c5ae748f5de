/*
 * napot_probe.c: maps 256 KiB of the carve-out at 0x8a000000 (64 KiB
 * aligned, CACHED), touches it, says where, and waits so that
 * test/ptwalk/ptwalk.py can read the page tables from outside, through
 * QEMU's monitor. Its own check of the data comes after the wait.
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#define CARVE 0x8a000000ul
#define LEN   (256 * 1024ul)

int main(void)
{
	zx_handle_t mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0)), v;
	zx_vaddr_t va = 0;
	if (zx_vmo_create_physical(mmio, CARVE, LEN, &v) != ZX_OK ||
	    zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED) != ZX_OK ||
	    zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v, 0, LEN,
			&va) != ZX_OK) {
		printf("probe: setup failed\n");
		return 3;
	}
	volatile uint64_t *p = (volatile uint64_t *)va;
	for (size_t i = 0; i < LEN / 8; i += 512)
		p[i] = i;
	printf("probe: va %#lx pa %#lx len %#lx\n", (unsigned long)va, CARVE, LEN);
	fflush(stdout);
	/* The walker reads the tables now. Spin, not sleep: a sleeping thread's hart idles
	 * under the kernel's own page tables, and the walker reads the running satp. */
	for (zx_instant_mono_t end = zx_deadline_after(3000000000ll);
	     zx_clock_get_monotonic() < end;)
		;
	for (size_t i = 0; i < LEN / 8; i += 512)
		if (p[i] != i)
			return 4;
	printf("probe: done\n");
	return 0;
}
