/*
 * channel.c: zx_channel_create, zx_channel_write and zx_channel_read:
 * messages of every size from 0 to 64 KiB in order, handles moved from
 * writer to reader with their rights, the signals, every listed error —
 * which handles a failed write still consumes — and that a closed end
 * destroys what waits in it.
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "phys_util.h"

#define CH_RIGHTS 0xf00eu /* ZX_DEFAULT_CHANNEL_RIGHTS */

static uint8_t big[ZX_CHANNEL_MAX_MSG_BYTES + 1], back[ZX_CHANNEL_MAX_MSG_BYTES + 1];

static void pair(zx_handle_t *a, zx_handle_t *b)
{
	*a = *b = ZX_HANDLE_INVALID;
	zx_channel_create(0, a, b);
}

/* Free pages, counting the heap's as free: the heap never gives pages back. */
static uint64_t free_bytes(void)
{
	zx_info_kmem_stats_v1_t st = {0};
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL);
	return st.free_bytes + st.total_heap_bytes;
}

TEST(Create, TwoPeersWithChannelRights)
{
	zx_handle_t a, b;
	pair(&a, &b);
	ASSERT_NE(a, ZX_HANDLE_INVALID);
	ASSERT_NE(b, ZX_HANDLE_INVALID);
	zx_info_handle_basic_t ia = handle_basic(a), ib = handle_basic(b);
	EXPECT_EQ(ia.type, ZX_OBJ_TYPE_CHANNEL);
	EXPECT_EQ(ia.rights, CH_RIGHTS);
	EXPECT_EQ(ib.rights, CH_RIGHTS);
	EXPECT_EQ(ia.related_koid, ib.koid, "each end names its peer");
	EXPECT_EQ(ib.related_koid, ia.koid);
	EXPECT_EQ(signals_of(a), ZX_CHANNEL_WRITABLE);
	EXPECT_OK(zx_handle_close(b));
	EXPECT_EQ(signals_of(a), ZX_CHANNEL_PEER_CLOSED, "WRITABLE goes with the peer");
	EXPECT_EQ(handle_basic(a).related_koid, ib.koid, "the peer's koid stays");
	EXPECT_OK(zx_handle_close(a));
}

TEST(Create, Errors)
{
	zx_handle_t a = 0x77, b = 0x77;
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_channel_create(1, &a, &b), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_channel_create(0, NULL, &b), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_channel_create(0, &a, (zx_handle_t *)KERNEL_ADDR), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots, "neither handle left behind");
	zx_handle_t hs[HANDLE_TABLE_SLOTS];
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 1);
	EXPECT_OK(zx_handle_close(hs[--n]), "one slot free: not enough for two");
	EXPECT_STATUS(zx_channel_create(0, &a, &b), ZX_ERR_NO_RESOURCES);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_EQ(free_handle_slots(), slots);
}

TEST(Messages, EverySizeInOrder)
{
	static const uint32_t sizes[] = {0,    1,    7,	   2047,  2048,
					 2049, 4096, 9000, 65535, ZX_CHANNEL_MAX_MSG_BYTES};
	zx_handle_t a, b;
	pair(&a, &b);
	for (uint32_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + i / 251);
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ASSERT_OK(zx_channel_write(a, 0, big + i, sizes[i], NULL, 0), "size %u", sizes[i]);
	EXPECT_EQ(signals_of(b) & ZX_CHANNEL_READABLE, ZX_CHANNEL_READABLE);
	EXPECT_EQ(signals_of(a) & ZX_CHANNEL_READABLE, 0u, "messages go to the other end");
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint32_t nb = 0x99, nh = 0x99;
		memset(back, 0, sizeof(back));
		ASSERT_OK(zx_channel_read(b, 0, back, NULL, sizeof(back), 0, &nb, &nh));
		EXPECT_EQ(nb, sizes[i]);
		EXPECT_EQ(nh, 0u);
		EXPECT_EQ(memcmp(back, big + i, sizes[i]), 0, "size %u", sizes[i]);
	}
	EXPECT_EQ(signals_of(b) & ZX_CHANNEL_READABLE, 0u, "drained");
	EXPECT_STATUS(zx_channel_read(b, 0, back, NULL, sizeof(back), 0, NULL, NULL),
		      ZX_ERR_SHOULD_WAIT);
	/* the other way, and the actual pointers may be NULL */
	ASSERT_OK(zx_channel_write(b, 0, "pong", 4, NULL, 0));
	char s[8] = {0};
	EXPECT_OK(zx_channel_read(a, 0, s, NULL, sizeof(s), 0, NULL, NULL));
	EXPECT_STREQ(s, "pong");
	EXPECT_OK(zx_handle_close(a));
	EXPECT_OK(zx_handle_close(b));
}

TEST(Messages, HandlesMoveWithTheirRights)
{
	zx_handle_t a, b, v = filled_vmo(PAGE, 0, 0x42), weak;
	pair(&a, &b);
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_READ | ZX_RIGHT_TRANSFER, &weak));
	zx_koid_t k = koid_of(v);
	zx_handle_t send[2] = {v, weak};
	ASSERT_OK(zx_channel_write(a, 0, "hv", 2, send, 2));
	EXPECT_STATUS(handle_valid(v), ZX_ERR_BAD_HANDLE, "the writer no longer has them");
	EXPECT_STATUS(handle_valid(weak), ZX_ERR_BAD_HANDLE);
	zx_handle_t got[4] = {0};
	uint32_t nb = 0, nh = 0;
	char s[4] = {0};
	ASSERT_OK(zx_channel_read(b, 0, s, got, sizeof(s), 4, &nb, &nh));
	EXPECT_EQ(nb, 2u);
	EXPECT_EQ(nh, 2u);
	EXPECT_EQ(koid_of(got[0]), k);
	EXPECT_EQ(koid_of(got[1]), k);
	EXPECT_EQ(rights_of(got[1]), ZX_RIGHT_READ | ZX_RIGHT_TRANSFER, "rights unchanged");
	uint8_t x = 0;
	EXPECT_OK(zx_vmo_read(got[0], &x, 0, 1));
	EXPECT_EQ(x, 0x42);
	/* a channel end travels too */
	zx_handle_t c, d;
	pair(&c, &d);
	ASSERT_OK(zx_channel_write(a, 0, NULL, 0, &d, 1));
	zx_handle_t d2 = 0;
	ASSERT_OK(zx_channel_read(b, 0, NULL, &d2, 0, 1, NULL, NULL));
	ASSERT_OK(zx_channel_write(c, 0, "x", 1, NULL, 0));
	EXPECT_OK(zx_channel_read(d2, 0, s, NULL, sizeof(s), 0, NULL, NULL), "the moved end works");
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(d2));
	EXPECT_OK(zx_handle_close(got[0]));
	EXPECT_OK(zx_handle_close(got[1]));
	EXPECT_OK(zx_handle_close(a));
	EXPECT_OK(zx_handle_close(b));
}

TEST(Read, Errors)
{
	zx_handle_t a, b, ro, v = filled_vmo(PAGE, 0, 1), w;
	pair(&a, &b);
	uint32_t nb = 0, nh = 0;
	char s[8];
	EXPECT_STATUS(zx_channel_read(0x12345, 0, s, NULL, 8, 0, NULL, NULL), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_channel_read(v, 0, s, NULL, 8, 0, NULL, NULL), ZX_ERR_WRONG_TYPE);
	zx_handle_t c, d;
	pair(&c, &d); /* channel handles cannot be duplicated: narrow one by replacing it */
	ASSERT_OK(zx_handle_replace(d, ZX_RIGHT_WAIT, &ro));
	EXPECT_STATUS(zx_channel_read(ro, 0, s, NULL, 8, 0, NULL, NULL), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(c));
	EXPECT_STATUS(zx_channel_read(b, 2, s, NULL, 8, 0, NULL, NULL), ZX_ERR_NOT_SUPPORTED,
		      "an unknown option");
	EXPECT_STATUS(zx_channel_read(b, 0, s, NULL, 8, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
	/* too small: the sizes are reported and the message stays */
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_SAME_RIGHTS, &w));
	ASSERT_OK(zx_channel_write(a, 0, "12345", 5, &w, 1));
	EXPECT_STATUS(zx_channel_read(b, 0, s, NULL, 4, 1, &nb, &nh), ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(nb, 5u);
	EXPECT_EQ(nh, 1u);
	nb = nh = 0;
	EXPECT_STATUS(zx_channel_read(b, 0, s, NULL, 8, 0, &nb, &nh), ZX_ERR_BUFFER_TOO_SMALL,
		      "no room for its handle");
	EXPECT_EQ(nh, 1u);
	EXPECT_EQ(signals_of(b) & ZX_CHANNEL_READABLE, ZX_CHANNEL_READABLE, "still there");
	/* MAY_DISCARD drops it, its handle closed */
	EXPECT_EQ(handle_basic(v).koid, koid_of(v));
	zx_info_handle_count_t hc = {0};
	ASSERT_OK(zx_object_get_info(v, ZX_INFO_HANDLE_COUNT, &hc, sizeof(hc), NULL, NULL));
	EXPECT_EQ(hc.handle_count, 2u, "v, and the one in the message");
	EXPECT_STATUS(zx_channel_read(b, ZX_CHANNEL_READ_MAY_DISCARD, s, NULL, 4, 0, &nb, &nh),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(nb, 5u);
	ASSERT_OK(zx_object_get_info(v, ZX_INFO_HANDLE_COUNT, &hc, sizeof(hc), NULL, NULL));
	EXPECT_EQ(hc.handle_count, 1u, "discarded with the message");
	EXPECT_STATUS(zx_channel_read(b, 0, s, NULL, 8, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
	/* a bad buffer loses the message, as in Zircon */
	ASSERT_OK(zx_channel_write(a, 0, "abc", 3, NULL, 0));
	EXPECT_STATUS(zx_channel_read(b, 0, (void *)KERNEL_ADDR, NULL, 8, 0, NULL, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_channel_read(b, 0, s, NULL, 8, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT);
	ASSERT_OK(zx_channel_write(a, 0, "abc", 3, NULL, 0));
	EXPECT_STATUS(zx_channel_read(b, 0, s, NULL, 8, 0, (uint32_t *)KERNEL_ADDR, NULL),
		      ZX_ERR_INVALID_ARGS);
	/* an unwritable handle array loses the message, and closes its handles */
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_SAME_RIGHTS, &w));
	ASSERT_OK(zx_channel_write(a, 0, NULL, 0, &w, 1));
	EXPECT_STATUS(zx_channel_read(b, 0, NULL, (zx_handle_t *)KERNEL_ADDR, 0, 1, NULL, NULL),
		      ZX_ERR_INVALID_ARGS);
	zx_info_handle_count_t left = {0};
	ASSERT_OK(zx_object_get_info(v, ZX_INFO_HANDLE_COUNT, &left, sizeof(left), NULL, NULL));
	EXPECT_EQ(left.handle_count, 1u);
	/* a handle table without room: the message waits */
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_SAME_RIGHTS, &w));
	ASSERT_OK(zx_channel_write(a, 0, NULL, 0, &w, 1));
	zx_handle_t hs[HANDLE_TABLE_SLOTS];
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 0);
	zx_handle_t got = 0;
	EXPECT_STATUS(zx_channel_read(b, 0, NULL, &got, 0, 1, NULL, NULL), ZX_ERR_NO_RESOURCES);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_OK(zx_channel_read(b, 0, NULL, &got, 0, 1, NULL, NULL));
	EXPECT_EQ(koid_of(got), koid_of(v));
	/* a closed peer: messages still read, then PEER_CLOSED */
	ASSERT_OK(zx_channel_write(a, 0, "last", 4, NULL, 0));
	EXPECT_OK(zx_handle_close(a));
	EXPECT_OK(zx_channel_read(b, 0, s, NULL, 8, 0, NULL, NULL));
	EXPECT_STATUS(zx_channel_read(b, 0, s, NULL, 8, 0, NULL, NULL), ZX_ERR_PEER_CLOSED);
	EXPECT_OK(zx_handle_close(got));
	EXPECT_OK(zx_handle_close(ro));
	EXPECT_OK(zx_handle_close(b));
	EXPECT_OK(zx_handle_close(v));
}

/* Four duplicates of v to send; how many handles v has afterwards tells what was consumed. */
static uint32_t handle_count(zx_handle_t v)
{
	zx_info_handle_count_t hc = {0};
	zx_object_get_info(v, ZX_INFO_HANDLE_COUNT, &hc, sizeof(hc), NULL, NULL);
	return hc.handle_count;
}

static void dups(zx_handle_t v, zx_handle_t *out, int n)
{
	for (int i = 0; i < n; i++)
		zx_handle_duplicate(v, ZX_RIGHT_SAME_RIGHTS, &out[i]);
}

TEST(Write, ErrorsConsumeTheHandles)
{
	zx_handle_t a, b, v = filled_vmo(PAGE, 0, 1), ro, hs[ZX_CHANNEL_MAX_MSG_HANDLES + 1];
	pair(&a, &b);
	zx_handle_t other, peer;
	pair(&other, &peer);
	ASSERT_OK(zx_handle_replace(other, ZX_RIGHT_TRANSFER, &ro)); /* no WRITE */
	struct {
		const char *what;
		zx_handle_t ch;
		uint32_t options, num_bytes;
		const void *bytes;
		zx_status_t want;
	} cases[] = {
	    {"unknown option", a, 4, 1, "x", ZX_ERR_INVALID_ARGS},
	    {"scatter-gather (not implemented)", a, ZX_CHANNEL_WRITE_USE_IOVEC, 1, "x",
	     ZX_ERR_NOT_SUPPORTED},
	    {"bad channel handle", 0x12345, 0, 1, "x", ZX_ERR_BAD_HANDLE},
	    {"not a channel", v, 0, 1, "x", ZX_ERR_WRONG_TYPE},
	    {"no WRITE right", ro, 0, 1, "x", ZX_ERR_ACCESS_DENIED},
	    {"too many bytes", a, 0, ZX_CHANNEL_MAX_MSG_BYTES + 1, big, ZX_ERR_OUT_OF_RANGE},
	    {"unreadable bytes", a, 0, 8, (const void *)KERNEL_ADDR, ZX_ERR_INVALID_ARGS},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dups(v, hs, 3);
		EXPECT_STATUS(zx_channel_write(cases[i].ch, cases[i].options, cases[i].bytes,
					       cases[i].num_bytes, hs, 3),
			      cases[i].want, "%s", cases[i].what);
		EXPECT_EQ(handle_count(v), 1u, "%s: the three handles are consumed", cases[i].what);
	}
	dups(v, hs, ZX_CHANNEL_MAX_MSG_HANDLES + 1);
	EXPECT_STATUS(zx_channel_write(a, 0, "x", 1, hs, ZX_CHANNEL_MAX_MSG_HANDLES + 1),
		      ZX_ERR_OUT_OF_RANGE, "65 handles");
	EXPECT_EQ(handle_count(v), 1u, "all 65 consumed");
	/* the one exception: an unreadable handle array consumes nothing */
	EXPECT_STATUS(zx_channel_write(a, 0, "x", 1, (const zx_handle_t *)KERNEL_ADDR, 2),
		      ZX_ERR_INVALID_ARGS);
	/* per handle: every one removed, the first error reported, nothing sent */
	zx_handle_t nt;
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_READ, &nt));
	dups(v, hs, 2);
	zx_handle_t mixed[4] = {hs[0], nt, 0x12345, hs[1]};
	EXPECT_STATUS(zx_channel_write(a, 0, "x", 1, mixed, 4), ZX_ERR_ACCESS_DENIED,
		      "no TRANSFER right, before the bad handle");
	EXPECT_EQ(handle_count(v), 1u);
	dups(v, hs, 1);
	zx_handle_t twice[2] = {hs[0], hs[0]};
	EXPECT_STATUS(zx_channel_write(a, 0, "x", 1, twice, 2), ZX_ERR_BAD_HANDLE,
		      "the same handle twice");
	EXPECT_EQ(handle_count(v), 1u);
	EXPECT_STATUS(zx_channel_read(b, 0, NULL, NULL, 0, 0, NULL, NULL), ZX_ERR_SHOULD_WAIT,
		      "no failed write sent anything");
	EXPECT_STATUS(zx_channel_write(a, 0, "x", 1, &a, 1), ZX_ERR_NOT_SUPPORTED,
		      "a channel's own handle");
	EXPECT_STATUS(handle_valid(a), ZX_ERR_BAD_HANDLE);
	/* the peer gone: PEER_CLOSED, handles consumed */
	dups(v, hs, 2);
	EXPECT_OK(zx_handle_close(b));
	EXPECT_OK(zx_handle_close(ro));
	EXPECT_OK(zx_handle_close(peer));
	zx_handle_t c, d;
	pair(&c, &d);
	EXPECT_OK(zx_handle_close(d));
	EXPECT_STATUS(zx_channel_write(c, 0, "x", 1, hs, 2), ZX_ERR_PEER_CLOSED);
	EXPECT_EQ(handle_count(v), 1u);
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Write, QueueLimit)
{
	zx_handle_t a, b;
	pair(&a, &b);
	unsigned n = 0;
	zx_status_t st;
	while ((st = zx_channel_write(a, 0, &n, sizeof(n), NULL, 0)) == ZX_OK && n < 10000)
		n++;
	EXPECT_STATUS(st, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(n, 3500u, "3,500 messages wait at most");
	unsigned got = 0, i = 0;
	while (zx_channel_read(b, 0, &got, NULL, sizeof(got), 0, NULL, NULL) == ZX_OK) {
		EXPECT_EQ(got, i);
		i++;
	}
	EXPECT_EQ(i, 3500u, "in order, all of them");
	EXPECT_OK(zx_channel_write(a, 0, &n, sizeof(n), NULL, 0), "room again");
	EXPECT_OK(zx_handle_close(a));
	EXPECT_OK(zx_handle_close(b));
}

TEST(Teardown, ClosedEndsDestroyWhatWaits)
{
	uint64_t before = heap_used(), pages = free_bytes();
	zx_handle_t v = filled_vmo(PAGE, 0, 1);
	for (int round = 0; round < 100; round++) {
		zx_handle_t a, b, w;
		pair(&a, &b);
		ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_SAME_RIGHTS, &w));
		ASSERT_OK(zx_channel_write(a, 0, big, 5000, &w, 1));
		ASSERT_OK(zx_channel_write(b, 0, big, 100, NULL, 0));
		EXPECT_OK(zx_handle_close(round % 2 ? a : b));
		EXPECT_OK(zx_handle_close(round % 2 ? b : a));
	}
	EXPECT_EQ(handle_count(v), 1u, "the queued handles were closed");
	EXPECT_OK(zx_handle_close(v));
	EXPECT_EQ(heap_used(), before, "every end and message freed");
	EXPECT_EQ(free_bytes(), pages, "and the pages the messages' bytes were in");
}
