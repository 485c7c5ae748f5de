/*
 * virtio-rng: two reads give different bytes, and neither is all zero;
 * then the same with the device's interrupt instead of polling; then with
 * no carve-out at all, the rings and buffer in contiguous memory a BTI
 * pinned (zx_vmo_create_contiguous).
 */
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/object.h>
#include <zxtest/zxtest.h>

#include "vtest.h"
#include <zirv/virtio/rng.h>

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

TEST(Rng, TwoReadsDiffer)
{
	static struct vrng r;
	uint8_t a[32], b[32];
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	struct vmmio *d = probe_find(t->devs, t->ndevs, VIRTIO_ID_RNG);
	ASSERT_NOT_NULL(d, "no virtio-rng device");
	ASSERT_OK(vrng_init(&r, d, &t->dma), "%s", d->err);
	ASSERT_OK(vrng_read(&r, a, sizeof(a)), "%s", d->err);
	ASSERT_OK(vrng_read(&r, b, sizeof(b)), "%s", d->err);
	EXPECT_FALSE(all_zero(a, sizeof(a)));
	EXPECT_FALSE(all_zero(b, sizeof(b)));
	EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
}

TEST(Rng, InterruptDrivenReadsWork)
{
	static struct vrng r;
	uint8_t a[64], b[64];
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	struct vmmio *d = probe_find(t->devs, t->ndevs, VIRTIO_ID_RNG);
	ASSERT_NOT_NULL(d, "no virtio-rng device");
	EXPECT_NE(d->vector, 0u, "the device tree names its interrupt");
	ASSERT_OK(vrng_init(&r, d, &t->dma), "%s", d->err);
	ASSERT_OK(vmmio_use_interrupt(d, zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0))), "%s",
		  d->err);
	for (int i = 0; i < 20; i++)
		ASSERT_OK(vrng_read(&r, i % 2 ? b : a, sizeof(a)), "%s", d->err);
	EXPECT_FALSE(all_zero(a, sizeof(a)));
	EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
}

TEST(Rng, FromContiguousMemoryOfABti)
{
	static struct vrng r;
	uint8_t a[64];
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	struct vmmio *d = probe_find(t->devs, t->ndevs, VIRTIO_ID_RNG);
	ASSERT_NOT_NULL(d, "no virtio-rng device");
	zx_handle_t root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0)), iommu, bti, pmt;
	zx_iommu_desc_dummy_t desc = {0};
	ASSERT_OK(zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu));
	ASSERT_OK(zx_bti_create(iommu, 0, 0, &bti));
	struct dma_pool pool;
	ASSERT_OK(dma_pool_from_bti(&pool, bti, 64 * 1024, &pmt));
	/* The pool lies outside every carve-out: RAM the page allocator gave. */
	EXPECT_TRUE(pool.pa < t->dma.pa || pool.pa >= t->dma.pa + t->dma.size, "pool at %#llx",
		    (unsigned long long)pool.pa);
	ASSERT_OK(vrng_init(&r, d, &pool), "%s", d->err);
	EXPECT_TRUE(r.q.desc_pa >= pool.pa && r.q.desc_pa < pool.pa + pool.size,
		    "the rings are in it");
	memset(a, 0, sizeof(a));
	ASSERT_OK(vrng_read(&r, a, sizeof(a)), "%s", d->err);
	EXPECT_FALSE(all_zero(a, sizeof(a)));
	/* Reset the device before its memory goes: then nothing is left pinned. */
	ASSERT_OK(vmmio_reset(d));
	EXPECT_OK(zx_pmt_unpin(pmt));
	zx_info_bti_t bi;
	ASSERT_OK(zx_object_get_info(bti, ZX_INFO_BTI, &bi, sizeof(bi), NULL, NULL));
	EXPECT_EQ(bi.pmo_count + bi.quarantine_count, 0u);
	zx_handle_close_many((zx_handle_t[]){bti, iommu, root}, 3);
}
