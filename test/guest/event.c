/*
 * event.c: zx_event_create, zx_eventpair_create, zx_object_signal_peer and
 * zx_object_wait_many: the signals each object may carry, rights, every
 * documented error in Zircon's order, PEER_CLOSED, waits across object
 * types, and waits on another thread woken through a peer or cancelled.
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define SEC 1000000000ll

TEST(Event, CreateSignalAndWait)
{
	zx_handle_t e = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_event_create(0, &e));
	zx_info_handle_basic_t b = handle_basic(e);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_EVENT);
	EXPECT_EQ(b.rights, ZX_DEFAULT_EVENT_RIGHTS);
	EXPECT_EQ(b.related_koid, 0u);
	EXPECT_EQ(signals_of(e), 0u);
	EXPECT_OK(zx_object_signal(e, 0, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_3));
	zx_signals_t seen = 0;
	EXPECT_OK(zx_object_wait_one(e, ZX_EVENT_SIGNALED, 0, &seen));
	EXPECT_EQ(seen, ZX_EVENT_SIGNALED | ZX_USER_SIGNAL_3);
	EXPECT_OK(zx_object_signal(e, ZX_EVENT_SIGNALED, 0));
	EXPECT_EQ(signals_of(e), ZX_USER_SIGNAL_3);
	EXPECT_STATUS(zx_object_signal(e, 0, ZX_EVENTPAIR_PEER_CLOSED), ZX_ERR_INVALID_ARGS,
		      "not a signal an event carries");
	EXPECT_STATUS(zx_object_signal_peer(e, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED,
		      "an event's handle has no SIGNAL_PEER");
	EXPECT_OK(zx_handle_close(e));
}

TEST(Event, CreateErrors)
{
	zx_handle_t e = 0x77;
	EXPECT_STATUS(zx_event_create(1, &e), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(e, 0x77u);
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_event_create(0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_event_create(0, (zx_handle_t *)0x10), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots, "a failed create left a handle");
}

TEST(Eventpair, PeersSignalEachOtherAndLearnOfAClose)
{
	zx_handle_t a, b;
	ASSERT_OK(zx_eventpair_create(0, &a, &b));
	zx_info_handle_basic_t ia = handle_basic(a), ib = handle_basic(b);
	EXPECT_EQ(ia.type, ZX_OBJ_TYPE_EVENTPAIR);
	EXPECT_EQ(ia.rights, ZX_DEFAULT_EVENTPAIR_RIGHTS);
	EXPECT_EQ(ia.related_koid, ib.koid);
	EXPECT_EQ(ib.related_koid, ia.koid);
	EXPECT_OK(zx_object_signal_peer(a, 0, ZX_EVENTPAIR_SIGNALED | ZX_USER_SIGNAL_1));
	EXPECT_EQ(signals_of(b), ZX_EVENTPAIR_SIGNALED | ZX_USER_SIGNAL_1);
	EXPECT_EQ(signals_of(a), 0u, "the peer's, not its own");
	EXPECT_OK(zx_object_signal_peer(a, ZX_USER_SIGNAL_1, 0));
	EXPECT_EQ(signals_of(b), ZX_EVENTPAIR_SIGNALED);
	EXPECT_OK(zx_object_signal(b, 0, ZX_USER_SIGNAL_7));
	EXPECT_EQ(signals_of(b), ZX_EVENTPAIR_SIGNALED | ZX_USER_SIGNAL_7);
	EXPECT_OK(zx_handle_close(a));
	EXPECT_EQ(signals_of(b),
		  ZX_EVENTPAIR_SIGNALED | ZX_USER_SIGNAL_7 | ZX_EVENTPAIR_PEER_CLOSED);
	EXPECT_EQ(handle_basic(b).related_koid, ia.koid, "kept after the peer is gone");
	EXPECT_STATUS(zx_object_signal_peer(b, 0, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
	EXPECT_STATUS(zx_object_signal(b, 0, ZX_EVENTPAIR_PEER_CLOSED), ZX_ERR_INVALID_ARGS,
		      "PEER_CLOSED is the kernel's to set");
	EXPECT_OK(zx_handle_close(b));
}

TEST(Eventpair, CreateErrors)
{
	zx_handle_t a = 0x77, b = 0x77;
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_eventpair_create(1, &a, &b), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_eventpair_create(0, &a, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_eventpair_create(0, NULL, &b), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(a, 0x77u);
	EXPECT_EQ(b, 0x77u);
	EXPECT_EQ(free_handle_slots(), slots, "both or neither");
}

TEST(Event, AFullHandleTableIsNoResources)
{
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	zx_handle_t e = 0x77, a = 0x77, b = 0x77;
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 1, "filled with %d", n);
	zx_status_t st_event = zx_event_create(0, &e);
	zx_handle_close(hs[--n]); /* one slot free: an eventpair needs two */
	zx_status_t st_pair = zx_eventpair_create(0, &a, &b);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_STATUS(st_event, ZX_ERR_NO_RESOURCES);
	EXPECT_STATUS(st_pair, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(e, 0x77u);
	EXPECT_EQ(a, 0x77u);
	EXPECT_EQ(b, 0x77u);
}

/* Zircon's order: handle, SIGNAL_PEER, the masks, the peer. */
TEST(SignalPeer, ErrorsInZirconsOrder)
{
	zx_handle_t a, b, weak, v = new_vmo(PAGE);
	ASSERT_OK(zx_eventpair_create(0, &a, &b));
	EXPECT_STATUS(zx_object_signal_peer(0x12345, 0, 0), ZX_ERR_BAD_HANDLE);
	ASSERT_OK(zx_handle_duplicate(a, ZX_RIGHT_SIGNAL, &weak));
	EXPECT_STATUS(zx_object_signal_peer(weak, 0, 1u << 10), ZX_ERR_ACCESS_DENIED,
		      "rights before the masks");
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_STATUS(zx_object_signal_peer(v, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED,
		      "a VMO's handle has no SIGNAL_PEER");
	EXPECT_STATUS(zx_object_signal_peer(a, 0, ZX_EVENTPAIR_PEER_CLOSED), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_signal_peer(a, ZX_EVENT_SIGNALED << 1, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_handle_close(b));
	EXPECT_STATUS(zx_object_signal_peer(a, 0, 1u << 10), ZX_ERR_INVALID_ARGS,
		      "the masks before the peer");
	EXPECT_STATUS(zx_object_signal_peer(a, 0, ZX_USER_SIGNAL_0), ZX_ERR_PEER_CLOSED);
	EXPECT_OK(zx_handle_close(a));
	EXPECT_OK(zx_handle_close(v));
}

TEST(SignalPeer, OnAChannelSetsThePeersUserSignals)
{
	zx_handle_t c0, c1;
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	EXPECT_OK(zx_object_signal_peer(c0, 0, ZX_USER_SIGNAL_2));
	EXPECT_TRUE(signals_of(c1) & ZX_USER_SIGNAL_2);
	EXPECT_FALSE(signals_of(c0) & ZX_USER_SIGNAL_2);
	EXPECT_STATUS(zx_object_signal_peer(c0, 0, ZX_CHANNEL_READABLE), ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_handle_close(c1));
	EXPECT_STATUS(zx_object_signal_peer(c0, 0, ZX_USER_SIGNAL_2), ZX_ERR_PEER_CLOSED);
	EXPECT_OK(zx_handle_close(c0));
}

static zx_handle_t waiting_on;
static volatile zx_status_t woke = 1;

static void waiter(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1;
	(void)unused2;
	woke = zx_object_wait_one(waiting_on, ZX_EVENTPAIR_SIGNALED, zx_deadline_after(10 * SEC),
				  NULL);
	zx_thread_exit();
}

TEST(Eventpair, APeerSignalWakesAWaiterOnAnotherThread)
{
	zx_handle_t a, t, stack_vmo = new_vmo(16 * PAGE);
	zx_vaddr_t stack;
	ASSERT_OK(zx_eventpair_create(0, &a, &waiting_on));
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, stack_vmo, 0, 16 * PAGE, &stack));
	ASSERT_OK(zx_thread_create(zx_process_self(), "waiter", 6, 0, &t));
	ASSERT_OK(zx_thread_start(t, (zx_vaddr_t)waiter, stack + 16 * PAGE, 0, 0));
	for (zx_time_t end = zx_deadline_after(5 * SEC);
	     thread_info(t).state != ZX_THREAD_STATE_BLOCKED_WAIT_ONE &&
	     zx_clock_get_monotonic() < end;)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	EXPECT_OK(zx_object_signal_peer(a, 0, ZX_EVENTPAIR_SIGNALED));
	ASSERT_OK(zx_object_wait_one(t, ZX_THREAD_TERMINATED, zx_deadline_after(10 * SEC), NULL));
	EXPECT_OK(woke);
	zx_handle_close_many((zx_handle_t[]){a, waiting_on, t, stack_vmo}, 4);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), stack, 16 * PAGE));
}

/* ---- zx_object_wait_many ------------------------------------------------------- */

TEST(WaitMany, MixesObjectTypesAndReportsEverySignalState)
{
	zx_handle_t e, a, b, t, c0, c1;
	ASSERT_OK(zx_event_create(0, &e));
	ASSERT_OK(zx_eventpair_create(0, &a, &b));
	ASSERT_OK(zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t));
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	zx_wait_item_t it[5] = {
	    {e, ZX_EVENT_SIGNALED, 0x77}, {b, ZX_EVENTPAIR_SIGNALED, 0x77},
	    {t, ZX_TIMER_SIGNALED, 0x77}, {c0, ZX_CHANNEL_READABLE, 0x77},
	    {e, ZX_USER_SIGNAL_0, 0x77}, /* an object twice is fine */
	};
	zx_instant_mono_t deadline = zx_deadline_after(30 * 1000 * 1000);
	EXPECT_STATUS(zx_object_wait_many(it, 5, deadline), ZX_ERR_TIMED_OUT);
	EXPECT_TRUE(zx_clock_get_monotonic() >= deadline);
	EXPECT_EQ(it[0].pending, 0u, "written on a timeout too");
	EXPECT_EQ(it[3].pending, ZX_CHANNEL_WRITABLE);
	/* Already asserted: at once. */
	ASSERT_OK(zx_object_signal_peer(a, 0, ZX_EVENTPAIR_SIGNALED));
	EXPECT_OK(zx_object_wait_many(it, 5, ZX_TIME_INFINITE));
	EXPECT_EQ(it[1].pending, ZX_EVENTPAIR_SIGNALED);
	EXPECT_EQ(it[0].pending, 0u);
	ASSERT_OK(zx_object_signal_peer(a, ZX_EVENTPAIR_SIGNALED, 0));
	/* A timer firing during the wait ends it. */
	ASSERT_OK(zx_timer_set(t, zx_deadline_after(20 * 1000 * 1000), 0));
	EXPECT_OK(zx_object_wait_many(it, 5, zx_deadline_after(10 * SEC)));
	EXPECT_EQ(it[2].pending, ZX_TIMER_SIGNALED);
	/* So does a message. */
	ASSERT_OK(zx_timer_cancel(t));
	ASSERT_OK(zx_channel_write(c1, 0, "m", 1, NULL, 0));
	EXPECT_OK(zx_object_wait_many(it, 4, ZX_TIME_INFINITE));
	EXPECT_EQ(it[3].pending, ZX_CHANNEL_WRITABLE | ZX_CHANNEL_READABLE);
	zx_handle_close_many((zx_handle_t[]){e, a, b, t, c0, c1}, 6);
}

TEST(WaitMany, NoItemsSleepsToTheDeadline)
{
	zx_instant_mono_t deadline = zx_deadline_after(20 * 1000 * 1000);
	EXPECT_STATUS(zx_object_wait_many(NULL, 0, deadline), ZX_ERR_TIMED_OUT);
	EXPECT_TRUE(zx_clock_get_monotonic() >= deadline);
	EXPECT_STATUS(zx_object_wait_many(NULL, 0, 0), ZX_ERR_TIMED_OUT);
}

/* Zircon's order: the count, the items, each handle and WAIT in turn. */
TEST(WaitMany, ErrorsInZirconsOrder)
{
	zx_handle_t e, nowait;
	ASSERT_OK(zx_event_create(0, &e));
	ASSERT_OK(zx_handle_duplicate(e, ZX_RIGHT_DUPLICATE, &nowait));
	static zx_wait_item_t many[ZX_WAIT_MANY_MAX_ITEMS + 1];
	EXPECT_STATUS(zx_object_wait_many(many, ZX_WAIT_MANY_MAX_ITEMS + 1, 0), ZX_ERR_OUT_OF_RANGE,
		      "before the items are read");
	EXPECT_STATUS(zx_object_wait_many((zx_wait_item_t *)0x10, 1, 0), ZX_ERR_INVALID_ARGS);
	zx_wait_item_t it[3] = {{e, ZX_EVENT_SIGNALED, 0x77},
				{0x12345, ZX_EVENT_SIGNALED, 0x77},
				{nowait, ZX_EVENT_SIGNALED, 0x77}};
	EXPECT_STATUS(zx_object_wait_many(it, 3, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(it[0].pending, 0x77u, "items are not written on an error");
	it[1].handle = nowait;
	EXPECT_STATUS(zx_object_wait_many(it, 2, 0), ZX_ERR_ACCESS_DENIED);
	/* Items that can be read but not written back: the wait happens, then INVALID_ARGS. */
	zx_handle_t ro = new_vmo(PAGE);
	zx_vaddr_t ro_at;
	zx_wait_item_t one = {e, ZX_EVENT_SIGNALED, 0};
	ASSERT_OK(zx_vmo_write(ro, &one, 0, sizeof(one)));
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, ro, 0, PAGE, &ro_at));
	EXPECT_STATUS(zx_object_wait_many((zx_wait_item_t *)ro_at, 1, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), ro_at, PAGE));
	EXPECT_OK(zx_handle_close(ro));
	for (size_t i = 0; i < ZX_WAIT_MANY_MAX_ITEMS; i++)
		many[i] = (zx_wait_item_t){e, ZX_EVENT_SIGNALED, 0};
	EXPECT_STATUS(zx_object_wait_many(many, ZX_WAIT_MANY_MAX_ITEMS, 0), ZX_ERR_TIMED_OUT,
		      "64 items at once");
	zx_handle_close_many((zx_handle_t[]){e, nowait}, 2);
}

static zx_handle_t closed_under;

static void wait_many_on(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1;
	(void)unused2;
	zx_wait_item_t it[2] = {{waiting_on, ZX_EVENTPAIR_SIGNALED, 0},
				{closed_under, ZX_EVENT_SIGNALED, 0}};
	woke = zx_object_wait_many(it, 2, zx_deadline_after(10 * SEC));
	zx_thread_exit();
}

static zx_status_t run_wait_many_then(zx_handle_t peer, bool close_instead)
{
	zx_handle_t t, stack_vmo = new_vmo(16 * PAGE);
	zx_vaddr_t stack;
	woke = 1;
	if (zx_vmar_map(zx_vmar_root_self(), RW, 0, stack_vmo, 0, 16 * PAGE, &stack) != ZX_OK ||
	    zx_thread_create(zx_process_self(), "many", 4, 0, &t) != ZX_OK ||
	    zx_thread_start(t, (zx_vaddr_t)wait_many_on, stack + 16 * PAGE, 0, 0) != ZX_OK)
		return ZX_ERR_INTERNAL;
	for (zx_time_t end = zx_deadline_after(5 * SEC);
	     thread_info(t).state != ZX_THREAD_STATE_BLOCKED_WAIT_MANY &&
	     zx_clock_get_monotonic() < end;)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	if (close_instead)
		zx_handle_close(closed_under);
	else
		zx_object_signal_peer(peer, 0, ZX_EVENTPAIR_SIGNALED);
	zx_object_wait_one(t, ZX_THREAD_TERMINATED, zx_deadline_after(10 * SEC), NULL);
	zx_handle_close_many((zx_handle_t[]){t, stack_vmo}, 2);
	zx_vmar_unmap(zx_vmar_root_self(), stack, 16 * PAGE);
	return woke;
}

TEST(WaitMany, WokenFromAnotherThreadOrCancelledByAClose)
{
	zx_handle_t a;
	ASSERT_OK(zx_eventpair_create(0, &a, &waiting_on));
	ASSERT_OK(zx_event_create(0, &closed_under));
	EXPECT_OK(run_wait_many_then(a, false));
	ASSERT_OK(zx_object_signal(waiting_on, ZX_EVENTPAIR_SIGNALED, 0));
	EXPECT_STATUS(run_wait_many_then(a, true), ZX_ERR_CANCELED,
		      "a handle of the list closed during the wait");
	zx_handle_close_many((zx_handle_t[]){a, waiting_on}, 2);
}
