/*
 * CPU facts for the resource table: which harts are enabled and have an
 * Sv39-capable MMU, and the ISA extensions every one of them has.
 */
#include "restab_internal.h"

const struct restab_ext restab_cpu_exts[RESTAB_NEXTS] = {
    {"svpbmt", CPU_SVPBMT},	  {"svnapot", CPU_SVNAPOT}, {"svinval", CPU_SVINVAL},
    {"zicbom", CPU_ZICBOM},	  {"sstc", CPU_SSTC},	    {"ssaia", CPU_SSAIA},
    {"xtheadcmo", CPU_XTHEADCMO},
};

static uint32_t ext_bit(const char *s, size_t n)
{
	for (size_t i = 0; i < RESTAB_NEXTS; i++)
		if (strlen(restab_cpu_exts[i].name) == n &&
		    memcmp(restab_cpu_exts[i].name, s, n) == 0)
			return restab_cpu_exts[i].bit;
	return 0;
}

/* Multi-letter extensions of "rv64imafdc_zicsr_svpbmt": the '_' separated
 * words after the base and single letters. */
static uint32_t isa_string_exts(const char *isa, uint32_t len)
{
	uint32_t ext = 0;
	size_t n = strnlen(isa, len);
	size_t i = 0;
	while (i < n && isa[i] != '_')
		i++;
	while (i < n) {
		size_t j = ++i;
		while (j < n && isa[j] != '_')
			j++;
		ext |= ext_bit(isa + i, j - i);
		i = j;
	}
	return ext;
}

/* riscv,isa-extensions (a string list) wins over the older riscv,isa. */
static uint32_t hart_exts(const struct dt *dt, int cpu)
{
	uint32_t len, ext = 0;
	const char *v = dt_getprop(dt, cpu, "riscv,isa-extensions", &len);
	if (!v) {
		v = dt_getprop(dt, cpu, "riscv,isa", &len);
		return v ? isa_string_exts(v, len) : 0;
	}
	for (uint32_t i = 0; i < len;) {
		size_t n = strnlen(v + i, len - i);
		ext |= ext_bit(v + i, n);
		i += (uint32_t)n + 1;
	}
	return ext;
}

/* An Sv48/Sv57 MMU also implements Sv39. */
static bool hart_has_sv39(const struct dt *dt, int cpu)
{
	return dt_prop_is_string(dt, cpu, "mmu-type", "riscv,sv39") ||
	       dt_prop_is_string(dt, cpu, "mmu-type", "riscv,sv48") ||
	       dt_prop_is_string(dt, cpu, "mmu-type", "riscv,sv57");
}

static bool hart_is_thead(const struct dt *dt, int cpu)
{
	uint32_t len;
	const char *v = dt_getprop(dt, cpu, "compatible", &len);
	for (uint32_t i = 0; v && i < len;) {
		size_t n = strnlen(v + i, len - i);
		if (n >= 6 && memcmp(v + i, "thead,", 6) == 0)
			return true;
		i += (uint32_t)n + 1;
	}
	return false;
}

/* The hart id in a cpu node's reg; false (with a refusal) if there is none. */
static bool hart_id(struct build *b, int cpus, int cpu, uint64_t *id)
{
	uint32_t ac = 1, len;
	dt_getprop_u32(b->dt, cpus, "#address-cells", &ac);
	const uint8_t *reg = dt_getprop(b->dt, cpu, "reg", &len);
	if (reg && ac >= 1 && ac <= 2 && len == ac * 4) {
		*id = dt_read_cells(reg, ac);
		return true;
	}
	restab_warn(b, cpu, "no hart id (reg of #address-cells 1 or 2 in /cpus): hart not used");
	return false;
}

/*
 * T-Head's C906, C910 and C920 implement XTheadCmo (T-Head's extension
 * specification, "XTheadCmo"), and trees for them predate the extension
 * names: their compatible says it.
 */
static bool hart_is_thead_cmo_core(const struct dt *dt, int cpu)
{
	return dt_prop_has_string(dt, cpu, "compatible", "thead,c906") ||
	       dt_prop_has_string(dt, cpu, "compatible", "thead,c910") ||
	       dt_prop_has_string(dt, cpu, "compatible", "thead,c920");
}

/* Folds one usable hart into the facts; first says it is the first one. */
static void add_hart(struct cpu_facts *c, const struct dt *dt, int cpu, uint64_t id, bool first,
		     bool *cbom_mixed)
{
	uint32_t ext = hart_exts(dt, cpu), cbom = 0, dblock = 64;
	if (hart_is_thead_cmo_core(dt, cpu))
		ext |= CPU_XTHEADCMO;
	c->ext = first ? ext : c->ext & ext;
	dt_getprop_u32(dt, cpu, "d-cache-block-size", &dblock);
	if (dblock < 16 || dblock > 4096 || (dblock & (dblock - 1)))
		dblock = 16; /* nonsense: step finely enough for any real line size */
	if (first || dblock < c->dcache_block)
		c->dcache_block = dblock; /* the smallest: a cache op over it misses no line */
	c->all_thead = (first || c->all_thead) && hart_is_thead(dt, cpu);
	if (ext & CPU_ZICBOM) {
		if (!dt_getprop_u32(dt, cpu, "riscv,cbom-block-size", &cbom) ||
		    (c->cbom_block && c->cbom_block != cbom))
			*cbom_mixed = true;
		c->cbom_block = cbom;
	}
	if (c->timebase == 0)
		dt_getprop_u64(dt, cpu, "timebase-frequency", &c->timebase);
	if (c->harts_usable < 64)
		c->hartid[c->harts_usable] = id;
	c->harts_usable++;
}

static int nommu_error(struct build *b, int first_enabled)
{
	if (first_enabled == DT_NONE)
		return restab_fail(b, DT_E_NOMMU, -1,
				   "no enabled hart in /cpus: need an Sv39-capable MMU");
	uint32_t len;
	const char *mmu = dt_getprop(b->dt, first_enabled, "mmu-type", &len);
	char what[120];
	struct sb s = {what, sizeof what, 0};
	sb_str(&s, "no enabled hart has an Sv39-capable MMU (mmu-type \"");
	char tmp[32];
	copy_str(tmp, sizeof tmp, mmu ? mmu : "absent", mmu ? len : 7);
	sb_str(&s, tmp);
	sb_str(&s, "\", need riscv,sv39/sv48/sv57)");
	return restab_fail(b, DT_E_NOMMU, first_enabled, what);
}

int restab_hart_of_intc(const struct build *b, int cpus, int intc)
{
	const struct cpu_facts *c = &b->rt->cpu;
	int cpu = intc == DT_NONE ? DT_NONE : dt_parent(b->dt, intc);
	uint32_t ac = 1, len;

	if (cpu == DT_NONE || dt_parent(b->dt, cpu) != cpus ||
	    !dt_prop_is_string(b->dt, cpu, "device_type", "cpu"))
		return -1;
	dt_getprop_u32(b->dt, cpus, "#address-cells", &ac);
	const uint8_t *reg = dt_getprop(b->dt, cpu, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || len != ac * 4)
		return -1;
	uint64_t id = dt_read_cells(reg, ac);
	for (uint32_t i = 0; i < c->harts_usable && i < 64; i++)
		if (c->hartid[i] == id)
			return (int)i;
	return -1;
}

/*
 * Read the per-hart IPI registers of `node` into `blk`: the i-th entry of
 * its interrupts-extended names a hart's interrupt controller with `cause`,
 * and that hart's register is the word at reg + stride * i. False, with a
 * refusal naming `what`, if the node cannot be read that way.
 */
static bool ipi_block(struct build *b, int cpus, int node, uint32_t cause, uint64_t stride,
		      const char *what, struct rt_ipi_block *blk)
{
	const struct dt *dt = b->dt;
	uint32_t len, cells = 1;
	uint64_t base, size;
	char msg[96];
	struct sb s = {msg, sizeof msg, 0};
	const uint8_t *ie = dt_getprop(dt, node, "interrupts-extended", &len);

	sb_str(&s, what);
	if (!restab_node_reg(dt, node, &base, &size) || !ie || len % 4) {
		sb_str(&s, " without reg or interrupts-extended: IPIs go through SBI");
		restab_warn(b, node, msg);
		return false;
	}
	for (uint32_t off = 0, slot = 0; off + 8 <= len; off += 4 * (1 + cells), slot++) {
		int intc = restab_find_phandle(dt, dt_be32(ie + off));
		cells = 1;
		if (intc != DT_NONE)
			dt_getprop_u32(dt, intc, "#interrupt-cells", &cells);
		if (cells < 1 || cells > 3 || off + 4 * (1 + cells) > len ||
		    (uint64_t)slot * stride + 4 > size) {
			sb_str(&s, " interrupts-extended does not fit its cells or reg: IPIs go "
				   "through SBI");
			restab_warn(b, node, msg);
			for (int i = 0; i < 64; i++)
				blk->slot[i] = -1;
			return false;
		}
		int hart = restab_hart_of_intc(b, cpus, intc);
		if (hart >= 0 && blk->slot[hart] < 0 && dt_be32(ie + off + 4) == cause)
			blk->slot[hart] = (int16_t)slot;
	}
	blk->base = base;
	blk->size = size;
	blk->stride = stride;
	return true;
}

/*
 * The IPI blocks the tree names. An ACLINT SSWI ("riscv,aclint-sswi";
 * RISC-V ACLINT spec): cause 1 (supervisor software), word i of the block
 * is hart i's SETSSIP register. An IMSIC ("riscv,imsics"; RISC-V AIA spec,
 * chapter 3) whose interrupts-extended has cause 9 (supervisor external)
 * holds the harts' supervisor interrupt files, 4 KiB each (times
 * 2^riscv,guest-index-bits), one group only; usable only when every hart
 * has Ssaia (its CSRs). The first enabled block of each kind is used; a
 * hart a block does not reach keeps SBI IPIs.
 */
static void find_ipi_blocks(struct build *b, int cpus)
{
	const struct dt *dt = b->dt;
	struct cpu_facts *c = &b->rt->cpu;
	int depth = 0;
	uint32_t v;

	for (int i = 0; i < 64; i++)
		c->sswi.slot[i] = c->imsic.slot[i] = -1;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth)) {
		if (!dt_node_enabled(dt, n))
			continue;
		if (!c->sswi.base && dt_prop_has_string(dt, n, "compatible", "riscv,aclint-sswi"))
			ipi_block(b, cpus, n, 1, 4, "ACLINT SSWI", &c->sswi);
		uint32_t guest_bits = 0;
		dt_getprop_u32(dt, n, "riscv,guest-index-bits", &guest_bits);
		const void *ie = dt_getprop(dt, n, "interrupts-extended", &v);
		if (!c->imsic.base && (c->ext & CPU_SSAIA) && ie && v >= 8 &&
		    dt_be32((const uint8_t *)ie + 4) == 9 &&
		    dt_prop_has_string(dt, n, "compatible", "riscv,imsics")) {
			if (guest_bits > 16 || dt_getprop(dt, n, "riscv,group-index-bits", &v))
				restab_warn(b, n,
					    "IMSIC with guest index bits above 16 or several "
					    "groups: IPIs go through SBI");
			else
				ipi_block(b, cpus, n, 9, (uint64_t)0x1000 << guest_bits, "IMSIC",
					  &c->imsic);
		}
	}
}

static bool reaches_a_hart(const struct rt_ipi_block *blk, uint32_t harts)
{
	for (uint32_t i = 0; blk->base && i < harts && i < 64; i++)
		if (blk->slot[i] >= 0)
			return true;
	return false;
}

const struct rt_ipi_block *restab_ipi_block(const struct cpu_facts *c)
{
	if (reaches_a_hart(&c->sswi, c->harts_usable))
		return &c->sswi;
	return reaches_a_hart(&c->imsic, c->harts_usable) ? &c->imsic : NULL;
}

int restab_cpu_facts(struct build *b)
{
	const struct dt *dt = b->dt;
	struct cpu_facts *c = &b->rt->cpu;
	int cpus = dt_find_path(dt, "/cpus"), first_enabled = DT_NONE;
	bool cbom_mixed = false;
	uint64_t id;
	for (int n = dt_first_child(dt, cpus); n != DT_NONE; n = dt_next_sibling(dt, n)) {
		if (!dt_prop_is_string(dt, n, "device_type", "cpu") || !dt_node_enabled(dt, n))
			continue;
		c->harts_enabled++;
		if (first_enabled == DT_NONE)
			first_enabled = n;
		if (hart_has_sv39(dt, n) && hart_id(b, cpus, n, &id))
			add_hart(c, dt, n, id, c->harts_usable == 0, &cbom_mixed);
	}
	if (cbom_mixed)
		c->cbom_block = 0;
	if (c->timebase == 0)
		dt_getprop_u64(dt, cpus, "timebase-frequency", &c->timebase);
	if (!c->harts_usable)
		return nommu_error(b, first_enabled);
	/* Time, deadlines and zx_clock_get_monotonic all scale by it: no guessing. */
	if (c->timebase == 0)
		return restab_fail(b, DT_E_TIMEBASE, cpus,
				   "no timebase-frequency in /cpus or any usable hart");
	find_ipi_blocks(b, cpus);
	return DT_OK;
}
