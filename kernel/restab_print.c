/* The resource table as text: zirv's boot log and the zirv-dt host tool. */
#include "restab_internal.h"

/*
 * The size in its 9-column field: exact in the largest unit that divides
 * it (4K, 6M, 16G, 24B) when that fits 8 characters, else rounded down in
 * the largest unit that leaves a number below 10000, marked "~" (~291M).
 */
static void sb_size(struct sb *s, uint64_t v)
{
	static const char units[] = "BKMGTPE";
	uint64_t exact = v;
	int u = 0;
	while (exact && exact % 1024 == 0 && u < 6) {
		exact /= 1024;
		u++;
	}
	if (exact < 10000000) { /* at most 7 digits and the unit */
		sb_dec(s, exact);
		sb_ch(s, units[u]);
		return;
	}
	for (u = 0; v >= 10000 && u < 6; u++)
		v /= 1024;
	sb_ch(s, '~');
	sb_dec(s, v);
	sb_ch(s, units[u]);
}

static void print_entry(const struct rt_entry *e, void (*put)(const char *line))
{
	char line[200], num[24];
	struct sb s = {line, sizeof line, 0};
	struct sb ns = {num, sizeof num, 0};
	sb_str(&s, "  ");
	sb_hex(&s, e->base, 16);
	sb_ch(&s, '-');
	sb_hex(&s, e->base + e->size - 1, 16);
	sb_size(&ns, e->size);
	sb_pad(&s, s.n + 9 - ns.n); /* right-align the size in 9 columns */
	sb_str(&s, num);
	sb_str(&s, "  ");
	sb_str(&s, rt_kind_name(e->kind));
	sb_pad(&s, 60);
	sb_str(&s, e->name);
	sb_pad(&s, s.n < 84 ? 84 : s.n + 2);
	sb_str(&s, e->compat);
	if (e->flags & RT_F_DISABLED)
		sb_str(&s, " (disabled)");
	if (e->flags & RT_F_NOMAP)
		sb_str(&s, " no-map");
	if (e->flags & RT_F_CMDLINE)
		sb_str(&s, " (command line)");
	if (e->flags & RT_F_KERNEL)
		sb_str(&s, " (kernel's own)");
	put(line);
}

static void print_harts(const struct cpu_facts *c, void (*put)(const char *line))
{
	char line[200];
	struct sb s = {line, sizeof line, 0};
	sb_str(&s, "harts: ");
	sb_dec(&s, c->harts_usable);
	sb_str(&s, " usable of ");
	sb_dec(&s, c->harts_enabled);
	sb_str(&s, " enabled; ids");
	uint32_t shown = c->harts_usable < 64 ? c->harts_usable : 64;
	for (uint32_t i = 0; i < shown; i++) {
		if (s.n > 180) { /* wrap long id lists (64-hart boards) */
			put(line);
			s.n = 0;
			sb_str(&s, "      ");
		}
		sb_ch(&s, ' ');
		sb_dec(&s, c->hartid[i]);
	}
	put(line);
}

static void print_cpu(const struct restab *rt, void (*put)(const char *line))
{
	const struct cpu_facts *c = &rt->cpu;
	char line[200];
	struct sb s = {line, sizeof line, 0};
	print_harts(c, put);
	sb_str(&s, "extensions (on every usable hart):");
	for (size_t i = 0; i < RESTAB_NEXTS; i++)
		if (c->ext & restab_cpu_exts[i].bit) {
			sb_ch(&s, ' ');
			sb_str(&s, restab_cpu_exts[i].name);
		}
	if (c->ext == 0)
		sb_str(&s, " none");
	put(line);
	s.n = 0;
	sb_str(&s, "cbom block: ");
	sb_dec(&s, c->cbom_block);
	sb_str(&s, "  timebase: ");
	sb_dec(&s, c->timebase);
	sb_str(&s, " Hz  t-head cores: ");
	sb_str(&s, c->all_thead ? "yes" : "no");
	put(line);
	s.n = 0;
	sb_str(&s, "IPIs: ");
	const struct rt_ipi_block *blk = restab_ipi_block(c);
	uint32_t reached = 0;
	for (uint32_t i = 0; blk && i < c->harts_usable && i < 64; i++)
		reached += blk->slot[i] >= 0;
	if (blk) {
		sb_str(&s, blk == &c->sswi ? "ACLINT SSWI at " : "IMSIC at ");
		sb_xhex(&s, blk->base);
		sb_str(&s, " for ");
		sb_dec(&s, reached);
		sb_str(&s, " of ");
		sb_dec(&s, c->harts_usable);
		sb_str(&s, " harts");
		if (reached < c->harts_usable)
			sb_str(&s, ", SBI for the rest");
	} else {
		sb_str(&s, "SBI");
	}
	put(line);
	s.n = 0;
	sb_str(&s, "pte memory-type encoding: ");
	sb_str(&s, pte_enc_name(restab_pte_encoding(rt)));
	put(line);
}

static void print_node_line(const struct restab *rt, const char *label, int node,
			    void (*put)(const char *line))
{
	char line[120];
	struct sb s = {line, sizeof line, 0};
	sb_str(&s, label);
	const char *name = node == DT_NONE ? "none" : "(node without reg)";
	for (uint32_t i = 0; i < rt->n && node != DT_NONE; i++)
		if (rt->e[i].node == node) {
			name = rt->e[i].name;
			break;
		}
	sb_str(&s, name);
	put(line);
}

/*
 * "interrupts: PLIC at 0xc000000, 95 sources, 4 device interrupts; S-mode contexts 1 3 5 7",
 * or an APLIC's IDCs, or the IMSIC hart indexes its MSIs go to.
 */
static void print_interrupts(const struct restab *rt, void (*put)(const char *line))
{
	static const char *const what[] = {
	    [RT_IRQC_PLIC] = "PLIC at ",
	    [RT_IRQC_APLIC] = "APLIC (direct delivery) at ",
	    [RT_IRQC_APLIC_MSI] = "APLIC (MSIs to the IMSIC) at ",
	};
	static const char *const targets[] = {
	    [RT_IRQC_PLIC] = " device interrupts; S-mode contexts",
	    [RT_IRQC_APLIC] = " device interrupts; S-mode IDCs",
	    [RT_IRQC_APLIC_MSI] = " device interrupts; IMSIC hart indexes",
	};
	char line[120];
	struct sb s = {line, sizeof line, 0};
	const struct rt_irqc *p = &rt->irqc;

	sb_str(&s, "interrupts: ");
	if (!p->ok || p->kind > RT_IRQC_APLIC_MSI) {
		sb_str(&s, "none zirv drives");
		put(line);
		return;
	}
	sb_str(&s, what[p->kind]);
	sb_xhex(&s, p->base);
	sb_str(&s, ", ");
	sb_dec(&s, p->ndev);
	sb_str(&s, " sources, ");
	sb_dec(&s, rt->nirq);
	sb_str(&s, targets[p->kind]);
	for (uint32_t i = 0; i < rt->cpu.harts_usable && i < 64; i++) {
		if (s.n + 8 >= sizeof line) {
			sb_str(&s, " ...");
			break;
		}
		sb_ch(&s, ' ');
		if (p->sctx[i] < 0)
			sb_ch(&s, '-');
		else
			sb_dec(&s, (uint64_t)p->sctx[i]);
	}
	put(line);
}

/* "DMA: not coherent (dma-noncoherent at soc); cache maintenance: XTheadCmo, 64-byte lines" */
static void print_dma(const struct restab *rt, void (*put)(const char *line))
{
	char line[200];
	struct sb s = {line, sizeof line, 0};
	enum cache_maint m = restab_cache_maint(rt);

	if (rt->dma_noncoherent_node == DT_NONE) {
		sb_str(&s, "DMA: coherent");
	} else {
		sb_str(&s, "DMA: not coherent (dma-noncoherent at ");
		sb_str(&s, rt->dma_noncoherent_name[0] ? rt->dma_noncoherent_name : "/");
		sb_ch(&s, ')');
	}
	sb_str(&s, "; cache maintenance: ");
	if (m == CACHE_MAINT_ZICBOM) {
		sb_str(&s, "Zicbom, ");
		sb_dec(&s, rt->cpu.cbom_block);
		sb_str(&s, "-byte blocks");
	} else if (m == CACHE_MAINT_XTHEAD) {
		sb_str(&s, "XTheadCmo, ");
		sb_dec(&s, rt->cpu.dcache_block);
		sb_str(&s, "-byte lines");
	} else if (m == CACHE_MAINT_COHERENT) {
		sb_str(&s, "none needed (fences)");
	} else {
		sb_str(&s, "none on these harts: cache operations answer ZX_ERR_NOT_SUPPORTED");
	}
	put(line);
}

void restab_print(const struct restab *rt, void (*put)(const char *line))
{
	char line[120];
	struct sb s = {line, sizeof line, 0};
	sb_str(&s, "  base");
	sb_pad(&s, 21);
	sb_str(&s, "last");
	sb_pad(&s, 44);
	sb_str(&s, "size  kind");
	sb_pad(&s, 60);
	sb_str(&s, "node");
	sb_pad(&s, 84);
	sb_str(&s, "compatible");
	put(line);
	for (uint32_t i = 0; i < rt->n; i++)
		print_entry(&rt->e[i], put);
	s.n = 0;
	sb_dec(&s, rt->n);
	sb_str(&s, " entries");
	if (rt->initrd_end) {
		sb_str(&s, "; initrd ");
		sb_xhex(&s, rt->initrd_start);
		sb_ch(&s, '-');
		sb_xhex(&s, rt->initrd_end);
	}
	put(line);
	print_node_line(rt, "console: ", rt->stdout_node, put);
	if (rt->console_handed_off)
		put("console: handed to user space (zirv.console=sbi); the kernel writes through "
		    "SBI");
	else if (rt->stdout_node != DT_NONE && !rt->console.ok)
		put("console: not driven by zirv (SBI console instead)");
	print_node_line(rt, "test finisher: ", rt->finisher_node, put);
	print_interrupts(rt, put);
	print_cpu(rt, put);
	print_dma(rt, put);
	char refusal[RT_WARN_LEN + 16];
	for (uint32_t i = 0; i < rt->nwarn && i < RT_WARN_MAX; i++) {
		struct sb w = {refusal, sizeof refusal, 0};
		sb_str(&w, "refused: ");
		sb_str(&w, rt->warn[i]);
		put(refusal);
	}
	if (rt->nwarn > RT_WARN_MAX) {
		s.n = 0;
		sb_str(&s, "refused: ");
		sb_dec(&s, rt->nwarn - RT_WARN_MAX);
		sb_str(&s, " more not shown");
		put(line);
	}
}
