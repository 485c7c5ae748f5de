/*
 * The platform-device view of the device tree, for drivers.
 *
 * A driver finds its device by compatible string and learns everything it
 * needs from one struct: every compatible the node lists, its register
 * windows as CPU physical addresses, its interrupt vectors with their
 * trigger modes, whether its DMA is coherent, and whether the kernel owns
 * it. The helpers below turn that into what the kernel grants: a mapped
 * physical VMO per window, an interrupt object per vector, a BTI, or the
 * narrowed resources a parent hands to a driver process.
 *
 *	zx_handle_t dtvmo = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
 *	struct zirv_dt *dt;
 *	struct zirv_dt_device dev;
 *	int cursor = 0;
 *	if (zirv_dt_open(dtvmo, &dt) == ZX_OK)
 *		while (zirv_dt_next(dt, "virtio,mmio", &cursor, &dev))
 *			... dev.reg[0].base, dev.irq[0].vector ...
 *
 * It is built on the kernel's own reader (libzirvdt): the same tree gives
 * the same addresses and vectors the kernel's resource table has.
 */
#ifndef ZIRV_DT_H
#define ZIRV_DT_H

#include <stdbool.h>
#include <stdint.h>
#include <zircon/types.h>
#include <zirv/restab.h>

#define ZIRV_DT_COMPAT_MAX 8
#define ZIRV_DT_REG_MAX	   8
#define ZIRV_DT_IRQ_MAX	   8

/* A register window: CPU physical addresses, through every parent bus's ranges. */
struct zirv_dt_reg {
	uint64_t base, size;
};

/* An interrupt: its vector at the interrupt controller and its trigger. */
struct zirv_dt_irq {
	uint32_t vector;
	uint32_t mode; /* ZX_INTERRUPT_MODE_*: DEFAULT when the tree gives no trigger type */
};

struct zirv_dt_device {
	int node;	  /* the node's offset in the tree: a device's identity */
	const char *name; /* its node name, "virtio_mmio@10008000" */
	uint32_t ncompat; /* compatible strings, most specific first */
	const char *compat[ZIRV_DT_COMPAT_MAX];
	uint32_t nreg; /* reg entries, in the tree's order */
	struct zirv_dt_reg reg[ZIRV_DT_REG_MAX];
	uint32_t nirq; /* interrupts at the controller zirv drives */
	struct zirv_dt_irq irq[ZIRV_DT_IRQ_MAX];
	bool okay;	   /* status absent, "okay" or "ok" */
	bool dma_coherent; /* no dma-noncoherent on it or its buses (RISC-V's default) */
	bool kernel_owned; /* the kernel drives it: no resource grants its windows */
};

struct zirv_dt;

/*
 * Read the device tree in `vmo` (the start-up handle PA_HND(PA_VMO_BOOTDATA,
 * 0); not consumed). ZX_ERR_NO_MEMORY, the zx_vmo_read error, or
 * ZX_ERR_IO_DATA_INTEGRITY for a tree the reader refuses (zirv_dt_error()
 * then says why); *out is NULL on failure.
 */
zx_status_t zirv_dt_open(zx_handle_t vmo, struct zirv_dt **out);

/* Why the last zirv_dt_open() failed (also for a NULL tree). */
const char *zirv_dt_error(const struct zirv_dt *dt);

/* The resource table the kernel built from the same tree. */
const struct restab *zirv_dt_restab(const struct zirv_dt *dt);

/* The tree itself, for what the view does not cover (<zirv/fdt.h>: dt_find_path, dt_getprop). */
const struct dt *zirv_dt_tree(const struct zirv_dt *dt);

void zirv_dt_close(struct zirv_dt *dt);

/*
 * The next node after *cursor (0 to start) that lists `compatible` (NULL:
 * any node with a reg), in tree order, disabled ones too (dev->okay says).
 * False when there is none left (and *cursor is then -1, which stays at the
 * end). The strings point into the tree: they live until zirv_dt_close().
 */
bool zirv_dt_next(const struct zirv_dt *dt, const char *compatible, int *cursor,
		  struct zirv_dt_device *dev);

/* Whether the device lists `compatible` among its compatibles. */
bool zirv_dt_is_compatible(const struct zirv_dt_device *dev, const char *compatible);

/*
 * Map window `i` of `dev` through a physical VMO from `mmio_resource` with
 * cache `policy` (ZX_CACHE_POLICY_UNCACHED_DEVICE for registers). The VMO
 * covers the whole pages around the window; *regs points at the window's
 * first byte. The VMO handle goes to *vmo, or is closed if vmo is NULL
 * (the mapping keeps it alive). ZX_ERR_OUT_OF_RANGE if there is no window
 * `i`, else the zx_vmo_create_physical / set_cache_policy / vmar_map error.
 */
zx_status_t zirv_dt_map_reg(zx_handle_t mmio_resource, const struct zirv_dt_device *dev, uint32_t i,
			    uint32_t policy, zx_handle_t *vmo, volatile void **regs);

/*
 * An interrupt object for interrupt `i` of `dev`, in the tree's trigger
 * mode. ZX_ERR_OUT_OF_RANGE if there is no interrupt `i`, else the
 * zx_interrupt_create error.
 */
zx_status_t zirv_dt_interrupt(zx_handle_t irq_resource, const struct zirv_dt_device *dev,
			      uint32_t i, zx_handle_t *irq);

/*
 * A BTI for `dev`'s DMA from `iommu` (a ZX_IOMMU_TYPE_DUMMY IOMMU: device
 * addresses are CPU physical addresses). Its bti_id is the node offset,
 * which ZX_INFO_BTI reports back.
 */
zx_status_t zirv_dt_bti(zx_handle_t iommu, const struct zirv_dt_device *dev, zx_handle_t *bti);

/*
 * What a parent hands a driver process for `dev`: *mmio, an MMIO resource
 * over the whole pages of its first window, from `mmio_root`, and *irq, an
 * IRQ resource over its first interrupt vector, from `irq_root` (left
 * ZX_HANDLE_INVALID when the device has no interrupt). Both are named after
 * the node. The zx_resource_create error; nothing is left open on failure.
 */
zx_status_t zirv_dt_grant(zx_handle_t mmio_root, zx_handle_t irq_root,
			  const struct zirv_dt_device *dev, zx_handle_t *mmio, zx_handle_t *irq);

#endif
