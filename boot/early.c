/*
 * Boot page tables, built before paging is on.
 *
 * This runs at the physical load address while the image is linked at
 * KERNEL_VBASE. -mcmodel=medany makes every global access PC-relative, so
 * the code works where it is; it must not use anything that stores an
 * absolute address (pointer tables, jump tables: built with
 * -fno-jump-tables). What it maps:
 *   - the kernel image at its link address, 4 KiB pages: text RX,
 *     rodata R, data+bss RW, all global, except the guard below each
 *     kernel stack, which stays unmapped;
 *   - the device tree read-only at KDTB_BASE;
 *   - the 1 GiB around the load address, identity-mapped RX, so the
 *     instruction after the satp write can still be fetched. kvm_init()
 *     removes it.
 * Returns the satp value to load, or 0 after printing why it cannot boot.
 */
#include "arch.h"
#include "mm/layout.h"

#define BOOT_L0_KERNEL 4 /* 8 MiB of image */

extern char _kernel_start[], _text_end[], _rodata_end[], _kernel_end[];
extern char boot_stack_guard[], overflow_stack_guard[];

uint64_t boot_root[512] __attribute__((aligned(PAGE_SIZE)));
uint64_t boot_l1_high[512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t boot_l0_kernel[BOOT_L0_KERNEL][512] __attribute__((aligned(PAGE_SIZE)));
static uint64_t boot_l0_dtb[512] __attribute__((aligned(PAGE_SIZE)));
/* Where the DTB window starts and how many bytes of it are mapped. */
uint64_t boot_dtb_mapped;

static void early_puts(const char *s)
{
	while (*s)
		sbi_legacy_putchar(*s++);
}

static uint64_t table_pte(const void *table)
{
	return PA_TO_PTE((uint64_t)table) | PTE_V;
}

static uint32_t be32_at(uint64_t pa)
{
	const volatile uint8_t *p = (const volatile uint8_t *)pa;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Is image offset `off` inside one of the stack guards (entry.S)? */
static bool is_guard(uint64_t off)
{
	uint64_t g0 = (uint64_t)(boot_stack_guard - _kernel_start);
	uint64_t g1 = (uint64_t)(overflow_stack_guard - _kernel_start);
	return (off >= g0 && off < g0 + KSTACK_SIZE) || (off >= g1 && off < g1 + KSTACK_SIZE);
}

static void map_kernel(uint64_t load_pa)
{
	uint64_t text = (uint64_t)(_text_end - _kernel_start);
	uint64_t rodata = (uint64_t)(_rodata_end - _kernel_start);
	uint64_t size = (uint64_t)(_kernel_end - _kernel_start);

	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t perm = off < text ? PTE_R | PTE_X : off < rodata ? PTE_R : PTE_R | PTE_W;
		uint64_t va = KERNEL_VBASE + off;
		uint64_t *l0 = boot_l0_kernel[SV39_VPN(va, 1) - SV39_VPN(KERNEL_VBASE, 1)];
		if (!is_guard(off))
			l0[SV39_VPN(va, 0)] =
			    PA_TO_PTE(load_pa + off) | perm | PTE_A | PTE_D | PTE_G | PTE_V;
	}
	for (int i = 0; i < BOOT_L0_KERNEL; i++)
		boot_l1_high[SV39_VPN(KERNEL_VBASE, 1) + i] = table_pte(boot_l0_kernel[i]);
}

static void map_dtb(uint64_t dtb_pa)
{
	uint64_t first = dtb_pa & ~PAGE_MASK;
	uint64_t len = be32_at(dtb_pa + 4) + (dtb_pa - first);

	if (len > KDTB_MAX)
		len = KDTB_MAX;
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		boot_l0_dtb[off >> PAGE_SHIFT] =
		    PA_TO_PTE(first + off) | PTE_R | PTE_A | PTE_G | PTE_V;
	boot_l1_high[SV39_VPN(KDTB_BASE, 1)] = table_pte(boot_l0_dtb);
	boot_dtb_mapped = (len + PAGE_MASK) & ~PAGE_MASK;
}

uint64_t boot_early_map(uint64_t load_pa, uint64_t dtb_pa)
{
	uint64_t size = (uint64_t)(_kernel_end - _kernel_start);

	if (size > BOOT_L0_KERNEL * MB_2) {
		early_puts("zirv: boot_early_map: kernel image larger than 8 MiB\n");
		return 0;
	}
	if (load_pa >= (1ul << 38) || (load_pa & PAGE_MASK)) {
		early_puts("zirv: boot_early_map: load address not identity-mappable\n");
		return 0;
	}
	if (dtb_pa == 0 || (dtb_pa & 7) || be32_at(dtb_pa) != 0xd00dfeed) {
		early_puts("zirv: boot_early_map: a1 does not point at a device tree\n");
		return 0;
	}
	map_kernel(load_pa);
	map_dtb(dtb_pa);
	boot_root[SV39_VPN(KERNEL_VBASE, 2)] = table_pte(boot_l1_high);
	boot_root[SV39_VPN(load_pa, 2)] =
	    PA_TO_PTE(load_pa & ~(GB_1 - 1)) | PTE_R | PTE_X | PTE_A | PTE_V;
	return SATP_MODE_SV39 | ((uint64_t)boot_root >> PAGE_SHIFT);
}
