/*
 * Device tree -> resource table (see restab.h and DESIGN.md, "The
 * resource table"). One pass over the tree keeps a stack of ancestors with
 * their #address-cells/#size-cells so that every reg is translated through
 * each bus's ranges without recursion; each range found is then painted
 * into the sorted table with rt_add(), which settles overlaps by kind.
 */
#include "restab_internal.h"

/* --------------------------------------------------------- build context */

/* "<path>: <what>" (path omitted for node < 0) into buf. */
static void node_message(const struct dt *dt, char *buf, size_t cap, int node, const char *what)
{
	struct sb s = {buf, cap, 0};
	buf[0] = '\0';
	if (node >= 0) {
		char path[96];
		dt_path(dt, node, path, sizeof path);
		sb_str(&s, path);
		sb_str(&s, ": ");
	}
	sb_str(&s, what);
}

int restab_fail(struct build *b, int code, int node, const char *what)
{
	if (b->err)
		node_message(b->dt, b->err, b->errcap, node, what);
	return code;
}

void restab_warn(struct build *b, int node, const char *what)
{
	struct restab *rt = b->rt;
	if (rt && rt->nwarn < RT_WARN_MAX)
		node_message(b->dt, rt->warn[rt->nwarn], RT_WARN_LEN, node, what);
	if (rt)
		rt->nwarn++;
}

static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

/* The cells a bus gives its children: #address-cells, #size-cells (2, 1 by default). */
static void bus_cells(const struct dt *dt, int bus, uint32_t *ac, uint32_t *sc)
{
	*ac = 2;
	*sc = 1;
	dt_getprop_u32(dt, bus, "#address-cells", ac);
	dt_getprop_u32(dt, bus, "#size-cells", sc);
}

/* Records depth d = node and decides whether the walk reads its reg (visit)
 * and how it treats its children (mode). */
static void set_level(struct build *b, int d, int node)
{
	const struct dt *dt = b->dt;
	struct level *l = &b->lv[d];
	l->node = node;
	bus_cells(dt, node, &l->ac, &l->sc);
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
		b->ram[b->nram][1] = base + size; /* add_regs refused wrapping regs: at most 2^64 */
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
		if (!err && size > UINT64_MAX - addr) {
			char what[120];
			struct sb s = {what, sizeof what, 0};
			sb_str(&s, "reg ");
			sb_xhex(&s, addr);
			sb_str(&s, " + ");
			sb_xhex(&s, size);
			sb_str(&s, " runs past the end of the 64-bit address space: ignored");
			restab_warn(b, node, what);
			continue;
		}
		if (!err && kind == RT_RAM && size)
			note_ram(b, addr, size);
		if (!err && size)
			err = rt_add(b, addr, size, kind, flags, node, dt_name(b->dt, node));
		if (err)
			return err;
	}
	return DT_OK;
}

/* A shared-dma-pool's first reg, kept for add_pools(). */
static int note_pool(struct build *b, int d, uint8_t flags)
{
	uint64_t addr, size;
	uint32_t count;
	int node = b->lv[d].node;
	int err = read_reg(b, d, 0, &addr, &size, &count);
	if (err || size == 0)
		return err;
	if (count > 1 || b->npool == POOL_MAX || size > UINT64_MAX - addr) {
		restab_warn(b, node,
			    "shared-dma-pool with several or out-of-range regs, or too "
			    "many pools: kept as RESERVED, not a carve-out");
		return add_regs(b, d, RT_RESERVED, flags);
	}
	b->pool[b->npool].base = addr;
	b->pool[b->npool].size = size;
	b->pool[b->npool].node = node;
	b->pool[b->npool++].flags = flags;
	return DT_OK;
}

static int visit(struct build *b, int d)
{
	const struct dt *dt = b->dt;
	int node = b->lv[d].node;
	if (b->lv[d - 1].mode == M_RESV_BUS) {
		uint8_t f = dt_getprop(dt, node, "no-map", NULL) ? RT_F_NOMAP : 0;
		int kind = reserved_kind(dt, node);
		return kind == RT_CARVEOUT ? note_pool(b, d, f) : add_regs(b, d, kind, f);
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

/* "[0x...-0x...]" of [base, base+size). */
static void sb_range(struct sb *s, uint64_t base, uint64_t size)
{
	sb_ch(s, '[');
	sb_xhex(s, base);
	sb_ch(s, '-');
	sb_xhex(s, base + size - 1);
	sb_ch(s, ']');
}

/*
 * Why [base, base+size) cannot be a carve-out, or NULL if it can: it must
 * lie inside RAM and touch nothing the kernel, the firmware or another
 * carve-out holds. `why` receives the other range's kind, name and extent.
 */
static const char *carveout_conflict(const struct build *b, uint64_t base, uint64_t size, char *why,
				     size_t cap)
{
	struct sb s = {why, cap, 0};
	if (size == 0 || size > UINT64_MAX - base || !inside_ram(b, base, base + size))
		return "is not inside RAM";
	for (uint32_t i = restab_first_above(b->rt, base); i < b->rt->n; i++) {
		const struct rt_entry *e = &b->rt->e[i];
		if (e->base >= base + size)
			break;
		if (e->kind < RT_CARVEOUT)
			continue;
		sb_str(&s, "overlaps ");
		sb_str(&s, rt_kind_name(e->kind));
		sb_ch(&s, ' ');
		sb_str(&s, e->name);
		sb_ch(&s, ' ');
		sb_range(&s, e->base, e->size);
		return why;
	}
	return NULL;
}

/* Adds a carve-out, or refuses it with a line naming both ranges; false if refused. */
static bool try_carveout(struct build *b, uint64_t base, uint64_t size, uint8_t flags, int node,
			 const char *name, const char *label, int *err)
{
	char why[100], what[RT_WARN_LEN];
	const char *c = carveout_conflict(b, base, size, why, sizeof why);
	if (!c) {
		*err = rt_add(b, base, size, RT_CARVEOUT, flags, node, name);
		return true;
	}
	struct sb s = {what, sizeof what, 0};
	sb_str(&s, label);
	sb_ch(&s, ' ');
	sb_range(&s, base, size);
	sb_ch(&s, ' ');
	sb_str(&s, c);
	sb_str(&s, ": refused");
	restab_warn(b, flags & RT_F_CMDLINE ? -1 : node, what);
	*err = DT_OK;
	return false;
}

/* The /reserved-memory shared-dma-pools noted during the walk; a refused one stays RESERVED. */
static int add_pools(struct build *b)
{
	int err = DT_OK;
	for (uint32_t i = 0; i < b->npool && !err; i++) {
		uint64_t base = b->pool[i].base, size = b->pool[i].size;
		int node = b->pool[i].node;
		const char *name = dt_name(b->dt, node);
		if (!try_carveout(b, base, size, b->pool[i].flags, node, name, "shared-dma-pool",
				  &err))
			err = rt_add(b, base, size, RT_RESERVED, b->pool[i].flags, node, name);
	}
	return err;
}

/* The zirv.* boot arguments the kernel reads (docs/boot.md), as "key=". */
static const char *const known_args[] = {
    "zirv.carveout=",  "zirv.console=", "zirv.asid_bits=",
    "zirv.failalloc=", "zirv.test=",	"zirv.handle_gen_bits=",
};

static bool known_arg(const char *w, size_t n)
{
	for (size_t k = 0; k < sizeof known_args / sizeof known_args[0]; k++) {
		size_t kl = strlen(known_args[k]);
		if (n >= kl && memcmp(w, known_args[k], kl) == 0)
			return true;
	}
	return false;
}

/* A zirv.* word the kernel does not know: a typo must not pass unnoticed. */
static void unknown_arg(struct build *b, int chosen, const char *w, size_t n)
{
	char what[RT_WARN_LEN];
	struct sb s = {what, sizeof what, 0};
	sb_str(&s, "boot argument \"");
	for (size_t k = 0; k < n && k < 60; k++)
		sb_ch(&s, w[k]);
	sb_str(&s, "\": zirv has no such argument (docs/boot.md lists them)");
	restab_warn(b, chosen, what);
}

/* One "zirv.carveout=SIZE@BASE" word w[0..n); a malformed one is refused, not fatal. */
static int add_carveout(struct build *b, int chosen, const char *w, size_t n)
{
	const char *p = w + 14, *end = w + n; /* past "zirv.carveout=" */
	char word[64], what[RT_WARN_LEN];
	uint64_t size, base;
	int err;
	copy_str(word, sizeof word, w, n);
	struct sb s = {what, sizeof what, 0};
	sb_str(&s, "bootargs: ");
	sb_str(&s, word);
	if (!parse_num(&p, end, &size) || !parse_suffix(&p, end, &size) || p == end ||
	    *p++ != '@' || !parse_num(&p, end, &base) || p != end)
		sb_str(&s, ": expected SIZE[K|M|G]@BASE: refused");
	else if (size == 0 || size % RT_PAGE || base % RT_PAGE)
		sb_str(&s, ": size and base must be non-zero page multiples: refused");
	else {
		try_carveout(b, base, size, RT_F_CMDLINE, chosen, "bootargs", what, &err);
		return err;
	}
	restab_warn(b, -1, what);
	return DT_OK;
}

/*
 * zirv.console=sbi hands the console UART to user space: the kernel writes
 * through SBI, and the UART is not the kernel's own (contract 10). Any
 * other value is refused.
 */
static void console_arg(struct build *b, const char *w, size_t n)
{
	if (n == 16 && memcmp(w + 13, "sbi", 3) == 0) {
		b->rt->console_handed_off = true;
		return;
	}
	char word[64], what[RT_WARN_LEN];
	struct sb s = {what, sizeof what, 0};
	copy_str(word, sizeof word, w, n);
	sb_str(&s, "bootargs: ");
	sb_str(&s, word);
	sb_str(&s, ": the one choice is zirv.console=sbi: refused");
	restab_warn(b, -1, what);
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
		if (j - i >= 13 && memcmp(args + i, "zirv.console=", 13) == 0)
			console_arg(b, args + i, j - i);
		else if (j - i >= 5 && memcmp(args + i, "zirv.", 5) == 0 &&
			 !known_arg(args + i, j - i))
			unknown_arg(b, chosen, args + i, j - i);
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
	int n = first_compatible(dt, "ns16550a", "ns16550");
	return n != DT_NONE ? n : first_compatible(dt, "snps,dw-apb-uart", "snps,dw-apb-uart");
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

/* --------------------------------------------------------- kernel's own devices */

/* Does some compatible string of `node` contain `sub`? */
bool restab_compat_contains(const struct dt *dt, int node, const char *sub)
{
	uint32_t len;
	const char *v = dt_getprop(dt, node, "compatible", &len);
	size_t k = strlen(sub);
	for (uint32_t i = 0; v && i < len;) {
		size_t n = strnlen(v + i, len - i);
		for (size_t j = 0; j + k <= n; j++)
			if (memcmp(v + i + j, sub, k) == 0)
				return true;
		i += (uint32_t)n + 1;
	}
	return false;
}

int restab_find_phandle(const struct dt *dt, uint32_t phandle)
{
	int depth = 0;
	uint32_t v;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth))
		if ((dt_getprop_u32(dt, n, "phandle", &v) ||
		     dt_getprop_u32(dt, n, "linux,phandle", &v)) &&
		    v == phandle)
			return n;
	return DT_NONE;
}

static void mark_kernel_node(struct restab *rt, int node)
{
	for (uint32_t i = 0; node != DT_NONE && i < rt->n; i++)
		if (rt->e[i].node == node && rt->e[i].kind == RT_MMIO)
			rt->e[i].flags |= RT_F_KERNEL;
}

/*
 * The devices the kernel (or the firmware under it) drives are never
 * grantable: the console UART, every CLINT / ACLINT block (timers and
 * IPIs, "clint" in a compatible), every IMSIC (interrupt files, "imsics"),
 * every interrupt controller ("plic" or "aplic" in a compatible, with an
 * interrupt-controller property), the QEMU test finisher, and the register
 * block a syscon-poweroff / syscon-reboot node points at.
 */
static void mark_kernel_devices(struct build *b)
{
	const struct dt *dt = b->dt;
	int depth = 0;
	uint32_t ph;
	if (!b->rt->console_handed_off)
		mark_kernel_node(b->rt, b->rt->stdout_node);
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth)) {
		bool intc = dt_getprop(dt, n, "interrupt-controller", NULL) &&
			    restab_compat_contains(dt, n, "plic"); /* "aplic" too */
		if (intc || restab_compat_contains(dt, n, "clint") ||
		    restab_compat_contains(dt, n, "imsics") ||
		    dt_prop_has_string(dt, n, "compatible", "sifive,test0") ||
		    dt_prop_has_string(dt, n, "compatible", "sifive,test1"))
			mark_kernel_node(b->rt, n);
		if ((dt_prop_has_string(dt, n, "compatible", "syscon-poweroff") ||
		     dt_prop_has_string(dt, n, "compatible", "syscon-reboot")) &&
		    dt_getprop_u32(dt, n, "regmap", &ph))
			mark_kernel_node(b->rt, restab_find_phandle(dt, ph));
	}
}

/* Can zirv drive the stdout node as its console? Fills rt->console, or says why not. */
static void check_console(struct build *b)
{
	struct rt_console *c = &b->rt->console;
	int node = b->rt->stdout_node;
	const char *why = NULL;
	if (node == DT_NONE || b->rt->console_handed_off)
		return; /* handed off: not the kernel's, c->ok stays false */
	c->shift = 0;
	c->width = 1;
	dt_getprop_u32(b->dt, node, "reg-shift", &c->shift);
	dt_getprop_u32(b->dt, node, "reg-io-width", &c->width);
	if (!dt_prop_has_string(b->dt, node, "compatible", "ns16550a") &&
	    !dt_prop_has_string(b->dt, node, "compatible", "ns16550") &&
	    !dt_prop_has_string(b->dt, node, "compatible", "snps,dw-apb-uart"))
		why = "not a 16550 (ns16550, ns16550a, snps,dw-apb-uart)";
	else if (!restab_node_reg(b->dt, node, &c->base, &c->size))
		why = "no register window";
	else if (c->shift > 4)
		why = "reg-shift above 4 is not supported";
	else if (c->width != 1 && c->width != 4)
		why = "reg-io-width must be 1 or 4";
	if (why) {
		char what[120];
		struct sb s = {what, sizeof what, 0};
		sb_str(&s, why);
		sb_str(&s, ": the console stays on SBI");
		restab_warn(b, node, what);
	}
	c->ok = why == NULL;
}

/*
 * DMA is coherent on RISC-V unless the tree says otherwise: the first
 * enabled node with dma-noncoherent (usually the SoC bus) makes the
 * platform's DMA non-coherent for the kernel's cache operations.
 */
static int find_noncoherent(const struct dt *dt)
{
	int depth = 0;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth))
		if (dt_getprop(dt, n, "dma-noncoherent", NULL) && dt_node_enabled(dt, n))
			return n;
	return DT_NONE;
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
	rt->dma_noncoherent_node = DT_NONE;
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
		err = add_pools(&b);
	if (!err)
		err = cmdline_carveouts(&b, chosen);
	if (!err)
		err = restab_cpu_facts(&b);
	rt->dma_noncoherent_node = find_noncoherent(dt);
	if (rt->dma_noncoherent_node != DT_NONE) {
		const char *nm = dt_name(dt, rt->dma_noncoherent_node);
		size_t n = strnlen(nm, RT_NAME_LEN - 1);
		memcpy(rt->dma_noncoherent_name, nm, n);
		rt->dma_noncoherent_name[n] = 0;
	}
	rt->stdout_node = find_stdout(dt, chosen);
	rt->finisher_node = first_compatible(dt, "sifive,test0", "sifive,test1");
	check_console(&b);
	if (!err)
		restab_irqs(&b);
	mark_kernel_devices(&b);
	return err;
}

enum cache_maint restab_cache_maint(const struct restab *rt)
{
	if (rt->cpu.ext & CPU_ZICBOM && rt->cpu.cbom_block)
		return CACHE_MAINT_ZICBOM;
	if (rt->cpu.ext & CPU_XTHEADCMO)
		return CACHE_MAINT_XTHEAD;
	return rt->dma_noncoherent_node == DT_NONE ? CACHE_MAINT_COHERENT : CACHE_MAINT_NONE;
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

const struct rt_irq *restab_irq(const struct restab *rt, uint32_t vector)
{
	for (uint32_t i = 0; i < rt->nirq && i < RT_IRQ_MAX; i++)
		if (rt->irq[i].vector == vector)
			return &rt->irq[i];
	return NULL;
}

uint32_t restab_node_reg_at(const struct dt *dt, int node, uint32_t k, uint64_t *base,
			    uint64_t *size)
{
	static struct build b;
	int chain[DT_MAX_DEPTH + 1];
	int n = dt_ancestors(dt, node, chain, DT_MAX_DEPTH + 1);
	if (n < 2)
		return 0; /* not found, or the root: no parent bus to read cells from */
	memset(&b, 0, sizeof b);
	b.dt = dt;
	for (int d = 0; d < n; d++)
		set_level(&b, d, chain[d]);
	uint32_t count;
	*size = 0;
	if (!b.lv[n - 1].visit || read_reg(&b, n - 1, k, base, size, &count))
		return 0;
	return count;
}

bool restab_node_reg(const struct dt *dt, int node, uint64_t *base, uint64_t *size)
{
	return restab_node_reg_at(dt, node, 0, base, size) > 0 && *size != 0;
}

int restab_dma_ranges(const struct dt *dt, int node, struct rt_dma *out)
{
	int chain[DT_MAX_DEPTH + 1];
	int n = dt_ancestors(dt, node, chain, DT_MAX_DEPTH + 1);
	int level = -1;

	out->n = 0;
	/* chain[n-1] is the device; its buses are chain[n-2] up to the root, chain[0]. */
	for (int d = n - 2; d >= 1; d--) {
		uint32_t len;
		if (!dt_getprop(dt, chain[d], "dma-ranges", &len) || len == 0)
			continue;
		if (level >= 0)
			return RT_DMA_NESTED;
		level = d;
	}
	if (level < 0)
		return RT_DMA_OK;
	uint32_t len, cac, csc, pac, psc;
	const uint8_t *v = dt_getprop(dt, chain[level], "dma-ranges", &len);
	bus_cells(dt, chain[level], &cac, &csc);     /* the bus's own: child addresses, sizes */
	bus_cells(dt, chain[level - 1], &pac, &psc); /* its parent's: parent addresses */
	uint32_t ent = 4 * (cac + pac + csc);
	if (cac > 2 || pac > 2 || csc > 2 || ent == 0 || len % ent || len / ent > RT_DMA_WINDOWS)
		return RT_DMA_MALFORMED;
	for (uint32_t off = 0; off < len; off += ent) {
		out->w[out->n].dev = dt_read_cells(v + off, cac);
		out->w[out->n].cpu = dt_read_cells(v + off + 4 * cac, pac);
		out->w[out->n].size = dt_read_cells(v + off + 4 * (cac + pac), csc);
		out->n++;
	}
	return RT_DMA_OK;
}
