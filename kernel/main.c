/*
 * Start-up sequence of the boot hart: device tree → resource table →
 * memory-type encoder → PMM → kernel address space → console and power →
 * report. boot/entry.S arrives here with paging on and the image at its
 * link address.
 */
#include <string.h>

#include "arch.h"
#include "bootfs.h"
#include "handles/handle.h"
#include "handles/resource.h"
#include "handles/vmo.h"
#include "irqc.h"
#include "kernel.h"
#include "main.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "mm/pte.h"
#include "mm/vmar.h"
#include "proc.h"
#include "restab.h"
#include "sched.h"
#include "smp.h"
#include "timer.h"
#include "trap.h"

#define ZIRV_VERSION	 "0.1.0"
#define T_HEAD_MVENDORID 0x5b7

extern char _kernel_start[], _kernel_end[];
extern uint64_t boot_dtb_mapped;

static struct dt boot_dt;
static struct restab boot_rt;
struct boot_info boot;

static void print_line(const char *line)
{
	kputs(line);
}

/*
 * Svpbmt if every hart has it; XTheadMae when the DT's harts are all
 * T-Head *and* the core says so (mvendorid, th.sxstatus.MAEE: reading
 * that CSR elsewhere is an illegal instruction); otherwise none.
 */
static enum pte_enc choose_encoding(const struct restab *rt)
{
	enum pte_enc enc = restab_pte_encoding(rt);

	if (enc == PTE_ENC_XTHEADMAE) {
		if (sbi_mvendorid() != T_HEAD_MVENDORID ||
		    !(csr_read_thead_sxstatus() & THEAD_SXSTATUS_MAEE))
			enc = PTE_ENC_NONE;
	}
	return enc;
}

static void check_boot_hart(const struct restab *rt, uint64_t hartid)
{
	for (uint32_t i = 0; i < rt->cpu.harts_usable && i < ARRAY_SIZE(rt->cpu.hartid); i++)
		if (rt->cpu.hartid[i] == hartid)
			return;
	panic("kmain: boot hart %lu is not an enabled hart with an Sv39 MMU in the device tree",
	      hartid);
}

/*
 * A resource-table error found after every range was read (the harts'
 * facts) still leaves a table good enough to reach the test finisher:
 * such a boot panics once the finisher is mapped, so QEMU's exit status
 * says it failed. Any other error panics at once (and SRST exits 0).
 */
static const char *late_fatal;

static void load_resource_table(paddr_t dtb_pa, paddr_t load_pa)
{
	uint64_t off = dtb_pa & PAGE_MASK;
	int err = dt_open(&boot_dt, (const void *)(KDTB_BASE + off), boot_dtb_mapped - off);
	if (err)
		panic("kmain: device tree at %#lx: %s", dtb_pa, dt_strerror(err));

	struct rt_extra extra = {
	    .kernel_base = load_pa,
	    .kernel_size = (uint64_t)(_kernel_end - _kernel_start),
	    .dtb_base = dtb_pa,
	    .dtb_size = ALIGN_UP(boot_dt.totalsize, PAGE_SIZE),
	};
	err = restab_build(&boot_rt, &boot_dt, &extra);
	if (err == DT_E_NOMMU || err == DT_E_TIMEBASE)
		late_fatal = boot_rt.err;
	else if (err)
		panic("kmain: resource table: %s", boot_rt.err);
	for (uint32_t i = 0; i < boot_rt.n; i++)
		if (boot_rt.e[i].kind == RT_RAM)
			return;
	panic("kmain: the device tree describes no usable RAM");
}

/* Every byte of [pa, end) lies in resource-table entries of `kind`. */
static bool range_is(const struct restab *rt, paddr_t pa, paddr_t end, int kind)
{
	while (pa < end) {
		const struct rt_entry *e = restab_lookup(rt, pa);
		if (!e || e->kind != kind)
			return false;
		pa = e->base + e->size;
	}
	return true;
}

void *kmap_checked(const struct restab *rt, paddr_t pa, size_t size, int kind, uint32_t policy,
		   uint64_t perms)
{
	if (size == 0 || pa + size < pa || !range_is(rt, pa, pa + size, kind)) {
		kprintf("kvm: refusing to map %#lx+%#lx: not %s in the resource table\n", pa, size,
			rt_kind_name(kind));
		return NULL;
	}
	return kvm_map(pa, size, policy, perms);
}

static void *map_device(paddr_t pa, size_t size)
{
	return kmap_checked(&boot_rt, pa, size, RT_MMIO, MT_DEVICE, PTE_R | PTE_W);
}

/*
 * The interrupt controller's registers up to the last supervisor target's:
 * a PLIC's context (its window can be 64 MiB, of which zirv needs a few),
 * an APLIC's IDC, or an APLIC's domain registers alone when it sends MSIs.
 * Handed to kernel/irqc.c.
 */
static void map_irqc(const struct rt_irqc *p)
{
	uint64_t need = p->kind == RT_IRQC_APLIC_MSI ? 0x4000 : 0;
	uint64_t first = p->kind == RT_IRQC_PLIC ? 0x201000 : 0x4020;
	uint64_t stride = p->kind == RT_IRQC_PLIC ? 0x1000 : 32;
	for (uint32_t i = 0; p->kind != RT_IRQC_APLIC_MSI && i < boot_rt.cpu.harts_usable && i < 64;
	     i++)
		if (p->sctx[i] >= 0 && first + stride * (uint64_t)p->sctx[i] > need)
			need = first + stride * (uint64_t)p->sctx[i];
	need = (need + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	void *regs = p->ok ? map_device(p->base, need < p->size ? need : p->size) : NULL;
	if (regs)
		irqc_init(regs, p, &boot_rt.cpu);
}

/*
 * The console UART, the test finisher, the IPI block (ACLINT SSWI or
 * IMSIC) and the PLIC, mapped with the device memory type and handed to
 * the console, power, scheduler and PLIC code, which map nothing.
 */
static void map_kernel_devices(void)
{
	const struct rt_console *c = &boot_rt.console;
	void *uart = c->ok ? map_device(c->base, c->size) : NULL;
	uint64_t base, size;

	if (uart)
		console_use_uart(uart, c->shift, c->width);
	else if (!boot_rt.console_handed_off)
		kprintf("console: no usable 16550 in the device tree, staying on SBI\n");
	if (boot_rt.finisher_node != DT_NONE &&
	    restab_node_reg(&boot_dt, boot_rt.finisher_node, &base, &size))
		power_use_finisher(map_device(base, size < PAGE_SIZE ? size : PAGE_SIZE));
	const struct rt_ipi_block *ipi = restab_ipi_block(&boot_rt.cpu);
	void *regs = ipi ? map_device(ipi->base, ipi->size) : NULL;
	if (regs)
		sched_use_ipi_block(regs, ipi, &boot_rt.cpu);
	map_irqc(&boot_rt.irqc);
}

static void report(void)
{
	kprintf("\nResource table (%u entries):\n", boot_rt.n);
	restab_print(&boot_rt, print_line);
	kprintf("PTE memory types: %s; 64 KiB NAPOT leaves: %s\n", pte_enc_name(pte_encoding()),
		pt_napot() ? "yes (Svnapot)" : "no");
	kprintf("Direct map: %lu MiB at %#lx; boot page-table pool: %u pages\n",
		kvm_stats.dmap_bytes >> 20, DMAP_BASE, kvm_stats.boot_pool_used);
	kprintf("PMM: %lu pages free of %lu (%lu MiB)\n", pmm_free_pages(), pmm_total_pages(),
		pmm_total_pages() >> 8);
}

/* Parse a decimal number; false if `s` is not one. */
static bool parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/*
 * Boot argument `key` as a decimal number in [min, max] into *out. False if
 * absent; a value that is not such a number is refused with a line.
 */
static bool bootarg_number(const char *key, uint64_t min, uint64_t max, uint64_t *out)
{
	char arg[24];
	uint64_t v;

	if (!bootarg(&boot_dt, key, arg, sizeof(arg)))
		return false;
	if (parse_u64(arg, &v) && v >= min && v <= max) {
		*out = v;
		return true;
	}
	kprintf("zirv: %s=%s refused: not a number from %lu to %lu\n", key, arg, min, max);
	return false;
}

extern const char demo_elf_start[], demo_elf_end[];

/*
 * The first process: the ELF QEMU's -initrd loaded, or bin/init of the
 * boot archive it loaded (docs/boot.md), else the built-in demo.
 */
static void start_first_process(void)
{
	uint64_t size = boot_rt.initrd_end - boot_rt.initrd_start, n;

	if (bootarg_number("zirv.failalloc", 0, INT64_MAX, &n))
		boot.failalloc = (int64_t)n;
	if (!boot_rt.initrd_end) {
		proc_start_first(demo_elf_start, (size_t)(demo_elf_end - demo_elf_start), "demo",
				 NULL, 0);
		return;
	}
	const void *image =
	    kmap_checked(&boot_rt, boot_rt.initrd_start, size, RT_INITRD, MT_CACHED, PTE_R);
	if (!image)
		panic("kmain: cannot map the initrd");
	if (!bootfs_is_archive(image, size)) {
		proc_start_first(image, size, "initrd", NULL, 0);
		return;
	}
	const void *init;
	size_t init_size;
	const char *why;
	switch (bootfs_find(image, size, "bin/init", &init, &init_size, &why)) {
	case BOOTFS_MALFORMED:
		panic("kmain: refusing the boot archive: %s", why);
	case BOOTFS_MISSING:
		panic("kmain: the boot archive has no bin/init to start");
	default:
		proc_start_first(init, init_size, "bin/init", image, size);
	}
}

void kmain(uint64_t hartid, paddr_t dtb_pa, paddr_t load_pa)
{
	sched_init_boot(hartid);
	trap_init();
	sbi_init();
	console_init_sbi();
	boot.hartid = hartid;
	boot.failalloc = -1;
	boot.dtb_pa = dtb_pa;
	boot.load_pa = load_pa;
	kprintf("zirv " ZIRV_VERSION ": hart %lu, SBI %lu.%lu, image at %#lx, DTB at %#lx\n",
		hartid, (sbi_spec_version >> 24) & 0x7f, sbi_spec_version & 0xffffff, load_pa,
		dtb_pa);

	load_resource_table(dtb_pa, load_pa);
	if (!late_fatal)
		check_boot_hart(&boot_rt, hartid);
	pte_set_encoding(choose_encoding(&boot_rt));
	/* Bit 63 is T-Head's SO bit under XTheadMae: NAPOT only with a standard encoder. */
	pt_set_napot((boot_rt.cpu.ext & CPU_SVNAPOT) && pte_encoding() != PTE_ENC_XTHEADMAE);
	pmm_init(&boot_rt);
	kvm_init(&boot_rt, load_pa);
	sched_set_kernel_satp(SATP_MODE_SV39 | (kvm_root() >> PAGE_SHIFT));
	map_kernel_devices();
	if (late_fatal)
		panic("kmain: resource table: %s", late_fatal);
	boot.dt = &boot_dt;
	boot.rt = &boot_rt;
	report();

	/*
	 * User mode may read time (what zx_ticks_get reports) and instret
	 * (instruction-count benchmarks); not cycle, which Zircon offers no
	 * call for (docs/boot.md).
	 */
	csr_write(scounteren, SCOUNTEREN_TM | SCOUNTEREN_IR);
	timer_init(&boot_rt.cpu);
	resource_init(&boot_rt);
	vmo_obj_init();
	enum cache_maint maint = restab_cache_maint(&boot_rt);
	vmo_set_cache_maint(maint, maint == CACHE_MAINT_ZICBOM ? boot_rt.cpu.cbom_block
							       : boot_rt.cpu.dcache_block);
	uint64_t max_asid_bits = 16, gen_bits;
	bootarg_number("zirv.asid_bits", 0, 16, &max_asid_bits);
	uint32_t ncpus = boot_rt.cpu.harts_usable < CPU_MAX ? boot_rt.cpu.harts_usable : CPU_MAX;
	aspace_probe_asids((uint32_t)max_asid_bits, ncpus);
	if (bootarg_number("zirv.handle_gen_bits", 1, 22, &gen_bits))
		handle_set_generation_bits((uint32_t)gen_bits);
	kprintf("ASIDs: %u bits%s\n", aspace_asid_bits(),
		aspace_asid_bits() ? ", in generations"
				   : " (too few: one shared ASID, full flush on switch)");

	char arg[32];
	if (bootarg(&boot_dt, "zirv.test", arg, sizeof(arg))) {
		int code = boot_selftest(&boot);
		kprintf("zirv: powering off (exit %d)\n", code);
		power_off(code);
	}
	smp_start(&boot_rt, hartid, load_pa); /* they wait for the kernel lock */
	start_first_process();
	sched_run(); /* this is the boot hart's idle thread from here on */
}
