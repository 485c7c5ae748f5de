/*
 * port.c: zx_port_create, zx_port_queue, zx_port_wait, zx_port_cancel and
 * zx_object_wait_async. Every packet type zirv delivers and each field of
 * it, the order of queued packets, level and edge waits that fire once,
 * thousands of waits on one port with no packet lost or doubled, waits
 * ended by a close, by zx_port_cancel and by the port's own end, waiters on
 * other threads woken and cancelled, and every documented error in
 * Zircon's order. Run with -smp 1 and -smp 4.
 */
#include <string.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define SEC 1000000000ll
#define MS  1000000ll

static zx_handle_t new_port(void)
{
	zx_handle_t p = ZX_HANDLE_INVALID;
	zx_port_create(0, &p);
	return p;
}

static zx_handle_t new_event(void)
{
	zx_handle_t e = ZX_HANDLE_INVALID;
	zx_event_create(0, &e);
	return e;
}

/* The port has no packet now. */
static int port_empty(zx_handle_t p)
{
	zx_port_packet_t pk;
	return zx_port_wait(p, 0, &pk) == ZX_ERR_TIMED_OUT;
}

static zx_handle_t dup_without(zx_handle_t h, zx_rights_t drop)
{
	zx_handle_t d = ZX_HANDLE_INVALID;
	zx_handle_duplicate(h, rights_of(h) & ~drop, &d);
	return d;
}

/* ---- zx_port_create ------------------------------------------------------------ */

TEST(PortCreate, RightsTypeAndOptions)
{
	zx_handle_t p = 0x77, q;
	ASSERT_OK(zx_port_create(0, &p));
	zx_info_handle_basic_t b = handle_basic(p);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_PORT);
	EXPECT_EQ(b.rights, ZX_DEFAULT_PORT_RIGHTS);
	EXPECT_FALSE(b.rights & ZX_RIGHT_WAIT, "a port cannot be waited on");
	zx_signals_t seen;
	EXPECT_STATUS(zx_object_wait_one(p, ZX_USER_SIGNAL_0, 0, &seen), ZX_ERR_ACCESS_DENIED);
	ASSERT_OK(zx_port_create(ZX_PORT_BIND_TO_INTERRUPT, &q));
	EXPECT_EQ(handle_basic(q).type, ZX_OBJ_TYPE_PORT);
	zx_handle_close_many((zx_handle_t[]){p, q}, 2);
}

TEST(PortCreate, Errors)
{
	zx_handle_t p = 0x77;
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_port_create(2, &p), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_port_create(ZX_PORT_BIND_TO_INTERRUPT | 4, &p), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(p, 0x77u);
	EXPECT_STATUS(zx_port_create(0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_port_create(0, (zx_handle_t *)KERNEL_ADDR), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots, "a failed create left a handle");
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 0);
	zx_status_t full = zx_port_create(0, &p);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_STATUS(full, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(p, 0x77u);
}

/* ---- zx_port_queue / zx_port_wait ---------------------------------------------- */

TEST(PortQueue, AUserPacketComesBackWhole)
{
	zx_handle_t p = new_port();
	zx_port_packet_t in = {
	    .key = 0x1122334455667788ull, .type = ZX_PKT_TYPE_SIGNAL_ONE, .status = -77};
	for (int i = 0; i < 32; i++)
		in.user.c8[i] = (uint8_t)(i * 7 + 1);
	ASSERT_OK(zx_port_queue(p, &in));
	zx_port_packet_t out;
	memset(&out, 0xee, sizeof(out));
	ASSERT_OK(zx_port_wait(p, ZX_TIME_INFINITE, &out));
	EXPECT_EQ(out.key, in.key);
	EXPECT_EQ(out.type, ZX_PKT_TYPE_USER, "the kernel makes it a user packet");
	EXPECT_EQ(out.status, -77, "status is the sender's");
	EXPECT_EQ(memcmp(out.user.c8, in.user.c8, 32), 0, "the body as queued");
	EXPECT_TRUE(port_empty(p));
	zx_handle_close(p);
}

TEST(PortQueue, PacketsComeOutInTheOrderTheyWentIn)
{
	zx_handle_t p = new_port(), e = new_event();
	for (uint64_t i = 0; i < 300; i++) {
		zx_port_packet_t pk = {.key = i};
		pk.user.u64[0] = i * i;
		ASSERT_OK(zx_port_queue(p, &pk));
		if (i == 100) /* a signal packet takes its place in the line */
			ASSERT_OK(zx_object_wait_async(e, p, 1000, ZX_EVENT_SIGNALED, 0));
		if (i == 150)
			ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	}
	int bad = 0;
	for (uint64_t i = 0; i < 300; i++) {
		zx_port_packet_t pk;
		ASSERT_OK(zx_port_wait(p, 0, &pk));
		bad += pk.key != i || pk.type != ZX_PKT_TYPE_USER || pk.user.u64[0] != i * i;
		if (i == 150) {
			ASSERT_OK(zx_port_wait(p, 0, &pk));
			EXPECT_EQ(pk.key, 1000u);
			EXPECT_EQ(pk.type, ZX_PKT_TYPE_SIGNAL_ONE);
		}
	}
	EXPECT_EQ(bad, 0);
	EXPECT_TRUE(port_empty(p));
	zx_handle_close_many((zx_handle_t[]){p, e}, 2);
}

TEST(PortQueue, ErrorsInZirconsOrder)
{
	zx_handle_t p = new_port(), e = new_event(), ro = dup_without(p, ZX_RIGHT_WRITE);
	zx_port_packet_t pk = {.key = 1};
	EXPECT_STATUS(zx_port_queue(0x12345, &pk), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_port_queue(e, &pk), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_port_queue(ro, NULL), ZX_ERR_ACCESS_DENIED, "the right before the packet");
	EXPECT_STATUS(zx_port_queue(p, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_port_queue(p, (zx_port_packet_t *)KERNEL_ADDR), ZX_ERR_INVALID_ARGS);
	EXPECT_TRUE(port_empty(p));
	zx_handle_close_many((zx_handle_t[]){p, e, ro}, 3);
}

TEST(PortQueue, AFullPortIsShouldWaitUntilDrained)
{
	zx_handle_t p = new_port();
	zx_port_packet_t pk = {0};
	int queued = 0;
	zx_status_t st;
	while ((st = zx_port_queue(p, &pk)) == ZX_OK && queued < 10000)
		pk.key = ++queued;
	EXPECT_STATUS(st, ZX_ERR_SHOULD_WAIT);
	EXPECT_EQ(queued, 4096);
	/* Signal packets do not count against it. */
	zx_handle_t e = new_event();
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	EXPECT_OK(zx_object_wait_async(e, p, 7, ZX_EVENT_SIGNALED, 0));
	zx_port_packet_t out;
	ASSERT_OK(zx_port_wait(p, 0, &out));
	EXPECT_EQ(out.key, 0u);
	EXPECT_OK(zx_port_queue(p, &pk), "room for one again");
	zx_handle_close_many((zx_handle_t[]){p, e}, 2);
}

TEST(PortWait, ErrorsInZirconsOrder)
{
	zx_handle_t p = new_port(), e = new_event(), wo = dup_without(p, ZX_RIGHT_READ);
	zx_port_packet_t pk;
	EXPECT_STATUS(zx_port_wait(0x12345, 0, &pk), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_port_wait(e, 0, &pk), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_port_wait(wo, 0, &pk), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_port_wait(p, 0, &pk), ZX_ERR_TIMED_OUT);
	EXPECT_STATUS(zx_port_wait(p, 0, NULL), ZX_ERR_TIMED_OUT, "the wait before the copy");
	zx_instant_mono_t deadline = zx_deadline_after(20 * MS);
	EXPECT_STATUS(zx_port_wait(p, deadline, &pk), ZX_ERR_TIMED_OUT);
	EXPECT_TRUE(zx_clock_get_monotonic() >= deadline, "not before the deadline");
	zx_port_packet_t in = {.key = 5};
	ASSERT_OK(zx_port_queue(p, &in));
	EXPECT_STATUS(zx_port_wait(p, 0, (zx_port_packet_t *)KERNEL_ADDR), ZX_ERR_INVALID_ARGS);
	EXPECT_TRUE(port_empty(p), "a packet taken for a bad pointer is lost, as in Zircon");
	zx_handle_close_many((zx_handle_t[]){p, e, wo}, 3);
}

/* ---- waiters on other threads ---------------------------------------------------- */

static zx_handle_t shared_port;
static volatile zx_status_t thread_result = 1;
static zx_port_packet_t thread_packet;

static void port_waiter(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1;
	(void)unused2;
	thread_result = zx_port_wait(shared_port, zx_deadline_after(10 * SEC), &thread_packet);
	zx_thread_exit();
}

TEST(PortWait, AQueueFromAnotherThreadWakesTheWaiter)
{
	shared_port = new_port();
	thread_result = 1;
	zx_handle_t t = start_blocked(port_waiter, 0, ZX_THREAD_STATE_BLOCKED_PORT);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	zx_port_packet_t pk = {.key = 42};
	pk.user.u32[3] = 0xfeed;
	ASSERT_OK(zx_port_queue(shared_port, &pk));
	EXPECT_OK(join_thread(t));
	EXPECT_OK(thread_result);
	EXPECT_EQ(thread_packet.key, 42u);
	EXPECT_EQ(thread_packet.user.u32[3], 0xfeedu);
	zx_handle_close(shared_port);
}

TEST(PortWait, ClosingThePortHandleCancelsTheWait)
{
	shared_port = new_port();
	thread_result = 1;
	zx_handle_t t = start_blocked(port_waiter, 0, ZX_THREAD_STATE_BLOCKED_PORT);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	EXPECT_OK(zx_handle_close(shared_port));
	EXPECT_OK(join_thread(t));
	EXPECT_STATUS(thread_result, ZX_ERR_CANCELED);
}

/* A signal from another thread reaches a waiter through the async wait. */
static void signal_later(uintptr_t e, uintptr_t unused)
{
	(void)unused;
	zx_nanosleep(zx_deadline_after(5 * MS));
	zx_object_signal((zx_handle_t)e, 0, ZX_USER_SIGNAL_5);
	zx_thread_exit();
}

TEST(WaitAsync, ASignalOnAnotherThreadWakesThePortWaiter)
{
	zx_handle_t p = new_port(), e = new_event();
	ASSERT_OK(zx_object_wait_async(e, p, 99, ZX_USER_SIGNAL_5, 0));
	zx_handle_t t = start_thread(signal_later, e);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, zx_deadline_after(10 * SEC), &pk));
	EXPECT_EQ(pk.key, 99u);
	EXPECT_EQ(pk.signal.observed, ZX_USER_SIGNAL_5);
	EXPECT_OK(join_thread(t));
	zx_handle_close_many((zx_handle_t[]){p, e}, 2);
}

/* ---- zx_object_wait_async ------------------------------------------------------- */

TEST(WaitAsync, ALevelWaitFiresOnceWithEveryField)
{
	zx_handle_t p = new_port(), e = new_event();
	ASSERT_OK(zx_object_wait_async(e, p, 0xabcdef, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_1, 0));
	EXPECT_TRUE(port_empty(p), "nothing asserted yet");
	ASSERT_OK(zx_object_signal(e, 0, ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_4));
	zx_port_packet_t pk;
	memset(&pk, 0xee, sizeof(pk));
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 0xabcdefu);
	EXPECT_EQ(pk.type, ZX_PKT_TYPE_SIGNAL_ONE);
	EXPECT_OK(pk.status);
	EXPECT_EQ(pk.signal.trigger, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_1);
	EXPECT_EQ(pk.signal.observed, ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_4, "all of them, then");
	EXPECT_EQ(pk.signal.count, 1u);
	EXPECT_EQ(pk.signal.timestamp, 0u, "no timestamp asked for");
	EXPECT_EQ(pk.signal.reserved1, 0u);
	/* Once: a later change fires nothing. */
	ASSERT_OK(zx_object_signal(e, ZX_USER_SIGNAL_1, 0));
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	EXPECT_TRUE(port_empty(p));
	zx_handle_close_many((zx_handle_t[]){p, e}, 2);
}

TEST(WaitAsync, ALevelWaitOnAssertedSignalsFiresAtOnce)
{
	zx_handle_t p = new_port(), e = new_event();
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	ASSERT_OK(zx_object_wait_async(e, p, 3, ZX_EVENT_SIGNALED, 0));
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 3u);
	EXPECT_EQ(pk.signal.observed, ZX_EVENT_SIGNALED);
	zx_handle_close_many((zx_handle_t[]){p, e}, 2);
}

TEST(WaitAsync, AnEdgeWaitWaitsForASignalNewlySet)
{
	zx_handle_t p = new_port(), e = new_event();
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	ASSERT_OK(zx_object_wait_async(e, p, 4, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_EDGE));
	EXPECT_TRUE(port_empty(p), "already asserted is no edge");
	ASSERT_OK(zx_object_signal(e, 0, ZX_USER_SIGNAL_0));
	EXPECT_TRUE(port_empty(p), "another signal is no edge of this one");
	ASSERT_OK(zx_object_signal(e, ZX_EVENT_SIGNALED, 0));
	EXPECT_TRUE(port_empty(p));
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 4u);
	EXPECT_EQ(pk.signal.observed, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0);
	zx_handle_close_many((zx_handle_t[]){p, e}, 2);
}

TEST(WaitAsync, TimestampsAreTheMomentOfFiring)
{
	zx_handle_t p = new_port(), e = new_event();
	ASSERT_OK(zx_object_wait_async(e, p, 1, ZX_EVENT_SIGNALED, ZX_WAIT_ASYNC_TIMESTAMP));
	ASSERT_OK(zx_object_wait_async(e, p, 2, ZX_EVENT_SIGNALED,
				       ZX_WAIT_ASYNC_BOOT_TIMESTAMP | ZX_WAIT_ASYNC_EDGE));
	zx_nanosleep(zx_deadline_after(2 * MS));
	zx_instant_mono_t before = zx_clock_get_monotonic();
	zx_instant_boot_t before_boot = zx_clock_get_boot();
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	zx_instant_mono_t after = zx_clock_get_monotonic();
	zx_port_packet_t a, b;
	ASSERT_OK(zx_port_wait(p, 0, &a));
	ASSERT_OK(zx_port_wait(p, 0, &b));
	if (a.key == 1) {
		zx_port_packet_t t = a;
		a = b;
		b = t;
	}
	EXPECT_EQ(b.key, 1u);
	EXPECT_TRUE((zx_instant_mono_t)b.signal.timestamp >= before &&
			(zx_instant_mono_t)b.signal.timestamp <= after,
		    "%llu not in [%lld, %lld]", (unsigned long long)b.signal.timestamp,
		    (long long)before, (long long)after);
	EXPECT_TRUE((zx_instant_boot_t)a.signal.timestamp >= before_boot);
	zx_handle_close_many((zx_handle_t[]){p, e}, 2);
}

TEST(WaitAsync, ErrorsInZirconsOrder)
{
	zx_handle_t p = new_port(), e = new_event(), nowrite = dup_without(p, ZX_RIGHT_WRITE),
		    nowait = dup_without(e, ZX_RIGHT_WAIT);
	EXPECT_STATUS(zx_object_wait_async(e, p, 0, 1, 8), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_wait_async(e, p, 0, 1,
					   ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP),
		      ZX_ERR_INVALID_ARGS, "two clocks at once");
	EXPECT_STATUS(zx_object_wait_async(0x12345, 0x12345, 0, 1, 8), ZX_ERR_INVALID_ARGS,
		      "the options first");
	EXPECT_STATUS(zx_object_wait_async(0x12345, 0x54321, 0, 1, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_wait_async(0x12345, e, 0, 1, 0), ZX_ERR_WRONG_TYPE,
		      "the port before the handle");
	EXPECT_STATUS(zx_object_wait_async(0x12345, nowrite, 0, 1, 0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_wait_async(0x12345, p, 0, 1, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_wait_async(nowait, p, 0, 1, 0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_wait_async(p, p, 0, 1, 0), ZX_ERR_ACCESS_DENIED,
		      "a port lacks WAIT: it cannot watch itself");
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	EXPECT_TRUE(port_empty(p), "no failed call armed a wait");
	zx_handle_close_many((zx_handle_t[]){p, e, nowrite, nowait}, 4);
}

TEST(WaitAsync, EveryWaitableTypeDelivers)
{
	zx_handle_t p = new_port(), c0, c1, a, b, tm;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zx_eventpair_create(0, &a, &b));
	ASSERT_OK(zx_timer_create(0, ZX_CLOCK_MONOTONIC, &tm));
	zx_handle_t t = start_thread(signal_later, ZX_HANDLE_INVALID); /* ends at once */
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_wait_async(c1, p, 10, ZX_CHANNEL_READABLE, 0));
	ASSERT_OK(zx_object_wait_async(b, p, 11, ZX_EVENTPAIR_PEER_CLOSED, 0));
	ASSERT_OK(zx_object_wait_async(tm, p, 12, ZX_TIMER_SIGNALED, 0));
	ASSERT_OK(zx_object_wait_async(t, p, 13, ZX_THREAD_TERMINATED, 0));
	ASSERT_OK(zx_object_wait_async(c0, p, 14, ZX_CHANNEL_PEER_CLOSED, 0));
	ASSERT_OK(zx_channel_write(c0, 0, "x", 1, NULL, 0));
	ASSERT_OK(zx_handle_close(a));
	ASSERT_OK(zx_timer_set(tm, zx_deadline_after(3 * MS), 0));
	int seen[5] = {0};
	for (int i = 0; i < 4; i++) {
		zx_port_packet_t pk;
		ASSERT_OK(zx_port_wait(p, zx_deadline_after(10 * SEC), &pk));
		ASSERT_TRUE(pk.key >= 10 && pk.key <= 13, "key %llu", (unsigned long long)pk.key);
		seen[pk.key - 10]++;
		EXPECT_EQ(pk.type, ZX_PKT_TYPE_SIGNAL_ONE);
	}
	EXPECT_TRUE(port_empty(p), "c1 is still open");
	ASSERT_OK(zx_handle_close(c1));
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 14u);
	EXPECT_TRUE(pk.signal.observed & ZX_CHANNEL_PEER_CLOSED);
	seen[4]++;
	for (int i = 0; i < 5; i++)
		EXPECT_EQ(seen[i], 1, "key %d", 10 + i);
	zx_handle_close_many((zx_handle_t[]){p, c0, b, tm, t}, 5);
}

/* Take every packet queued now: count them, and each key 0..n-1 in seen[]. */
static int drain(zx_handle_t p, uint8_t *seen, int n, int *bad)
{
	zx_port_packet_t pk;
	int got = 0;
	while (zx_port_wait(p, 0, &pk) == ZX_OK) {
		if (pk.key < (uint64_t)n && pk.type == ZX_PKT_TYPE_SIGNAL_ONE)
			seen[pk.key]++;
		else
			(*bad)++;
		got++;
	}
	return got;
}

TEST(WaitAsync, ThousandsOfWaitsOnOnePortLoseAndRepeatNothing)
{
	/* 5,000 waits: 25 on each of 200 events (a table holds 256 handles). */
	enum { EVENTS = 200, PER = 25, N = EVENTS * PER };
	static zx_handle_t ev[EVENTS];
	static uint8_t seen[N];
	zx_handle_t p = new_port();
	for (int i = 0; i < EVENTS; i++) {
		ASSERT_OK(zx_event_create(0, &ev[i]));
		for (int j = 0; j < PER; j++)
			ASSERT_OK(zx_object_wait_async(ev[i], p, (uint64_t)(i * PER + j),
						       ZX_EVENT_SIGNALED, 0));
	}
	/* Half signalled before the draining starts, half between drains. */
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < EVENTS; i += 2)
		ASSERT_OK(zx_object_signal(ev[i], 0, ZX_EVENT_SIGNALED));
	int got = 0, bad = 0;
	for (int i = 1; i < EVENTS; i += 2) {
		ASSERT_OK(zx_object_signal(ev[i], 0, ZX_EVENT_SIGNALED));
		if (i % 16 == 1)
			got += drain(p, seen, N, &bad);
	}
	got += drain(p, seen, N, &bad);
	EXPECT_EQ(got, N);
	EXPECT_EQ(bad, 0);
	int wrong = 0;
	for (int i = 0; i < N; i++)
		wrong += seen[i] != 1;
	EXPECT_EQ(wrong, 0, "every key exactly once");
	/* Fired waits are gone: signalling again delivers nothing. */
	for (int i = 0; i < EVENTS; i++) {
		zx_object_signal(ev[i], ZX_EVENT_SIGNALED, 0);
		zx_object_signal(ev[i], 0, ZX_EVENT_SIGNALED);
	}
	EXPECT_TRUE(port_empty(p));
	zx_handle_close_many(ev, EVENTS);
	zx_handle_close(p);
}

TEST(WaitAsync, ClosingTheWatchedHandleEndsTheWaitButNotItsPacket)
{
	zx_handle_t p = new_port(), e = new_event(), e2;
	ASSERT_OK(zx_handle_duplicate(e, ZX_RIGHT_SAME_RIGHTS, &e2));
	ASSERT_OK(zx_object_wait_async(e, p, 1, ZX_EVENT_SIGNALED, 0));
	ASSERT_OK(zx_object_wait_async(e2, p, 2, ZX_USER_SIGNAL_0, 0));
	ASSERT_OK(zx_handle_close(e));
	ASSERT_OK(zx_object_signal(e2, 0, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_0));
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 2u, "the other handle's wait is still there");
	EXPECT_TRUE(port_empty(p), "the closed handle's wait is gone");
	/* A packet already queued outlives the handle. */
	ASSERT_OK(zx_object_wait_async(e2, p, 3, ZX_USER_SIGNAL_0, 0));
	ASSERT_OK(zx_handle_close(e2));
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 3u);
	zx_handle_close(p);
}

TEST(WaitAsync, SendingTheWatchedHandleEndsTheWait)
{
	zx_handle_t p = new_port(), e = new_event(), c0, c1, back;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zx_object_wait_async(e, p, 1, ZX_EVENT_SIGNALED, 0));
	ASSERT_OK(zx_channel_write(c0, 0, NULL, 0, &e, 1));
	uint32_t nb, nh;
	ASSERT_OK(zx_channel_read(c1, 0, NULL, &back, 0, 1, &nb, &nh));
	ASSERT_OK(zx_object_signal(back, 0, ZX_EVENT_SIGNALED));
	EXPECT_TRUE(port_empty(p), "the wait went with the handle that left");
	zx_handle_close_many((zx_handle_t[]){p, c0, c1, back}, 4);
}

TEST(WaitAsync, APortClosedWithArmedWaitsLeavesTheObjectsWorking)
{
	zx_handle_t e = new_event(), p = new_port(), c0, c1;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	for (int i = 0; i < 10; i++) {
		ASSERT_OK(zx_object_wait_async(e, p, i, ZX_EVENT_SIGNALED, 0));
		ASSERT_OK(zx_object_wait_async(c1, p, i, ZX_CHANNEL_READABLE, ZX_WAIT_ASYNC_EDGE));
	}
	zx_port_packet_t queued = {.key = 1};
	ASSERT_OK(zx_port_queue(p, &queued));
	ASSERT_OK(zx_handle_close(p));
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED));
	ASSERT_OK(zx_channel_write(c0, 0, "y", 1, NULL, 0));
	EXPECT_EQ(signals_of(e), ZX_EVENT_SIGNALED);
	EXPECT_TRUE(signals_of(c1) & ZX_CHANNEL_READABLE);
	/* And a new port on the same objects works. */
	p = new_port();
	ASSERT_OK(zx_object_wait_async(e, p, 5, ZX_EVENT_SIGNALED, 0));
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 5u);
	zx_handle_close_many((zx_handle_t[]){e, p, c0, c1}, 4);
}

TEST(WaitAsync, TooManyArmedWaitsIsNoResources)
{
	zx_handle_t p = new_port(), e = new_event();
	int armed = 0;
	zx_status_t st;
	while ((st = zx_object_wait_async(e, p, armed, ZX_EVENT_SIGNALED, 0)) == ZX_OK &&
	       armed < 60000)
		armed++;
	EXPECT_STATUS(st, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(armed, 50000);
	ASSERT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED)); /* all fire: none armed now */
	EXPECT_OK(zx_object_wait_async(e, p, 0, ZX_USER_SIGNAL_0, 0));
	zx_handle_close_many((zx_handle_t[]){p, e}, 2); /* 50,000 queued packets go with it */
}

/* ---- zx_port_cancel ------------------------------------------------------------- */

TEST(PortCancel, EndsArmedWaitsAndDropsQueuedPacketsOfThatKeyAndHandle)
{
	zx_handle_t p = new_port(), e = new_event(), e2;
	ASSERT_OK(zx_handle_duplicate(e, ZX_RIGHT_SAME_RIGHTS, &e2));
	ASSERT_OK(zx_object_wait_async(e, p, 1, ZX_USER_SIGNAL_0, 0));	/* will be queued */
	ASSERT_OK(zx_object_wait_async(e, p, 1, ZX_USER_SIGNAL_1, 0));	/* stays armed */
	ASSERT_OK(zx_object_wait_async(e, p, 2, ZX_USER_SIGNAL_0, 0));	/* another key */
	ASSERT_OK(zx_object_wait_async(e2, p, 1, ZX_USER_SIGNAL_0, 0)); /* another handle */
	zx_port_packet_t user = {.key = 1};
	ASSERT_OK(zx_port_queue(p, &user)); /* a user packet of the same key */
	ASSERT_OK(zx_object_signal(e, 0, ZX_USER_SIGNAL_0));
	EXPECT_OK(zx_port_cancel(p, e, 1));
	EXPECT_STATUS(zx_port_cancel(p, e, 1), ZX_ERR_NOT_FOUND, "nothing left to cancel");
	ASSERT_OK(zx_object_signal(e, 0, ZX_USER_SIGNAL_1));
	uint64_t keys[8];
	int n = 0;
	zx_port_packet_t pk;
	while (n < 8 && zx_port_wait(p, 0, &pk) == ZX_OK)
		keys[n++] = pk.key * 10 + pk.type;
	ASSERT_EQ(n, 3);
	EXPECT_EQ(keys[0], 1u * 10 + ZX_PKT_TYPE_USER, "user packets are not a wait's");
	EXPECT_EQ(keys[1] + keys[2], (2u * 10 + 1) + (1u * 10 + 1), "e's key 2 and e2's key 1");
	zx_handle_close_many((zx_handle_t[]){p, e, e2}, 3);
}

TEST(PortCancel, ErrorsInZirconsOrder)
{
	zx_handle_t p = new_port(), e = new_event(), nowrite = dup_without(p, ZX_RIGHT_WRITE),
		    nowait = dup_without(e, ZX_RIGHT_WAIT);
	EXPECT_STATUS(zx_port_cancel(0x12345, 0x12345, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_port_cancel(e, 0x12345, 0), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_port_cancel(nowrite, 0x12345, 0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_port_cancel(p, 0x12345, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_port_cancel(p, nowait, 0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_port_cancel(p, e, 0), ZX_ERR_NOT_FOUND);
	zx_handle_close_many((zx_handle_t[]){p, e, nowrite, nowait}, 4);
}

/* ---- timers through a port -------------------------------------------------------- */

TEST(PortTimers, PastNearAndFarDeadlinesArriveInTheirOrder)
{
	zx_handle_t p = new_port(), t[3];
	for (int i = 0; i < 3; i++) {
		ASSERT_OK(zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t[i]));
		ASSERT_OK(
		    zx_object_wait_async(t[i], p, i, ZX_TIMER_SIGNALED, ZX_WAIT_ASYNC_TIMESTAMP));
	}
	zx_instant_mono_t now = zx_clock_get_monotonic();
	ASSERT_OK(zx_timer_set(t[2], now + 60 * SEC, 0)); /* far: never in this test */
	ASSERT_OK(zx_timer_set(t[1], now + 20 * MS, 0));  /* near */
	ASSERT_OK(zx_timer_set(t[0], now - SEC, 0));	  /* past: at once */
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 0u);
	ASSERT_OK(zx_port_wait(p, zx_deadline_after(10 * SEC), &pk));
	EXPECT_EQ(pk.key, 1u);
	EXPECT_TRUE((zx_instant_mono_t)pk.signal.timestamp >= now + 20 * MS, "not early");
	EXPECT_STATUS(zx_port_wait(p, zx_deadline_after(30 * MS), &pk), ZX_ERR_TIMED_OUT);
	zx_handle_close_many(t, 3);
	zx_handle_close(p);
}
