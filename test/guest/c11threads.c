/*
 * c11threads.c: the SDK's <threads.h> (sdk/threads.c). Threads with their
 * own errno, join results, a contended mutex with exact counts, a
 * recursive and a timed mutex, condition variables handing work over,
 * call_once across threads, detached threads cleaned up later, thread-specific
 * storage with its destructors. Run with
 * -smp 1 and -smp 4.
 */
#include <errno.h>
#include <threads.h>
#include <zircon/syscalls/object.h>

#include "phys_util.h"

#define SEC 1000000000ll

static int add_errno(void *arg)
{
	errno = (int)(uintptr_t)arg; /* each thread's own */
	thrd_yield();
	return errno + 1;
}

TEST(Thrd, CreateJoinAndOwnErrno)
{
	thrd_t t[4];
	errno = 77;
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(thrd_create(&t[i], add_errno, (void *)(uintptr_t)(10 * i)), thrd_success);
	for (int i = 0; i < 4; i++) {
		int res = -1;
		EXPECT_EQ(thrd_join(t[i], &res), thrd_success);
		EXPECT_EQ(res, 10 * i + 1, "thread %d saw its own errno", i);
	}
	EXPECT_EQ(errno, 77, "and this thread's is untouched");
	EXPECT_TRUE(thrd_equal(thrd_current(), thrd_current()));
	EXPECT_EQ(thrd_join(thrd_current(), NULL), thrd_error, "no joining oneself");
}

static mtx_t counter_lock;
static uint64_t counter;

static int add_many(void *arg)
{
	for (uintptr_t i = 0; i < (uintptr_t)arg; i++) {
		mtx_lock(&counter_lock);
		counter++;
		mtx_unlock(&counter_lock);
	}
	return 0;
}

TEST(Mtx, ContendedCountsExactly)
{
	thrd_t t[4];
	counter = 0;
	ASSERT_EQ(mtx_init(&counter_lock, mtx_plain), thrd_success);
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(thrd_create(&t[i], add_many, (void *)20000), thrd_success);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(thrd_join(t[i], NULL), thrd_success);
	EXPECT_EQ(counter, 80000u);
	mtx_destroy(&counter_lock);
}

static int try_it(void *arg)
{
	return mtx_trylock(arg);
}

TEST(Mtx, RecursiveTryAndTimed)
{
	mtx_t m;
	thrd_t t;
	int res;
	ASSERT_EQ(mtx_init(&m, mtx_recursive | mtx_timed), thrd_success);
	EXPECT_EQ(mtx_lock(&m), thrd_success);
	EXPECT_EQ(mtx_lock(&m), thrd_success, "again, recursively");
	ASSERT_EQ(thrd_create(&t, try_it, &m), thrd_success);
	EXPECT_EQ(thrd_join(t, &res), thrd_success);
	EXPECT_EQ(res, thrd_busy, "held by another thread");
	EXPECT_EQ(mtx_unlock(&m), thrd_success);
	EXPECT_EQ(mtx_unlock(&m), thrd_success);
	EXPECT_EQ(mtx_unlock(&m), thrd_error, "not held");
	mtx_t p;
	ASSERT_EQ(mtx_init(&p, mtx_timed), thrd_success);
	EXPECT_EQ(mtx_lock(&p), thrd_success);
	ASSERT_EQ(thrd_create(&t, try_it, &p), thrd_success);
	EXPECT_EQ(thrd_join(t, &res), thrd_success);
	EXPECT_EQ(res, thrd_busy);
	zx_instant_mono_t soon = zx_deadline_after(SEC / 50);
	struct timespec ts = {soon / SEC, soon % SEC};
	EXPECT_EQ(mtx_timedlock(&m, &ts), thrd_success, "free: at once");
	EXPECT_EQ(mtx_unlock(&m), thrd_success);
	EXPECT_EQ(mtx_unlock(&p), thrd_success);
	EXPECT_EQ(mtx_init(&p, 0x100), thrd_error);
}

static mtx_t q_lock;
static cnd_t q_nonempty, q_done;
static int queue[16], q_len, consumed;

static int consumer(void *arg)
{
	(void)arg;
	int sum = 0;
	mtx_lock(&q_lock);
	for (;;) {
		while (q_len == 0)
			cnd_wait(&q_nonempty, &q_lock);
		int v = queue[--q_len];
		if (v < 0)
			break;
		sum += v;
		consumed++;
		cnd_signal(&q_done);
	}
	mtx_unlock(&q_lock);
	return sum;
}

TEST(Cnd, WorkHandedOverThroughConditionVariables)
{
	thrd_t c[2];
	mtx_init(&q_lock, mtx_plain);
	cnd_init(&q_nonempty);
	cnd_init(&q_done);
	q_len = consumed = 0;
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(thrd_create(&c[i], consumer, NULL), thrd_success);
	int expect = 0;
	for (int v = 1; v <= 200; v++) {
		mtx_lock(&q_lock);
		while (q_len == 16)
			cnd_wait(&q_done, &q_lock);
		queue[q_len++] = v;
		expect += v;
		cnd_signal(&q_nonempty);
		mtx_unlock(&q_lock);
	}
	mtx_lock(&q_lock);
	while (consumed < 200)
		cnd_wait(&q_done, &q_lock);
	queue[q_len++] = -1;
	queue[q_len++] = -1;
	cnd_broadcast(&q_nonempty);
	mtx_unlock(&q_lock);
	int sum = 0;
	for (int i = 0; i < 2; i++) {
		int res = 0;
		EXPECT_EQ(thrd_join(c[i], &res), thrd_success);
		sum += res;
	}
	EXPECT_EQ(sum, expect, "every item consumed once");
	zx_instant_mono_t soon = zx_deadline_after(SEC / 50);
	struct timespec ts = {soon / SEC, soon % SEC};
	mtx_lock(&q_lock);
	EXPECT_EQ(cnd_timedwait(&q_nonempty, &q_lock, &ts), thrd_timedout);
	mtx_unlock(&q_lock);
}

static once_flag once = ONCE_FLAG_INIT;
static int once_runs;

static void init_once(void)
{
	once_runs++;
	thrd_yield();
}

static int call_it(void *arg)
{
	(void)arg;
	call_once(&once, init_once);
	return once_runs;
}

TEST(Once, RunsOnceAcrossThreads)
{
	thrd_t t[4];
	for (int i = 0; i < 4; i++)
		ASSERT_EQ(thrd_create(&t[i], call_it, NULL), thrd_success);
	for (int i = 0; i < 4; i++) {
		int res = 0;
		EXPECT_EQ(thrd_join(t[i], &res), thrd_success);
		EXPECT_EQ(res, 1, "every caller returns after it ran");
	}
	EXPECT_EQ(once_runs, 1);
}

static int quick(void *arg)
{
	(void)arg;
	return 0;
}

/* A thread created and joined: it frees what ended detached threads left. */
static void create_and_join(void)
{
	thrd_t t;
	zx_nanosleep(zx_deadline_after(SEC / 50)); /* the detached ones have ended */
	if (thrd_create(&t, quick, NULL) == thrd_success)
		thrd_join(t, NULL);
}

TEST(Thrd, DetachedThreadsAreCleanedUp)
{
	zx_info_kmem_stats_v1_t before = {0}, after = {0};
	thrd_t t;
	ASSERT_EQ(thrd_create(&t, quick, NULL), thrd_success);
	ASSERT_EQ(thrd_detach(t), thrd_success);
	create_and_join(); /* warm: the kernel's stack pool has what it needs */
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &before, sizeof(before), NULL,
			   NULL);
	for (int round = 0; round < 50; round++) {
		ASSERT_EQ(thrd_create(&t, quick, NULL), thrd_success);
		ASSERT_EQ(thrd_detach(t), thrd_success);
		EXPECT_EQ(thrd_detach(t), thrd_error, "once");
		zx_nanosleep(zx_deadline_after(SEC / 500));
	}
	create_and_join();
	zx_nanosleep(zx_deadline_after(SEC / 50)); /* the joined thread is reaped */
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &after, sizeof(after), NULL,
			   NULL);
	EXPECT_EQ(after.free_bytes, before.free_bytes, "no stack or TLS block left behind");
}

/* ---- tss ------------------------------------------------------------------ */

static tss_t key;
static int dtor_calls;
static uintptr_t dtor_sum;

static void count_dtor(void *v)
{
	__atomic_add_fetch(&dtor_calls, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&dtor_sum, (uintptr_t)v, __ATOMIC_RELAXED);
}

static int own_value(void *arg)
{
	if (tss_get(key) != NULL)
		return 1; /* a new thread starts with no value */
	if (tss_set(key, arg) != thrd_success)
		return 2;
	thrd_yield();
	return tss_get(key) == arg ? 0 : 3; /* its own, whatever the others set */
}

TEST(Tss, EachThreadHasItsOwnValueAndItsDestructorRuns)
{
	thrd_t t[4];
	int r;
	dtor_calls = 0;
	dtor_sum = 0;
	ASSERT_EQ(tss_create(&key, count_dtor), thrd_success);
	EXPECT_EQ(tss_get(key), NULL);
	ASSERT_EQ(tss_set(key, (void *)0x1000), thrd_success);
	for (uintptr_t i = 0; i < 4; i++)
		ASSERT_EQ(thrd_create(&t[i], own_value, (void *)(i + 1)), thrd_success);
	for (int i = 0; i < 4; i++) {
		ASSERT_EQ(thrd_join(t[i], &r), thrd_success);
		EXPECT_EQ(r, 0, "thread %d", i);
	}
	EXPECT_EQ(dtor_calls, 4, "one destructor call per ending thread");
	EXPECT_EQ(dtor_sum, 1u + 2 + 3 + 4, "with that thread's value");
	EXPECT_EQ(tss_get(key), (void *)0x1000, "the first thread's value is untouched");
	tss_delete(key);
	EXPECT_EQ(tss_get(key), NULL, "a deleted key names nothing");
	EXPECT_EQ(tss_set(key, (void *)1), thrd_error);
	tss_t again;
	ASSERT_EQ(tss_create(&again, NULL), thrd_success);
	EXPECT_EQ(tss_get(again), NULL, "a new key in the old slot starts empty");
	tss_delete(again);
}

TEST(Tss, KeysRunOut)
{
	tss_t keys[64];
	int n = 0;
	while (n < 64 && tss_create(&keys[n], NULL) == thrd_success)
		n++;
	EXPECT_EQ(n, 64, "64 keys at once");
	tss_t more;
	EXPECT_EQ(tss_create(&more, NULL), thrd_error);
	for (int i = 0; i < n; i++)
		tss_delete(keys[i]);
	EXPECT_EQ(tss_create(&more, NULL), thrd_success);
	tss_delete(more);
}
