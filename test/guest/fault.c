/*
 * fault.c: a user fault ends the process with a report. Built once per
 * kind of fault (-DFAULT=...); each build sets up the fault at a known
 * address, says so, and commits it. meson.build checks the kernel's
 * "killed" line (cause, pc, address) and QEMU's exit status 252, which is
 * ZX_TASK_RETCODE_EXCEPTION_KILL (-1028) & 0xff. Reaching the end prints
 * "survived", which meson.build rejects.
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define FAULT_STORE_RO	 1 /* store to a read-only mapping at 0x40000010 */
#define FAULT_LOAD_LOW	 2 /* load from 0x10, below every mapping */
#define FAULT_ILLEGAL	 3 /* an illegal instruction */
#define FAULT_EXEC_NX	 4 /* jump into a readable, writable, non-executable page */
#define FAULT_STORE_TEXT 5 /* store into the program's own text */
#define FAULT_RDCYCLE	 6 /* read the cycle counter, which user mode may not (scounteren.CY) */

#define TARGET 0x40000000ul /* where the mapping goes: vmar_offset + the root VMAR base */

static zx_vaddr_t map_page(zx_vm_option_t perms)
{
	zx_handle_t vmo;
	zx_vaddr_t addr = 0;
	if (zx_vmo_create(4096, 0, &vmo) != ZX_OK ||
	    zx_vmar_map(zx_vmar_root_self(), perms | ZX_VM_SPECIFIC, TARGET - 0x10000, vmo, 0, 4096,
			&addr) != ZX_OK ||
	    addr != TARGET) {
		printf("setup failed\n");
		zx_process_exit(3);
	}
	zx_handle_close(vmo);
	return addr;
}

/* Behind a volatile pointer so the compiler cannot see (and refuse) the address. */
static volatile int *volatile low;

int main(void)
{
	zx_vaddr_t a;

	switch (FAULT) {
	case FAULT_STORE_RO:
		a = map_page(ZX_VM_PERM_READ);
		printf("fault: reading %#lx first: %d\n", (unsigned long)a, *(volatile int *)a);
		fflush(stdout);
		*(volatile int *)(a + 0x10) = 1;
		break;
	case FAULT_LOAD_LOW:
		printf("fault: loading from 0x10\n");
		fflush(stdout);
		low = (volatile int *)0x10;
		(void)*low;
		break;
	case FAULT_ILLEGAL:
		printf("fault: executing an illegal instruction\n");
		fflush(stdout);
		__asm__ volatile(".4byte 0x00000000");
		break;
	case FAULT_EXEC_NX:
		a = map_page(ZX_VM_PERM_READ | ZX_VM_PERM_WRITE);
		*(volatile uint32_t *)a = 0x00008067; /* ret */
		printf("fault: calling into a non-executable page\n");
		fflush(stdout);
		((void (*)(void))a)();
		break;
	case FAULT_RDCYCLE: {
		uint64_t t, n, c;
		__asm__ volatile("rdtime %0" : "=r"(t));
		__asm__ volatile("rdinstret %0" : "=r"(n));
		printf("fault: time and instret readable (%d); reading cycle\n", t != 0 && n != 0);
		fflush(stdout);
		__asm__ volatile("rdcycle %0" : "=r"(c));
		printf("cycle %lu\n", (unsigned long)c);
		break;
	}
	case FAULT_STORE_TEXT:
		printf("fault: writing to main at %p\n", (void *)main);
		fflush(stdout);
		*(volatile uint32_t *)(uintptr_t)main = 0;
		break;
	}
	printf("survived\n");
	return 0;
}
