/*
 * timer.c: zx_timer_create, zx_timer_set, zx_timer_cancel: ZX_TIMER_SIGNALED
 * at (never before) the deadline for past, near and far deadlines, reset and
 * cancel clearing it, many timers at once, a pending timer closed, and every
 * documented error in Zircon's order. Run with -smp 1 and -smp 4.
 */
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define MS  1000000ll
#define SEC 1000000000ll

static bool signaled(zx_handle_t t)
{
	return zx_object_wait_one(t, ZX_TIMER_SIGNALED, 0, NULL) == ZX_OK;
}

static zx_handle_t new_timer(void)
{
	zx_handle_t t = ZX_HANDLE_INVALID;
	zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
	return t;
}

TEST(Timer, CreateGivesAnUnsetTimer)
{
	for (uint32_t mode = ZX_TIMER_SLACK_CENTER; mode <= ZX_TIMER_SLACK_LATE; mode++) {
		zx_handle_t t = ZX_HANDLE_INVALID;
		ASSERT_OK(zx_timer_create(mode, ZX_CLOCK_MONOTONIC, &t), "mode %u", mode);
		zx_info_handle_basic_t b = handle_basic(t);
		EXPECT_EQ(b.type, ZX_OBJ_TYPE_TIMER);
		EXPECT_EQ(b.rights, ZX_DEFAULT_TIMER_RIGHTS);
		EXPECT_FALSE(signaled(t));
		EXPECT_OK(zx_object_signal(t, 0, ZX_USER_SIGNAL_0), "user signals are allowed");
		EXPECT_STATUS(zx_object_signal(t, 0, ZX_TIMER_SIGNALED), ZX_ERR_INVALID_ARGS,
			      "the timer's own signal is the kernel's");
		EXPECT_OK(zx_handle_close(t));
	}
}

TEST(Timer, CreateErrors)
{
	zx_handle_t t = 0x77;
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_timer_create(ZX_TIMER_SLACK_LATE + 1, ZX_CLOCK_MONOTONIC, &t),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_timer_create(0, ZX_CLOCK_BOOT, &t), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_timer_create(0, 7, &t), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_timer_create(0, ZX_CLOCK_MONOTONIC, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(t, 0x77u);
	EXPECT_EQ(free_handle_slots(), slots);
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	int n = fill_handle_table(hs);
	zx_status_t st = zx_timer_create(0, ZX_CLOCK_MONOTONIC, &t);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_STATUS(st, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(t, 0x77u);
}

TEST(Timer, PastDeadlinesSignalAtOnce)
{
	zx_handle_t t = new_timer();
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	EXPECT_OK(zx_timer_set(t, 0, 0));
	EXPECT_TRUE(signaled(t));
	EXPECT_OK(zx_timer_set(t, zx_clock_get_monotonic() - SEC, 0));
	EXPECT_TRUE(signaled(t));
	EXPECT_OK(zx_timer_cancel(t));
	EXPECT_FALSE(signaled(t), "cancel clears the signal");
	EXPECT_OK(zx_handle_close(t));
}

TEST(Timer, NearDeadlineFiresNotBefore)
{
	zx_handle_t t = new_timer();
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	for (int i = 0; i < 5; i++) {
		zx_instant_mono_t deadline = zx_deadline_after(20 * MS);
		EXPECT_OK(zx_timer_set(t, deadline, 5 * MS));
		bool early = signaled(t) && zx_clock_get_monotonic() < deadline;
		EXPECT_FALSE(early, "set clears the signal; it comes back only at the deadline");
		EXPECT_OK(zx_object_wait_one(t, ZX_TIMER_SIGNALED, deadline + 5 * SEC, NULL));
		EXPECT_TRUE(zx_clock_get_monotonic() >= deadline, "never before the deadline");
	}
	EXPECT_OK(zx_handle_close(t));
}

TEST(Timer, AResetOrCancelledTimerDoesNotFire)
{
	zx_handle_t t = new_timer();
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	EXPECT_OK(zx_timer_set(t, zx_deadline_after(30 * MS), 0));
	EXPECT_OK(zx_timer_set(t, zx_deadline_after(3600 * SEC), 0)); /* replaces it: far */
	EXPECT_STATUS(zx_object_wait_one(t, ZX_TIMER_SIGNALED, zx_deadline_after(80 * MS), NULL),
		      ZX_ERR_TIMED_OUT);
	EXPECT_OK(zx_timer_cancel(t));
	EXPECT_OK(zx_timer_cancel(t), "cancelling an unset timer is fine");
	EXPECT_STATUS(zx_object_wait_one(t, ZX_TIMER_SIGNALED, zx_deadline_after(30 * MS), NULL),
		      ZX_ERR_TIMED_OUT);
	EXPECT_OK(zx_handle_close(t));
}

TEST(Timer, ManyTimersAllFireInOrder)
{
	enum { N = 40 };
	zx_handle_t t[N];
	zx_instant_mono_t base = zx_deadline_after(20 * MS), deadline[N];
	for (int i = 0; i < N; i++) {
		ASSERT_NE((t[i] = new_timer()), ZX_HANDLE_INVALID);
		deadline[i] = base + (zx_instant_mono_t)((i * 7) % N) * MS; /* shuffled */
		ASSERT_OK(zx_timer_set(t[i], deadline[i], 0));
	}
	/* A pending timer that goes away must not disturb the others. */
	zx_handle_t doomed = new_timer();
	ASSERT_OK(zx_timer_set(doomed, base + 10 * MS, 0));
	EXPECT_OK(zx_handle_close(doomed));
	for (int i = 0; i < N; i++) {
		EXPECT_OK(zx_object_wait_one(t[i], ZX_TIMER_SIGNALED, base + 10 * SEC, NULL), "%d",
			  i);
		EXPECT_TRUE(zx_clock_get_monotonic() >= deadline[i]);
	}
	for (int i = 0; i < N; i++)
		EXPECT_OK(zx_handle_close(t[i]));
}

/* Zircon's order: the slack, then the handle: live, a timer, WRITE. */
TEST(Timer, SetAndCancelErrors)
{
	zx_handle_t t = new_timer(), weak, v = new_vmo(PAGE);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_timer_set(0x12345, 0, -1), ZX_ERR_OUT_OF_RANGE, "slack first");
	EXPECT_STATUS(zx_timer_set(0x12345, 0, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_timer_set(v, 0, 0), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(t, ZX_RIGHT_WAIT | ZX_RIGHT_DUPLICATE, &weak));
	EXPECT_STATUS(zx_timer_set(weak, 0, 0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_timer_cancel(0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_timer_cancel(v), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_timer_cancel(weak), ZX_ERR_ACCESS_DENIED);
	EXPECT_FALSE(signaled(t), "no failed call set it");
	zx_handle_close_many((zx_handle_t[]){t, weak, v}, 3);
}
