/*
 * Oracle test: kernel/fdt.c and kernel/restab.c against libfdt.
 *
 * For each DTB given on the command line:
 *  1. walk the whole tree with both parsers in lockstep and compare node
 *     offsets, depth, names, every property (name, length, bytes), parent,
 *     path, first-child/next-sibling, path and alias lookup, and the
 *     memory reservation map;
 *  2. compute the resource table independently here (libfdt accessors, a
 *     recursive translator, and "painting" elementary intervals to settle
 *     overlaps) and compare it entry by entry with restab_build().
 */
#include "testutil.h"

#include <libfdt.h>

#include "../../kernel/fdt.h"
#include "../../kernel/restab.h"

/* ---------------------------------------------------------------- walk */

static void compare_props(const void *fdt, const struct dt *dt, int node)
{
	int lp = fdt_first_property_offset(fdt, node);
	int mp = dt_first_prop(dt, node);
	while (lp >= 0 && mp != DT_NONE) {
		int llen;
		const char *lname;
		const void *lval = fdt_getprop_by_offset(fdt, lp, &lname, &llen);
		uint32_t mlen;
		const void *mval = dt_prop_value(dt, mp, &mlen);
		CHECK(lp == mp, "prop offset %d vs %d", lp, mp);
		CHECK_STR(dt_prop_name(dt, mp), lname);
		CHECK((int)mlen == llen, "prop %s len %u vs %d", lname, mlen, llen);
		if ((int)mlen == llen)
			CHECK(memcmp(mval, lval, mlen) == 0, "prop %s bytes differ", lname);
		uint32_t glen;
		CHECK(dt_getprop(dt, node, lname, &glen) != NULL, "dt_getprop(%s)", lname);
		lp = fdt_next_property_offset(fdt, lp);
		mp = dt_next_prop(dt, mp);
	}
	CHECK(lp < 0 && mp == DT_NONE, "property count differs at node %d", node);
}

static void compare_node(const void *fdt, const struct dt *dt, int node)
{
	char lpath[512], mpath[512];
	CHECK_STR(dt_name(dt, node), fdt_get_name(fdt, node, NULL));
	int lparent = fdt_parent_offset(fdt, node);
	CHECK(dt_parent(dt, node) == (lparent < 0 ? DT_NONE : lparent), "parent of %d", node);
	fdt_get_path(fdt, node, lpath, sizeof lpath);
	dt_path(dt, node, mpath, sizeof mpath);
	CHECK_STR(mpath, lpath);
	CHECK(dt_find_path(dt, lpath) == node, "dt_find_path(%s)", lpath);
	int lc = fdt_first_subnode(fdt, node);
	CHECK(dt_first_child(dt, node) == (lc < 0 ? DT_NONE : lc), "first child of %s", lpath);
	if (node != 0) {
		int ls = fdt_next_subnode(fdt, node);
		CHECK(dt_next_sibling(dt, node) == (ls < 0 ? DT_NONE : ls), "sibling of %s", lpath);
	}
	compare_props(fdt, dt, node);
}

static void compare_tree(const void *fdt, const struct dt *dt)
{
	int ldepth = -1, mdepth = 0, count = 0; /* libfdt counts the root as 0 from -1 */
	int ln = fdt_next_node(fdt, -1, &ldepth);
	int mn = dt_root(dt);
	CHECK(ln == mn, "root %d vs %d", ln, mn);
	while (ln >= 0 && ldepth >= 0 && mn != DT_NONE) {
		CHECK(ln == mn && ldepth == mdepth, "node %d@%d vs %d@%d", ln, ldepth, mn, mdepth);
		if (ln != mn)
			return;
		compare_node(fdt, dt, mn);
		count++;
		ln = fdt_next_node(fdt, ln, &ldepth);
		mn = dt_next_node(dt, mn, &mdepth);
	}
	CHECK((ln < 0 || ldepth < 0) && mn == DT_NONE, "node count differs after %d nodes (%d, %d)",
	      count, ln, mn);
	CHECK(count > 1, "only %d nodes", count);
}

static void compare_aliases(const void *fdt, const struct dt *dt)
{
	int aliases = fdt_path_offset(fdt, "/aliases");
	if (aliases < 0)
		return;
	int p;
	fdt_for_each_property_offset(p, fdt, aliases)
	{
		const char *name;
		fdt_getprop_by_offset(fdt, p, &name, NULL);
		int l = fdt_path_offset(fdt, name);
		CHECK(dt_find_path(dt, name) == (l < 0 ? DT_NONE : l), "alias %s", name);
	}
}

static void compare_rsvmap(const void *fdt, const struct dt *dt)
{
	int n = fdt_num_mem_rsv(fdt);
	CHECK(dt->nrsv == (uint32_t)n, "nrsv %u vs %d", dt->nrsv, n);
	for (int i = 0; i < n; i++) {
		uint64_t la, ls, ma = 0, ms = 0;
		fdt_get_mem_rsv(fdt, i, &la, &ls);
		CHECK(dt_rsv_get(dt, (uint32_t)i, &ma, &ms), "rsv %d", i);
		CHECK_U64(ma, la);
		CHECK_U64(ms, ls);
	}
	uint64_t a, s;
	CHECK(!dt_rsv_get(dt, (uint32_t)n, &a, &s), "rsv past end");
}

/* ---------------------------------------------------------------- expected table */

struct raw {
	uint64_t base, end;
	int kind, node;
	const char *name;
	unsigned flags;
};

#define RAW_MAX 4096
static struct raw raws[RAW_MAX];
static int nraw;
static const int prio[RT_KIND_COUNT] = {0, 1, 2, 3, 4, 5, 5, 5};

static void raw_add(uint64_t base, uint64_t size, int kind, int node, const char *name,
		    unsigned flags)
{
	if (size == 0)
		return;
	if (nraw == RAW_MAX) {
		fprintf(stderr, "RAW_MAX\n");
		exit(2);
	}
	raws[nraw++] = (struct raw){base, base + size, kind, node, name, flags};
}

/* Recursive translation of a child address of `parent`'s bus up to the root. */
static int xlate(const void *fdt, int bus, uint64_t *addr, uint64_t size)
{
	int up = fdt_parent_offset(fdt, bus);
	if (up < 0)
		return 0; /* bus is the root */
	int len;
	const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
	if (r && len > 0) {
		int cac = fdt_address_cells(fdt, bus), csc = fdt_size_cells(fdt, bus);
		int pac = fdt_address_cells(fdt, up);
		int ent = cac + pac + csc, i, found = 0;
		for (i = 0; i + ent <= len / 4; i += ent) {
			uint64_t cb = 0, pb = 0, rs = 0;
			for (int k = 0; k < cac; k++)
				cb = cb << 32 | fdt32_to_cpu(r[i + k]);
			for (int k = 0; k < pac; k++)
				pb = pb << 32 | fdt32_to_cpu(r[i + cac + k]);
			for (int k = 0; k < csc; k++)
				rs = rs << 32 | fdt32_to_cpu(r[i + cac + pac + k]);
			if (*addr >= cb && *addr + size <= cb + rs) {
				*addr = *addr - cb + pb;
				found = 1;
				break;
			}
		}
		if (!found)
			return -1;
	}
	return xlate(fdt, up, addr, size);
}

static int depth_of(const void *fdt, int node)
{
	return fdt_node_depth(fdt, node);
}

/* Whether the oracle reads node's reg, and as what kind. -1: not at all. */
static int classify(const void *fdt, int node, unsigned *flags)
{
	int d = depth_of(fdt, node);
	if (d == 0)
		return -1;
	/* Climb: any skipped ancestor, pci bus, or bus without ranges hides it. */
	int child = node;
	for (int a = fdt_parent_offset(fdt, node); a >= 0;
	     child = a, a = fdt_parent_offset(fdt, a)) {
		int ad = depth_of(fdt, a);
		const char *an = fdt_get_name(fdt, a, NULL);
		const char *dtyp = fdt_getprop(fdt, a, "device_type", NULL);
		if (ad == 1 &&
		    (!strcmp(an, "cpus") || !strcmp(an, "chosen") || !strcmp(an, "aliases")))
			return -1;
		if (ad == 1 && !strcmp(an, "reserved-memory"))
			return child == node ? 100 : -1;
		if (dtyp && !strcmp(dtyp, "pci"))
			return -1;
		if (ad >= 1 && !fdt_getprop(fdt, a, "ranges", NULL))
			return -1;
	}
	(void)child;
	const char *n = fdt_get_name(fdt, node, NULL);
	if (d == 1 && (!strcmp(n, "cpus") || !strcmp(n, "chosen") || !strcmp(n, "aliases") ||
		       !strcmp(n, "reserved-memory")))
		return -1;
	const char *dtyp = fdt_getprop(fdt, node, "device_type", NULL);
	if (dtyp && !strcmp(dtyp, "memory"))
		return RT_RAM;
	const char *st = fdt_getprop(fdt, node, "status", NULL);
	if (st && strcmp(st, "okay") && strcmp(st, "ok"))
		*flags |= RT_F_DISABLED;
	return RT_MMIO;
}

static int resv_kind(const void *fdt, int node, unsigned *flags)
{
	if (fdt_getprop(fdt, node, "no-map", NULL))
		*flags |= RT_F_NOMAP;
	int len;
	const char *c = fdt_getprop(fdt, node, "compatible", &len);
	if (c && fdt_stringlist_contains(c, len, "shared-dma-pool"))
		return RT_CARVEOUT;
	if (!strncmp(fdt_get_name(fdt, node, NULL), "mmode_resv", 10))
		return RT_FIRMWARE;
	return RT_RESERVED;
}

/* Nodes the kernel keeps (restab.c's rule, restated with libfdt). */
static int kernel_nodes[64], nkernel;

static bool compat_has(const void *fdt, int node, const char *sub)
{
	int len;
	const char *c = fdt_getprop(fdt, node, "compatible", &len);
	for (int i = 0; c && i < len; i += (int)strlen(c + i) + 1)
		if (strstr(c + i, sub))
			return true;
	return false;
}

static void find_kernel_nodes(const void *fdt, int chosen)
{
	nkernel = 0;
	int len, stdout_node = -1;
	const char *sp = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (sp) {
		const char *colon = strchr(sp, ':');
		stdout_node =
		    fdt_path_offset_namelen(fdt, sp, colon ? (int)(colon - sp) : (int)strlen(sp));
	}
	if (stdout_node < 0) {
		int a = fdt_node_offset_by_compatible(fdt, -1, "ns16550a");
		int b = fdt_node_offset_by_compatible(fdt, -1, "ns16550");
		stdout_node = a < 0 ? b : b < 0 ? a : a < b ? a : b;
		if (stdout_node < 0)
			stdout_node = fdt_node_offset_by_compatible(fdt, -1, "snps,dw-apb-uart");
	}
	if (stdout_node >= 0)
		kernel_nodes[nkernel++] = stdout_node;
	int depth = 0;
	for (int n = fdt_next_node(fdt, -1, &depth); n >= 0 && nkernel < 62;
	     n = fdt_next_node(fdt, n, &depth)) {
		bool intc = fdt_getprop(fdt, n, "interrupt-controller", NULL) &&
			    compat_has(fdt, n, "plic"); /* PLICs and APLICs */
		if (intc || compat_has(fdt, n, "clint") || compat_has(fdt, n, "imsics") ||
		    compat_has(fdt, n, "sifive,test"))
			kernel_nodes[nkernel++] = n;
		const fdt32_t *rm = fdt_getprop(fdt, n, "regmap", &len);
		if (rm && len == 4 &&
		    (compat_has(fdt, n, "syscon-poweroff") || compat_has(fdt, n, "syscon-reboot")))
			kernel_nodes[nkernel++] =
			    fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*rm));
	}
}

static bool is_kernel_node(int node)
{
	for (int i = 0; i < nkernel; i++)
		if (kernel_nodes[i] == node)
			return true;
	return false;
}

static void raw_regs(const void *fdt, int node, int kind, unsigned flags)
{
	if (kind == RT_MMIO && is_kernel_node(node))
		flags |= RT_F_KERNEL;
	int parent = fdt_parent_offset(fdt, node), len;
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac + sc == 0)
		return;
	for (int i = 0; i + ac + sc <= len / 4; i += ac + sc) {
		uint64_t a = 0, s = 0;
		for (int k = 0; k < ac; k++)
			a = a << 32 | fdt32_to_cpu(reg[i + k]);
		for (int k = 0; k < sc; k++)
			s = s << 32 | fdt32_to_cpu(reg[i + ac + k]);
		if (s == 0)
			continue;
		CHECK(xlate(fdt, parent, &a, s) == 0, "%s not translatable",
		      fdt_get_name(fdt, node, NULL));
		raw_add(a, s, kind, node, fdt_get_name(fdt, node, NULL), flags);
	}
}

/* A carve-out is refused if it leaves RAM or touches a carve-out, reserved or higher range. */
static bool carveout_ok(uint64_t base, uint64_t size)
{
	for (uint64_t p = base; p < base + size;) {
		uint64_t next = p;
		for (int i = 0; i < nraw; i++)
			if (raws[i].kind == RT_RAM && raws[i].base <= p && p < raws[i].end)
				next = raws[i].end > next ? raws[i].end : next;
		if (next == p)
			return false;
		p = next;
	}
	for (int i = 0; i < nraw; i++)
		if (raws[i].kind >= RT_CARVEOUT && raws[i].base < base + size && base < raws[i].end)
			return false;
	return true;
}

static void raw_cmdline(const void *fdt, int chosen)
{
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	for (const char *p = args ? strstr(args, "zirv.carveout=") : NULL; p;
	     p = strstr(p + 1, "zirv.carveout=")) {
		char *e;
		uint64_t size = strtoull(p + 14, &e, 0);
		int sh = *e == 'K' ? 10 : *e == 'M' ? 20 : *e == 'G' ? 30 : 0;
		e += sh != 0;
		uint64_t base = strtoull(e + 1, NULL, 0);
		if (carveout_ok(base, size << sh))
			raw_add(base, size << sh, RT_CARVEOUT, chosen, "bootargs", RT_F_CMDLINE);
	}
}

/* Raw ranges in the order restab_build adds them (ties: first one wins). */
static void collect_raw(const void *fdt)
{
	nraw = 0;
	find_kernel_nodes(fdt, fdt_path_offset(fdt, "/chosen"));
	int depth = 0;
	for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
		unsigned flags = 0;
		int kind = classify(fdt, n, &flags);
		if (kind == 100)
			kind = resv_kind(fdt, n, &flags);
		if (kind >= 0)
			raw_regs(fdt, n, kind, flags);
	}
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;
		fdt_get_mem_rsv(fdt, i, &a, &s);
		raw_add(a, s, RT_RESERVED, -1, "/memreserve/", 0);
	}
	int chosen = fdt_path_offset(fdt, "/chosen"), l1, l2;
	const fdt32_t *s = chosen >= 0 ? fdt_getprop(fdt, chosen, "linux,initrd-start", &l1) : NULL;
	const fdt32_t *e = chosen >= 0 ? fdt_getprop(fdt, chosen, "linux,initrd-end", &l2) : NULL;
	if (s && e) {
		uint64_t a = l1 == 8 ? fdt64_to_cpu(*(const fdt64_t *)s) : fdt32_to_cpu(*s);
		uint64_t b = l2 == 8 ? fdt64_to_cpu(*(const fdt64_t *)e) : fdt32_to_cpu(*e);
		if (b > a)
			raw_add(a, b - a, RT_INITRD, chosen, "initrd", 0);
	}
	raw_cmdline(fdt, chosen);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The owner of [p, q): highest kind, then first added. -1 if none. */
static int owner(uint64_t p, uint64_t q)
{
	int best = -1;
	for (int i = 0; i < nraw; i++)
		if (raws[i].base <= p && q <= raws[i].end &&
		    (best < 0 || prio[raws[i].kind] > prio[raws[best].kind]))
			best = i;
	return best;
}

/* Checks table entry *k against the oracle piece [base, end) of raws[w]. */
static void expect_entry(const struct restab *rt, uint32_t *k, int w, uint64_t base, uint64_t end)
{
	const struct rt_entry *e = *k < rt->n ? &rt->e[*k] : NULL;
	(*k)++;
	CHECK(e != NULL, "table too short at 0x%" PRIx64, base);
	if (!e)
		return;
	CHECK_U64(e->base, base);
	CHECK_U64(e->size, end - base);
	CHECK(e->kind == raws[w].kind, "kind %d vs %d at 0x%" PRIx64, e->kind, raws[w].kind, base);
	CHECK_STR(e->name, raws[w].name);
	CHECK(e->flags == raws[w].flags, "flags %x vs %x at %s", e->flags, raws[w].flags, e->name);
	CHECK(e->node == raws[w].node, "node %d vs %d", e->node, raws[w].node);
}

/* Paints every elementary interval between range boundaries with its owner,
 * merges neighbours with the same owner and compares piece by piece. */
static void compare_table(const void *fdt, const struct restab *rt)
{
	static uint64_t pts[2 * RAW_MAX];
	int np = 0;
	collect_raw(fdt);
	for (int i = 0; i < nraw; i++) {
		pts[np++] = raws[i].base;
		pts[np++] = raws[i].end;
	}
	qsort(pts, (size_t)np, sizeof pts[0], cmp_u64);
	uint32_t k = 0;
	int cur = -1;
	uint64_t cur_base = 0, cur_end = 0;
	for (int i = 0; i + 1 < np; i++) {
		if (pts[i] == pts[i + 1])
			continue;
		int w = owner(pts[i], pts[i + 1]);
		if (cur >= 0 && (w != cur || pts[i] != cur_end)) {
			expect_entry(rt, &k, cur, cur_base, cur_end);
			cur = -1;
		}
		if (w >= 0 && cur < 0) {
			cur = w;
			cur_base = pts[i];
		}
		if (w >= 0)
			cur_end = pts[i + 1];
	}
	if (cur >= 0)
		expect_entry(rt, &k, cur, cur_base, cur_end);
	CHECK(k == rt->n, "table has %u entries, oracle %u", rt->n, k);
	CHECK(rt->n > 0, "empty table");
}

/* ---------------------------------------------------------------- main */

static struct restab rt;

static void check_file(const char *path)
{
	size_t len;
	unsigned char *blob = t_load(path, &len);
	struct dt dt;
	t_ctx = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	CHECK(fdt_check_header(blob) == 0, "libfdt rejects the blob");
	int err = dt_open(&dt, blob, len);
	CHECK(err == DT_OK, "dt_open: %s", dt_strerror(err));
	if (err == DT_OK) {
		compare_tree(blob, &dt);
		compare_aliases(blob, &dt);
		compare_rsvmap(blob, &dt);
		err = restab_build(&rt, &dt, NULL);
		/* k210 has no MMU; its table is still built before the CPU check. */
		CHECK(err == DT_OK || err == DT_E_NOMMU, "restab_build: %s", rt.err);
		compare_table(blob, &rt);
	}
	free(blob);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_oracle FILE.dtb...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		check_file(argv[i]);
	t_ctx = "";
	CHECK(argc - 1 >= 1, "no files");
	return t_done("dt-oracle");
}
