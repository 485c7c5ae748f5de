/*
 * Malformed input: every DT_E_* code from its own broken blob, every prefix
 * of a real blob, forged node/property handles, and a fixed-seed random
 * byte-flip loop. Run under ASan/UBSan: besides the expected codes, any
 * out-of-bounds read or undefined behaviour aborts the test.
 *
 * usage: test_malformed REAL.dtb
 */
#include "testutil.h"

#include <libfdt.h>
#include <stdarg.h>

#include "../../kernel/fdt.h"
#include "../../kernel/restab.h"

static struct restab rt;

/* Opens a private exact-size copy, so ASan flags any read past `len`. */
static int open_copy(const void *blob, size_t len, struct dt *dt, unsigned char **copy)
{
	*copy = malloc(len ? len : 1);
	memcpy(*copy, blob, len);
	return dt_open(dt, *copy, len);
}

static int open_code(const void *blob, size_t len)
{
	struct dt dt;
	unsigned char *copy;
	int err = open_copy(blob, len, &dt, &copy);
	free(copy);
	return err;
}

#define EXPECT_OPEN(blob, len, code)                                                               \
	do {                                                                                       \
		int e_ = open_code(blob, len);                                                     \
		CHECK(e_ == (code), "dt_open = %d (%s), expected %s", e_, dt_strerror(e_), #code); \
	} while (0)

/* ------------------------------------------------------------ raw builder */

/* Builds blobs token by token, including ones no real compiler would emit. */
struct fb {
	uint8_t st[8192];
	size_t sn;
	char strs[256];
	size_t strn;
	bool rsv_unterminated; /* put the map last, fill it without a 0,0 entry */
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void fb_tok(struct fb *f, uint32_t t)
{
	put32(f->st + f->sn, t);
	f->sn += 4;
}

static void fb_bytes(struct fb *f, const void *p, size_t n, bool pad)
{
	memcpy(f->st + f->sn, p, n);
	f->sn += n;
	while (pad && f->sn % 4)
		f->st[f->sn++] = 0;
}

static void fb_begin(struct fb *f, const char *name)
{
	fb_tok(f, 1);
	fb_bytes(f, name, strlen(name) + 1, true);
}

static uint32_t fb_str(struct fb *f, const char *s)
{
	uint32_t off = (uint32_t)f->strn;
	memcpy(f->strs + f->strn, s, strlen(s) + 1);
	f->strn += strlen(s) + 1;
	return off;
}

static void fb_prop(struct fb *f, uint32_t nameoff, const void *v, uint32_t len)
{
	fb_tok(f, 3);
	fb_tok(f, len);
	fb_tok(f, nameoff);
	fb_bytes(f, v, len, true);
}

/* header | rsvmap (one 0,0 entry) | struct | strings; returns totalsize. */
static size_t fb_finish(struct fb *f, uint8_t *out)
{
	size_t rsv = 40, st = rsv + 16, str = st + f->sn, end = str + f->strn;
	memset(out, 0, 40 + 16);
	if (f->rsv_unterminated) { /* rsvmap moved behind the strings, 3 live entries */
		st = 40;
		str = st + f->sn;
		rsv = (str + f->strn + 7) & ~(size_t)7;
		end = rsv + 3 * 16;
		memset(out + str + f->strn, 0, rsv - str - f->strn);
		memset(out + rsv, 0x11, 3 * 16);
	}
	memcpy(out + st, f->st, f->sn);
	memcpy(out + str, f->strs, f->strn);
	uint32_t h[10] = {
	    0xd00dfeed, (uint32_t)end,	   (uint32_t)st,   (uint32_t)str, (uint32_t)rsv, 17, 16,
	    0,		(uint32_t)f->strn, (uint32_t)f->sn};
	for (int i = 0; i < 10; i++)
		put32(out + 4 * i, h[i]);
	return end;
}

static int fb_open(struct fb *f)
{
	static uint8_t out[16384];
	size_t n = fb_finish(f, out);
	return open_code(out, n);
}

static void check_structure_errors(void)
{
	struct fb f;
	t_ctx = "structure";
#define FRESH() (memset(&f, 0, sizeof f), f.strn = 0, fb_str(&f, "compatible"))
	FRESH();
	fb_begin(&f, "");
	fb_prop(&f, 0, "x", 2);
	fb_begin(&f, "child@1");
	fb_tok(&f, 4); /* NOP anywhere is fine */
	fb_tok(&f, 2);
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_OK, "minimal tree");

	FRESH();
	fb_begin(&f, "");
	fb_tok(&f, 7);
	CHECK(fb_open(&f) == DT_E_TOKEN, "unknown token 7");

	FRESH();
	fb_begin(&f, "");
	fb_tok(&f, 1);
	fb_bytes(&f, "abcdefgh", 8, false); /* name runs to the block's end */
	CHECK(fb_open(&f) == DT_E_NAME, "unterminated name");

	FRESH();
	fb_begin(&f, "");
	fb_prop(&f, 100, "x", 2);
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_E_STRING, "nameoff past strings");

	FRESH();
	f.strn = 3;
	memcpy(f.strs, "abc", 3); /* no NUL in the whole strings block */
	fb_begin(&f, "");
	fb_prop(&f, 0, "x", 2);
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_E_STRING, "unterminated property name");

	FRESH();
	fb_begin(&f, "");
	fb_tok(&f, 3);
	fb_tok(&f, 1000);
	fb_tok(&f, 0);
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_E_PROPLEN, "property length past the block");

	FRESH();
	fb_begin(&f, "");
	fb_tok(&f, 3); /* header of a PROP cut by the end of the block */
	CHECK(fb_open(&f) == DT_E_PROPLEN, "truncated property header");
}

static void check_nesting_errors(void)
{
	struct fb f;
	t_ctx = "nesting";
	for (int depth = DT_MAX_DEPTH; depth <= DT_MAX_DEPTH + 1; depth++) {
		FRESH();
		for (int i = 0; i < depth; i++)
			fb_begin(&f, i ? "n" : "");
		for (int i = 0; i < depth; i++)
			fb_tok(&f, 2);
		fb_tok(&f, 9);
		CHECK(fb_open(&f) == (depth > DT_MAX_DEPTH ? DT_E_DEPTH : DT_OK), "depth %d",
		      depth);
	}
	FRESH();
	fb_begin(&f, "");
	fb_tok(&f, 2);
	CHECK(fb_open(&f) == DT_E_END, "no FDT_END");
	FRESH();
	fb_begin(&f, "");
	fb_begin(&f, "a");
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_E_END, "FDT_END inside the root");
	FRESH();
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_E_END, "FDT_END without a root");
	FRESH();
	fb_begin(&f, "");
	fb_tok(&f, 2);
	fb_begin(&f, "");
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_E_TOKEN, "two roots");
	FRESH();
	fb_tok(&f, 2);
	CHECK(fb_open(&f) == DT_E_TOKEN, "END_NODE before any node");
	FRESH();
	fb_prop(&f, 0, "x", 2);
	CHECK(fb_open(&f) == DT_E_TOKEN, "property outside the root");
	FRESH();
	fb_begin(&f, "");
	fb_begin(&f, "a");
	fb_tok(&f, 2);
	fb_prop(&f, 0, "x", 2);
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	CHECK(fb_open(&f) == DT_E_TOKEN, "property after a child node");
	FRESH();
	fb_begin(&f, "");
	fb_tok(&f, 2);
	fb_tok(&f, 9);
	f.rsv_unterminated = true;
	CHECK(fb_open(&f) == DT_E_RSVMAP, "rsvmap without 0,0 entry");
}

/* ------------------------------------------------------------ header errors */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Field i of a copy of the real blob set to v; then the expected code. */
static void hdr_case(const uint8_t *real, size_t len, int field, uint32_t v, int want,
		     const char *what)
{
	uint8_t *b = malloc(len);
	memcpy(b, real, len);
	put32(b + 4 * field, v);
	int got = open_code(b, len);
	CHECK(got == want, "%s: dt_open = %d (%s), expected %d", what, got, dt_strerror(got), want);
	free(b);
}

static void check_header_errors(const uint8_t *real, size_t len)
{
	t_ctx = "header";
	uint32_t total = get32(real + 4), ost = get32(real + 8), ostr = get32(real + 12);
	uint32_t orsv = get32(real + 16), sstr = get32(real + 32), sst = get32(real + 36);
	EXPECT_OPEN(real, len, DT_OK);
	hdr_case(real, len, 0, 0xd00dfeee, DT_E_MAGIC, "bad magic");
	hdr_case(real, len, 5, 15, DT_E_VERSION, "version 15");
	hdr_case(real, len, 6, 18, DT_E_VERSION, "last_comp_version 18");
	hdr_case(real, len, 1, total + 1, DT_E_SHORT, "totalsize > available");
	hdr_case(real, len, 1, 39, DT_E_TOTALSIZE, "totalsize < header");
	hdr_case(real, len, 2, total, DT_E_BLOCK_RANGE, "struct offset past the end");
	hdr_case(real, len, 9, total, DT_E_BLOCK_RANGE, "struct size past the end");
	hdr_case(real, len, 3, total - sstr + 1, DT_E_BLOCK_RANGE, "strings past the end");
	hdr_case(real, len, 8, 0xffffffff, DT_E_BLOCK_RANGE, "strings size huge");
	hdr_case(real, len, 4, total, DT_E_BLOCK_RANGE, "rsvmap offset past the end");
	hdr_case(real, len, 3, ost, DT_E_BLOCK_OVERLAP, "strings on top of struct");
	hdr_case(real, len, 3, orsv, DT_E_BLOCK_OVERLAP, "strings on top of the rsvmap");
	hdr_case(real, len, 2, 0, DT_E_BLOCK_OVERLAP, "struct on top of the header");
	hdr_case(real, len, 2, ost + 2, DT_E_ALIGN, "struct misaligned");
	hdr_case(real, len, 4, orsv + 4, DT_E_ALIGN, "rsvmap misaligned");
	(void)ostr;

	/* version 16 has no size_dt_struct: the field is ignored */
	uint8_t *b = malloc(len);
	memcpy(b, real, len);
	put32(b + 20, 16);
	put32(b + 24, 16);
	put32(b + 36, 0xdeadbeef);
	struct dt dt;
	CHECK(dt_open(&dt, b, len) == DT_OK, "version 16 blob");
	CHECK(dt.size_struct == sst, "v16 struct size %u, expected %u", dt.size_struct, sst);
	free(b);
}

/* Every proper prefix of a real blob is refused, never read past. */
static void check_truncation(const uint8_t *real, size_t len)
{
	t_ctx = "truncated";
	uint32_t total = get32(real + 4);
	CHECK(total <= len, "real blob complete");
	int bad = 0;
	for (size_t n = 0; n < total; n++) {
		int err = open_code(real, n);
		if (err != DT_E_SHORT && !bad++)
			CHECK(0, "prefix of %zu bytes: %d (%s)", n, err, dt_strerror(err));
	}
	CHECK(bad == 0, "%d prefixes not refused with DT_E_SHORT", bad);
	EXPECT_OPEN(real, total, DT_OK);
}

/* ------------------------------------------------------------ tree semantics */

static unsigned char sw[1 << 17];

static void prop_cells(const char *name, int n, ...)
{
	fdt32_t v[64];
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		v[i] = cpu_to_fdt32(va_arg(ap, uint32_t));
	va_end(ap);
	fdt_property(sw, name, v, n * 4);
}

/* Root (2/2 cells), one Sv39 hart, RAM 0x80000000 + 1 GiB; caller adds more. */
/*
 * A minimal tree: /chosen (with bootargs if given), one hart whose reg has
 * `id_cells` cells holding `id`, with mmu-type `mmu` (none if NULL) and a
 * timebase-frequency if `timebase`, and 1 GiB of RAM at 0x80000000. The
 * root node stays open for the caller's nodes; sw_build() closes it.
 */
static uint32_t sw_intc_cells; /* nonzero: cpu@0 gets an interrupt controller (phandle 1) */
static const char *sw_isa;     /* cpu@0's riscv,isa, if set */

static void sw_tree(const char *mmu, const char *bootargs, uint32_t id_cells, uint64_t id,
		    bool timebase)
{
	fdt_create(sw, sizeof sw);
	fdt_finish_reservemap(sw);
	fdt_begin_node(sw, "");
	prop_cells("#address-cells", 1, 2);
	prop_cells("#size-cells", 1, 2);
	fdt_begin_node(sw, "chosen");
	if (bootargs)
		fdt_property_string(sw, "bootargs", bootargs);
	fdt_end_node(sw);
	fdt_begin_node(sw, "cpus");
	prop_cells("#address-cells", 1, id_cells);
	prop_cells("#size-cells", 1, 0);
	if (timebase)
		prop_cells("timebase-frequency", 1, 10000000);
	fdt_begin_node(sw, "cpu@0");
	fdt_property_string(sw, "device_type", "cpu");
	if (id_cells == 2)
		prop_cells("reg", 2, (uint32_t)(id >> 32), (uint32_t)id);
	else
		prop_cells("reg", 1, (uint32_t)id);
	if (mmu)
		fdt_property_string(sw, "mmu-type", mmu);
	if (sw_isa)
		fdt_property_string(sw, "riscv,isa", sw_isa);
	if (sw_intc_cells) {
		fdt_begin_node(sw, "interrupt-controller");
		prop_cells("#interrupt-cells", 1, sw_intc_cells);
		prop_cells("phandle", 1, 1);
		fdt_end_node(sw);
	}
	fdt_end_node(sw);
	fdt_end_node(sw);
	fdt_begin_node(sw, "memory@80000000");
	fdt_property_string(sw, "device_type", "memory");
	prop_cells("reg", 4, 0, 0x80000000, 0, 0x40000000);
	fdt_end_node(sw);
}

/* The usual tree: hart 0, a timebase whenever there is an MMU type. */
static void sw_start(const char *mmu, const char *bootargs)
{
	sw_tree(mmu, bootargs, 1, 0, mmu != NULL);
}

static int sw_build(void)
{
	fdt_end_node(sw);
	fdt_finish(sw);
	struct dt dt;
	int err = dt_open(&dt, sw, fdt_totalsize(sw));
	CHECK(err == DT_OK, "libfdt-built tree opens: %s", dt_strerror(err));
	return err ? err : restab_build(&rt, &dt, NULL);
}

#define EXPECT_BUILD(code, msg_part)                                                               \
	do {                                                                                       \
		int e_ = sw_build();                                                               \
		CHECK(e_ == (code), "restab_build = %d (%s), expected %s", e_, rt.err, #code);     \
		CHECK(strstr(rt.err, msg_part) != NULL, "message \"%s\" lacks \"%s\"", rt.err,     \
		      msg_part);                                                                   \
	} while (0)

static void check_cells_errors(void)
{
	t_ctx = "cells";
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "bus3");
	prop_cells("#address-cells", 1, 3);
	prop_cells("#size-cells", 1, 2);
	fdt_property(sw, "ranges", NULL, 0);
	fdt_begin_node(sw, "dev@0");
	prop_cells("reg", 5, 0, 0, 0x1000, 0, 0x100);
	fdt_end_node(sw);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_E_CELLS, "/bus3/dev@0");

	/* 3 cells where nothing reads them: fine */
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "bus3");
	prop_cells("#address-cells", 1, 3);
	fdt_begin_node(sw, "intc");
	fdt_end_node(sw);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_OK, "");

	/* ... and under a pci bus the children hold bus addresses: skipped */
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "pci@30000000");
	fdt_property_string(sw, "device_type", "pci");
	prop_cells("#address-cells", 1, 3);
	prop_cells("reg", 4, 0, 0x30000000, 0, 0x1000);
	prop_cells("ranges", 7, 0x2000000, 0, 0x40000000, 0, 0x40000000, 0, 0x1000);
	fdt_begin_node(sw, "dev@0");
	prop_cells("reg", 5, 0, 0, 0, 0, 0x100);
	fdt_end_node(sw);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_OK, "");
	CHECK(rt.n == 2 && rt.e[0].base == 0x30000000, "only ECAM and RAM");

	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "dev@1000");
	prop_cells("reg", 3, 0, 0x1000, 0); /* 12 bytes with 2+2 cells */
	fdt_end_node(sw);
	EXPECT_BUILD(DT_E_REG, "/dev@1000");
}

static void check_ranges_errors(void)
{
	t_ctx = "ranges";
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "bus@40000000");
	prop_cells("#address-cells", 1, 1);
	prop_cells("#size-cells", 1, 1);
	prop_cells("ranges", 4, 0, 0, 0x40000000, 0x1000);
	fdt_begin_node(sw, "dev@800");
	prop_cells("reg", 2, 0x800, 0x1000); /* runs past the 4 KiB window */
	fdt_end_node(sw);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_E_RANGES, "/bus@40000000/dev@800");

	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "bus@40000000");
	prop_cells("#address-cells", 1, 1);
	prop_cells("#size-cells", 1, 1);
	prop_cells("ranges", 3, 0, 0, 0x40000000); /* entry is 4 cells */
	fdt_begin_node(sw, "dev@800");
	prop_cells("reg", 2, 0x800, 0x10);
	fdt_end_node(sw);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_E_RANGES, "/bus@40000000");
}

/* The build succeeded with exactly one refusal, whose line holds `part`. */
#define EXPECT_REFUSED(part)                                                                       \
	do {                                                                                       \
		EXPECT_BUILD(DT_OK, "");                                                           \
		CHECK(rt.nwarn == 1, "%u refusals, expected 1", rt.nwarn);                         \
		CHECK(rt.nwarn &&strstr(rt.warn[0], part), "refusal \"%s\" lacks \"%s\"",          \
		      rt.nwarn ? rt.warn[0] : "", part);                                           \
	} while (0)

static uint32_t count_kind(int kind)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < rt.n; i++)
		n += rt.e[i].kind == kind;
	return n;
}

/* A carve-out zirv cannot honour whole is refused with a line; the boot goes on. */
static void check_bootargs_errors(void)
{
	t_ctx = "bootargs";
	static const char *const bad[] = {
	    "zirv.carveout=4K@0x80000800",		    /* base not page aligned */
	    "zirv.carveout=0x1800@0x80000000",		    /* size not page aligned */
	    "zirv.carveout=1M@0x40000000",		    /* below RAM */
	    "zirv.carveout=2G@0x80000000",		    /* runs past RAM */
	    "zirv.carveout=abc",			    /* no number */
	    "zirv.carveout=1M",				    /* no base */
	    "zirv.carveout=1M@0x80000000x",		    /* trailing junk */
	    "zirv.carveout=0@0x80000000",		    /* empty */
	    "zirv.carveout=0xffffffffffffffffG@0x80000000", /* overflow */
	    "zirv.carveout=4K@0xfffffffffffff000",	    /* ends past 2^64 */
	    "quiet zirv.carveout=1M@0x80000000 zirv.carveout=1T@0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sw_start("riscv,sv39", bad[i]);
		EXPECT_REFUSED("refused");
		CHECK(strncmp(rt.warn[0], "bootargs: zirv.carveout=", 24) == 0,
		      "names the word: %s", rt.warn[0]);
		CHECK(count_kind(RT_CARVEOUT) == (i == sizeof bad / sizeof bad[0] - 1), "%s",
		      bad[i]);
	}
	/* decimal base, K suffix, tabs as separators */
	sw_start("riscv,sv39", "a\tzirv.carveout=8K@2147491840\tb");
	EXPECT_BUILD(DT_OK, "");
	CHECK(rt.nwarn == 0, "no refusal");
	const struct rt_entry *e = restab_lookup(&rt, 0x80002000);
	CHECK(e && e->kind == RT_CARVEOUT && e->size == 0x2000, "8K carve-out at 0x80002000");
	/* a carve-out may span two adjacent memory nodes */
	sw_start("riscv,sv39", "zirv.carveout=2M@0xbff00000");
	fdt_begin_node(sw, "memory@c0000000");
	fdt_property_string(sw, "device_type", "memory");
	prop_cells("reg", 4, 0, 0xc0000000, 0, 0x100000);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_OK, "");
	CHECK(rt.nwarn == 0 && count_kind(RT_CARVEOUT) == 1, "spanning carve-out kept");
	/* two carve-outs that overlap: the second is refused whole, naming the first */
	sw_start("riscv,sv39", "zirv.carveout=1M@0x90000000 zirv.carveout=1M@0x90080000");
	EXPECT_REFUSED(
	    "[0x90080000-0x9017ffff] overlaps CARVEOUT bootargs [0x90000000-0x900fffff]");
	CHECK(count_kind(RT_CARVEOUT) == 1 && restab_lookup(&rt, 0x90100000)->kind == RT_RAM,
	      "only the first carve-out exists");
	/* a shared-dma-pool over a reserved node stays RESERVED; a clear one is a carve-out */
	sw_start("riscv,sv39", "zirv.carveout=64K@0x88010000");
	fdt_begin_node(sw, "reserved-memory");
	prop_cells("#address-cells", 1, 2);
	prop_cells("#size-cells", 1, 2);
	fdt_property(sw, "ranges", NULL, 0);
	fdt_begin_node(sw, "fw@88008000");
	prop_cells("reg", 4, 0, 0x88008000, 0, 0x1000);
	fdt_end_node(sw);
	fdt_begin_node(sw, "bad@88000000");
	fdt_property_string(sw, "compatible", "shared-dma-pool");
	prop_cells("reg", 4, 0, 0x88000000, 0, 0x20000);
	fdt_end_node(sw);
	fdt_begin_node(sw, "pool@a0000000");
	fdt_property_string(sw, "compatible", "shared-dma-pool");
	prop_cells("reg", 4, 0, 0xa0000000, 0, 0x200000);
	fdt_end_node(sw);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_OK, "");
	CHECK(rt.nwarn == 2, "%u refusals, expected 2", rt.nwarn);
	CHECK(strstr(rt.warn[0],
		     "/reserved-memory/bad@88000000: shared-dma-pool "
		     "[0x88000000-0x8801ffff] overlaps RESERVED fw@88008000 [0x88008000-"),
	      "pool refusal: %s", rt.warn[0]);
	CHECK(strstr(rt.warn[1], "overlaps RESERVED bad@88000000"), "carve-out refusal: %s",
	      rt.warn[1]);
	CHECK(count_kind(RT_CARVEOUT) == 1 && restab_lookup(&rt, 0xa0000000)->kind == RT_CARVEOUT,
	      "only the clear pool is a carve-out");
	CHECK(restab_lookup(&rt, 0x88000000)->kind == RT_RESERVED, "the refused pool is RESERVED");
}

/* A reg that runs past 2^64 is refused with its node named; the rest stands. */
static void check_wrapping_reg(void)
{
	t_ctx = "wrap";
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "memory@ffffffff00000000");
	fdt_property_string(sw, "device_type", "memory");
	prop_cells("reg", 4, 0xffffffff, 0, 1, 0);
	fdt_end_node(sw);
	EXPECT_REFUSED("/memory@ffffffff00000000: reg 0xffffffff00000000 + 0x100000000 runs past");
	CHECK(restab_lookup(&rt, 0xffffffff00000000ul) == NULL, "nothing recorded there");
	CHECK(count_kind(RT_RAM) == 1, "the good memory node stays");
}

static void check_cpu_and_size_errors(void)
{
	t_ctx = "cpus";
	sw_start("riscv,none", NULL);
	EXPECT_BUILD(DT_E_NOMMU, "MMU");
	sw_start(NULL, NULL);
	EXPECT_BUILD(DT_E_NOMMU, "absent");
	fdt_create(sw, sizeof sw);
	fdt_finish_reservemap(sw);
	fdt_begin_node(sw, "");
	EXPECT_BUILD(DT_E_NOMMU, "MMU");

	t_ctx = "toomany";
	sw_start("riscv,sv39", NULL);
	for (uint32_t i = 0; i < RT_MAX + 10; i++) {
		char name[32];
		snprintf(name, sizeof name, "dev@%x", 0x1000 * i);
		fdt_begin_node(sw, name);
		prop_cells("reg", 4, 0, 0x1000 * i, 0, 0x100);
		fdt_end_node(sw);
	}
	EXPECT_BUILD(DT_E_TOOMANY, "RT_MAX");
}

/* What zirv-dt and the kernel must agree on: both read these verdicts from restab_build. */
static void check_shared_verdicts(void)
{
	t_ctx = "verdicts";
	sw_tree("riscv,sv39", NULL, 1, 0, false);
	EXPECT_BUILD(DT_E_TIMEBASE, "timebase-frequency");
	sw_tree("riscv,sv39", NULL, 2, 0x123456789ul, true);
	EXPECT_BUILD(DT_OK, "");
	CHECK(rt.cpu.hartid[0] == 0x123456789ul, "64-bit hart id kept: %lx",
	      (unsigned long)rt.cpu.hartid[0]);
	/* a console zirv cannot drive is refused with its node named, and stays on SBI */
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "serial@10000000");
	fdt_property_string(sw, "compatible", "ns16550a");
	prop_cells("reg", 4, 0, 0x10000000, 0, 0x100);
	prop_cells("reg-shift", 1, 40);
	fdt_end_node(sw);
	EXPECT_REFUSED(
	    "/serial@10000000: reg-shift above 4 is not supported: the console stays on SBI");
	CHECK(!rt.console.ok, "console not driven");
	CHECK(restab_lookup(&rt, 0x10000000)->flags & RT_F_KERNEL, "but still the firmware's");
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "serial@10000000");
	fdt_property_string(sw, "compatible", "snps,dw-apb-uart");
	prop_cells("reg", 4, 0, 0x10000000, 0, 0x100);
	prop_cells("reg-shift", 1, 2);
	prop_cells("reg-io-width", 1, 4);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_OK, "");
	CHECK(rt.console.ok && rt.console.shift == 2 && rt.console.width == 4 &&
		  rt.console.base == 0x10000000,
	      "DesignWare UART driven");
}

static char printed[4096];
static void collect_line(const char *line)
{
	strncat(printed, line, sizeof printed - strlen(printed) - 2);
	strcat(printed, "\n");
}

/* Sizes that are no whole number of KiB keep the size column's width. */
static void check_size_column(void)
{
	t_ctx = "size column";
	sw_start("riscv,sv39", NULL);
	fdt_begin_node(sw, "big@40000000");
	prop_cells("reg", 4, 0, 0x40000000, 0, 0x12345678);
	fdt_end_node(sw);
	EXPECT_BUILD(DT_OK, "");
	printed[0] = '\0';
	restab_print(&rt, collect_line);
	CHECK(strstr(printed, "0x0000000052345677    ~291M  MMIO      big@40000000"),
	      "approximate size, aligned:\n%s", printed);
}

/* ------------------------------------------------------------ robustness */

/* Every accessor with every possible handle: never a read outside the blob. */
static void check_forged_handles(const uint8_t *real, size_t len)
{
	t_ctx = "forged handles";
	struct dt dt;
	unsigned char *copy;
	CHECK(open_copy(real, len, &dt, &copy) == DT_OK, "open");
	unsigned long sink = 0;
	for (int h = -8; h < (int)dt.size_struct + 8; h++) {
		uint32_t l;
		int depth = 0;
		sink += strlen(dt_name(&dt, h)) + strlen(dt_prop_name(&dt, h));
		sink += (unsigned)dt_first_child(&dt, h) + (unsigned)dt_next_sibling(&dt, h);
		sink += (unsigned)dt_first_prop(&dt, h) + (unsigned)dt_next_prop(&dt, h);
		sink += (unsigned)dt_next_node(&dt, h, &depth);
		sink += dt_prop_value(&dt, h, &l) != NULL;
		sink += dt_getprop(&dt, h, "reg", &l) != NULL;
		if (h % 97 == 0) {
			char path[64];
			dt_path(&dt, h, path, sizeof path);
			sink += (unsigned)dt_parent(&dt, h);
		}
	}
	CHECK(sink != 0, "touched");
	free(copy);

	struct dt empty;
	CHECK(dt_open(&empty, real, 10) == DT_E_SHORT, "short");
	CHECK(dt_root(&empty) == DT_NONE, "failed open leaves no root");
	CHECK(restab_build(&rt, &empty, NULL) != DT_OK, "no table from a failed open");
	CHECK(dt_find_path(&empty, "/chosen") == DT_NONE, "no path in a failed open");
}

/* Fixed-seed byte flips: any result code is fine, a crash is not. */
static void check_mutations(const uint8_t *real, size_t len)
{
	t_ctx = "mutations";
	uint64_t seed = 0x5eed2026;
	int opened = 0, built = 0;
	uint8_t *b = malloc(len);
	for (int it = 0; it < 3000; it++) {
		memcpy(b, real, len);
		int flips = 1 + it % 4;
		for (int k = 0; k < flips; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t at = (size_t)(seed >> 33) % (it % 8 == 0 ? 64 : len);
			b[at] ^=
			    (uint8_t)(1u << ((seed >> 20) & 7)) | (uint8_t)((seed >> 40) & 0xff);
		}
		struct dt dt;
		unsigned char *copy;
		int err = open_copy(b, len, &dt, &copy);
		CHECK(err >= DT_OK && err < DT_E_COUNT, "code %d", err);
		if (err == DT_OK) {
			opened++;
			err = restab_build(&rt, &dt, NULL);
			CHECK(err >= DT_OK && err < DT_E_COUNT, "build code %d", err);
			CHECK(rt.n <= RT_MAX, "n %u", rt.n);
			built += err == DT_OK;
			int depth = 0;
			for (int n = dt_root(&dt); n != DT_NONE; n = dt_next_node(&dt, n, &depth))
				for (int p = dt_first_prop(&dt, n); p != DT_NONE;
				     p = dt_next_prop(&dt, p))
					(void)dt_prop_name(&dt, p);
		}
		free(copy);
	}
	free(b);
	printf("mutations: 3000 blobs, %d opened, %d built a table\n", opened, built);
	CHECK(opened > 100, "the mutations should leave many blobs valid (%d)", opened);
}

/*
 * A hart whose interrupt controller (phandle 1) has `intc_cells`, and an
 * ACLINT SSWI of `sswi_size` bytes whose interrupts-extended is `ie`.
 */
static int sswi_tree(uint32_t intc_cells, const uint32_t *ie, int nie, uint32_t ie_bytes,
		     uint32_t sswi_size)
{
	fdt32_t v[8];
	sw_intc_cells = intc_cells;
	sw_start("riscv,sv39", NULL);
	sw_intc_cells = 0;
	fdt_begin_node(sw, "sswi@2f00000");
	fdt_property_string(sw, "compatible", "riscv,aclint-sswi");
	prop_cells("reg", 4, 0, 0x2f00000, 0, sswi_size);
	for (int i = 0; i < nie; i++)
		v[i] = cpu_to_fdt32(ie[i]);
	fdt_property(sw, "interrupts-extended", v, ie_bytes);
	fdt_end_node(sw);
	return sw_build();
}

static bool warned(const char *part)
{
	for (uint32_t i = 0; i < rt.nwarn && i < RT_WARN_MAX; i++)
		if (strstr(rt.warn[i], part))
			return true;
	return false;
}

/* The ACLINT SSWI a tree names: read when well formed, refused with a line otherwise. */
static void check_sswi(void)
{
	const uint32_t ok[] = {1, 1}, wrong_cause[] = {1, 9}, two[] = {1, 1, 1, 1};
	t_ctx = "sswi";
	CHECK(sswi_tree(1, ok, 2, 8, 0x4000) == DT_OK, "good tree");
	CHECK_U64(rt.cpu.sswi.base, 0x2f00000);
	CHECK(rt.cpu.sswi.slot[0] == 0, "hart 0 at word 0, not %d", rt.cpu.sswi.slot[0]);
	CHECK(!warned("SSWI"), "no refusal");
	CHECK(sswi_tree(1, wrong_cause, 2, 8, 0x4000) == DT_OK, "cause 9");
	CHECK(rt.cpu.sswi.slot[0] == -1, "a cause other than 1 reaches no hart");
	/* A huge #interrupt-cells must not wrap the walk (it used to be able to loop). */
	CHECK(sswi_tree(0xffffffffu, ok, 2, 8, 0x4000) == DT_OK, "huge cells");
	CHECK(rt.cpu.sswi.slot[0] == -1 && warned("does not fit"), "refused");
	CHECK(sswi_tree(1, ok, 2, 6, 0x4000) == DT_OK, "6 bytes");
	CHECK(rt.cpu.sswi.slot[0] == -1 && warned("SSWI without"), "refused: %s", rt.warn[0]);
	CHECK(sswi_tree(1, two, 4, 16, 4) == DT_OK, "a 4-byte block for two harts");
	CHECK(rt.cpu.sswi.slot[0] == -1 && warned("does not fit"), "refused");
}

/* An IMSIC's supervisor file: used only when the harts have Ssaia, and only one group. */
static int imsic_tree(const char *isa, uint32_t cause, bool groups)
{
	sw_intc_cells = 1;
	sw_isa = isa;
	sw_start("riscv,sv39", NULL);
	sw_intc_cells = 0;
	sw_isa = NULL;
	fdt_begin_node(sw, "interrupt-controller@28000000");
	fdt_property_string(sw, "compatible", "riscv,imsics");
	prop_cells("reg", 4, 0, 0x28000000, 0, 0x1000);
	prop_cells("interrupts-extended", 2, 1, cause);
	if (groups)
		prop_cells("riscv,group-index-bits", 1, 1);
	fdt_end_node(sw);
	return sw_build();
}

static void check_imsic(void)
{
	t_ctx = "imsic";
	CHECK(imsic_tree("rv64imac_ssaia", 9, false) == DT_OK, "good tree");
	CHECK_U64(rt.cpu.imsic.base, 0x28000000);
	CHECK(rt.cpu.imsic.slot[0] == 0 && restab_ipi_block(&rt.cpu) == &rt.cpu.imsic, "used");
	CHECK(rt.e[0].flags & RT_F_KERNEL, "the interrupt file is the kernel's own");
	CHECK(imsic_tree("rv64imac", 9, false) == DT_OK, "no ssaia");
	CHECK(!rt.cpu.imsic.base && !restab_ipi_block(&rt.cpu), "no Ssaia: SBI IPIs");
	CHECK(imsic_tree("rv64imac_ssaia", 11, false) == DT_OK, "machine-level file");
	CHECK(!rt.cpu.imsic.base, "an M-level file is not for the kernel");
	CHECK(imsic_tree("rv64imac_ssaia", 9, true) == DT_OK, "groups");
	CHECK(!rt.cpu.imsic.base && warned("several groups"), "refused with a line");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_malformed REAL.dtb\n");
		return 2;
	}
	size_t len;
	unsigned char *real = t_load(argv[1], &len);
	check_structure_errors();
	check_nesting_errors();
	check_header_errors(real, len);
	check_truncation(real, len);
	check_cells_errors();
	check_ranges_errors();
	check_bootargs_errors();
	check_wrapping_reg();
	check_cpu_and_size_errors();
	check_sswi();
	check_imsic();
	check_shared_verdicts();
	check_size_column();
	check_forged_handles(real, len);
	check_mutations(real, len);
	for (int e = 0; e <= DT_E_COUNT; e++)
		CHECK(dt_strerror(e) && dt_strerror(e)[0], "strerror %d", e);
	free(real);
	return t_done("dt-malformed");
}
