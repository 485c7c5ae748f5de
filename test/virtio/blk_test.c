/*
 * virtio-blk end to end: the host wrote host_pattern() into every sector
 * of a fresh 64 KiB image; this program reads it back, writes
 * guest_pattern() to GUEST_SECTOR and flushes. run_blk.py then checks that
 * sector in the image file after QEMU has exited.
 */
#include <zxtest/zxtest.h>

#include "vtest.h"
#include <zirv/virtio/blk.h>

#define DISK_SECTORS 128

static struct vblk *disk(void)
{
	static struct vblk b;
	static bool ready;
	struct vtest *t = vtest_setup();
	struct vmmio *d = t ? probe_find(t->devs, t->ndevs, VIRTIO_ID_BLOCK) : NULL;

	if (!ready && d && vblk_init(&b, d, &t->dma) == ZX_OK)
		ready = true;
	return ready ? &b : NULL;
}

static bool sector_is(const uint8_t *p, uint64_t sector)
{
	for (unsigned i = 0; i < VBLK_SECTOR; i++)
		if (p[i] != host_pattern(sector, i))
			return false;
	return true;
}

TEST(Blk, Init)
{
	struct vblk *b = disk();
	ASSERT_NOT_NULL(b, "no usable virtio-blk device");
	EXPECT_EQ(b->capacity, DISK_SECTORS);
	EXPECT_TRUE(b->can_flush, "QEMU offers VIRTIO_BLK_F_FLUSH");
	EXPECT_FALSE(b->read_only);
}

TEST(Blk, ReadOneSector)
{
	static uint8_t buf[VBLK_SECTOR];
	ASSERT_NOT_NULL(disk());
	ASSERT_OK(vblk_read(disk(), 3, buf, 1), "%s", disk()->dev->err);
	EXPECT_TRUE(sector_is(buf, 3));
}

/* More sectors than one request carries: the driver splits the read. */
TEST(Blk, ReadManySectors)
{
	static uint8_t buf[20 * VBLK_SECTOR];
	ASSERT_NOT_NULL(disk());
	ASSERT_OK(vblk_read(disk(), 5, buf, 20), "%s", disk()->dev->err);
	for (unsigned s = 0; s < 20; s++)
		EXPECT_TRUE(sector_is(buf + s * VBLK_SECTOR, 5 + s), "sector %u", 5 + s);
}

TEST(Blk, ReadPastTheEnd)
{
	static uint8_t buf[2 * VBLK_SECTOR];
	ASSERT_NOT_NULL(disk());
	EXPECT_STATUS(vblk_read(disk(), DISK_SECTORS, buf, 1), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(vblk_read(disk(), DISK_SECTORS - 1, buf, 2), ZX_ERR_OUT_OF_RANGE);
}

TEST(Blk, WriteFlushReadBack)
{
	static uint8_t buf[VBLK_SECTOR], back[VBLK_SECTOR];
	ASSERT_NOT_NULL(disk());
	for (unsigned i = 0; i < VBLK_SECTOR; i++)
		buf[i] = guest_pattern(i);
	ASSERT_OK(vblk_write(disk(), GUEST_SECTOR, buf, 1), "%s", disk()->dev->err);
	ASSERT_OK(vblk_flush(disk()), "%s", disk()->dev->err);
	ASSERT_OK(vblk_read(disk(), GUEST_SECTOR, back, 1), "%s", disk()->dev->err);
	EXPECT_EQ(memcmp(buf, back, VBLK_SECTOR), 0);
	/* The neighbours are untouched. */
	ASSERT_OK(vblk_read(disk(), GUEST_SECTOR + 1, back, 1));
	EXPECT_TRUE(sector_is(back, GUEST_SECTOR + 1));
}
