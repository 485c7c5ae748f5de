/*
 * call.c: zx_channel_call. The kernel's txid on each call, the reply
 * matched to its caller while other messages queue as usual, concurrent
 * callers on one channel whose replies never mix, handles both ways, the
 * peer closing or the handle closing during the wait (a kill during one:
 * ipc.c), and every documented
 * error in Zircon's order. Run with -smp 1 and -smp 4.
 */
#include <string.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define SEC 1000000000ll
#define MS  1000000ll

struct msg {
	zx_txid_t txid;
	uint32_t word[3];
};

/*
 * A server on its own thread: for each message on `ch`, reply with its
 * txid and its words each plus one, until the channel's peer closes. With
 * `batch` it reads that many messages before it answers them, last first.
 */
struct server {
	zx_handle_t ch;
	int batch;
	volatile int served;
};

static void serve(uintptr_t arg, uintptr_t unused)
{
	(void)unused;
	struct server *s = (struct server *)arg;
	struct msg held[8];
	int n = 0;
	for (;;) {
		zx_signals_t seen = 0;
		if (zx_object_wait_one(s->ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
				       zx_deadline_after(20 * SEC), &seen) != ZX_OK ||
		    !(seen & ZX_CHANNEL_READABLE))
			break;
		uint32_t nb, nh;
		if (zx_channel_read(s->ch, 0, &held[n], NULL, sizeof(held[n]), 0, &nb, &nh) !=
		    ZX_OK)
			break;
		if (++n < s->batch)
			continue;
		while (n > 0) {
			struct msg r = held[--n];
			for (int i = 0; i < 3; i++)
				r.word[i]++;
			zx_channel_write(s->ch, 0, &r, sizeof(r), NULL, 0);
			s->served++;
		}
	}
	zx_thread_exit();
}

static zx_status_t call(zx_handle_t ch, struct msg *out, struct msg *in, zx_instant_mono_t deadline)
{
	zx_channel_call_args_t a = {.wr_bytes = out,
				    .wr_num_bytes = sizeof(*out),
				    .rd_bytes = in,
				    .rd_num_bytes = sizeof(*in)};
	uint32_t nb = 0, nh = 0;
	zx_status_t st = zx_channel_call(ch, 0, deadline, &a, &nb, &nh);
	if (st == ZX_OK && (nb != sizeof(*in) || nh != 0))
		return ZX_ERR_INTERNAL;
	return st;
}

TEST(ChannelCall, TheReplyWithTheKernelsTxidComesBack)
{
	zx_handle_t c0, c1;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	struct server s = {.ch = c1, .batch = 1};
	zx_handle_t t = start_thread(serve, (uintptr_t)&s);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	zx_txid_t last = 0;
	for (uint32_t i = 0; i < 20; i++) {
		struct msg out = {.txid = 7, .word = {i, 2 * i, 3 * i}}, in = {0};
		ASSERT_OK(call(c0, &out, &in, zx_deadline_after(10 * SEC)));
		EXPECT_TRUE(in.txid >= 0x80000000u, "a kernel txid: 0x%x", in.txid);
		EXPECT_NE(in.txid, last, "a fresh one for each call");
		last = in.txid;
		EXPECT_EQ(in.word[0], i + 1);
		EXPECT_EQ(in.word[2], 3 * i + 1);
		EXPECT_EQ(out.txid, 7u, "the caller's buffer is not written");
	}
	EXPECT_EQ(s.served, 20);
	EXPECT_FALSE(signals_of(c0) & ZX_CHANNEL_READABLE, "replies never reach the queue");
	zx_handle_close(c0);
	EXPECT_OK(join_thread(t));
	zx_handle_close(c1);
}

TEST(ChannelCall, OtherMessagesQueueAsUsual)
{
	zx_handle_t c0, c1;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	/* Messages already waiting, a user txid, and a kernel txid nobody waits for. */
	struct msg early = {.txid = 5}, stray = {.txid = 0x80000123u}, got;
	ASSERT_OK(zx_channel_write(c1, 0, &early, sizeof(early), NULL, 0));
	ASSERT_OK(zx_channel_write(c1, 0, &stray, sizeof(stray), NULL, 0));
	struct server s = {.ch = c1, .batch = 1};
	zx_handle_t t = start_thread(serve, (uintptr_t)&s);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	struct msg out = {.word = {40, 41, 42}}, in;
	ASSERT_OK(call(c0, &out, &in, zx_deadline_after(10 * SEC)));
	EXPECT_EQ(in.word[1], 42u);
	uint32_t nb, nh;
	ASSERT_OK(zx_channel_read(c0, 0, &got, NULL, sizeof(got), 0, &nb, &nh));
	EXPECT_EQ(got.txid, 5u);
	ASSERT_OK(zx_channel_read(c0, 0, &got, NULL, sizeof(got), 0, &nb, &nh));
	EXPECT_EQ(got.txid, 0x80000123u);
	EXPECT_STATUS(zx_channel_read(c0, 0, &got, NULL, sizeof(got), 0, &nb, &nh),
		      ZX_ERR_SHOULD_WAIT);
	zx_handle_close(c0);
	EXPECT_OK(join_thread(t));
	zx_handle_close(c1);
}

/* ---- concurrent callers ---------------------------------------------------------- */

static zx_handle_t shared_ch;
static volatile int mixed, failed, calls_done;

static void caller(uintptr_t id, uintptr_t unused)
{
	(void)unused;
	for (uint32_t i = 0; i < 200; i++) {
		struct msg out = {.word = {(uint32_t)id, i, (uint32_t)id * 1000 + i}}, in;
		zx_status_t st = call(shared_ch, &out, &in, zx_deadline_after(20 * SEC));
		if (st != ZX_OK)
			failed++;
		else if (in.word[0] != id + 1 || in.word[1] != i + 1 ||
			 in.word[2] != id * 1000 + i + 1)
			mixed++;
	}
	__atomic_fetch_add(&calls_done, 1, __ATOMIC_SEQ_CST);
	zx_thread_exit();
}

TEST(ChannelCall, ConcurrentCallersNeverGetEachOthersReplies)
{
	zx_handle_t c1;
	ASSERT_OK(zx_channel_create(0, &shared_ch, &c1));
	/* The server answers four at a time, last first: replies arrive out of order. */
	struct server s = {.ch = c1, .batch = 4};
	zx_handle_t srv = start_thread(serve, (uintptr_t)&s), t[4];
	ASSERT_NE(srv, ZX_HANDLE_INVALID);
	mixed = failed = calls_done = 0;
	for (int i = 0; i < 4; i++) {
		t[i] = start_thread(caller, (uintptr_t)i);
		ASSERT_NE(t[i], ZX_HANDLE_INVALID);
	}
	for (int i = 0; i < 4; i++)
		EXPECT_OK(join_thread(t[i]));
	EXPECT_EQ(calls_done, 4);
	EXPECT_EQ(failed, 0);
	EXPECT_EQ(mixed, 0, "a reply went to the wrong caller");
	EXPECT_EQ(s.served, 800);
	zx_handle_close(shared_ch);
	EXPECT_OK(join_thread(srv));
	zx_handle_close(c1);
}

/* ---- handles both ways ----------------------------------------------------------- */

static void swap_handles(uintptr_t ch, uintptr_t unused)
{
	(void)unused;
	struct msg m;
	zx_handle_t got = ZX_HANDLE_INVALID, reply = ZX_HANDLE_INVALID;
	uint32_t nb, nh;
	zx_object_wait_one((zx_handle_t)ch, ZX_CHANNEL_READABLE, zx_deadline_after(10 * SEC), NULL);
	zx_channel_read((zx_handle_t)ch, 0, &m, &got, sizeof(m), 1, &nb, &nh);
	zx_event_create(0, &reply);
	m.word[0] = nh;
	zx_channel_write((zx_handle_t)ch, 0, &m, sizeof(m), &reply, 1);
	zx_handle_close(got);
	zx_thread_exit();
}

TEST(ChannelCall, HandlesGoAndComeBack)
{
	zx_handle_t c0, c1, sent, back = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zx_event_create(0, &sent));
	zx_handle_t t = start_thread(swap_handles, c1);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	struct msg out = {0}, in = {0};
	zx_channel_call_args_t a = {.wr_bytes = &out,
				    .wr_handles = &sent,
				    .rd_bytes = &in,
				    .rd_handles = &back,
				    .wr_num_bytes = sizeof(out),
				    .wr_num_handles = 1,
				    .rd_num_bytes = sizeof(in),
				    .rd_num_handles = 1};
	uint32_t nb = 0, nh = 0;
	ASSERT_OK(zx_channel_call(c0, 0, zx_deadline_after(10 * SEC), &a, &nb, &nh));
	EXPECT_EQ(nb, sizeof(in));
	EXPECT_EQ(nh, 1u);
	EXPECT_EQ(in.word[0], 1u, "the server got one handle");
	EXPECT_STATUS(handle_valid(sent), ZX_ERR_BAD_HANDLE, "sent away");
	EXPECT_EQ(handle_basic(back).type, ZX_OBJ_TYPE_EVENT);
	EXPECT_OK(join_thread(t));
	zx_handle_close_many((zx_handle_t[]){c0, c1, back}, 3);
}

/* ---- ends during the wait ---------------------------------------------------------- */

static volatile zx_status_t call_result;

static void lone_caller(uintptr_t ch, uintptr_t unused)
{
	(void)unused;
	struct msg out = {0}, in;
	call_result = call((zx_handle_t)ch, &out, &in, zx_deadline_after(10 * SEC));
	zx_thread_exit();
}

TEST(ChannelCall, ThePeerClosingEndsTheCallWithPeerClosed)
{
	zx_handle_t c0, c1;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	call_result = 1;
	zx_handle_t t = start_blocked(lone_caller, c0, ZX_THREAD_STATE_BLOCKED_CHANNEL);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	EXPECT_TRUE(signals_of(c1) & ZX_CHANNEL_READABLE, "the request is there");
	ASSERT_OK(zx_handle_close(c1));
	EXPECT_OK(join_thread(t));
	EXPECT_STATUS(call_result, ZX_ERR_PEER_CLOSED);
	zx_handle_close(c0);
}

TEST(ChannelCall, ClosingTheCallersHandleCancelsTheCall)
{
	zx_handle_t c0, c1;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	call_result = 1;
	zx_handle_t t = start_blocked(lone_caller, c0, ZX_THREAD_STATE_BLOCKED_CHANNEL);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_close(c0));
	EXPECT_OK(join_thread(t));
	EXPECT_STATUS(call_result, ZX_ERR_CANCELED);
	EXPECT_TRUE(signals_of(c1) & ZX_CHANNEL_PEER_CLOSED);
	zx_handle_close(c1);
}

/* ---- errors ----------------------------------------------------------------------- */

TEST(ChannelCall, ErrorsInZirconsOrder)
{
	zx_handle_t c0, c1, e, ro, ro_peer, wo, wo_peer;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zx_event_create(0, &e));
	/* Channel handles lack DUPLICATE: ends with fewer rights come from replace. */
	ASSERT_OK(zx_channel_create(0, &ro, &ro_peer));
	ASSERT_OK(zx_handle_replace(ro, ZX_RIGHT_READ | ZX_RIGHT_WAIT, &ro));
	ASSERT_OK(zx_channel_create(0, &wo, &wo_peer));
	ASSERT_OK(zx_handle_replace(wo, ZX_RIGHT_WRITE | ZX_RIGHT_WAIT, &wo));
	struct msg out = {0}, in;
	uint32_t nb, nh;
	zx_channel_call_args_t a = {.wr_bytes = &out,
				    .rd_bytes = &in,
				    .wr_num_bytes = sizeof(out),
				    .rd_num_bytes = sizeof(in)};
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, NULL, &nb, &nh), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, (void *)KERNEL_ADDR, &nb, &nh),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_channel_call(0x12345, 1, 0, &a, &nb, &nh), ZX_ERR_INVALID_ARGS,
		      "options before the handle");
	a.wr_num_bytes = 3;
	EXPECT_STATUS(zx_channel_call(0x12345, 0, 0, &a, &nb, &nh), ZX_ERR_INVALID_ARGS,
		      "no room for a txid");
	a.wr_num_bytes = sizeof(out);
	EXPECT_STATUS(zx_channel_call(0x12345, 0, 0, &a, &nb, &nh), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_channel_call(e, 0, 0, &a, &nb, &nh), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_channel_call(ro, 0, 0, &a, &nb, &nh), ZX_ERR_ACCESS_DENIED, "no WRITE");
	EXPECT_STATUS(zx_channel_call(wo, 0, 0, &a, &nb, &nh), ZX_ERR_ACCESS_DENIED, "no READ");
	a.wr_num_bytes = ZX_CHANNEL_MAX_MSG_BYTES + 1;
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, &a, &nb, &nh), ZX_ERR_OUT_OF_RANGE);
	a.wr_num_bytes = sizeof(out);
	a.wr_num_handles = ZX_CHANNEL_MAX_MSG_HANDLES + 1;
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, &a, &nb, &nh), ZX_ERR_OUT_OF_RANGE);
	a.wr_num_handles = 0;
	a.wr_bytes = (void *)KERNEL_ADDR;
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, &a, &nb, &nh), ZX_ERR_INVALID_ARGS, "the bytes");
	a.wr_bytes = &out;
	EXPECT_FALSE(signals_of(c1) & ZX_CHANNEL_READABLE, "nothing was sent so far");
	/* A timeout: the request stays with the server, the call ends. */
	zx_instant_mono_t deadline = zx_deadline_after(20 * MS);
	EXPECT_STATUS(zx_channel_call(c0, 0, deadline, &a, &nb, &nh), ZX_ERR_TIMED_OUT);
	EXPECT_TRUE(zx_clock_get_monotonic() >= deadline);
	EXPECT_TRUE(signals_of(c1) & ZX_CHANNEL_READABLE);
	ASSERT_OK(zx_handle_close(c1));
	EXPECT_STATUS(zx_channel_call(c0, 0, ZX_TIME_INFINITE, &a, &nb, &nh), ZX_ERR_PEER_CLOSED);
	zx_handle_close_many((zx_handle_t[]){c0, e, ro, ro_peer, wo, wo_peer}, 6);
}

TEST(ChannelCall, EarlyErrorsStillConsumeTheHandles)
{
	zx_handle_t c0, c1, ev;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zx_event_create(0, &ev));
	struct msg out = {0};
	zx_channel_call_args_t a = {
	    .wr_bytes = &out, .wr_handles = &ev, .wr_num_bytes = 2, .wr_num_handles = 1};
	uint32_t nb, nh;
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, &a, &nb, &nh), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(handle_valid(ev), ZX_ERR_BAD_HANDLE, "consumed, as Zircon does");
	zx_handle_close_many((zx_handle_t[]){c0, c1}, 2);
}

TEST(ChannelCall, HandlesThatCannotBeSentFailTheCallAndAreClosed)
{
	zx_handle_t c0, c1, ev, weak;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zx_event_create(0, &ev));
	ASSERT_OK(zx_handle_duplicate(ev, ZX_RIGHT_WAIT, &weak));
	struct msg out = {0};
	zx_channel_call_args_t a = {
	    .wr_bytes = &out, .wr_num_bytes = sizeof(out), .wr_num_handles = 2};
	uint32_t nb, nh;
	a.wr_handles = (zx_handle_t[]){ev, 0x12345};
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, &a, &nb, &nh), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(ev), ZX_ERR_BAD_HANDLE, "the good one went too");
	a.wr_handles = (zx_handle_t[]){weak, weak};
	a.wr_num_handles = 1;
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, &a, &nb, &nh), ZX_ERR_ACCESS_DENIED, "no TRANSFER");
	EXPECT_STATUS(handle_valid(weak), ZX_ERR_BAD_HANDLE);
	a.wr_handles = &c0;
	EXPECT_STATUS(zx_channel_call(c0, 0, 0, &a, &nb, &nh), ZX_ERR_NOT_SUPPORTED,
		      "a channel cannot carry its own end");
	EXPECT_STATUS(handle_valid(c0), ZX_ERR_BAD_HANDLE);
	EXPECT_FALSE(signals_of(c1) & ZX_CHANNEL_READABLE, "nothing was sent");
	zx_handle_close(c1);
}

/* A server that replies with `reply_bytes` bytes and `reply_handles` events. */
static uint32_t reply_bytes, reply_handles;

static void big_replier(uintptr_t ch, uintptr_t unused)
{
	(void)unused;
	static uint8_t buf[256];
	zx_handle_t hs[4];
	uint32_t nb, nh;
	zx_object_wait_one((zx_handle_t)ch, ZX_CHANNEL_READABLE, zx_deadline_after(10 * SEC), NULL);
	zx_channel_read((zx_handle_t)ch, 0, buf, NULL, sizeof(buf), 0, &nb, &nh);
	for (uint32_t i = 0; i < reply_handles; i++)
		zx_event_create(0, &hs[i]);
	zx_channel_write((zx_handle_t)ch, 0, buf, reply_bytes, hs, reply_handles);
	zx_thread_exit();
}

static zx_status_t call_for_reply(uint32_t bytes, uint32_t handles, uint32_t rd_bytes,
				  uint32_t rd_handles, uint32_t *nb, uint32_t *nh)
{
	zx_handle_t c0, c1, got[4];
	uint8_t in[256];
	if (zx_channel_create(0, &c0, &c1) != ZX_OK)
		return ZX_ERR_INTERNAL;
	reply_bytes = bytes;
	reply_handles = handles;
	zx_handle_t t = start_thread(big_replier, c1);
	struct msg out = {0};
	zx_channel_call_args_t a = {.wr_bytes = &out,
				    .rd_bytes = in,
				    .rd_handles = got,
				    .wr_num_bytes = sizeof(out),
				    .rd_num_bytes = rd_bytes,
				    .rd_num_handles = rd_handles};
	zx_status_t st = zx_channel_call(c0, 0, zx_deadline_after(10 * SEC), &a, nb, nh);
	join_thread(t);
	if (st == ZX_OK)
		zx_handle_close_many(got, *nh);
	zx_handle_close_many((zx_handle_t[]){c0, c1}, 2);
	return st;
}

TEST(ChannelCall, AReplyTooBigForTheBuffersIsDropped)
{
	int slots = free_handle_slots();
	uint32_t nb = 0x77, nh = 0x77;
	EXPECT_STATUS(call_for_reply(64, 0, 32, 0, &nb, &nh), ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(nb, 0x77u, "no sizes written, as Zircon");
	EXPECT_STATUS(call_for_reply(16, 2, 64, 1, &nb, &nh), ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(free_handle_slots(), slots, "its handles were closed, not leaked");
	EXPECT_OK(call_for_reply(16, 2, 64, 2, &nb, &nh));
	EXPECT_EQ(nb, 16u);
	EXPECT_EQ(nh, 2u);
	EXPECT_STATUS(call_for_reply(16, 0, 64, 0, NULL, &nh), ZX_ERR_INVALID_ARGS,
		      "actual_bytes is needed");
	EXPECT_EQ(free_handle_slots(), slots);
}
