/*
 * virtio-rng: two reads give different bytes, and neither is all zero;
 * then the same with the device's interrupt instead of polling.
 */
#include <zircon/processargs.h>
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
