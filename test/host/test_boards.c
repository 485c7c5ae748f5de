/*
 * Facts about the 15 real board DTBs (test/host/boards/README.md) checked
 * against restab_build(): CPU facts and the PTE encoding, RAM and reserved
 * ranges, the console, non-identity ranges, MMIO above 4 GiB, and k210's
 * refusal (mmu-type "riscv,none").
 *
 * usage: test_boards DIR   (the directory holding the .dtb files)
 */
#include "testutil.h"

#include "../../kernel/fdt.h"
#include "../../kernel/restab.h"

struct range {
	uint64_t base, size;
	int kind;
	const char *name;
	unsigned flags;
};

struct board {
	const char *file;
	int err; /* expected restab_build result */
	uint32_t usable, enabled, first_hart;
	uint32_t ext;
	enum pte_enc enc;
	uint32_t cbom;
	uint64_t timebase;
	const char *console;  /* node name of stdout_node */
	uint64_t console_pa;  /* restab_node_reg of it */
	struct range must[4]; /* entries that must be in the table exactly */
};

#define ALLEXT (CPU_SVPBMT | CPU_SVNAPOT | CPU_SVINVAL | CPU_ZICBOM | CPU_SSTC)
#define GiB    (1ull << 30)

static const struct board boards[] = {
    {"visionfive2.dtb",
     DT_OK,
     4,
     4,
     1,
     0,
     PTE_ENC_NONE,
     0,
     4000000,
     "serial@10000000",
     0x10000000,
     {{0x40000000, 4 * GiB, RT_RAM, "memory@40000000", 0},
      /* usb@10100000: ranges <0 0 0x10100000 0x100000>, 1-cell child under 2-cell soc */
      {0x10100000, 0x10000, RT_MMIO, "usb@0", 0},
      {0x10120000, 0x10000, RT_MMIO, "usb@0", 0},
      {0x940000000, 0x1000000, RT_MMIO, "pcie@940000000", 0}}},
    {"unmatched.dtb",
     DT_OK,
     4,
     4,
     1,
     0,
     PTE_ENC_NONE,
     0,
     1000000,
     "serial@10010000",
     0x10010000,
     {{0x80000000, 16 * GiB, RT_RAM, "memory@80000000", 0},
      {0xc000000, 0x4000000, RT_MMIO, "interrupt-controller@c000000", RT_F_KERNEL}}},
    {"nezha-d1.dtb",
     DT_OK,
     1,
     1,
     0,
     CPU_XTHEADCMO,
     PTE_ENC_XTHEADMAE,
     0,
     24000000,
     "serial@2500000",
     0x2500000,
     {{0x10000000, 0x4000000, RT_MMIO, "interrupt-controller@10000000", RT_F_KERNEL}}},
    {"milkv-duo.dtb",
     DT_OK,
     1,
     1,
     0,
     CPU_XTHEADCMO,
     PTE_ENC_XTHEADMAE,
     0,
     25000000,
     "serial@4140000",
     0x4140000,
     {{0x80000000, 0x3f40000, RT_RAM, "memory@80000000", 0},
      {0x83f40000, 0xc0000, RT_RESERVED, "region@83f40000", RT_F_NOMAP},
      {0x74000000, 0x10000, RT_MMIO, "timer@74000000", RT_F_KERNEL},
      {0x70000000, 0x4000000, RT_MMIO, "interrupt-controller@70000000", RT_F_KERNEL}}},
    {"k230-canmv.dtb",
     DT_OK,
     1,
     1,
     0,
     CPU_SVPBMT | CPU_ZICBOM,
     PTE_ENC_SVPBMT,
     64,
     27000000,
     "serial@91400000",
     0x91400000,
     {{0, 512u << 20, RT_RAM, "memory@0", 0},
      {0xf00000000, 0x4000000, RT_MMIO, "interrupt-controller@f00000000", RT_F_KERNEL}}},
    {"bananapi-f3.dtb",
     DT_OK,
     8,
     8,
     0,
     ALLEXT,
     PTE_ENC_SVPBMT,
     64,
     24000000,
     "serial@d4017000",
     0xd4017000,
     {{0xe0000000, 0x4000000, RT_MMIO, "interrupt-controller@e0000000", RT_F_KERNEL}}},
    {"unleashed.dtb",
     DT_OK,
     4,
     4,
     1,
     0,
     PTE_ENC_NONE,
     0,
     1000000,
     "serial@10010000",
     0x10010000,
     {{0x80000000, 8 * GiB, RT_RAM, "memory@80000000", 0}}},
    {"k210.dtb",
     DT_E_NOMMU,
     0,
     2,
     0,
     0,
     PTE_ENC_NONE,
     0,
     0,
     "serial@38000000",
     0x38000000,
     /* three SRAM banks, three RAM entries */
     {{0x80000000, 4u << 20, RT_RAM, "memory@80000000", 0},
      {0x80400000, 2u << 20, RT_RAM, "memory@80000000", 0},
      {0x80600000, 2u << 20, RT_RAM, "memory@80000000", 0}}},
    {"lichee-pi-4a.dtb",
     DT_OK,
     4,
     4,
     0,
     CPU_XTHEADCMO,
     PTE_ENC_XTHEADMAE,
     0,
     3000000,
     "serial@ffe7014000",
     0xffe7014000,
     {{0, 8 * GiB, RT_RAM, "memory@0", 0},
      {0xffd8000000, 0x1000000, RT_MMIO, "interrupt-controller@ffd8000000", RT_F_KERNEL},
      {0xffdc000000, 0x10000, RT_MMIO, "timer@ffdc000000", RT_F_KERNEL}}},
    {"milkv-pioneer.dtb",
     DT_OK,
     64,
     64,
     0,
     CPU_XTHEADCMO,
     PTE_ENC_XTHEADMAE,
     0,
     50000000,
     "serial@7040000000",
     0x7040000000,
     {{0x7090000000, 0x4000000, RT_MMIO, "interrupt-controller@7090000000", RT_F_KERNEL}}},
    {"mpfs-icicle-kit.dtb",
     DT_OK,
     4,
     4,
     1,
     0,
     PTE_ENC_NONE,
     0,
     1000000,
     "serial@20100000",
     0x20100000,
     {{0x80000000, GiB - (4u << 20), RT_RAM, "memory@80000000", 0},
      {0xbfc00000, 4u << 20, RT_RESERVED, "region@bfc00000", RT_F_NOMAP},
      {0x1040000000, GiB, RT_RAM, "memory@1040000000", 0},
      {0x20000000, 0x400, RT_MMIO, "serial@20000000", RT_F_DISABLED}}},
    {"sg2044-srd3-10.dtb",
     DT_OK,
     64,
     64,
     0,
     ALLEXT | CPU_XTHEADCMO,
     PTE_ENC_SVPBMT,
     64,
     50000000,
     "serial@7030001000",
     0x7030001000,
     {{0x80000000, 64 * GiB, RT_RAM, "memory@80000000", 0}}},
    {"beaglev-ahead.dtb",
     DT_OK,
     4,
     4,
     0,
     CPU_XTHEADCMO,
     PTE_ENC_XTHEADMAE,
     0,
     3000000,
     "serial@ffe7014000",
     0xffe7014000,
     {{0, 4 * GiB, RT_RAM, "memory@0", 0}}},
    {"hifive-premier-p550.dtb",
     DT_OK,
     4,
     4,
     0,
     0,
     PTE_ENC_NONE,
     0,
     1000000,
     "serial@50900000",
     0x50900000,
     {{0xc000000, 0x4000000, RT_MMIO, "interrupt-controller@c000000", RT_F_KERNEL}}},
    {"k3-pico-itx.dtb",
     DT_OK,
     8,
     8,
     0,
     ALLEXT | CPU_SSAIA,
     PTE_ENC_SVPBMT,
     64,
     24000000,
     "serial@d4017000",
     0xd4017000,
     {{0x100000000, 16 * GiB, RT_RAM, "memory@100000000", 0}}},
};

static struct restab rt;

static void check_must(const struct range *m)
{
	const struct rt_entry *e = restab_lookup(&rt, m->base);
	CHECK(e != NULL, "no entry at 0x%" PRIx64 " (%s)", m->base, m->name);
	if (!e)
		return;
	CHECK(e->base == m->base && e->size == m->size,
	      "%s: 0x%" PRIx64 "+0x%" PRIx64 ", expected 0x%" PRIx64 "+0x%" PRIx64, m->name,
	      e->base, e->size, m->base, m->size);
	CHECK(e->kind == m->kind, "%s kind %s", m->name, rt_kind_name(e->kind));
	CHECK_STR(e->name, m->name);
	CHECK(e->flags == m->flags, "%s flags %x", m->name, e->flags);
}

static void check_invariants(void)
{
	for (uint32_t i = 0; i < rt.n; i++) {
		CHECK(rt.e[i].size > 0, "entry %u empty", i);
		if (i > 0)
			CHECK(rt.e[i - 1].base + rt.e[i - 1].size <= rt.e[i].base,
			      "entries %u and %u overlap or are unsorted", i - 1, i);
	}
}

/*
 * Every board but the APLIC one (K3) has a PLIC zirv drives, with a
 * supervisor context for its first usable hart, and its console's
 * interrupt among the device interrupts, inside the PLIC's sources. The
 * T-Head PLICs give a trigger type in a second cell: the D1's UART is
 * vector 18, level-high (4).
 */
static void check_interrupts(const struct dt *dt, const struct board *b)
{
	bool aplic = !strcmp(b->file, "k3-pico-itx.dtb");
	if (b->err != DT_OK)
		return; /* no table to read */
	CHECK(rt.irqc.ok == !aplic, "PLIC driven: %d", rt.irqc.ok);
	if (!rt.irqc.ok || !b->usable)
		return;
	CHECK(rt.irqc.sctx[0] >= 0, "first hart's S-mode context");
	bool console = false;
	for (uint32_t i = 0; i < rt.nirq && i < RT_IRQ_MAX; i++) {
		CHECK(rt.irq[i].vector >= 1 && rt.irq[i].vector <= rt.irqc.ndev, "vector %u",
		      rt.irq[i].vector);
		console |= rt.irq[i].node == rt.stdout_node;
	}
	CHECK(console, "the console's interrupt");
	if (!strcmp(b->file, "nezha-d1.dtb")) {
		const struct rt_irq *q = restab_irq(&rt, 18);
		CHECK(q && !strcmp(dt_name(dt, q->node), "serial@2500000") &&
			  q->trigger == RT_IRQ_LEVEL_HIGH,
		      "D1 UART: vector 18, level-high");
	}
}

static void check_board(const char *dir, const struct board *b)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, b->file);
	t_ctx = b->file;
	size_t len;
	unsigned char *blob = t_load(path, &len);
	struct dt dt;
	CHECK(dt_open(&dt, blob, len) == DT_OK, "dt_open");
	int err = restab_build(&rt, &dt, NULL);
	CHECK(err == b->err, "restab_build = %d (%s), expected %d", err, rt.err, b->err);
	CHECK(rt.cpu.harts_usable == b->usable, "usable %u", rt.cpu.harts_usable);
	CHECK(rt.cpu.harts_enabled == b->enabled, "enabled %u", rt.cpu.harts_enabled);
	if (b->usable)
		CHECK(rt.cpu.hartid[0] == b->first_hart, "first hart %lu",
		      (unsigned long)rt.cpu.hartid[0]);
	CHECK(rt.cpu.ext == b->ext, "ext %x, expected %x", rt.cpu.ext, b->ext);
	CHECK(restab_pte_encoding(&rt) == b->enc, "encoding %s",
	      pte_enc_name(restab_pte_encoding(&rt)));
	CHECK(rt.cpu.cbom_block == b->cbom, "cbom %u", rt.cpu.cbom_block);
	if (b->err == DT_OK)
		CHECK_U64(rt.cpu.timebase, b->timebase);
	CHECK_STR(dt_name(&dt, rt.stdout_node), b->console);
	uint64_t base = 0, size = 0;
	CHECK(restab_node_reg(&dt, rt.stdout_node, &base, &size), "console reg");
	CHECK_U64(base, b->console_pa);
	CHECK(rt.finisher_node == DT_NONE, "no test finisher on a real board");
	for (size_t i = 0; i < 4 && b->must[i].name; i++)
		check_must(&b->must[i]);
	check_invariants();
	check_interrupts(&dt, b);
	free(blob);
}

/* What zx_vmo_op_range's cache operations can do on each board (docs/cacheability.md). */
static const struct {
	const char *file;
	enum cache_maint maint;
	bool noncoherent;
} dma_boards[] = {
    {"bananapi-f3.dtb", CACHE_MAINT_ZICBOM, true},
    {"beaglev-ahead.dtb", CACHE_MAINT_XTHEAD, true},
    {"hifive-premier-p550.dtb", CACHE_MAINT_NONE, true},
    {"k230-canmv.dtb", CACHE_MAINT_ZICBOM, true},
    {"k3-pico-itx.dtb", CACHE_MAINT_ZICBOM, true},
    {"lichee-pi-4a.dtb", CACHE_MAINT_XTHEAD, true},
    {"milkv-duo.dtb", CACHE_MAINT_XTHEAD, true},
    {"milkv-pioneer.dtb", CACHE_MAINT_XTHEAD, true},
    {"mpfs-icicle-kit.dtb", CACHE_MAINT_COHERENT, false},
    {"nezha-d1.dtb", CACHE_MAINT_XTHEAD, true},
    {"sg2044-srd3-10.dtb", CACHE_MAINT_ZICBOM, true},
    {"unleashed.dtb", CACHE_MAINT_COHERENT, false},
    {"unmatched.dtb", CACHE_MAINT_COHERENT, false},
    {"visionfive2.dtb", CACHE_MAINT_COHERENT, false},
};

static void check_dma(const char *dir)
{
	char path[1024];
	size_t len;
	struct dt dt;
	for (size_t i = 0; i < sizeof dma_boards / sizeof dma_boards[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, dma_boards[i].file);
		unsigned char *blob = t_load(path, &len);
		t_ctx = dma_boards[i].file;
		dt_open(&dt, blob, len);
		CHECK(restab_build(&rt, &dt, NULL) == DT_OK, "builds: %s", rt.err);
		CHECK((rt.dma_noncoherent_node != DT_NONE) == dma_boards[i].noncoherent,
		      "dma-noncoherent found: %d", rt.dma_noncoherent_node != DT_NONE);
		CHECK(restab_cache_maint(&rt) == dma_boards[i].maint, "cache maintenance %d",
		      restab_cache_maint(&rt));
		CHECK(rt.cpu.dcache_block == 64, "line size %u", rt.cpu.dcache_block);
		free(blob);
	}
}

/*
 * dma-ranges: the K1's buses, two windows each with 2-cell addresses (RAM
 * above 4 GiB seen 2 GiB lower); a node under no dma-ranges sees CPU
 * addresses. (The D1's dma-ranges sits on its memory bus, which devices
 * name through interconnects: not read.)
 */
static void check_dma_ranges(const char *dir)
{
	char path[1024];
	size_t len;
	struct dt dt;
	struct rt_dma d;
	unsigned char *blob;
	snprintf(path, sizeof path, "%s/bananapi-f3.dtb", dir);
	blob = t_load(path, &len);
	t_ctx = "bananapi-f3.dtb";
	dt_open(&dt, blob, len);
	int depth = 0, buses = 0;
	for (int n = dt_root(&dt); n != DT_NONE; n = dt_next_node(&dt, n, &depth)) {
		uint32_t l;
		int child = dt_first_child(&dt, n);
		if (!dt_getprop(&dt, n, "dma-ranges", &l) || l != 48 || child == DT_NONE)
			continue;
		CHECK(restab_dma_ranges(&dt, child, &d) == RT_DMA_OK && d.n == 2,
		      "K1 bus %s: two windows", dt_name(&dt, n));
		CHECK(d.w[0].dev == 0 && d.w[0].cpu == 0 && d.w[0].size == 0x80000000,
		      "K1 low window");
		CHECK(d.w[1].cpu == d.w[1].dev + 0x80000000 && d.w[1].cpu >= 0x100000000ull,
		      "K1 high window: dev %#llx cpu %#llx", (unsigned long long)d.w[1].dev,
		      (unsigned long long)d.w[1].cpu);
		buses++;
	}
	CHECK(buses >= 3, "K1 buses with two windows: %d", buses);
	CHECK(restab_dma_ranges(&dt, dt_find_path(&dt, "/cpus"), &d) == RT_DMA_OK && d.n == 0,
	      "a node under no dma-ranges: CPU addresses");
	free(blob);
}

/* Board facts the table above cannot express. */
static void check_specials(const char *dir)
{
	char path[1024];
	size_t len;
	struct dt dt;
	snprintf(path, sizeof path, "%s/k210.dtb", dir);
	unsigned char *blob = t_load(path, &len);
	t_ctx = "k210.dtb";
	dt_open(&dt, blob, len);
	CHECK(restab_build(&rt, &dt, NULL) == DT_E_NOMMU, "k210 refused");
	CHECK(strstr(rt.err, "MMU") && strstr(rt.err, "riscv,none"), "message: %s", rt.err);
	free(blob);

	/* sg2044: same "thead,c920" compatible as SG2042, but Svpbmt wins */
	snprintf(path, sizeof path, "%s/sg2044-srd3-10.dtb", dir);
	blob = t_load(path, &len);
	t_ctx = "sg2044-srd3-10.dtb";
	dt_open(&dt, blob, len);
	CHECK(restab_build(&rt, &dt, NULL) == DT_OK, "sg2044");
	CHECK(rt.cpu.all_thead, "sg2044 harts are thead,c920");
	CHECK(rt.cpu.hartid[63] == 63, "hart 63");
	free(blob);

	/* boards without a memory node still build (the bootloader adds it) */
	static const char *const nomem[] = {"nezha-d1.dtb", "bananapi-f3.dtb", "milkv-pioneer.dtb",
					    "hifive-premier-p550.dtb"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, nomem[i]);
		blob = t_load(path, &len);
		t_ctx = nomem[i];
		dt_open(&dt, blob, len);
		CHECK(restab_build(&rt, &dt, NULL) == DT_OK, "builds: %s", rt.err);
		for (uint32_t k = 0; k < rt.n; k++)
			CHECK(rt.e[k].kind != RT_RAM, "unexpected RAM entry");
		free(blob);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_boards DIR\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof boards / sizeof boards[0]; i++)
		check_board(argv[1], &boards[i]);
	check_specials(argv[1]);
	check_dma(argv[1]);
	check_dma_ranges(argv[1]);
	return t_done("dt-boards");
}
