/*
 * Device trees dumped from QEMU 7.2's virt machine (gen_qemu_dtbs.py) in
 * several configurations, checked against the fixed virt memory map
 * (QEMU's hw/riscv/virt.c): RAM at 0x80000000 of the configured size
 * (split across NUMA nodes), the eight virtio-mmio windows, UART, PLIC,
 * CLINT, PCIe ECAM, the test finisher and the console, Svpbmt detection and
 * a command-line carve-out.
 *
 * usage: test_qemu virt-*.dtb...   (the configuration is the file name)
 */
#include "testutil.h"

#include "../../kernel/fdt.h"
#include "../../kernel/restab.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

struct config {
	const char *name;
	uint64_t ram; /* total bytes of RAM + carve-out */
	uint32_t harts;
	int numa_nodes; /* memory nodes */
	bool svpbmt;
	bool carveout;
};

static const struct config configs[] = {
    {"virt-128m-smp1", 128 * MiB, 1, 1, false, false},
    {"virt-2g", 2 * GiB, 1, 1, false, false},
    {"virt-8g-smp8", 8 * GiB, 8, 1, false, false},
    {"virt-numa", 2 * GiB, 2, 2, false, false},
    {"virt-svpbmt", 256 * MiB, 1, 1, true, false},
    {"virt-devices", 256 * MiB, 1, 1, false, false},
    {"virt-carveout", 512 * MiB, 1, 1, false, true},
};

static struct restab rt;

/* The entry at exactly [base, base+size) with this kind and node name. */
static void expect(uint64_t base, uint64_t size, int kind, const char *name, const char *compat)
{
	const struct rt_entry *e = restab_lookup(&rt, base);
	CHECK(e && e->base == base && e->size == size && e->kind == kind,
	      "%s: want %s 0x%" PRIx64 "+0x%" PRIx64 ", got %s 0x%" PRIx64 "+0x%" PRIx64, name,
	      rt_kind_name(kind), base, size, e ? rt_kind_name(e->kind) : "-", e ? e->base : 0,
	      e ? e->size : 0);
	if (!e)
		return;
	CHECK_STR(e->name, name);
	if (compat)
		CHECK_STR(e->compat, compat);
	/* the kernel keeps its console, the CLINT, the PLIC and the power-off device for itself */
	bool kernels = !strcmp(name, "serial@10000000") || !strncmp(name, "clint@", 6) ||
		       !strncmp(name, "plic@", 5) || !strcmp(name, "test@100000");
	CHECK(e->flags == (kernels ? RT_F_KERNEL : 0), "%s flags %x", name, e->flags);
}

static void check_devices(const struct dt *dt)
{
	char name[32];
	for (int i = 0; i < 8; i++) {
		uint64_t base = 0x10001000 + 0x1000 * (uint64_t)i;
		snprintf(name, sizeof name, "virtio_mmio@%" PRIx64, base);
		expect(base, 0x1000, RT_MMIO, name, "virtio,mmio");
	}
	expect(0x10000000, 0x100, RT_MMIO, "serial@10000000", "ns16550a");
	expect(0xc000000, 0x600000, RT_MMIO, "plic@c000000", "sifive,plic-1.0.0");
	expect(0x2000000, 0x10000, RT_MMIO, "clint@2000000", "sifive,clint0");
	expect(0x30000000, 0x10000000, RT_MMIO, "pci@30000000", "pci-host-ecam-generic");
	expect(0x100000, 0x1000, RT_MMIO, "test@100000", "sifive,test1");
	expect(0x10100000, 0x18, RT_MMIO, "fw-cfg@10100000", "qemu,fw-cfg-mmio");
	/* PCI windows 0x3000000 / 0x40000000 are bus ranges, never entries */
	CHECK(restab_lookup(&rt, 0x40000000) == NULL, "PCI MMIO window is not a device");
	CHECK(restab_lookup(&rt, 0x3000000) == NULL, "PCI PIO window is not a device");
	uint64_t base = 0, size = 0;
	CHECK_STR(dt_name(dt, rt.finisher_node), "test@100000");
	CHECK(restab_node_reg(dt, rt.finisher_node, &base, &size), "finisher reg");
	CHECK_U64(base, 0x100000);
	CHECK_STR(dt_name(dt, rt.stdout_node), "serial@10000000");
	CHECK(restab_node_reg(dt, rt.stdout_node, &base, &size), "uart reg");
	CHECK_U64(base, 0x10000000);
	CHECK_U64(size, 0x100);
}

static void check_ram(const struct config *c)
{
	uint64_t total = 0, next = 0x80000000;
	int ram_entries = 0;
	for (uint32_t i = 0; i < rt.n; i++) {
		const struct rt_entry *e = &rt.e[i];
		if (e->kind != RT_RAM && e->kind != RT_CARVEOUT)
			continue;
		CHECK(e->base == next, "RAM/carve-out not contiguous at 0x%" PRIx64, e->base);
		next = e->base + e->size;
		total += e->size;
		ram_entries += e->kind == RT_RAM;
	}
	CHECK_U64(total, c->ram);
	if (c->numa_nodes == 2) {
		expect(0x80000000, c->ram / 2, RT_RAM, "memory@80000000", NULL);
		expect(0x80000000 + c->ram / 2, c->ram / 2, RT_RAM, "memory@c0000000", NULL);
		expect(0xc600000, 0x600000, RT_MMIO, "plic@c600000", NULL);
		expect(0x2010000, 0x10000, RT_MMIO, "clint@2010000", NULL);
	} else if (c->carveout) {
		expect(0x80000000, 0x10000000, RT_RAM, "memory@80000000", NULL);
		const struct rt_entry *e = restab_lookup(&rt, 0x90000000);
		CHECK(e && e->base == 0x90000000 && e->size == MiB && e->kind == RT_CARVEOUT &&
			  e->flags == RT_F_CMDLINE && !strcmp(e->name, "bootargs"),
		      "carve-out entry");
		expect(0x90100000, c->ram - 0x10000000 - MiB, RT_RAM, "memory@80000000", NULL);
	} else {
		expect(0x80000000, c->ram, RT_RAM, "memory@80000000", NULL);
	}
	CHECK(ram_entries == (c->carveout ? 2 : c->numa_nodes), "%d RAM entries", ram_entries);
}

static void check_cpu(const struct config *c)
{
	CHECK(rt.cpu.harts_usable == c->harts, "usable %u", rt.cpu.harts_usable);
	CHECK(rt.cpu.harts_enabled == c->harts, "enabled %u", rt.cpu.harts_enabled);
	for (uint32_t i = 0; i < c->harts; i++)
		CHECK(rt.cpu.hartid[i] == i, "hart %u id %lu", i, (unsigned long)rt.cpu.hartid[i]);
	CHECK(!!(rt.cpu.ext & CPU_SVPBMT) == c->svpbmt, "svpbmt %x", rt.cpu.ext);
	CHECK(rt.cpu.ext & CPU_SSTC, "QEMU 7.2 virt has sstc");
	CHECK(restab_pte_encoding(&rt) == (c->svpbmt ? PTE_ENC_SVPBMT : PTE_ENC_NONE), "encoding");
	CHECK_U64(rt.cpu.timebase, 10000000);
	CHECK(!rt.cpu.all_thead, "not thead");
}

/*
 * The PLIC and its device interrupts as QEMU's virt machine wires them:
 * virtio-mmio slot i is vector i + 1, the UART 10, the RTC 11; hart i's
 * S-mode context is 2i + 1 (M-mode is 2i). With two NUMA nodes QEMU makes
 * one PLIC per socket and wires the virtio slots to the second: zirv drives
 * the first, and refuses the second with a line saying so.
 */
static void check_interrupts(const struct dt *dt, const struct config *c)
{
	CHECK(rt.irqc.ok, "PLIC driven");
	CHECK_U64(rt.irqc.base, 0xc000000);
	CHECK(rt.irqc.cells == 1, "#interrupt-cells %u", rt.irqc.cells);
	CHECK(rt.irqc.ndev >= 53, "ndev %u", rt.irqc.ndev);
	uint32_t harts_here = c->numa_nodes == 2 ? c->harts / 2 : c->harts;
	for (uint32_t i = 0; i < c->harts; i++)
		CHECK(rt.irqc.sctx[i] == (i < harts_here ? (int)(2 * i + 1) : -1),
		      "hart %u context %d", i, rt.irqc.sctx[i]);
	char name[32];
	for (uint32_t i = 0; i < 8 && c->numa_nodes != 2; i++) {
		const struct rt_irq *q = restab_irq(&rt, i + 1);
		snprintf(name, sizeof name, "virtio_mmio@%x", 0x10001000 + 0x1000 * i);
		CHECK(q && !strcmp(dt_name(dt, q->node), name), "vector %u", i + 1);
		CHECK(q && q->trigger == RT_IRQ_TRIGGER_NONE, "one cell: no trigger type");
	}
	const struct rt_irq *uart = restab_irq(&rt, 10), *rtc = restab_irq(&rt, 11);
	CHECK(uart && !strcmp(dt_name(dt, uart->node), "serial@10000000"), "uart vector 10");
	CHECK(rtc && !strcmp(dt_name(dt, rtc->node), "rtc@101000"), "rtc vector 11");
	CHECK(restab_irq(&rt, 0) == NULL, "vector 0 is no source");
	bool refused = false;
	for (uint32_t i = 0; i < rt.nwarn && i < RT_WARN_MAX; i++)
		refused |= strstr(rt.warn[i], "a second PLIC") != NULL;
	CHECK(refused == (c->numa_nodes == 2), "second PLIC refused: %d", refused);
}

static void check_file(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const struct config *c = NULL;
	for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++)
		if (!strncmp(base, configs[i].name, strlen(configs[i].name)) &&
		    !strcmp(base + strlen(configs[i].name), ".dtb"))
			c = &configs[i];
	t_ctx = base;
	CHECK(c != NULL, "unknown configuration");
	if (!c)
		return;
	size_t len;
	unsigned char *blob = t_load(path, &len);
	struct dt dt;
	CHECK(dt_open(&dt, blob, len) == DT_OK, "dt_open");
	CHECK(restab_build(&rt, &dt, NULL) == DT_OK, "restab_build: %s", rt.err);
	check_devices(&dt);
	check_ram(c);
	check_cpu(c);
	check_interrupts(&dt, c);
	CHECK(restab_lookup(&rt, 0) == NULL, "hole at 0");
	free(blob);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_qemu virt-*.dtb...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		check_file(argv[i]);
	return t_done("dt-qemu");
}
