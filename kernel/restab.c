/*
 * Device tree -> resource table (see restab.h and DESIGN.md, "The
 * resource table"). One pass over the tree keeps a stack of ancestors with
 * their #address-cells/#size-cells so that every reg is translated through
 * each bus's ranges without recursion; each range found is then painted
 * into the sorted table with rt_add(), which settles overlaps by kind.
 */
#include "restab_internal.h"

/* --------------------------------------------------------- build context */

/* Sets the error message "<path>: <what>" (path omitted for node < 0). */
int restab_fail(struct build *b, int code, int node, const char *what)
{
	if (!b->err)
		return code;
	struct sb s = {b->err, b->errcap, 0};
	b->err[0] = '\0';
	if (node >= 0) {
		char path[96];
		dt_path(b->dt, node, path, sizeof path);
		sb_str(&s, path);
		sb_str(&s, ": ");
	}
	sb_str(&s, what);
	return code;
}

static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

/* Records depth d = node and decides whether the walk reads its reg (visit)
 * and how it treats its children (mode). */
static void set_level(struct build *b, int d, int node)
{
	const struct dt *dt = b->dt;
	struct level *l = &b->lv[d];
	l->node = node;
	l->ac = 2;
	l->sc = 1;
	dt_getprop_u32(dt, node, "#address-cells", &l->ac);
	dt_getprop_u32(dt, node, "#size-cells", &l->sc);
	l->mode = M_NORMAL;
	l->visit = false;
	if (d == 0)
		return;
	uint8_t pm = b->lv[d - 1].mode;
	const char *name = dt_name(dt, node);
	bool parent_maps =
	    d == 1 || pm == M_RESV_BUS || dt_getprop(dt, b->lv[d - 1].node, "ranges", NULL) != NULL;
	if (pm == M_SKIP || pm == M_PCI || !parent_maps) {
		/* pci children hold bus addresses; a bus without ranges (i2c,
		 * spi flash partitions, syscon cells) has no CPU mapping at all
		 * (DT spec 2.3.8), so its children are not physical ranges. */
		l->mode = M_SKIP;
	} else if (pm == M_RESV_BUS) {
		l->mode = M_SKIP; /* a region: its own reg counts, its children do not */
		l->visit = true;
	} else if (d == 1 &&
		   (name_is(name, "cpus") || name_is(name, "chosen") || name_is(name, "aliases"))) {
		l->mode = M_SKIP;
	} else if (d == 1 && name_is(name, "reserved-memory")) {
		l->mode = M_RESV_BUS;
	} else {
		l->visit = true;
		if (dt_prop_is_string(dt, node, "device_type", "pci"))
			l->mode = M_PCI;
	}
}

/* --------------------------------------------------------- translation */

/* Finds [*addr, +size) in one entry of `ranges` of bus lv[i]; rewrites *addr. */
static int map_through(struct build *b, int i, uint64_t *addr, uint64_t size)
{
	const struct level *bus = &b->lv[i];
	uint32_t len;
	const uint8_t *r = dt_getprop(b->dt, bus->node, "ranges", &len);
	if (!r || len == 0)
		return DT_OK; /* empty: identity (absent only under /reserved-memory) */
	uint32_t cac = bus->ac, csc = bus->sc, pac = b->lv[i - 1].ac;
	if (cac > 2 || csc > 2 || pac > 2)
		return restab_fail(b, DT_E_CELLS, bus->node,
				   "ranges with more than 2 cells per field");
	uint32_t ent = (cac + pac + csc) * 4;
	if (ent == 0 || len % ent)
		return restab_fail(b, DT_E_RANGES, bus->node,
				   "ranges length is not a multiple of its entry");
	for (uint32_t off = 0; off < len; off += ent) {
		uint64_t cb = dt_read_cells(r + off, cac);
		uint64_t pb = dt_read_cells(r + off + cac * 4, pac);
		uint64_t rs = dt_read_cells(r + off + (cac + pac) * 4, csc);
		if (*addr >= cb && *addr - cb < rs && size <= rs - (*addr - cb)) {
			*addr = pb + (*addr - cb);
			return DT_OK;
		}
	}
	return restab_fail(b, DT_E_RANGES, b->lv[i + 1].node,
			   "reg not covered by the parent's ranges");
}

/* Child address at depth d -> CPU physical address, bus by bus up to the root. */
static int translate(struct build *b, int d, uint64_t *addr, uint64_t size)
{
	for (int i = d - 1; i >= 1; i--) {
		int err = map_through(b, i, addr, size);
		if (err)
			return err;
	}
	return DT_OK;
}

/* reg entry k of the node at depth d, translated; *size 0 if nothing there. */
static int read_reg(struct build *b, int d, uint32_t k, uint64_t *addr, uint64_t *size,
		    uint32_t *count)
{
	const struct level *p = &b->lv[d - 1];
	uint32_t len;
	const uint8_t *reg = dt_getprop(b->dt, b->lv[d].node, "reg", &len);
	*count = 0;
	*size = 0;
	if (!reg || len == 0)
		return DT_OK;
	if (p->ac > 2 || p->sc > 2)
		return restab_fail(b, DT_E_CELLS, b->lv[d].node,
				   "reg read with #address-cells or #size-cells > 2");
	uint32_t ent = (p->ac + p->sc) * 4;
	if (ent == 0 || len % ent)
		return restab_fail(
		    b, DT_E_REG, b->lv[d].node,
		    "reg length is not a multiple of (#address-cells + #size-cells) * 4");
	*count = len / ent;
	if (k >= *count)
		return DT_OK;
	*addr = dt_read_cells(reg + k * ent, p->ac);
	*size = dt_read_cells(reg + k * ent + p->ac * 4, p->sc);
	if (*size == 0)
		return DT_OK; /* nothing to record, nothing to translate */
	return translate(b, d, addr, *size);
}

/* --------------------------------------------------------- table edits */

/* Overlap precedence (restab.h): the higher number keeps contested bytes. */
static const uint8_t kind_prio[RT_KIND_COUNT] = {
    [RT_RAM] = 0,      [RT_MMIO] = 1,	[RT_CARVEOUT] = 2, [RT_RESERVED] = 3,
    [RT_FIRMWARE] = 4, [RT_INITRD] = 5, [RT_DTB] = 5,	   [RT_KERNEL] = 5,
};

static uint64_t e_end(const struct rt_entry *e)
{
	return e->base + e->size;
}

static int insert_at(struct restab *rt, uint32_t i, const struct rt_entry *x)
{
	if (rt->n >= RT_MAX)
		return DT_E_TOOMANY;
	memmove(&rt->e[i + 1], &rt->e[i], (rt->n - i) * sizeof rt->e[0]);
	rt->e[i] = *x;
	rt->n++;
	return DT_OK;
}

static void remove_at(struct restab *rt, uint32_t i)
{
	memmove(&rt->e[i], &rt->e[i + 1], (rt->n - i - 1) * sizeof rt->e[0]);
	rt->n--;
}

/* Cuts [base, end) out of every entry of lower precedence than x. */
static int clip_lower(struct restab *rt, const struct rt_entry *x)
{
	uint64_t base = x->base, end = e_end(x);
	for (uint32_t i = 0; i < rt->n && rt->e[i].base < end; i++) {
		struct rt_entry *e = &rt->e[i];
		if (e_end(e) <= base || kind_prio[e->kind] >= kind_prio[x->kind])
			continue;
		struct rt_entry right = *e;
		right.base = end;
		right.size = e_end(e) > end ? e_end(e) - end : 0;
		e->size = e->base < base ? base - e->base : 0;
		if (e->size == 0)
			remove_at(rt, i--);
		if (right.size && insert_at(rt, i + 1, &right))
			return DT_E_TOOMANY;
	}
	return DT_OK;
}

/* Inserts the parts of x no entry owns any more (what clip_lower left). */
static int fill_gaps(struct restab *rt, const struct rt_entry *x)
{
	uint64_t cur = x->base, end = e_end(x);
	uint32_t i = 0;
	while (i < rt->n && e_end(&rt->e[i]) <= cur)
		i++;
	while (cur < end) {
		uint64_t stop = i < rt->n && rt->e[i].base < end ? rt->e[i].base : end;
		if (stop > cur) {
			struct rt_entry piece = *x;
			piece.base = cur;
			piece.size = stop - cur;
			if (insert_at(rt, i++, &piece))
				return DT_E_TOOMANY;
		}
		if (stop == end)
			break;
		cur = e_end(&rt->e[i++]); /* skip the entry that keeps these bytes */
	}
	return DT_OK;
}

/* Paints [base, base+size) into the table; higher kinds win (see restab.h). */
static int rt_add(struct build *b, uint64_t base, uint64_t size, int kind, uint8_t flags, int node,
		  const char *name)
{
	if (size > UINT64_MAX - base)
		size = UINT64_MAX - base; /* clamp: the very last byte is never usable */
	if (size == 0)
		return DT_OK;
	struct rt_entry x = {
	    .base = base, .size = size, .node = node, .kind = (uint8_t)kind, .flags = flags};
	copy_str(x.name, sizeof x.name, name, RT_NAME_LEN + 64);
	uint32_t clen;
	const char *compat = node >= 0 ? dt_getprop(b->dt, node, "compatible", &clen) : NULL;
	if (compat)
		copy_str(x.compat, sizeof x.compat, compat, clen);
	int err = clip_lower(b->rt, &x);
	if (!err)
		err = fill_gaps(b->rt, &x);
	if (err)
		return restab_fail(b, err, -1,
				   "more ranges than the resource table holds (RT_MAX)");
	return DT_OK;
}

/* --------------------------------------------------------- tree pass */

static int reserved_kind(const struct dt *dt, int node)
{
	if (dt_prop_has_string(dt, node, "compatible", "shared-dma-pool"))
		return RT_CARVEOUT;
	if (strncmp(dt_name(dt, node), "mmode_resv", 10) == 0)
		return RT_FIRMWARE;
	return RT_RESERVED;
}

static void note_ram(struct build *b, uint64_t base, uint64_t size)
{
	if (b->nram < RAM_RAW_MAX) {
		b->ram[b->nram][0] = base;
		b->ram[b->nram][1] = base + (size > UINT64_MAX - base ? UINT64_MAX - base : size);
		b->nram++;
	}
}

/* Records every reg entry of the node at depth d as `kind`. */
static int add_regs(struct build *b, int d, int kind, uint8_t flags)
{
	int node = b->lv[d].node;
	uint32_t count = 1;
	for (uint32_t k = 0; k < count; k++) {
		uint64_t addr, size;
		int err = read_reg(b, d, k, &addr, &size, &count);
		if (!err && kind == RT_RAM && size)
			note_ram(b, addr, size);
		if (!err && size)
			err = rt_add(b, addr, size, kind, flags, node, dt_name(b->dt, node));
		if (err)
			return err;
	}
	return DT_OK;
}

static int visit(struct build *b, int d)
{
	const struct dt *dt = b->dt;
	int node = b->lv[d].node;
	if (b->lv[d - 1].mode == M_RESV_BUS) {
		uint8_t f = dt_getprop(dt, node, "no-map", NULL) ? RT_F_NOMAP : 0;
		return add_regs(b, d, reserved_kind(dt, node), f);
	}
	if (dt_prop_is_string(dt, node, "device_type", "memory"))
		return add_regs(b, d, RT_RAM, 0);
	return add_regs(b, d, RT_MMIO, dt_node_enabled(dt, node) ? 0 : RT_F_DISABLED);
}

static int walk_tree(struct build *b)
{
	int depth = 0;
	for (int n = dt_root(b->dt); n != DT_NONE; n = dt_next_node(b->dt, n, &depth)) {
		set_level(b, depth, n);
		if (!b->lv[depth].visit)
			continue;
		int err = visit(b, depth);
		if (err)
			return err;
	}
	return DT_OK;
}

/* --------------------------------------------------------- command line */

/* Parses a hex (0x...) or decimal number at *p, up to end. */
static bool parse_num(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	unsigned base = 10;
	uint64_t v = 0;
	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	const char *start = s;
	for (; s < end; s++) {
		char c = *s;
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
						    : 99;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*p = s;
	*out = v;
	return s != start;
}

/* Optional binary K/M/G suffix (either case) on a size. */
static bool parse_suffix(const char **p, const char *end, uint64_t *v)
{
	static const char units[] = "kmg";
	unsigned shift = 0;
	for (unsigned i = 0; i < 3 && *p < end; i++)
		if ((**p | 0x20) == units[i])
			shift = 10 * (i + 1);
	if (shift == 0)
		return true;
	if (*v > (UINT64_MAX >> shift))
		return false;
	*v <<= shift;
	(*p)++;
	return true;
}

/* [base, end) lies inside the union of the memory nodes' reg entries. */
static bool inside_ram(const struct build *b, uint64_t base, uint64_t end)
{
	for (uint32_t pass = 0; pass <= b->nram && base < end; pass++)
		for (uint32_t i = 0; i < b->nram; i++)
			if (b->ram[i][0] <= base && base < b->ram[i][1])
				base = b->ram[i][1];
	return base >= end;
}

static int carveout_error(struct build *b, const char *w, size_t n, const char *why)
{
	char what[150], word[64];
	struct sb s = {what, sizeof what, 0};
	copy_str(word, sizeof word, w, n);
	sb_str(&s, "bootargs: ");
	sb_str(&s, word);
	sb_str(&s, ": ");
	sb_str(&s, why);
	return restab_fail(b, DT_E_BOOTARGS, -1, what);
}

/* One "zirv.carveout=SIZE@BASE" word w[0..n). */
static int add_carveout(struct build *b, int chosen, const char *w, size_t n)
{
	const char *p = w + 14, *end = w + n; /* past "zirv.carveout=" */
	uint64_t size, base;
	if (!parse_num(&p, end, &size) || !parse_suffix(&p, end, &size) || p == end ||
	    *p++ != '@' || !parse_num(&p, end, &base) || p != end)
		return carveout_error(b, w, n, "expected SIZE[K|M|G]@BASE");
	if (size == 0 || size % RT_PAGE || base % RT_PAGE)
		return carveout_error(b, w, n, "size and base must be non-zero page multiples");
	if (size > UINT64_MAX - base || !inside_ram(b, base, base + size))
		return carveout_error(b, w, n, "range is not inside RAM");
	return rt_add(b, base, size, RT_CARVEOUT, RT_F_CMDLINE, chosen, "bootargs");
}

static int cmdline_carveouts(struct build *b, int chosen)
{
	uint32_t len;
	const char *args = dt_getprop(b->dt, chosen, "bootargs", &len);
	size_t n = args ? strnlen(args, len) : 0;
	for (size_t i = 0; i < n;) {
		while (i < n && (args[i] == ' ' || args[i] == '\t'))
			i++;
		size_t j = i;
		while (j < n && args[j] != ' ' && args[j] != '\t')
			j++;
		if (j - i >= 14 && memcmp(args + i, "zirv.carveout=", 14) == 0) {
			int err = add_carveout(b, chosen, args + i, j - i);
			if (err)
				return err;
		}
		i = j;
	}
	return DT_OK;
}

/* --------------------------------------------------------- special nodes */

static int first_compatible(const struct dt *dt, const char *a, const char *b)
{
	int depth = 0;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth))
		if (dt_prop_has_string(dt, n, "compatible", a) ||
		    dt_prop_has_string(dt, n, "compatible", b))
			return n;
	return DT_NONE;
}

/* stdout-path "serial0:115200n8" names an alias or path before the ':'. */
static int find_stdout(const struct dt *dt, int chosen)
{
	uint32_t len;
	const char *p = dt_getprop(dt, chosen, "stdout-path", &len);
	if (!p)
		p = dt_getprop(dt, chosen, "linux,stdout-path", &len);
	if (p) {
		size_t n = 0, max = strnlen(p, len);
		while (n < max && p[n] != ':')
			n++;
		int node = dt_find_path_len(dt, p, n);
		if (node != DT_NONE)
			return node;
	}
	return first_compatible(dt, "ns16550a", "ns16550");
}

static int add_initrd(struct build *b, int chosen)
{
	uint64_t start, end;
	if (!dt_getprop_u64(b->dt, chosen, "linux,initrd-start", &start) ||
	    !dt_getprop_u64(b->dt, chosen, "linux,initrd-end", &end) || end <= start)
		return DT_OK;
	b->rt->initrd_start = start;
	b->rt->initrd_end = end;
	return rt_add(b, start, end - start, RT_INITRD, 0, chosen, "initrd");
}

static int add_memreserve(struct build *b)
{
	uint64_t addr, size;
	for (uint32_t i = 0; dt_rsv_get(b->dt, i, &addr, &size); i++) {
		int err = rt_add(b, addr, size, RT_RESERVED, 0, DT_NONE, "/memreserve/");
		if (err)
			return err;
	}
	return DT_OK;
}

/* --------------------------------------------------------- entry points */

int restab_build(struct restab *rt, const struct dt *dt, const struct rt_extra *extra)
{
	static struct build b; /* ~1.5 KiB: kept off the (small) kernel stack */
	memset(rt, 0, sizeof *rt);
	memset(&b, 0, sizeof b);
	b.rt = rt;
	b.dt = dt;
	b.err = rt->err;
	b.errcap = sizeof rt->err;
	rt->stdout_node = DT_NONE;
	rt->finisher_node = DT_NONE;
	if (dt_root(dt) == DT_NONE)
		return restab_fail(&b, DT_E_TOKEN, -1, "device tree not opened");
	int chosen = dt_find_path(dt, "/chosen");
	int err = DT_OK;
	/* Insertion order settles ties between equal kinds: first one wins. */
	if (extra && !err)
		err = rt_add(&b, extra->kernel_base, extra->kernel_size, RT_KERNEL, 0, DT_NONE,
			     "kernel");
	if (extra && !err)
		err = rt_add(&b, extra->dtb_base, extra->dtb_size, RT_DTB, 0, DT_NONE, "dtb");
	if (!err)
		err = walk_tree(&b);
	if (!err)
		err = add_memreserve(&b);
	if (!err)
		err = add_initrd(&b, chosen);
	if (!err)
		err = cmdline_carveouts(&b, chosen);
	if (!err)
		err = restab_cpu_facts(&b);
	rt->stdout_node = find_stdout(dt, chosen);
	rt->finisher_node = first_compatible(dt, "sifive,test0", "sifive,test1");
	return err;
}

enum pte_enc restab_pte_encoding(const struct restab *rt)
{
	if (rt->cpu.ext & CPU_SVPBMT)
		return PTE_ENC_SVPBMT;
	if (rt->cpu.all_thead)
		return PTE_ENC_XTHEADMAE;
	return PTE_ENC_NONE;
}

const char *rt_kind_name(int kind)
{
	static const char *const names[RT_KIND_COUNT] = {
	    [RT_RAM] = "RAM",		[RT_MMIO] = "MMIO",	    [RT_CARVEOUT] = "CARVEOUT",
	    [RT_RESERVED] = "RESERVED", [RT_FIRMWARE] = "FIRMWARE", [RT_INITRD] = "INITRD",
	    [RT_DTB] = "DTB",		[RT_KERNEL] = "KERNEL",
	};
	return kind >= 0 && kind < RT_KIND_COUNT ? names[kind] : "?";
}

const char *pte_enc_name(enum pte_enc e)
{
	switch (e) {
	case PTE_ENC_SVPBMT:
		return "svpbmt";
	case PTE_ENC_XTHEADMAE:
		return "xtheadmae";
	default:
		return "none";
	}
}

uint32_t restab_first_above(const struct restab *rt, uint64_t pa)
{
	uint32_t lo = 0, hi = rt->n;
	while (lo < hi) { /* first entry whose end lies above pa */
		uint32_t mid = lo + (hi - lo) / 2;
		if (e_end(&rt->e[mid]) <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct rt_entry *restab_lookup(const struct restab *rt, uint64_t pa)
{
	uint32_t i = restab_first_above(rt, pa);
	return i < rt->n && rt->e[i].base <= pa ? &rt->e[i] : NULL;
}

bool restab_node_reg(const struct dt *dt, int node, uint64_t *base, uint64_t *size)
{
	static struct build b;
	int chain[DT_MAX_DEPTH + 1];
	int n = dt_ancestors(dt, node, chain, DT_MAX_DEPTH + 1);
	if (n < 2)
		return false; /* not found, or the root: no parent bus to read cells from */
	memset(&b, 0, sizeof b);
	b.dt = dt;
	for (int d = 0; d < n; d++)
		set_level(&b, d, chain[d]);
	uint32_t count;
	if (!b.lv[n - 1].visit || read_reg(&b, n - 1, 0, base, size, &count) || count == 0)
		return false;
	return *size != 0;
}
