/*
 * The platform-device view of the device tree. See <zirv/dt.h>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/resource.h>
#include <zirv/dt.h>

struct zirv_dt {
	void *blob; /* the tree, kept: devices' strings point into it */
	struct dt dt;
	struct restab rt;
};

/* The message of a failed open, which has no struct to keep it in. */
static char open_error[200];

zx_status_t zirv_dt_open(zx_handle_t vmo, struct zirv_dt **out)
{
	uint64_t size = 0;
	zx_status_t st = zx_vmo_get_size(vmo, &size);
	struct zirv_dt *d = NULL;

	*out = NULL;
	if (st != ZX_OK) {
		snprintf(open_error, sizeof open_error, "the device tree VMO: zx_vmo_get_size: %d",
			 st);
		return st;
	}
	d = calloc(1, sizeof(*d));
	if (d)
		d->blob = malloc(size ? size : 1);
	if (!d || !d->blob) {
		free(d);
		snprintf(open_error, sizeof open_error, "no memory for a %llu-byte device tree",
			 (unsigned long long)size);
		return ZX_ERR_NO_MEMORY;
	}
	st = zx_vmo_read(vmo, d->blob, 0, size);
	if (st != ZX_OK) {
		snprintf(open_error, sizeof open_error, "the device tree VMO: zx_vmo_read: %d", st);
		zirv_dt_close(d);
		return st;
	}
	int err = dt_open(&d->dt, d->blob, size);
	if (err == DT_OK)
		err = restab_build(&d->rt, &d->dt, NULL);
	if (err != DT_OK) {
		snprintf(open_error, sizeof open_error, "%s%s%s", dt_strerror(err),
			 d->rt.err[0] ? ": " : "", d->rt.err);
		zirv_dt_close(d);
		return ZX_ERR_IO_DATA_INTEGRITY;
	}
	*out = d;
	return ZX_OK;
}

const char *zirv_dt_error(const struct zirv_dt *dt)
{
	(void)dt;
	return open_error;
}

const struct restab *zirv_dt_restab(const struct zirv_dt *dt)
{
	return &dt->rt;
}

const struct dt *zirv_dt_tree(const struct zirv_dt *dt)
{
	return &dt->dt;
}

void zirv_dt_close(struct zirv_dt *dt)
{
	if (dt) {
		free(dt->blob);
		free(dt);
	}
}

/* The devicetree bindings' trigger types, as Zircon names them. */
static uint32_t irq_mode(uint8_t trigger)
{
	switch (trigger) {
	case RT_IRQ_EDGE_RISING:
		return ZX_INTERRUPT_MODE_EDGE_HIGH;
	case RT_IRQ_EDGE_FALLING:
		return ZX_INTERRUPT_MODE_EDGE_LOW;
	case RT_IRQ_LEVEL_HIGH:
		return ZX_INTERRUPT_MODE_LEVEL_HIGH;
	case RT_IRQ_LEVEL_LOW:
		return ZX_INTERRUPT_MODE_LEVEL_LOW;
	default:
		return ZX_INTERRUPT_MODE_DEFAULT;
	}
}

/*
 * DMA is coherent on RISC-V unless the device or a bus above it says
 * dma-noncoherent; the nearest of dma-coherent / dma-noncoherent decides.
 */
static bool dma_coherent(const struct dt *dt, int node)
{
	int chain[DT_MAX_DEPTH + 1];
	int n = dt_ancestors(dt, node, chain, DT_MAX_DEPTH + 1);

	for (int i = n - 1; i >= 0; i--) {
		if (dt_getprop(dt, chain[i], "dma-noncoherent", NULL))
			return false;
		if (dt_getprop(dt, chain[i], "dma-coherent", NULL))
			return true;
	}
	return true;
}

static void describe(const struct zirv_dt *d, int node, struct zirv_dt_device *dev)
{
	const struct dt *dt = &d->dt;
	uint32_t len = 0;
	const char *c = dt_getprop(dt, node, "compatible", &len);

	memset(dev, 0, sizeof(*dev));
	dev->node = node;
	dev->name = dt_name(dt, node);
	/* A list of NUL-terminated strings; dt_open() checked it lies in the blob. */
	for (uint32_t off = 0; c && off < len && dev->ncompat < ZIRV_DT_COMPAT_MAX;) {
		const char *nul = memchr(c + off, 0, len - off);
		if (!nul)
			break; /* unterminated: not a string */
		uint32_t n = (uint32_t)(nul - (c + off));
		if (n)
			dev->compat[dev->ncompat++] = c + off;
		off += n + 1;
	}
	uint32_t count = restab_node_reg_at(dt, node, 0, &dev->reg[0].base, &dev->reg[0].size);
	for (uint32_t k = 0; k < count && dev->nreg < ZIRV_DT_REG_MAX; k++) {
		struct zirv_dt_reg *r = &dev->reg[dev->nreg];
		restab_node_reg_at(dt, node, k, &r->base, &r->size);
		dev->nreg += r->size != 0;
	}
	for (uint32_t k = 0; k < d->rt.nirq && k < RT_IRQ_MAX; k++) {
		const struct rt_irq *q = &d->rt.irq[k];
		if (q->node == node && dev->nirq < ZIRV_DT_IRQ_MAX)
			dev->irq[dev->nirq++] =
			    (struct zirv_dt_irq){q->vector, irq_mode(q->trigger)};
	}
	dev->okay = dt_node_enabled(dt, node);
	dev->dma_coherent = dma_coherent(dt, node);
	for (uint32_t k = 0; k < d->rt.n; k++)
		if (d->rt.e[k].node == node && (d->rt.e[k].flags & RT_F_KERNEL))
			dev->kernel_owned = true;
}

bool zirv_dt_is_compatible(const struct zirv_dt_device *dev, const char *compatible)
{
	for (uint32_t i = 0; i < dev->ncompat; i++)
		if (!strcmp(dev->compat[i], compatible))
			return true;
	return false;
}

bool zirv_dt_next(const struct zirv_dt *d, const char *compatible, int *cursor,
		  struct zirv_dt_device *dev)
{
	const struct dt *dt = &d->dt;
	int depth = 0;
	/* The cursor is the last node returned (0 before the first: the root,
	 * which is no device). */
	int node = *cursor > 0 ? *cursor : dt_root(dt);

	if (*cursor < 0)
		return false; /* the walk ended: it stays ended */
	if (*cursor > 0) {
		/* dt_next_node() walks a subtree; keep climbing out of it. */
		int chain[DT_MAX_DEPTH + 1];
		depth = dt_ancestors(dt, node, chain, DT_MAX_DEPTH + 1) - 1;
		if (depth < 0)
			return false;
	}
	while ((node = dt_next_node(dt, node, &depth)) != DT_NONE) {
		bool match;
		if (compatible)
			match = dt_prop_has_string(dt, node, "compatible", compatible);
		else
			match = dt_getprop(dt, node, "reg", NULL) != NULL && depth > 0;
		if (match) {
			describe(d, node, dev);
			*cursor = node;
			return true;
		}
	}
	*cursor = -1;
	return false;
}

/* The whole pages around a window: what a VMO or resource over it covers. */
static void page_span(const struct zirv_dt_reg *r, uint64_t *base, uint64_t *end)
{
	*base = r->base & ~4095ull;
	*end = (r->base + r->size + 4095) & ~4095ull;
}

zx_status_t zirv_dt_map_reg(zx_handle_t mmio_resource, const struct zirv_dt_device *dev, uint32_t i,
			    uint32_t policy, zx_handle_t *vmo, volatile void **regs)
{
	if (i >= dev->nreg)
		return ZX_ERR_OUT_OF_RANGE;
	uint64_t base, end;
	page_span(&dev->reg[i], &base, &end);
	zx_handle_t v;
	zx_vaddr_t va = 0;
	zx_status_t st = zx_vmo_create_physical(mmio_resource, base, end - base, &v);

	if (st != ZX_OK)
		return st;
	st = zx_vmo_set_cache_policy(v, policy);
	if (st == ZX_OK)
		st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v, 0,
				 end - base, &va);
	if (st != ZX_OK || !vmo)
		zx_handle_close(v);
	else
		*vmo = v;
	if (st == ZX_OK)
		*regs = (volatile void *)(va + (dev->reg[i].base - base));
	return st;
}

zx_status_t zirv_dt_interrupt(zx_handle_t irq_resource, const struct zirv_dt_device *dev,
			      uint32_t i, zx_handle_t *irq)
{
	if (i >= dev->nirq)
		return ZX_ERR_OUT_OF_RANGE;
	return zx_interrupt_create(irq_resource, dev->irq[i].vector, dev->irq[i].mode, irq);
}

zx_status_t zirv_dt_bti(zx_handle_t iommu, const struct zirv_dt_device *dev, zx_handle_t *bti)
{
	return zx_bti_create(iommu, 0, (uint64_t)dev->node, bti);
}

zx_status_t zirv_dt_grant(zx_handle_t mmio_root, zx_handle_t irq_root,
			  const struct zirv_dt_device *dev, zx_handle_t *mmio, zx_handle_t *irq)
{
	char name[ZX_MAX_NAME_LEN];
	zx_status_t st = ZX_ERR_OUT_OF_RANGE;

	*mmio = *irq = ZX_HANDLE_INVALID;
	snprintf(name, sizeof name, "%s", dev->name);
	if (dev->nreg) {
		uint64_t base, end;
		page_span(&dev->reg[0], &base, &end);
		st = zx_resource_create(mmio_root, ZX_RSRC_KIND_MMIO, base, end - base, name,
					strlen(name), mmio);
	}
	if (st == ZX_OK && dev->nirq)
		st = zx_resource_create(irq_root, ZX_RSRC_KIND_IRQ, dev->irq[0].vector, 1, name,
					strlen(name), irq);
	if (st != ZX_OK) {
		zx_handle_close(*mmio);
		*mmio = ZX_HANDLE_INVALID;
	}
	return st;
}
