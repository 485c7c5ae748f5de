/*
 * What every virtio test program needs: the resource table, the devices
 * the device tree lists, and DMA memory from the first carve-out.
 */
#ifndef VTEST_H
#define VTEST_H

#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>

#include <zirv/virtio/probe.h>

/* The disk pattern the host writes (run_blk.py) and the guest checks. */
static inline uint8_t host_pattern(uint64_t sector, unsigned i)
{
	return (uint8_t)((sector * 37 + i) ^ 0x5a);
}

/* The pattern the guest writes to GUEST_SECTOR, checked by the host afterwards. */
#define GUEST_SECTOR 40
static inline uint8_t guest_pattern(unsigned i)
{
	return (uint8_t)(i * 3 + 0x11);
}

struct vtest {
	zx_handle_t mmio;
	struct restab rt;
	struct vmmio devs[16];
	unsigned ndevs;
	struct dma_pool dma;
};

/* Probe once (lines go to the console); NULL if the machine lacks a carve-out. */
static inline struct vtest *vtest_setup(void)
{
	static struct vtest *t;
	const struct rt_entry *c;

	if (t)
		return t;
	t = calloc(1, sizeof(*t));
	t->mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	if (probe_restab(&t->rt) != DT_OK || probe_dma(t->mmio, &t->rt, &t->dma, &c) != ZX_OK)
		return NULL;
	t->ndevs = probe_virtio(t->mmio, &t->rt, "probe", t->devs, 16);
	return t;
}

#endif
