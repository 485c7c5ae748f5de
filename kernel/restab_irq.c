/*
 * The resource table's interrupts: the PLIC zirv drives, its per-hart
 * S-mode contexts, and every device interrupt that goes to it.
 *
 * A device's interrupts are its "interrupts" property, read with the cells
 * of its interrupt parent ("interrupt-parent" on the node or its nearest
 * ancestor that has one, a phandle), or its "interrupts-extended", where
 * each entry names its controller. Only entries whose controller is the
 * PLIC are recorded: the first cell is the vector (the PLIC source
 * number), a second cell, when the PLIC has two, the trigger type.
 */
#include "restab_internal.h"

static const char *const plic_compatibles[] = {
    "sifive,plic-1.0.0",
    "riscv,plic0",
    "thead,c900-plic",
    "andestech,nceplic100",
};

static bool is_plic(const struct dt *dt, int node)
{
	for (size_t i = 0; i < sizeof plic_compatibles / sizeof plic_compatibles[0]; i++)
		if (dt_prop_has_string(dt, node, "compatible", plic_compatibles[i]))
			return true;
	return false;
}

static void plic_refused(struct build *b, int node, const char *why)
{
	char what[160];
	struct sb s = {what, sizeof what, 0};
	sb_str(&s, why);
	sb_str(&s, ": device interrupts are not available");
	restab_warn(b, node, what);
}

/* Read the PLIC at `node` into b->rt->plic; false (with a refusal) if zirv cannot drive it. */
static bool read_plic(struct build *b, int cpus, int node)
{
	const struct dt *dt = b->dt;
	struct rt_plic *p = &b->rt->plic;
	uint32_t len, cells = 1;
	const uint8_t *ie = dt_getprop(dt, node, "interrupts-extended", &len);

	p->node = node;
	p->cells = 1;
	dt_getprop_u32(dt, node, "#interrupt-cells", &p->cells);
	if (!dt_getprop_u32(dt, node, "phandle", &p->phandle))
		dt_getprop_u32(dt, node, "linux,phandle", &p->phandle);
	if (!restab_node_reg(dt, node, &p->base, &p->size) || !ie || len % 4) {
		plic_refused(b, node, "PLIC without reg or interrupts-extended");
		return false;
	}
	if (!dt_getprop_u32(dt, node, "riscv,ndev", &p->ndev) || p->ndev == 0 || p->ndev > 1023) {
		plic_refused(b, node, "PLIC without a riscv,ndev of 1 to 1023");
		return false;
	}
	if (p->cells < 1 || p->cells > 2 || !p->phandle) {
		plic_refused(b, node,
			     "PLIC with #interrupt-cells other than 1 or 2, or no phandle");
		return false;
	}
	for (int i = 0; i < 64; i++)
		p->sctx[i] = -1;
	/* Entries: <intc cause> with the intc's own #interrupt-cells (1 for a hart's). */
	for (uint32_t off = 0, ctx = 0; off + 8 <= len; off += 4 * (1 + cells), ctx++) {
		int intc = restab_find_phandle(dt, dt_be32(ie + off));
		cells = 1;
		if (intc != DT_NONE)
			dt_getprop_u32(dt, intc, "#interrupt-cells", &cells);
		if (cells < 1 || cells > 3 || off + 4 * (1 + cells) > len) {
			plic_refused(b, node, "PLIC interrupts-extended does not fit its cells");
			return false;
		}
		int hart = restab_hart_of_intc(b, cpus, intc);
		/* A context the spec's register map cannot address (15,872 of them) is never used.
		 */
		if (hart >= 0 && p->sctx[hart] < 0 && dt_be32(ie + off + 4) == 9 && ctx < 15872 &&
		    0x200000 + 0x1000 * (uint64_t)ctx + 8 <= p->size)
			p->sctx[hart] = (int16_t)ctx;
	}
	for (uint32_t i = 0; i < b->rt->cpu.harts_usable && i < 64; i++)
		if (p->sctx[i] >= 0)
			return true;
	plic_refused(b, node, "PLIC with no supervisor-mode context of a usable hart");
	return false;
}

/* The phandle of node's interrupt parent: its own or its nearest ancestor's; 0 if none. */
static uint32_t interrupt_parent(const struct dt *dt, int node)
{
	uint32_t ph;
	for (int n = node; n != DT_NONE; n = dt_parent(dt, n))
		if (dt_getprop_u32(dt, n, "interrupt-parent", &ph))
			return ph;
	return 0;
}

static void add_irq(struct build *b, int node, const uint8_t *cells)
{
	struct restab *rt = b->rt;
	uint32_t vector = dt_be32(cells), trigger = rt->plic.cells == 2 ? dt_be32(cells + 4) : 0;

	if (vector == 0 || vector > rt->plic.ndev) {
		restab_warn(b, node, "interrupt outside the PLIC's sources: ignored");
		return;
	}
	if (rt->nirq >= RT_IRQ_MAX) {
		if (rt->nirq++ == RT_IRQ_MAX)
			restab_warn(b, node,
				    "more device interrupts than the table holds (RT_IRQ_MAX)");
		return;
	}
	rt->irq[rt->nirq++] = (struct rt_irq){node, vector, (uint8_t)(trigger & 0xf)};
}

/* The node's entries that go to the PLIC. */
static void device_irqs(struct build *b, int node)
{
	const struct dt *dt = b->dt;
	const struct rt_plic *p = &b->rt->plic;
	uint32_t len;
	const uint8_t *v = dt_getprop(dt, node, "interrupts-extended", &len);

	if (v) {
		for (uint32_t off = 0; off + 4 <= len && len % 4 == 0;) {
			uint32_t ph = dt_be32(v + off), cells = 1;
			int intc = restab_find_phandle(dt, ph);
			if (intc == DT_NONE ||
			    !dt_getprop_u32(dt, intc, "#interrupt-cells", &cells) || cells < 1 ||
			    cells > 4 || off + 4 * (1 + cells) > len)
				return; /* unreadable: the rest cannot be told apart */
			if (ph == p->phandle)
				add_irq(b, node, v + off + 4);
			off += 4 * (1 + cells);
		}
		return;
	}
	v = dt_getprop(dt, node, "interrupts", &len);
	if (!v || interrupt_parent(dt, node) != p->phandle)
		return;
	for (uint32_t off = 0; off + 4 * p->cells <= len; off += 4 * p->cells)
		add_irq(b, node, v + off);
}

void restab_irqs(struct build *b)
{
	const struct dt *dt = b->dt;
	int cpus = dt_find_path(dt, "/cpus"), depth = 0;
	bool tried = false;

	b->rt->plic.node = DT_NONE;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth)) {
		if (!dt_node_enabled(dt, n) || !dt_getprop(dt, n, "interrupt-controller", NULL))
			continue;
		if (!tried && is_plic(dt, n)) {
			tried = true;
			b->rt->plic.ok = read_plic(b, cpus, n);
		} else if (dt_prop_has_string(dt, n, "compatible", "riscv,aplic")) {
			restab_warn(b, n,
				    "APLIC: zirv does not drive it yet, device interrupts are not "
				    "available");
		} else if (is_plic(dt, n)) {
			restab_warn(b, n, "a second PLIC: zirv drives the first one only");
		}
	}
	if (!b->rt->plic.ok)
		return;
	depth = 0;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth))
		if (n != b->rt->plic.node)
			device_irqs(b, n);
}
