/*
 * The hand-made crafted.dts: every expected entry of the resource table is
 * written out below, so overlap precedence, splitting, same-kind ties,
 * non-identity ranges (two levels, 1-cell children under a 2-cell parent),
 * /reserved-memory kinds and flags, /memreserve/, the initrd (2-cell start,
 * 1-cell end) and command-line carve-outs are each checked exactly. Then
 * the same tree with kernel/DTB extra ranges, the CPU facts, stdout/finisher,
 * path and alias lookup, restab_node_reg and restab_lookup.
 */
#include "testutil.h"

#include "../../kernel/fdt.h"
#include "../../kernel/restab.h"

struct want {
	uint64_t base, size;
	int kind;
	const char *name;
	unsigned flags;
};

static const struct want crafted[] = {
    {0x100000, 0x1000, RT_MMIO, "test@100000", RT_F_KERNEL}, /* the power-off device */
    {0x30000000, 0x1000000, RT_MMIO, "pci@30000000", 0},
    {0x40001000, 0x100, RT_MMIO, "serial@1000", RT_F_KERNEL}, /* the console */
    {0x40002000, 0x100, RT_MMIO, "timer@2000", RT_F_DISABLED},
    {0x40003000, 0x10, RT_MMIO, "timer@2000", RT_F_DISABLED},
    {0x40004010, 0x10, RT_MMIO, "dev@10", 0},
    {0x40005000, 0x100, RT_MMIO, "i2c@5000", 0},
    /* firmware beats the overlapping reserved region */
    {0x80000000, 0x40000, RT_FIRMWARE, "mmode_resv0@80000000", 0},
    {0x80040000, 0x1000, RT_RESERVED, "fw-overlap@8003f000", 0},
    {0x80041000, 0x80f00000 - 0x80041000, RT_RAM, "memory@80000000", 0},
    /* two RESERVED overlap: the tree's region (seen first) keeps the bytes */
    {0x80f00000, 0x8000, RT_RESERVED, "/memreserve/", 0},
    {0x80f08000, 0x10000, RT_RESERVED, "secure@80f08000", RT_F_NOMAP},
    {0x80f18000, 0x84000000 - 0x80f18000, RT_RAM, "memory@80000000", 0},
    {0x84000000, 0x100000, RT_INITRD, "initrd", 0},
    {0x84100000, 0x88100000 - 0x84100000, RT_RAM, "memory@80000000", 0},
    /* the command line's 2M@0x88000000 overlaps this pool: refused whole (test below) */
    {0x88100000, 0x400000, RT_CARVEOUT, "dma@88100000", RT_F_NOMAP},
    {0x88500000, 0x90000000 - 0x88500000, RT_RAM, "memory@80000000", 0},
    {0x90000000, 0x100000, RT_CARVEOUT, "bootargs", RT_F_CMDLINE},
    {0x90100000, 0x9ff00000 - 0x90100000, RT_RAM, "memory@80000000", 0},
    /* MMIO beats RAM, and runs past RAM's end */
    {0x9ff00000, 0x200000, RT_MMIO, "weird@9ff00000", 0},
    /* second range entry of bus@40000000: child 0x200000 -> 0x1_0000_0000 */
    {0x100000000, 0x1000, RT_MMIO, "hi@200000", 0},
    {0x100001000, 0x10000000 - 0x1000, RT_RAM, "memory@100000000", 0},
};

static void check_table(const struct restab *rt, const struct want *w, size_t n)
{
	CHECK(rt->n == n, "%u entries, expected %zu", rt->n, n);
	for (size_t i = 0; i < n && i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		CHECK(e->base == w[i].base && e->size == w[i].size,
		      "entry %zu: 0x%" PRIx64 "+0x%" PRIx64 ", expected 0x%" PRIx64 "+0x%" PRIx64,
		      i, e->base, e->size, w[i].base, w[i].size);
		CHECK(e->kind == w[i].kind, "entry %zu kind %s, expected %s", i,
		      rt_kind_name(e->kind), rt_kind_name(w[i].kind));
		CHECK_STR(e->name, w[i].name);
		CHECK(e->flags == w[i].flags, "entry %zu flags %x, expected %x", i, e->flags,
		      w[i].flags);
	}
}

static struct restab rt;

static void check_compat_and_nodes(const struct dt *dt)
{
	CHECK_STR(rt.e[0].compat, "sifive,test1");
	/* 39 characters kept of a longer first string; the second is ignored */
	CHECK_STR(rt.e[3].compat, "vendor,timer-with-a-very-long-compatibl");
	CHECK_STR(rt.e[6].compat, "");
	CHECK_STR(rt.e[15].compat, "shared-dma-pool");
	CHECK(rt.e[10].node == DT_NONE, "memreserve has no node");
	CHECK(rt.e[13].node == dt_find_path(dt, "/chosen"), "initrd node");
	CHECK(rt.e[2].node == dt_find_path(dt, "/soc/bus@40000000/serial@1000"), "serial node");
	CHECK_U64(rt.initrd_start, 0x84000000);
	CHECK_U64(rt.initrd_end, 0x84100000);
}

/* The command line's carve-out over dma@88100000 is refused with a line naming both. */
static void check_refusals(void)
{
	CHECK(rt.nwarn == 1, "%u refusals", rt.nwarn);
	CHECK(strstr(rt.warn[0], "bootargs: zirv.carveout=2M@0x88000000 [0x88000000-0x881fffff] "
				 "overlaps CARVEOUT dma@88100000 [0x88100000-0x884fffff]: refused"),
	      "refusal: %s", rt.warn[0]);
}

static void check_cpu(void)
{
	CHECK(rt.cpu.harts_enabled == 2, "enabled %u", rt.cpu.harts_enabled);
	CHECK(rt.cpu.harts_usable == 2, "usable %u", rt.cpu.harts_usable);
	CHECK(rt.cpu.hartid[0] == 0 && rt.cpu.hartid[1] == 1, "hart ids");
	/* svinval only on cpu@0, sstc only on cpu@1: neither survives */
	CHECK(rt.cpu.ext == (CPU_SVPBMT | CPU_ZICBOM), "ext %x", rt.cpu.ext);
	CHECK(rt.cpu.cbom_block == 64, "cbom %u", rt.cpu.cbom_block);
	CHECK_U64(rt.cpu.timebase, 10000000);
	CHECK(!rt.cpu.all_thead, "not thead");
	CHECK(restab_pte_encoding(&rt) == PTE_ENC_SVPBMT, "encoding");
}

static void check_lookup(const struct dt *dt)
{
	CHECK_STR(dt_name(dt, rt.stdout_node), "serial@1000");
	CHECK_STR(dt_name(dt, rt.finisher_node), "test@100000");
	int dev = dt_find_path(dt, "dev/dev@10"); /* alias, then a relative component */
	CHECK(dev == dt_find_path(dt, "/soc/bus@40000000/nested@4000/dev"), "alias + rest");
	CHECK(dev != DT_NONE, "dev found");
	uint64_t base = 0, size = 0;
	CHECK(restab_node_reg(dt, dev, &base, &size), "node_reg dev");
	CHECK_U64(base, 0x40004010);
	CHECK_U64(size, 0x10);
	CHECK(!restab_node_reg(dt, dt_find_path(dt, "/soc/pci@30000000/dev@0"), &base, &size),
	      "pci child has no CPU window");
	CHECK(!restab_node_reg(dt, dt_find_path(dt, "/soc/bus@40000000/i2c@5000/eeprom@50"), &base,
			       &size),
	      "i2c child has no CPU window");
	CHECK(dt_find_path(dt, "/soc/bus@40000000/serial@2000") == DT_NONE, "wrong unit");
	CHECK(dt_find_path(dt, "nosuchalias") == DT_NONE, "no alias");
	const struct rt_entry *e = restab_lookup(&rt, 0x88100123);
	CHECK(e && !strcmp(e->name, "dma@88100000"), "lookup dma");
	CHECK(restab_lookup(&rt, 0x40004020) == NULL, "hole after dev@10");
	CHECK(restab_lookup(&rt, 0) == NULL, "hole at 0");
	e = restab_lookup(&rt, 0x10fffffff);
	CHECK(e && e->kind == RT_RAM, "last byte of RAM");
	CHECK(restab_lookup(&rt, 0x110000000) == NULL, "past the end");
}

/* Kernel and DTB given by the caller: they beat everything, kernel first. */
static void check_extra(const struct dt *dt)
{
	struct rt_extra x = {.kernel_base = 0x8003f000,
			     .kernel_size = 0x20000,
			     .dtb_base = 0x80050000,
			     .dtb_size = 0x20000};
	int err = restab_build(&rt, dt, &x);
	CHECK(err == DT_OK, "restab_build with extra: %s", rt.err);
	static const struct want w[] = {
	    {0x80000000, 0x3f000, RT_FIRMWARE, "mmode_resv0@80000000", 0},
	    {0x8003f000, 0x20000, RT_KERNEL, "kernel", 0},
	    {0x8005f000, 0x11000, RT_DTB, "dtb", 0},
	    {0x80070000, 0x80f00000 - 0x80070000, RT_RAM, "memory@80000000", 0},
	};
	uint32_t found = 0;
	for (uint32_t i = 0; i < rt.n; i++)
		if (rt.e[i].base == 0x80000000) {
			found++;
			for (size_t k = 0; k < 4 && i + k < rt.n; k++) {
				const struct rt_entry *e = &rt.e[i + k];
				CHECK(e->base == w[k].base && e->size == w[k].size &&
					  e->kind == w[k].kind,
				      "extra entry %zu: %s 0x%" PRIx64 "+0x%" PRIx64, k,
				      rt_kind_name(e->kind), e->base, e->size);
				CHECK_STR(e->name, w[k].name);
			}
		}
	CHECK(found == 1, "firmware entry found %u times", found);
	CHECK(rt.n == sizeof crafted / sizeof crafted[0] + 1, "fw-overlap vanishes, 2 added: %u",
	      rt.n);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_crafted crafted.dtb\n");
		return 2;
	}
	t_ctx = "crafted";
	size_t len;
	unsigned char *blob = t_load(argv[1], &len);
	struct dt dt;
	int err = dt_open(&dt, blob, len);
	CHECK(err == DT_OK, "dt_open: %s", dt_strerror(err));
	if (err)
		return t_done("dt-crafted");
	err = restab_build(&rt, &dt, NULL);
	CHECK(err == DT_OK, "restab_build: %s", rt.err);
	check_table(&rt, crafted, sizeof crafted / sizeof crafted[0]);
	check_compat_and_nodes(&dt);
	check_cpu();
	check_refusals();
	check_lookup(&dt);
	check_extra(&dt);
	free(blob);
	return t_done("dt-crafted");
}
