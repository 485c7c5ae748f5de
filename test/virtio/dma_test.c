/*
 * DMA into pinned pages: a paged VMO (its pages anywhere in RAM, none
 * committed beforehand) pinned through a BTI, and virtio-rng writing
 * entropy into each of its pages at the addresses the pin reported, its
 * completion taken by interrupt. The bytes then read back through the VMO
 * are the device's; the unpin lets the pages go.
 */
#include <string.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zxtest/zxtest.h>

#include "vtest.h"
#include <zirv/virtio/rng.h>

#define PAGES 4

TEST(Dma, TheDeviceWritesIntoAPinnedPagedVmo)
{
	static struct vrng r;
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	struct vmmio *d = probe_find(t->devs, t->ndevs, VIRTIO_ID_RNG);
	ASSERT_NOT_NULL(d, "no virtio-rng device");
	ASSERT_OK(vrng_init(&r, d, &t->dma), "%s", d->err);
	ASSERT_OK(vmmio_use_interrupt(d, zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0))), "%s",
		  d->err);

	zx_handle_t root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0)), iommu, bti, vmo, pmt;
	zx_iommu_desc_dummy_t desc = {0};
	ASSERT_OK(zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu));
	ASSERT_OK(zx_bti_create(iommu, 0, 0, &bti));
	ASSERT_OK(zx_vmo_create(PAGES * 4096, 0, &vmo));
	zx_paddr_t pa[PAGES];
	ASSERT_OK(zx_bti_pin(bti, ZX_BTI_PERM_WRITE, vmo, 0, PAGES * 4096, pa, PAGES, &pmt));
	for (int i = 0; i < PAGES; i++) {
		struct virtq_buf buf = {pa[i], 4096, true};
		uint32_t got = 0;
		ASSERT_OK(vmmio_transfer(d, &r.q, 0, &buf, 1, &got), "%s", d->err);
		EXPECT_TRUE(got > 0 && got <= 4096, "page %d: %u bytes", i, got);
		static uint8_t back[4096];
		ASSERT_OK(zx_vmo_read(vmo, back, (uint64_t)i * 4096, got));
		unsigned nonzero = 0;
		for (uint32_t k = 0; k < got; k++)
			nonzero += back[k] != 0;
		EXPECT_TRUE(nonzero > got / 2, "page %d: the device's bytes arrived (%u of %u)", i,
			    nonzero, got);
	}
	EXPECT_OK(zx_pmt_unpin(pmt));
	zx_handle_close_many((zx_handle_t[]){root, iommu, bti, vmo}, 4);
}
