/*
 * The resource table's interrupts: the PLIC or APLIC zirv drives, how it
 * reaches each hart, and every device interrupt that goes to it.
 *
 * A device's interrupts are its "interrupts" property, read with the cells
 * of its interrupt parent ("interrupt-parent" on the node or its nearest
 * ancestor that has one, a phandle), or its "interrupts-extended", where
 * each entry names its controller. Only entries whose controller is the
 * one zirv drives are recorded: the first cell is the vector (the source
 * number), a second cell, when the controller has two, the trigger type.
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

static void irqc_refused(struct build *b, int node, const char *why)
{
	char what[160];
	struct sb s = {what, sizeof what, 0};
	sb_str(&s, why);
	sb_str(&s, ": device interrupts are not available");
	restab_warn(b, node, what);
}

/*
 * Fill p->sctx from `node`'s interrupts-extended (`ie`, `len` bytes):
 * entry k with cause 9 (supervisor external) of usable hart i makes k that
 * hart's target, if the register block of target k (at first + stride * k,
 * 8 bytes) lies in the controller's window and k < max. False if no usable
 * hart has one, or the entries do not fit their cells.
 */
static bool supervisor_targets(struct build *b, int cpus, const uint8_t *ie, uint32_t len,
			       uint64_t first, uint64_t stride, uint32_t max)
{
	const struct dt *dt = b->dt;
	struct rt_irqc *p = &b->rt->irqc;
	uint32_t cells = 1;

	for (int i = 0; i < 64; i++)
		p->sctx[i] = -1;
	/* Entries: <intc cause> with the intc's own #interrupt-cells (1 for a hart's). */
	for (uint32_t off = 0, k = 0; off + 8 <= len; off += 4 * (1 + cells), k++) {
		int intc = restab_find_phandle(dt, dt_be32(ie + off));
		cells = 1;
		if (intc != DT_NONE)
			dt_getprop_u32(dt, intc, "#interrupt-cells", &cells);
		if (cells < 1 || cells > 3 || off + 4 * (1 + cells) > len)
			return false;
		int hart = restab_hart_of_intc(b, cpus, intc);
		if (hart >= 0 && p->sctx[hart] < 0 && dt_be32(ie + off + 4) == 9 && k < max &&
		    first + stride * (uint64_t)k + 8 <= p->size)
			p->sctx[hart] = (int16_t)k;
	}
	for (uint32_t i = 0; i < b->rt->cpu.harts_usable && i < 64; i++)
		if (p->sctx[i] >= 0)
			return true;
	return false;
}

/* Read the PLIC at `node` into b->rt->irqc; false (with a refusal) if zirv cannot drive it. */
static bool read_plic(struct build *b, int cpus, int node)
{
	const struct dt *dt = b->dt;
	struct rt_irqc *p = &b->rt->irqc;
	uint32_t len;
	const uint8_t *ie = dt_getprop(dt, node, "interrupts-extended", &len);

	p->node = node;
	p->kind = RT_IRQC_PLIC;
	p->cells = 1;
	dt_getprop_u32(dt, node, "#interrupt-cells", &p->cells);
	if (!dt_getprop_u32(dt, node, "phandle", &p->phandle))
		dt_getprop_u32(dt, node, "linux,phandle", &p->phandle);
	if (!restab_node_reg(dt, node, &p->base, &p->size) || !ie || len % 4) {
		irqc_refused(b, node, "PLIC without reg or interrupts-extended");
		return false;
	}
	if (!dt_getprop_u32(dt, node, "riscv,ndev", &p->ndev) || p->ndev == 0 || p->ndev > 1023) {
		irqc_refused(b, node, "PLIC without a riscv,ndev of 1 to 1023");
		return false;
	}
	if (p->cells < 1 || p->cells > 2 || !p->phandle) {
		irqc_refused(b, node,
			     "PLIC with #interrupt-cells other than 1 or 2, or no phandle");
		return false;
	}
	if (!supervisor_targets(b, cpus, ie, len, 0x200000, 0x1000, 15872)) {
		irqc_refused(b, node,
			     "PLIC with no supervisor-mode context of a usable hart (or an "
			     "interrupts-extended that does not fit its cells)");
		return false;
	}
	return true;
}

/* Read the APLIC at `node`; false (with a refusal) if zirv cannot drive it. */
static bool read_aplic(struct build *b, int cpus, int node)
{
	const struct dt *dt = b->dt;
	struct rt_irqc *p = &b->rt->irqc;
	const struct cpu_facts *c = &b->rt->cpu;
	uint32_t len, msi;
	const uint8_t *ie = dt_getprop(dt, node, "interrupts-extended", &len);

	p->node = node;
	p->kind = ie ? RT_IRQC_APLIC : RT_IRQC_APLIC_MSI;
	p->cells = 0;
	dt_getprop_u32(dt, node, "#interrupt-cells", &p->cells);
	if (!dt_getprop_u32(dt, node, "phandle", &p->phandle))
		dt_getprop_u32(dt, node, "linux,phandle", &p->phandle);
	if (!restab_node_reg(dt, node, &p->base, &p->size) || p->size < 0x4000) {
		irqc_refused(b, node, "APLIC without a register window of 16 KiB or more");
		return false;
	}
	if (!dt_getprop_u32(dt, node, "riscv,num-sources", &p->ndev) || p->ndev == 0 ||
	    p->ndev > 1023 || p->cells != 2 || !p->phandle) {
		irqc_refused(b, node,
			     "APLIC without riscv,num-sources of 1 to 1023, #interrupt-cells 2 and "
			     "a phandle");
		return false;
	}
	if (ie) {
		/* Direct delivery (AIA spec 4.8): IDC k at 0x4000 + 32 k, 16,384 of them at most.
		 */
		if (len % 4 || !supervisor_targets(b, cpus, ie, len, 0x4000, 32, 16384)) {
			irqc_refused(b, node, "APLIC with no supervisor-mode IDC of a usable hart");
			return false;
		}
		return true;
	}
	if (!dt_getprop_u32(dt, node, "msi-parent", &msi)) {
		irqc_refused(b, node, "APLIC with neither interrupts-extended nor msi-parent");
		return false;
	}
	int imsic = restab_find_phandle(dt, msi);
	uint64_t base = 0, size, ids = 0;
	uint32_t ids32 = 0;
	if (imsic != DT_NONE)
		restab_node_reg(dt, imsic, &base, &size);
	if (dt_getprop_u32(dt, imsic, "riscv,num-ids", &ids32))
		ids = ids32;
	if (!(c->ext & CPU_SSAIA) || !c->imsic.base || base != c->imsic.base) {
		irqc_refused(
		    b, node,
		    "APLIC sending MSIs to an IMSIC zirv does not take them from (it needs "
		    "Ssaia on every hart and the harts' supervisor interrupt files)");
		return false;
	}
	if (ids < p->ndev + 1) {
		irqc_refused(b, node, "APLIC with more sources than its IMSIC has identities for");
		return false;
	}
	for (int i = 0; i < 64; i++)
		p->sctx[i] = c->imsic.slot[i];
	return true;
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
	uint32_t vector = dt_be32(cells), trigger = rt->irqc.cells == 2 ? dt_be32(cells + 4) : 0;

	if (vector == 0 || vector > rt->irqc.ndev) {
		restab_warn(b, node, "interrupt outside the controller's sources: ignored");
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

/* The node's entries that go to the controller zirv drives. */
static void device_irqs(struct build *b, int node)
{
	const struct dt *dt = b->dt;
	const struct rt_irqc *p = &b->rt->irqc;
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

/*
 * An APLIC of the supervisor level: its IDCs (or its IMSIC's files) are
 * the harts' supervisor external interrupts (cause 9). The machine-level
 * one (cause 11) belongs to the firmware, which delegates the sources.
 */
static bool aplic_is_supervisor(const struct dt *dt, int node)
{
	uint32_t len = 0, ph;
	const uint8_t *ie = dt_getprop(dt, node, "interrupts-extended", &len);

	if (!ie && dt_getprop_u32(dt, node, "msi-parent", &ph)) {
		int imsic = restab_find_phandle(dt, ph);
		ie = imsic == DT_NONE ? NULL : dt_getprop(dt, imsic, "interrupts-extended", &len);
	}
	return ie && len >= 8 && dt_be32(ie + 4) == 9;
}

void restab_irqs(struct build *b)
{
	const struct dt *dt = b->dt;
	int cpus = dt_find_path(dt, "/cpus"), depth = 0, aplic = DT_NONE;
	bool tried = false;

	b->rt->irqc.node = DT_NONE;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth)) {
		if (!dt_node_enabled(dt, n) || !dt_getprop(dt, n, "interrupt-controller", NULL))
			continue;
		if (!tried && is_plic(dt, n)) {
			tried = true;
			b->rt->irqc.ok = read_plic(b, cpus, n);
		} else if (is_plic(dt, n)) {
			restab_warn(b, n, "a second PLIC: zirv drives the first one only");
		} else if (dt_prop_has_string(dt, n, "compatible", "riscv,aplic") &&
			   aplic_is_supervisor(dt, n)) {
			if (aplic == DT_NONE)
				aplic = n;
			else
				restab_warn(b, n, "a second APLIC: zirv drives the first one only");
		}
	}
	if (aplic != DT_NONE && tried)
		restab_warn(b, aplic, "an APLIC beside the PLIC: zirv drives the PLIC");
	else if (aplic != DT_NONE)
		b->rt->irqc.ok = read_aplic(b, cpus, aplic);
	if (!b->rt->irqc.ok)
		return;
	depth = 0;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth))
		if (n != b->rt->irqc.node)
			device_irqs(b, n);
}
