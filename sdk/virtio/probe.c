/*
 * Device discovery from the device tree. See probe.h.
 */
#include "probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>

int probe_restab(struct restab *rt)
{
	zx_handle_t vmo = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
	uint64_t size = 0;
	struct dt dt;
	int err = DT_E_SHORT;

	zx_vmo_get_size(vmo, &size);
	void *blob = malloc(size);
	if (blob && zx_vmo_read(vmo, blob, 0, size) == ZX_OK)
		err = dt_open(&dt, blob, size);
	if (err == DT_OK)
		err = restab_build(rt, &dt, NULL);
	/* The table keeps no pointers into the blob. */
	free(blob);
	zx_handle_close(vmo);
	return err;
}

/* Map one window and say what is in it (unless `who` is NULL); true if it holds a device. */
static bool probe_one(zx_handle_t mmio, const struct restab *rt, const struct rt_entry *e,
		      const char *who, struct vmmio *d)
{
	uint64_t size = (e->size + 4095) & ~4095ull; /* a VMO is whole pages */
	zx_vaddr_t va;
	zx_status_t st = physmem_map(mmio, e->base, size, ZX_CACHE_POLICY_UNCACHED_DEVICE, &va);
	bool found = false;
	char what[160];

	if (st != ZX_OK) {
		snprintf(what, sizeof what, "cannot map: %s", zx_status_get_string(st));
		va = 0;
	} else if (vmmio_open(d, (volatile void *)va, e->base) != ZX_OK) {
		snprintf(what, sizeof what, "skipped, %s", d->err);
	} else if (d->device_id == 0) {
		snprintf(what, sizeof what, "empty");
	} else {
		snprintf(what, sizeof what, "version %u, device %u (%s), vendor %#x", d->version,
			 d->device_id, virtio_device_name(d->device_id), d->vendor_id);
		for (uint32_t k = 0; k < rt->nirq && k < RT_IRQ_MAX; k++)
			if (rt->irq[k].node == e->node)
				d->vector = rt->irq[k].vector; /* the device tree's interrupt */
		found = true;
	}
	if (who)
		printf("%s: virtio-mmio %#llx: %s\n", who, (unsigned long long)e->base, what);
	if (!found && va)
		zx_vmar_unmap(zx_vmar_root_self(), va, size);
	return found;
}

unsigned probe_virtio(zx_handle_t mmio, const struct restab *rt, const char *who,
		      struct vmmio *devs, unsigned max)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < rt->n && n < max; i++)
		if (rt->e[i].kind == RT_MMIO && !strcmp(rt->e[i].compat, "virtio,mmio"))
			n += probe_one(mmio, rt, &rt->e[i], who, &devs[n]);
	return n;
}

struct vmmio *probe_find(struct vmmio *devs, unsigned n, uint32_t id)
{
	for (unsigned i = 0; i < n; i++)
		if (devs[i].device_id == id)
			return &devs[i];
	return NULL;
}

zx_status_t probe_dma(zx_handle_t mmio, const struct restab *rt, struct dma_pool *dma,
		      const struct rt_entry **carveout)
{
	for (uint32_t i = 0; i < rt->n; i++) {
		if (rt->e[i].kind == RT_CARVEOUT) {
			*carveout = &rt->e[i];
			return dma_pool_map(dma, mmio, rt->e[i].base, rt->e[i].size);
		}
	}
	*carveout = NULL;
	return ZX_ERR_NOT_FOUND;
}
