/*
 * The resource table: every physical range the device tree describes,
 * sorted by address and non-overlapping, each with a kind and the node it
 * came from. Built once at boot (and by the host tool zirv-dt from a file),
 * it decides what the PMM may allocate and what the root resource grants.
 *
 * Overlap precedence (highest wins, the loser is clipped or split):
 *   KERNEL, DTB, INITRD > FIRMWARE > RESERVED > CARVEOUT > MMIO > RAM.
 * Between two entries of the same kind the one seen first in the tree
 * keeps the contested bytes.
 */
#ifndef ZIRV_RESTAB_H
#define ZIRV_RESTAB_H

#include "fdt.h"

enum rt_kind {
	RT_RAM,	     /* ordinary RAM: the PMM owns it */
	RT_MMIO,     /* device registers: grantable */
	RT_CARVEOUT, /* RAM kept out of the PMM and the direct map: grantable */
	RT_RESERVED, /* /reserved-memory child or /memreserve/ entry */
	RT_FIRMWARE, /* M-mode firmware (OpenSBI mmode_resv*): never touched */
	RT_INITRD,
	RT_DTB,
	RT_KERNEL,
	RT_KIND_COUNT
};

#define RT_F_DISABLED 0x1 /* device node has status != okay */
#define RT_F_NOMAP    0x2 /* reserved-memory child with no-map */
#define RT_F_CMDLINE  0x4 /* carve-out asked for on the command line */
#define RT_F_KERNEL                                                                                \
	0x8 /* MMIO the kernel drives itself: never grantable (DESIGN.md, contract 10) */

#define RT_MAX	      640
#define RT_NAME_LEN   48
#define RT_COMPAT_LEN 40

struct rt_entry {
	uint64_t base;
	uint64_t size;
	int node;		    /* structure-block offset, DT_NONE if none */
	uint8_t kind;		    /* enum rt_kind */
	uint8_t flags;		    /* RT_F_* */
	char name[RT_NAME_LEN];	    /* node name, or "/memreserve/", "kernel", ... */
	char compat[RT_COMPAT_LEN]; /* first compatible string (MMIO), else "" */
};

/* ISA extensions that matter to the MMU and caches (bit mask). */
enum {
	CPU_SVPBMT = 1u << 0,
	CPU_SVNAPOT = 1u << 1,
	CPU_SVINVAL = 1u << 2,
	CPU_ZICBOM = 1u << 3,
	CPU_SSTC = 1u << 4,
	CPU_SSAIA = 1u << 5,
	CPU_XTHEADCMO = 1u << 6, /* T-Head's cache-block operations (th.dcache.*) */
};

/*
 * A block of per-hart IPI registers: usable hart i gets an IPI when 1 is
 * stored to the 32-bit word at base + stride * slot[i] (-1: the block does
 * not reach it). base 0: none.
 */
struct rt_ipi_block {
	uint64_t base, size, stride;
	int16_t slot[64];
};

/* How leaf PTEs carry the memory type (see docs/cacheability.md). */
enum pte_enc { PTE_ENC_NONE, PTE_ENC_SVPBMT, PTE_ENC_XTHEADMAE };

struct cpu_facts {
	uint32_t harts_enabled; /* cpu nodes with status okay */
	uint32_t harts_usable;	/* ... that also have an Sv39-capable MMU */
	uint32_t ext;		/* CPU_* present on every usable hart */
	uint32_t cbom_block;	/* riscv,cbom-block-size (0 if absent/unequal) */
	uint32_t dcache_block;	/* d-cache-block-size of every usable hart (64 if absent) */
	uint64_t timebase;	/* timebase-frequency, Hz (0 if absent) */
	bool all_thead;		/* every usable hart's compatible is "thead,*" */
	uint64_t hartid[64];	/* ids of the usable harts (first 64) */
	/*
	 * An ACLINT SSWI block ("riscv,aclint-sswi"): the store sets the
	 * hart's SSIP through its SETSSIP word (stride 4). The supervisor
	 * interrupt files of an IMSIC ("riscv,imsics", harts with Ssaia):
	 * the store raises identity 1 through the file's seteipnum_le word.
	 */
	struct rt_ipi_block sswi, imsic;
};

/*
 * The console UART: a 16550 (ns16550, ns16550a, or DesignWare's APB UART)
 * with reg-shift <= 4 and reg-io-width 1 or 4. ok is false when the
 * stdout node is absent or zirv cannot drive it (a warning says why).
 */
struct rt_console {
	bool ok;
	uint64_t base, size;
	uint32_t shift, width;
};

/*
 * The interrupt controller zirv drives for device interrupts: the first
 * enabled PLIC (compatible "sifive,plic-1.0.0", "riscv,plic0",
 * "thead,c900-plic" or "andestech,nceplic100"), or else the supervisor-level
 * APLIC ("riscv,aplic"). A PLIC's or a direct-mode APLIC's interrupts-extended
 * names, entry i, a hart's interrupt controller and a cause; the entries
 * with cause 9 (supervisor external) are the harts' S-mode PLIC contexts,
 * or the APLIC's interrupt delivery controls (IDCs). An APLIC with
 * msi-parent instead sends MSIs to the harts' IMSIC supervisor files
 * (cpu.imsic), and needs Ssaia on every hart to take them.
 */
enum rt_irqc_kind {
	RT_IRQC_PLIC,
	RT_IRQC_APLIC,	   /* direct delivery: IDCs */
	RT_IRQC_APLIC_MSI, /* MSIs to the IMSIC: identity = vector + 1 */
};

struct rt_irqc {
	bool ok;
	uint8_t kind; /* enum rt_irqc_kind */
	int node;
	uint32_t phandle;
	uint32_t cells; /* its #interrupt-cells: 1, or 2 with a trigger type */
	uint32_t ndev;	/* riscv,ndev or riscv,num-sources: its sources are 1 .. ndev */
	uint64_t base, size;
	/* usable hart i's S-mode context (PLIC), IDC (APLIC) or IMSIC hart index; -1: none */
	int16_t sctx[64];
};

/* Trigger types a second interrupt cell gives (the DT bindings' IRQ_TYPE_* numbers). */
enum {
	RT_IRQ_TRIGGER_NONE = 0, /* not given: taken as level-high */
	RT_IRQ_EDGE_RISING = 1,
	RT_IRQ_EDGE_FALLING = 2,
	RT_IRQ_LEVEL_HIGH = 4,
	RT_IRQ_LEVEL_LOW = 8,
};

/* Is a source of this trigger (RT_IRQ_*) level-triggered? One given none is level-high. */
static inline bool rt_irq_is_level(uint8_t trigger)
{
	return trigger == RT_IRQ_TRIGGER_NONE || trigger == RT_IRQ_LEVEL_HIGH ||
	       trigger == RT_IRQ_LEVEL_LOW;
}

/* One interrupt of a device: its source number (vector) at the interrupt controller. */
struct rt_irq {
	int node;	 /* the device */
	uint32_t vector; /* 1 .. irqc.ndev */
	uint8_t trigger; /* RT_IRQ_* */
};
#define RT_IRQ_MAX 256

#define RT_WARN_MAX 8
#define RT_WARN_LEN 200

/* Ranges the caller knows but the tree does not (0 size = unknown). */
struct rt_extra {
	uint64_t kernel_base, kernel_size;
	uint64_t dtb_base, dtb_size;
};

struct restab {
	uint32_t n;
	struct rt_entry e[RT_MAX];
	struct cpu_facts cpu;
	uint64_t initrd_start, initrd_end; /* 0,0 if none */
	int stdout_node;		   /* console node, DT_NONE if none */
	int finisher_node;		   /* sifive,test0/1, DT_NONE if none */
	struct rt_console console;	   /* the stdout UART, if zirv can drive it */
	bool console_handed_off;	   /* zirv.console=sbi: the UART is user space's */
	struct rt_irqc irqc;		   /* the interrupt controller, if zirv can drive it */
	int dma_noncoherent_node; /* the first enabled node saying dma-noncoherent, DT_NONE if none
				   */
	char dma_noncoherent_name[RT_NAME_LEN]; /* its name */
	uint32_t nirq;				/* device interrupts at the PLIC, in tree order */
	struct rt_irq irq[RT_IRQ_MAX];
	char err[160]; /* message naming what is wrong */
	/* What the tree or command line asked for that zirv refused, one line each. */
	char warn[RT_WARN_MAX][RT_WARN_LEN];
	uint32_t nwarn; /* lines refused, including any past RT_WARN_MAX */
};

/*
 * Fill `rt` from `dt`. Returns DT_OK, or a DT_E_* code with rt->err set to
 * a message naming the node or field at fault. Carve-outs on the command
 * line: `zirv.carveout=SIZE@BASE` (hex or decimal, K/M/G suffixes allowed),
 * repeatable. A carve-out (command line or shared-dma-pool) must lie
 * inside RAM and overlap no kernel, DTB, initrd, firmware, reserved range
 * or other carve-out; one that does not is refused whole with a line in
 * rt->warn (a refused shared-dma-pool is kept as RESERVED), and so is a
 * reg that wraps past 2^64. Nothing else is changed silently.
 */
int restab_build(struct restab *rt, const struct dt *dt, const struct rt_extra *extra);

/* How the kernel maintains caches for DMA: what zx_vmo_op_range's cache operations do. */
enum cache_maint {
	CACHE_MAINT_COHERENT, /* DMA is coherent: fences suffice (no cache-block ops on the harts)
			       */
	CACHE_MAINT_ZICBOM,   /* cbo.clean / cbo.inval / cbo.flush */
	CACHE_MAINT_XTHEAD,   /* th.dcache.cva / iva / civa, th.sync.s */
	CACHE_MAINT_NONE,     /* DMA is not coherent and the harts cannot maintain caches */
};
enum cache_maint restab_cache_maint(const struct restab *rt);

/* The encoder the kernel picks given the DT alone. */
enum pte_enc restab_pte_encoding(const struct restab *rt);

/*
 * The IPI block the kernel uses: the SSWI if it reaches a hart, else the
 * IMSIC if it does, else NULL (SBI IPIs).
 */
const struct rt_ipi_block *restab_ipi_block(const struct cpu_facts *c);

const char *rt_kind_name(int kind);
const char *pte_enc_name(enum pte_enc e);

/* Index of the first entry (in address order) that ends above pa; rt->n if none. */
uint32_t restab_first_above(const struct restab *rt, uint64_t pa);
/* The entry containing pa, or NULL (an address hole). */
const struct rt_entry *restab_lookup(const struct restab *rt, uint64_t pa);
/* The device interrupt with this vector, or NULL. */
const struct rt_irq *restab_irq(const struct restab *rt, uint32_t vector);

/*
 * Print the table (one line per entry: base, end, size, kind, node,
 * compatible) and then the CPU facts, through `put` one line at a time
 * (no trailing newline in `line`).
 */
void restab_print(const struct restab *rt, void (*put)(const char *line));

/*
 * How a device reaches memory: the windows of its bus's dma-ranges (the
 * nearest ancestor that has the property), each a run of CPU physical
 * addresses [cpu, cpu + size) the device sees at [dev, dev + size). No
 * dma-ranges anywhere above, or an empty one: n = 0, device addresses are
 * CPU physical addresses. RT_DMA_NESTED if a bus further up translates too
 * (zirv reads one level), RT_DMA_MALFORMED for entries that do not fit the
 * cells (or more than RT_DMA_WINDOWS of them).
 */
#define RT_DMA_WINDOWS 4
struct rt_dma {
	uint32_t n;
	struct {
		uint64_t dev, cpu, size;
	} w[RT_DMA_WINDOWS];
};
enum { RT_DMA_OK, RT_DMA_NESTED, RT_DMA_MALFORMED };
int restab_dma_ranges(const struct dt *dt, int node, struct rt_dma *out);

/*
 * The MMIO register window of `node` (first reg entry translated to a CPU
 * physical address). False if the node has none.
 */
bool restab_node_reg(const struct dt *dt, int node, uint64_t *base, uint64_t *size);

/*
 * Entry k of the node's reg, translated the same way, in *base and *size
 * (size 0 when k is past the end, the entry is empty or cannot be
 * translated). Returns how many entries reg has; 0 when it has none or is
 * malformed.
 */
uint32_t restab_node_reg_at(const struct dt *dt, int node, uint32_t k, uint64_t *base,
			    uint64_t *size);

#endif
