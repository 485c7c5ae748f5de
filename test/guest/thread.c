/*
 * thread.c: threads, futexes and starting processes. Threads of this
 * process run C functions on stacks from a VMO (they touch no libc: there
 * is no TLS yet); other processes run a few hand-assembled instructions
 * mapped into their address space. Runs with -smp 1 (then every switch
 * between two busy threads is a preemption) and with -smp 4 / 8.
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls/object.h>

#include "phys_util.h"

#define STACK_SIZE (16 * PAGE)
#define SEC	   1000000000ll

/* A thread stack: the top of a fresh mapping (the mapping stays until the test ends). */
static uintptr_t new_stack(void)
{
	zx_handle_t v = new_vmo(STACK_SIZE);
	zx_vaddr_t a = 0;
	if (zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, STACK_SIZE, &a) != ZX_OK)
		return 0;
	zx_handle_close(v);
	return a + STACK_SIZE;
}

static zx_handle_t new_thread(const char *name)
{
	zx_handle_t t = ZX_HANDLE_INVALID;
	zx_thread_create(zx_process_self(), name, strlen(name), 0, &t);
	return t;
}

static zx_status_t start(zx_handle_t t, void (*fn)(uintptr_t, uintptr_t), uintptr_t a1,
			 uintptr_t a2)
{
	return zx_thread_start(t, (zx_vaddr_t)fn, new_stack(), a1, a2);
}

static zx_status_t wait_terminated(zx_handle_t t, zx_time_t timeout)
{
	return zx_object_wait_one(t, ZX_THREAD_TERMINATED, zx_deadline_after(timeout), NULL);
}

/* ---------------------------------------------------------------- threads */

static volatile uintptr_t seen_a1, seen_a2, seen_sp;

static void record_args(uintptr_t a1, uintptr_t a2)
{
	uintptr_t sp;
	__asm__ volatile("mv %0, sp" : "=r"(sp));
	seen_a1 = a1;
	seen_a2 = a2;
	seen_sp = sp;
	zx_thread_exit();
}

TEST(Thread, RunsWithItsArgumentsAndEnds)
{
	zx_handle_t t = new_thread("worker");
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	zx_info_handle_basic_t b = handle_basic(t);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_THREAD);
	EXPECT_EQ(b.rights, ZX_DEFAULT_THREAD_RIGHTS);
	EXPECT_EQ(b.related_koid, koid_of(zx_process_self()));
	EXPECT_EQ(thread_info(t).state, ZX_THREAD_STATE_NEW);
	EXPECT_EQ(thread_stats(t).last_scheduled_cpu, ZX_INFO_INVALID_CPU, "never ran");
	char name[ZX_MAX_NAME_LEN] = {0};
	EXPECT_OK(zx_object_get_property(t, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "worker");
	uintptr_t top = new_stack();
	ASSERT_OK(zx_thread_start(t, (zx_vaddr_t)record_args, top, 0x1234, 0x5678));
	ASSERT_OK(wait_terminated(t, 5 * SEC));
	EXPECT_EQ(seen_a1, 0x1234u);
	EXPECT_EQ(seen_a2, 0x5678u);
	EXPECT_TRUE(seen_sp < top && seen_sp > top - 256, "sp started at the stack top");
	zx_info_thread_t i = thread_info(t);
	EXPECT_EQ(i.state, ZX_THREAD_STATE_DEAD);
	EXPECT_EQ(i.cpu_affinity_mask.mask[0], (1ul << zx_system_get_num_cpus()) - 1);
	EXPECT_TRUE(thread_stats(t).last_scheduled_cpu < zx_system_get_num_cpus());
	EXPECT_STATUS(zx_thread_start(t, (zx_vaddr_t)record_args, top, 0, 0), ZX_ERR_BAD_STATE,
		      "a thread starts once");
	EXPECT_OK(zx_handle_close(t));
}

static volatile zx_status_t wait_status = 1;

static void wait_for_signal(uintptr_t h, uintptr_t unused)
{
	(void)unused;
	wait_status = zx_object_wait_one((zx_handle_t)h, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, NULL);
	zx_thread_exit();
}

/* Wait (up to 5 s) until thread t is blocked in zx_object_wait_one. */
static bool blocked_in_wait(zx_handle_t t)
{
	for (zx_time_t end = zx_deadline_after(5 * SEC); zx_clock_get_monotonic() < end;) {
		if (thread_info(t).state == ZX_THREAD_STATE_BLOCKED_WAIT_ONE)
			return true;
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	}
	return false;
}

/* A wait ends with CANCELED when another thread closes the handle it waits through. */
TEST(Thread, ClosingTheHandleCancelsAWait)
{
	zx_handle_t v = new_vmo(PAGE), dup, t = new_thread("waiter");
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(start(t, wait_for_signal, v, 0));
	ASSERT_TRUE(blocked_in_wait(t));
	EXPECT_OK(zx_handle_close(dup));
	zx_nanosleep(zx_deadline_after(SEC / 20));
	EXPECT_EQ(wait_status, 1, "closing another handle to the object ended the wait");
	EXPECT_OK(zx_handle_close(v));
	ASSERT_OK(wait_terminated(t, 5 * SEC));
	EXPECT_STATUS(wait_status, ZX_ERR_CANCELED);
	EXPECT_OK(zx_handle_close(t));
	/* Replacing the handle takes the old value away too. */
	zx_handle_t w = new_vmo(PAGE), w2;
	wait_status = 1;
	ASSERT_NE((t = new_thread("waiter")), ZX_HANDLE_INVALID);
	ASSERT_OK(start(t, wait_for_signal, w, 0));
	ASSERT_TRUE(blocked_in_wait(t));
	EXPECT_OK(zx_handle_replace(w, ZX_RIGHT_SAME_RIGHTS, &w2));
	ASSERT_OK(wait_terminated(t, 5 * SEC));
	EXPECT_STATUS(wait_status, ZX_ERR_CANCELED);
	EXPECT_OK(zx_handle_close(w2));
	EXPECT_OK(zx_handle_close(t));
}

TEST(Thread, Errors)
{
	zx_handle_t t = 0x77, v = new_vmo(PAGE), weak;
	EXPECT_STATUS(zx_thread_create(zx_process_self(), "x", 1, 1, &t), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_thread_create(zx_process_self(), NULL, 0, 0, &t), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_thread_create(0x12345, "x", 1, 0, &t), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_thread_create(v, "x", 1, 0, &t), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_INSPECT, &weak));
	EXPECT_STATUS(zx_thread_create(weak, "x", 1, 0, &t), ZX_ERR_ACCESS_DENIED,
		      "needs MANAGE_THREAD");
	EXPECT_STATUS(zx_thread_create(zx_process_self(), "x", 1, 0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(t, 0x77u);
	t = new_thread("t");
	EXPECT_STATUS(zx_thread_start(0x12345, (zx_vaddr_t)record_args, new_stack(), 0, 0),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_thread_start(v, (zx_vaddr_t)record_args, new_stack(), 0, 0),
		      ZX_ERR_WRONG_TYPE);
	zx_handle_t tweak;
	ASSERT_OK(zx_handle_duplicate(t, ZX_RIGHT_INSPECT, &tweak));
	EXPECT_STATUS(zx_thread_start(tweak, (zx_vaddr_t)record_args, new_stack(), 0, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_thread_start(t, KERNEL_ADDR, new_stack(), 0, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_thread_start(t, 0, new_stack(), 0, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(thread_info(t).state, ZX_THREAD_STATE_NEW, "still startable");
	EXPECT_STATUS(zx_task_kill(t), ZX_ERR_WRONG_TYPE, "threads are not killed, as in Zircon");
	zx_handle_close_many((zx_handle_t[]){t, tweak, weak, v}, 4);
}

TEST(Thread, CreateChecksTheNameAndOutPointers)
{
	static zx_handle_t words[2];
	zx_handle_t self = zx_process_self(), t = 0x77, ro_vmo = new_vmo(PAGE);
	zx_vaddr_t ro = 0;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, ro_vmo, 0, PAGE, &ro));
	int slots = free_handle_slots();
	uint64_t heap = heap_used();
	EXPECT_STATUS(zx_thread_create(self, (const char *)UNMAPPED_ADDR, 4, 0, &t),
		      ZX_ERR_INVALID_ARGS, "an unreadable name");
	EXPECT_STATUS(zx_thread_create(self, (const char *)KERNEL_ADDR, 4, 0, &t),
		      ZX_ERR_INVALID_ARGS, "a name in the kernel");
	EXPECT_EQ(t, 0x77u);
	EXPECT_STATUS(zx_thread_create(self, "x", 1, 0, (zx_handle_t *)((char *)words + 2)),
		      ZX_ERR_INVALID_ARGS, "a misaligned out");
	EXPECT_STATUS(zx_thread_create(self, "x", 1, 0, (zx_handle_t *)KERNEL_ADDR),
		      ZX_ERR_INVALID_ARGS, "out in the kernel");
	EXPECT_STATUS(zx_thread_create(self, "x", 1, 0, (zx_handle_t *)PAST_USER_ADDR),
		      ZX_ERR_INVALID_ARGS, "out past user space");
	EXPECT_STATUS(zx_thread_create(self, "x", 1, 0, (zx_handle_t *)UNMAPPED_ADDR),
		      ZX_ERR_INVALID_ARGS, "out unmapped");
	EXPECT_STATUS(zx_thread_create(self, "x", 1, 0, (zx_handle_t *)ro), ZX_ERR_INVALID_ARGS,
		      "out read-only");
	EXPECT_EQ(heap_used(), heap, "no thread left behind");
	EXPECT_EQ(free_handle_slots(), slots, "and no handle: the one made is taken back");
	EXPECT_EQ(words[0], 0u);
	EXPECT_EQ(words[1], 0u);
	EXPECT_EQ(*(volatile zx_handle_t *)ro, 0u);
	/* no byte of the name is read when name_size is 0: only NULL is refused */
	EXPECT_OK(zx_thread_create(self, (const char *)UNMAPPED_ADDR, 0, 0, &t));
	char name[ZX_MAX_NAME_LEN] = {1};
	EXPECT_OK(zx_object_get_property(t, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "");
	EXPECT_OK(zx_handle_close(t));
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), ro, PAGE));
	EXPECT_OK(zx_handle_close(ro_vmo));
}

TEST(Thread, CreateWithAFullHandleTable)
{
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	zx_handle_t t = 0x77;
	uint64_t heap = heap_used();
	int n = fill_handle_table(hs);
	zx_status_t st = zx_thread_create(zx_process_self(), "full", 4, 0, &t);
	EXPECT_OK(release_handle_table(hs, n));
	ASSERT_TRUE(n > 0, "filled with %d", n);
	EXPECT_STATUS(st, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(t, 0x77u);
	EXPECT_EQ(heap_used(), heap, "the thread is gone again");
	t = new_thread("again");
	EXPECT_NE(t, ZX_HANDLE_INVALID, "room again");
	zx_handle_close(t);
}

/* ------------------------------------------------------ preemption, harts */

static volatile uint64_t spins[8];
static volatile int stop_spinning;

static void spin(uintptr_t slot, uintptr_t unused)
{
	(void)unused;
	while (!stop_spinning)
		spins[slot]++;
	zx_thread_exit();
}

TEST(Thread, ABusyThreadIsPreempted)
{
	stop_spinning = 0;
	spins[0] = 0;
	zx_handle_t t = new_thread("spinner");
	ASSERT_OK(start(t, spin, 0, 0));
	/* Never yields: with one hart only the timer gets this thread back on it. */
	zx_time_t end = zx_deadline_after(SEC / 5);
	uint64_t mine = 0;
	while (zx_clock_get_monotonic() < end)
		mine++;
	uint64_t theirs = spins[0];
	stop_spinning = 1;
	ASSERT_OK(wait_terminated(t, 5 * SEC));
	EXPECT_TRUE(mine > 1000 && theirs > 1000, "both ran: %lu and %lu", mine, theirs);
	EXPECT_TRUE(thread_stats(t).total_runtime > 0);
	zx_handle_close(t);
}

/* Open while the spinners should look at where they run. */
static volatile int window;
static volatile uint64_t cpus_seen[8];

/*
 * Spin, noting which harts this thread runs on while the window is open.
 * It asks only now and then: every syscall takes the kernel lock, which
 * is not fair (kernel/sched.h), and eight harts asking all the time can
 * keep one of them waiting for it for a long while.
 */
static void spin_and_look(uintptr_t slot, uintptr_t self)
{
	for (uint64_t i = 0; !stop_spinning; i++) {
		spins[slot]++;
		zx_info_thread_stats_t st;
		if ((i & 0xffff) == 0 && window &&
		    zx_object_get_info((zx_handle_t)self, ZX_INFO_THREAD_STATS, &st, sizeof(st),
				       NULL, NULL) == ZX_OK)
			cpus_seen[slot] |= 1ul << st.last_scheduled_cpu;
	}
	zx_thread_exit();
}

/* Has every thread looked, and has every hart been seen running one of them? */
static bool all_looked(uint32_t n)
{
	uint64_t harts = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!cpus_seen[i])
			return false;
		harts |= cpus_seen[i];
	}
	return harts == (1ul << n) - 1;
}

TEST(Thread, BusyThreadsSpreadOverTheHarts)
{
	uint32_t n = zx_system_get_num_cpus();
	ASSERT_TRUE(n >= 1 && n <= 8);
	zx_handle_t t[8];
	stop_spinning = 0;
	window = 0;
	for (uint32_t i = 0; i < n; i++) {
		spins[i] = 0;
		cpus_seen[i] = 0;
		t[i] = new_thread("busy");
		ASSERT_OK(start(t[i], spin_and_look, i, t[i]));
	}
	/*
	 * While this thread sleeps the n busy threads have the n harts to
	 * themselves; it wakes now and then to see whether each has looked.
	 */
	window = 1;
	for (int i = 0; i < 100 && !all_looked(n); i++)
		zx_nanosleep(zx_deadline_after(SEC / 10));
	window = 0;
	stop_spinning = 1;
	uint64_t all = 0;
	for (uint32_t i = 0; i < n; i++) {
		EXPECT_OK(wait_terminated(t[i], 5 * SEC));
		EXPECT_NE(cpus_seen[i], 0u, "thread %u looked", i);
		all |= cpus_seen[i];
		zx_handle_close(t[i]);
	}
	EXPECT_EQ(all, (1ul << n) - 1, "%u busy threads ran on all %u harts", n, n);
}

/* ---------------------------------------------------------------- futexes */

static zx_futex_t lock_word; /* 0 free, 1 held, 2 held with waiters */
static volatile uint64_t counter;

static void lock(void)
{
	int32_t c = 0;
	if (__atomic_compare_exchange_n(&lock_word, &c, 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED))
		return;
	if (c != 2)
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		zx_futex_wait(&lock_word, 2, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
		c = __atomic_exchange_n(&lock_word, 2, __ATOMIC_ACQUIRE);
	}
}

static void unlock(void)
{
	if (__atomic_exchange_n(&lock_word, 0, __ATOMIC_RELEASE) == 2)
		zx_futex_wake(&lock_word, 1);
}

#define ROUNDS 20000

static void add_locked(uintptr_t rounds, uintptr_t unused)
{
	(void)unused;
	for (uintptr_t i = 0; i < rounds; i++) {
		lock();
		uint64_t c = counter;
		for (volatile int d = 0; d < 3; d++)
			; /* widen the window a lost update would need */
		counter = c + 1;
		unlock();
	}
	zx_thread_exit();
}

TEST(Futex, AMutexUnderContentionCountsExactly)
{
	zx_handle_t t[4];
	counter = 0;
	lock_word = 0;
	for (int i = 0; i < 4; i++) {
		t[i] = new_thread("adder");
		ASSERT_OK(start(t[i], add_locked, ROUNDS, 0));
	}
	for (int i = 0; i < 4; i++) {
		EXPECT_OK(wait_terminated(t[i], 60 * SEC));
		zx_handle_close(t[i]);
	}
	EXPECT_EQ(counter, 4u * ROUNDS);
	EXPECT_EQ(lock_word, 0);
}

static zx_futex_t gate;
static volatile int woken;

static void wait_gate(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1, (void)unused2;
	if (zx_futex_wait(&gate, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE) == ZX_OK)
		__atomic_add_fetch(&woken, 1, __ATOMIC_RELAXED);
	zx_thread_exit();
}

static bool all_blocked(zx_handle_t *t, int n)
{
	for (int i = 0; i < n; i++)
		if (thread_info(t[i]).state != ZX_THREAD_STATE_BLOCKED_FUTEX)
			return false;
	return true;
}

TEST(Futex, WakeCountAndRequeue)
{
	static zx_futex_t other;
	zx_handle_t t[3];
	gate = 0;
	woken = 0;
	for (int i = 0; i < 3; i++) {
		t[i] = new_thread("gated");
		ASSERT_OK(start(t[i], wait_gate, 0, 0));
	}
	for (int i = 0; i < 10000 && !all_blocked(t, 3); i++)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	ASSERT_TRUE(all_blocked(t, 3));
	EXPECT_OK(zx_futex_wake(&gate, 1));
	for (int i = 0; i < 10000 && woken == 0; i++)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	zx_nanosleep(zx_deadline_after(SEC / 50));
	EXPECT_EQ(woken, 1, "one woken");
	EXPECT_STATUS(zx_futex_requeue(&gate, 0, 1, &other, 10, ZX_HANDLE_INVALID),
		      ZX_ERR_BAD_STATE, "the word is 0, not 1");
	EXPECT_OK(zx_futex_requeue(&gate, 0, 0, &other, 10, ZX_HANDLE_INVALID));
	EXPECT_OK(zx_futex_wake(&gate, UINT32_MAX));
	zx_nanosleep(zx_deadline_after(SEC / 50));
	EXPECT_EQ(woken, 1, "both moved to the other word");
	EXPECT_OK(zx_futex_wake(&other, UINT32_MAX));
	for (int i = 0; i < 3; i++) {
		EXPECT_OK(wait_terminated(t[i], 5 * SEC));
		zx_handle_close(t[i]);
	}
	EXPECT_EQ(woken, 3);
}

TEST(Futex, Errors)
{
	static zx_futex_t w[2] = {5, 6};
	zx_handle_t v = new_vmo(PAGE), t = new_thread("never");
	EXPECT_STATUS(zx_futex_wait(NULL, 0, ZX_HANDLE_INVALID, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_wait((zx_futex_t *)((char *)w + 1), 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_INVALID_ARGS, "misaligned");
	EXPECT_STATUS(zx_futex_wait((zx_futex_t *)KERNEL_ADDR, 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_wait((zx_futex_t *)UNMAPPED_ADDR, 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_INVALID_ARGS, "unreadable");
	EXPECT_STATUS(zx_futex_wait(&w[0], 5, 0x12345, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_futex_wait(&w[0], 5, v, 0), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_futex_wait(&w[0], 5, t, 0), ZX_ERR_INVALID_ARGS, "not started");
	EXPECT_STATUS(zx_futex_wait(&w[0], 4, ZX_HANDLE_INVALID, ZX_TIME_INFINITE),
		      ZX_ERR_BAD_STATE);
	zx_time_t before = zx_clock_get_monotonic();
	EXPECT_STATUS(zx_futex_wait(&w[0], 5, ZX_HANDLE_INVALID, zx_deadline_after(SEC / 20)),
		      ZX_ERR_TIMED_OUT);
	EXPECT_TRUE(zx_clock_get_monotonic() - before >= SEC / 20);
	EXPECT_STATUS(zx_futex_wake(NULL, 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_wake((zx_futex_t *)((char *)w + 2), 1), ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_futex_wake(&w[0], 0));
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, &w[0], 1, ZX_HANDLE_INVALID),
		      ZX_ERR_INVALID_ARGS, "the same word");
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, NULL, 1, ZX_HANDLE_INVALID),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, &w[1], 1, v), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, &w[1], 1, 0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, &w[1], 1, t), ZX_ERR_INVALID_ARGS,
		      "an owner that never started");
	EXPECT_STATUS(
	    zx_futex_requeue((zx_futex_t *)((char *)w + 2), 1, 5, &w[1], 1, ZX_HANDLE_INVALID),
	    ZX_ERR_INVALID_ARGS, "misaligned");
	EXPECT_STATUS(
	    zx_futex_requeue((zx_futex_t *)UNMAPPED_ADDR, 1, 5, &w[1], 1, ZX_HANDLE_INVALID),
	    ZX_ERR_INVALID_ARGS, "unreadable");
	EXPECT_STATUS(zx_futex_wait(&w[0], 4, 0x12345, 0), ZX_ERR_BAD_STATE,
		      "the value is checked before the owner");
	/* an owner that has ended is no owner */
	zx_handle_t ended = new_thread("ended");
	ASSERT_OK(start(ended, record_args, 0, 0));
	ASSERT_OK(wait_terminated(ended, 5 * SEC));
	EXPECT_STATUS(zx_futex_wait(&w[0], 5, ended, zx_deadline_after(SEC / 100)),
		      ZX_ERR_TIMED_OUT);
	zx_handle_close(ended);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 4, &w[1], 1, ZX_HANDLE_INVALID), ZX_ERR_BAD_STATE);
	zx_handle_close_many((zx_handle_t[]){v, t}, 2);
}

TEST(Futex, PointerErrors)
{
	static zx_futex_t w[2] = {5, 6};
	zx_futex_t *kernel = (zx_futex_t *)KERNEL_ADDR, *past = (zx_futex_t *)PAST_USER_ADDR;
	zx_futex_t *hole = (zx_futex_t *)UNMAPPED_ADDR, *odd = (zx_futex_t *)((char *)&w[1] + 1);
	EXPECT_STATUS(zx_futex_wait(past, 0, ZX_HANDLE_INVALID, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_wake(kernel, 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_wake(past, 1), ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_futex_wake(hole, 1), "the word is not read");
	EXPECT_STATUS(zx_futex_requeue(NULL, 1, 5, &w[1], 1, ZX_HANDLE_INVALID),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, odd, 1, ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS,
		      "a misaligned requeue_ptr");
	EXPECT_STATUS(zx_futex_requeue(kernel, 1, 5, &w[1], 1, ZX_HANDLE_INVALID),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_requeue(past, 1, 5, &w[1], 1, ZX_HANDLE_INVALID),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, kernel, 1, ZX_HANDLE_INVALID),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, past, 1, ZX_HANDLE_INVALID),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_futex_requeue(NULL, 1, 4, &w[1], 1, 0x12345), ZX_ERR_INVALID_ARGS,
		      "the pointers come before the word and the owner");
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 4, kernel, 1, 0x12345), ZX_ERR_INVALID_ARGS,
		      "the pointers come before the word and the owner");
	EXPECT_OK(zx_futex_requeue(&w[0], 1, 5, hole, 1, ZX_HANDLE_INVALID),
		  "the word at requeue_ptr is not read");
}

TEST(Futex, RequeueChecksTheWordBeforeTheOwner)
{
	static zx_futex_t w[2] = {5, 6};
	zx_handle_t v = new_vmo(PAGE), never = new_thread("never"), self = zx_thread_self();
	ASSERT_NE(self, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 4, &w[1], 1, 0x12345), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 4, &w[1], 1, v), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 4, &w[1], 1, never), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 4, &w[1], 1, self), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_futex_wait(&w[0], 4, self, 0), ZX_ERR_BAD_STATE);
	/* once the word matches, the owner is checked */
	EXPECT_STATUS(zx_futex_wait(&w[0], 5, self, zx_deadline_after(SEC / 100)),
		      ZX_ERR_INVALID_ARGS, "the caller is no owner");
	EXPECT_STATUS(zx_futex_requeue(&w[0], 1, 5, &w[1], 1, self), ZX_ERR_INVALID_ARGS,
		      "the caller is no owner");
	/* an owner that has ended is no owner */
	zx_handle_t ended = new_thread("ended");
	ASSERT_OK(start(ended, record_args, 0, 0));
	ASSERT_OK(wait_terminated(ended, 5 * SEC));
	EXPECT_OK(zx_futex_requeue(&w[0], 1, 5, &w[1], 1, ended));
	zx_handle_close_many((zx_handle_t[]){v, never, ended}, 3);
}

/* ------------------------------------------------------ other processes */

/* Code for a process with nothing but these words mapped: RV64 encodings. */
#define ADDI(rd, rs, imm) ((uint32_t)(imm) << 20 | (rs) << 15 | (rd) << 7 | 0x13)
#define SRLI(rd, rs, sh)  ((sh) << 20 | (rs) << 15 | 5 << 12 | (rd) << 7 | 0x13)
#define LD(rd, rs, imm)	  ((uint32_t)(imm) << 20 | (rs) << 15 | 3 << 12 | (rd) << 7 | 0x03)
#define ECALL		  0x00000073u
#define JUMP_SELF	  0x0000006fu
#define A0		  10
#define A1		  11
#define A7		  17
#define NR_PROCESS_EXIT	  11 /* syscall/syscalls.def */
#define NR_NANOSLEEP	  12

static const uint32_t exit_with_arg2[] = {ADDI(A0, A1, 0), ADDI(A7, 0, NR_PROCESS_EXIT), ECALL};
static const uint32_t exit_with_arg1[] = {ADDI(A7, 0, NR_PROCESS_EXIT), ECALL};
static const uint32_t spin_forever[] = {JUMP_SELF};
static const uint32_t sleep_forever[] = {ADDI(A0, 0, -1), SRLI(A0, A0, 1),
					 ADDI(A7, 0, NR_NANOSLEEP), ECALL, JUMP_SELF};
static const uint32_t load_from_zero[] = {LD(A0, 0, 0), JUMP_SELF};

struct child {
	zx_handle_t proc, vmar, thread;
	zx_vaddr_t entry;
};

/* A process in a new job with `code` mapped executable, and a thread for it. */
static zx_status_t make_child(const uint32_t *code, size_t size, struct child *c)
{
	zx_handle_t v = new_vmo(PAGE), vx;
	zx_status_t st;
	if ((st = zx_process_create(zx_job_default(), "child", 5, 0, &c->proc, &c->vmar)) !=
		ZX_OK ||
	    (st = zx_vmo_write(v, code, 0, size)) != ZX_OK ||
	    (st = zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &vx)) != ZX_OK)
		return st;
	st = zx_vmar_map(c->vmar, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, vx, 0, PAGE, &c->entry);
	zx_handle_close(vx);
	if (st == ZX_OK)
		st = zx_thread_create(c->proc, "main", 4, 0, &c->thread);
	return st;
}

static void close_child(struct child *c)
{
	zx_handle_close_many((zx_handle_t[]){c->proc, c->vmar, c->thread}, 3);
}

TEST(ProcessStart, AChildRunsAndExitsWithItsCode)
{
	struct child c;
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
	zx_handle_t gift = new_vmo(PAGE);
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, gift, 42));
	EXPECT_STATUS(handle_valid(gift), ZX_ERR_BAD_HANDLE, "arg1 moved to the child");
	ASSERT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	zx_info_process_t i = proc_info(c.proc);
	EXPECT_EQ(i.return_code, 42);
	EXPECT_EQ(i.flags, ZX_INFO_PROCESS_FLAG_STARTED | ZX_INFO_PROCESS_FLAG_EXITED);
	EXPECT_OK(zx_object_wait_one(c.thread, ZX_THREAD_TERMINATED, 0, NULL));
	EXPECT_EQ(thread_info(c.thread).state, ZX_THREAD_STATE_DEAD);
	EXPECT_STATUS(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_BAD_STATE);
	zx_handle_t late;
	EXPECT_STATUS(zx_thread_create(c.proc, "late", 4, 0, &late), ZX_ERR_BAD_STATE,
		      "no new threads in a dead process");
	close_child(&c);
}

TEST(ProcessStart, Arg1IsAHandleInTheChild)
{
	struct child c, d;
	ASSERT_OK(make_child(exit_with_arg1, sizeof(exit_with_arg1), &c));
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, new_vmo(PAGE), 0));
	ASSERT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	int64_t h = proc_info(c.proc).return_code;
	EXPECT_TRUE(h > 0 && (h & 3) == 3, "a0 is a handle value: %#lx", h);
	/* an invalid value is no handle: a0 = 0 */
	ASSERT_OK(make_child(exit_with_arg1, sizeof(exit_with_arg1), &d));
	ASSERT_OK(zx_process_start(d.proc, d.thread, d.entry, 0, 0x12345, 0));
	ASSERT_OK(
	    zx_object_wait_one(d.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(proc_info(d.proc).return_code, 0);
	close_child(&c);
	close_child(&d);
}

TEST(ProcessStart, AThreadThatNeverStartedDoesNotKeepItAlive)
{
	struct child c;
	zx_handle_t idle;
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
	ASSERT_OK(zx_thread_create(c.proc, "idle", 4, 0, &idle));
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 5));
	ASSERT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(proc_info(c.proc).return_code, 5);
	EXPECT_EQ(thread_info(idle).state, ZX_THREAD_STATE_DEAD, "it ended with its process");
	EXPECT_STATUS(zx_thread_start(idle, c.entry, 0, 0, 0), ZX_ERR_BAD_STATE);
	zx_handle_close(idle);
	close_child(&c);
}

TEST(ProcessStart, Errors)
{
	struct child c, d;
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &d));
	zx_handle_t gift = new_vmo(PAGE), weak;
	EXPECT_STATUS(zx_process_start(0x12345, c.thread, c.entry, 0, gift, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(gift), ZX_ERR_BAD_HANDLE, "arg1 is closed on failure too");
	ASSERT_OK(zx_handle_duplicate(c.proc, ZX_RIGHT_INSPECT, &weak));
	EXPECT_STATUS(zx_process_start(weak, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_ACCESS_DENIED, "needs WRITE");
	EXPECT_STATUS(zx_process_start(c.proc, c.vmar, c.entry, 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_process_start(c.proc, d.thread, KERNEL_ADDR, 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_ACCESS_DENIED, "another process's thread, before the entry");
	zx_handle_t fixed;
	ASSERT_OK(zx_handle_duplicate(new_vmo(PAGE), ZX_RIGHT_READ, &fixed));
	EXPECT_STATUS(zx_process_start(c.proc, c.thread, c.entry, 0, fixed, 0),
		      ZX_ERR_ACCESS_DENIED, "arg1 without TRANSFER");
	EXPECT_STATUS(handle_valid(fixed), ZX_ERR_BAD_HANDLE, "and gone all the same");
	EXPECT_STATUS(zx_process_start(c.proc, c.thread, KERNEL_ADDR, 0, ZX_HANDLE_INVALID, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(proc_info(c.proc).flags, 0u, "not started");
	zx_handle_close(weak);
	close_child(&c);
	close_child(&d);
}

/*
 * zx_process_start with a fresh VMO as arg1; *gift is then what
 * handle_valid says of that VMO's handle (BAD_HANDLE once it is gone).
 */
static zx_status_t start_with_gift(zx_handle_t proc, zx_handle_t thread, zx_vaddr_t entry,
				   zx_status_t *gift)
{
	zx_handle_t v = new_vmo(PAGE);
	*gift = ZX_ERR_INTERNAL;
	if (v == ZX_HANDLE_INVALID)
		return ZX_ERR_INTERNAL;
	zx_status_t st = zx_process_start(proc, thread, entry, 0, v, 0);
	if ((*gift = handle_valid(v)) == ZX_OK)
		zx_handle_close(v);
	return st;
}

TEST(ProcessStart, EveryFailureClosesArg1)
{
	struct child c, d;
	zx_status_t gift;
	zx_handle_t weak_proc, weak_thread;
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &d));
	ASSERT_OK(
	    zx_handle_duplicate(c.proc, ZX_DEFAULT_PROCESS_RIGHTS & ~ZX_RIGHT_WRITE, &weak_proc));
	ASSERT_OK(zx_handle_duplicate(c.thread, ZX_DEFAULT_THREAD_RIGHTS & ~ZX_RIGHT_WRITE,
				      &weak_thread));
	/* the process handle */
	EXPECT_STATUS(start_with_gift(0x12345, c.thread, c.entry, &gift), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	EXPECT_STATUS(start_with_gift(c.thread, c.thread, c.entry, &gift), ZX_ERR_WRONG_TYPE,
		      "a thread as the process");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	EXPECT_STATUS(start_with_gift(weak_proc, c.thread, c.entry, &gift), ZX_ERR_ACCESS_DENIED,
		      "the process handle needs WRITE");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	EXPECT_STATUS(start_with_gift(weak_proc, 0x12345, c.entry, &gift), ZX_ERR_ACCESS_DENIED,
		      "the process handle before the thread handle");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	/* the thread handle */
	EXPECT_STATUS(start_with_gift(c.proc, 0x12345, c.entry, &gift), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	EXPECT_STATUS(start_with_gift(c.proc, c.vmar, c.entry, &gift), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	EXPECT_STATUS(start_with_gift(c.proc, weak_thread, c.entry, &gift), ZX_ERR_ACCESS_DENIED,
		      "the thread handle needs WRITE");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	EXPECT_STATUS(start_with_gift(c.proc, weak_thread, KERNEL_ADDR, &gift),
		      ZX_ERR_ACCESS_DENIED, "the handles before the entry");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 closed");
	/* once both have passed, arg1 is taken before the rest is checked */
	EXPECT_STATUS(start_with_gift(c.proc, d.thread, c.entry, &gift), ZX_ERR_ACCESS_DENIED,
		      "another process's thread");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_STATUS(start_with_gift(c.proc, c.thread, KERNEL_ADDR, &gift), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_STATUS(start_with_gift(c.proc, c.thread, 0, &gift), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_STATUS(start_with_gift(c.proc, c.thread, PAST_USER_ADDR, &gift),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	/* none of it started anything: the process starts now */
	EXPECT_EQ(proc_info(c.proc).flags, 0u);
	EXPECT_EQ(thread_info(c.thread).state, ZX_THREAD_STATE_NEW);
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 7));
	ASSERT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(proc_info(c.proc).return_code, 7);
	zx_handle_close_many((zx_handle_t[]){weak_proc, weak_thread}, 2);
	close_child(&c);
	close_child(&d);
}

TEST(ProcessStart, NotAfterAKill)
{
	struct child c;
	zx_status_t gift;
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
	ASSERT_OK(zx_task_kill(c.proc));
	ASSERT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(thread_info(c.thread).state, ZX_THREAD_STATE_DEAD, "it ended with its process");
	EXPECT_STATUS(start_with_gift(c.proc, c.thread, c.entry, &gift), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_STATUS(start_with_gift(c.proc, c.thread, KERNEL_ADDR, &gift), ZX_ERR_BAD_STATE,
		      "the state before the entry");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_STATUS(zx_thread_start(c.thread, c.entry, 0, 0, 0), ZX_ERR_BAD_STATE);
	zx_info_process_t i = proc_info(c.proc);
	EXPECT_EQ(i.start_time, 0, "never started");
	EXPECT_EQ(i.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_EQ(i.flags, ZX_INFO_PROCESS_FLAG_STARTED | ZX_INFO_PROCESS_FLAG_EXITED,
		  "both flags, as Zircon reports a killed process");
	close_child(&c);
}

TEST(ProcessStart, OnlyOnce)
{
	struct child c;
	zx_status_t gift;
	zx_handle_t second;
	ASSERT_OK(make_child(spin_forever, sizeof(spin_forever), &c));
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 0));
	ASSERT_OK(zx_thread_create(c.proc, "second", 6, 0, &second));
	EXPECT_STATUS(start_with_gift(c.proc, second, c.entry, &gift), ZX_ERR_BAD_STATE,
		      "the process runs already");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_STATUS(start_with_gift(c.proc, second, KERNEL_ADDR, &gift), ZX_ERR_BAD_STATE,
		      "the state before the entry");
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_EQ(thread_info(second).state, ZX_THREAD_STATE_NEW);
	EXPECT_OK(zx_thread_start(second, c.entry, 0, 0, 0), "a running process takes more");
	EXPECT_OK(zx_task_kill(c.proc));
	EXPECT_OK(
	    zx_object_wait_one(second, ZX_THREAD_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	zx_handle_close(second);
	close_child(&c);
}

TEST(ThreadStart, TheStateComesBeforeTheEntry)
{
	struct child c;
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
	EXPECT_STATUS(zx_thread_start(c.thread, c.entry, 0, 0, 0), ZX_ERR_BAD_STATE,
		      "its process has not started");
	EXPECT_STATUS(zx_thread_start(c.thread, KERNEL_ADDR, 0, 0, 0), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_thread_start(c.thread, 0, 0, 0, 0), ZX_ERR_BAD_STATE);
	EXPECT_EQ(thread_info(c.thread).state, ZX_THREAD_STATE_NEW, "still unstarted");
	EXPECT_EQ(proc_info(c.proc).flags, 0u);
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 3));
	ASSERT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(proc_info(c.proc).return_code, 3);
	close_child(&c);

	/* a thread of this process that runs (blocked on a futex), then one that has ended */
	gate = 0;
	woken = 0;
	zx_handle_t t = new_thread("gated");
	ASSERT_OK(start(t, wait_gate, 0, 0));
	EXPECT_STATUS(zx_thread_start(t, 0, 0, 0, 0), ZX_ERR_BAD_STATE, "running");
	EXPECT_STATUS(zx_thread_start(t, KERNEL_ADDR, 0, 0, 0), ZX_ERR_BAD_STATE);
	for (int i = 0; i < 10000 && !all_blocked(&t, 1); i++)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	EXPECT_TRUE(all_blocked(&t, 1));
	EXPECT_STATUS(zx_thread_start(t, 0, 0, 0, 0), ZX_ERR_BAD_STATE, "blocked");
	EXPECT_OK(zx_futex_wake(&gate, 1));
	ASSERT_OK(wait_terminated(t, 5 * SEC));
	EXPECT_EQ(woken, 1);
	EXPECT_STATUS(zx_thread_start(t, 0, 0, 0, 0), ZX_ERR_BAD_STATE, "ended");
	EXPECT_STATUS(zx_thread_start(t, PAST_USER_ADDR, 0, 0, 0), ZX_ERR_BAD_STATE);
	zx_handle_close(t);
}

TEST(Futex, OwnersThatAreNoOwners)
{
	static zx_futex_t other = 7, third = 8;
	/* a thread waiting on the futex */
	gate = 0;
	woken = 0;
	zx_handle_t w = new_thread("waiter");
	ASSERT_OK(start(w, wait_gate, 0, 0));
	for (int i = 0; i < 10000 && !all_blocked(&w, 1); i++)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	ASSERT_TRUE(all_blocked(&w, 1));
	EXPECT_STATUS(zx_futex_wait(&gate, 0, w, zx_deadline_after(SEC / 100)), ZX_ERR_INVALID_ARGS,
		      "it waits on this futex");
	EXPECT_STATUS(zx_futex_wait(&other, 7, w, 0), ZX_ERR_TIMED_OUT,
		      "waiting on another futex is no error");
	EXPECT_STATUS(zx_futex_requeue(&gate, 1, 0, &other, 1, w), ZX_ERR_INVALID_ARGS,
		      "it waits on value_ptr");
	EXPECT_STATUS(zx_futex_requeue(&other, 1, 7, &gate, 1, w), ZX_ERR_INVALID_ARGS,
		      "it waits on requeue_ptr");
	EXPECT_EQ(thread_info(w).state, ZX_THREAD_STATE_BLOCKED_FUTEX, "not woken");
	EXPECT_OK(zx_futex_requeue(&other, 1, 7, &third, 1, w), "it waits on neither");
	EXPECT_OK(zx_futex_wake(&other, UINT32_MAX));
	EXPECT_OK(zx_futex_wake(&third, UINT32_MAX));
	EXPECT_EQ(thread_info(w).state, ZX_THREAD_STATE_BLOCKED_FUTEX, "not moved either");
	EXPECT_EQ(woken, 0);
	EXPECT_OK(zx_futex_wake(&gate, 1));
	EXPECT_OK(wait_terminated(w, 5 * SEC));
	EXPECT_EQ(woken, 1);
	zx_handle_close(w);

	/* a thread of another process: refused while it runs, no owner once it has ended */
	struct child c;
	ASSERT_OK(make_child(spin_forever, sizeof(spin_forever), &c));
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 0));
	EXPECT_STATUS(zx_futex_wait(&other, 7, c.thread, zx_deadline_after(SEC / 100)),
		      ZX_ERR_INVALID_ARGS, "another process's thread");
	EXPECT_STATUS(zx_futex_requeue(&other, 1, 7, &third, 1, c.thread), ZX_ERR_INVALID_ARGS,
		      "another process's thread");
	EXPECT_OK(zx_task_kill(c.proc));
	EXPECT_OK(
	    zx_object_wait_one(c.thread, ZX_THREAD_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_STATUS(zx_futex_wait(&other, 7, c.thread, 0), ZX_ERR_TIMED_OUT);
	EXPECT_OK(zx_futex_requeue(&other, 1, 7, &third, 1, c.thread));
	close_child(&c);
}

TEST(ProcessStart, AFaultKillsOnlyTheChild)
{
	struct child c;
	ASSERT_OK(make_child(load_from_zero, sizeof(load_from_zero), &c));
	ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 0));
	ASSERT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(proc_info(c.proc).return_code, ZX_TASK_RETCODE_EXCEPTION_KILL);
	close_child(&c);
}

TEST(ProcessStart, KillWhileRunningAndWhileBlocked)
{
	struct child spinner, sleeper;
	ASSERT_OK(make_child(spin_forever, sizeof(spin_forever), &spinner));
	ASSERT_OK(make_child(sleep_forever, sizeof(sleep_forever), &sleeper));
	ASSERT_OK(
	    zx_process_start(spinner.proc, spinner.thread, spinner.entry, 0, ZX_HANDLE_INVALID, 0));
	ASSERT_OK(
	    zx_process_start(sleeper.proc, sleeper.thread, sleeper.entry, 0, ZX_HANDLE_INVALID, 0));
	for (int i = 0;
	     i < 10000 && thread_info(sleeper.thread).state != ZX_THREAD_STATE_BLOCKED_SLEEPING;
	     i++)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	EXPECT_EQ(thread_info(sleeper.thread).state, ZX_THREAD_STATE_BLOCKED_SLEEPING);
	EXPECT_OK(zx_task_kill(spinner.proc));
	EXPECT_OK(zx_task_kill(sleeper.proc));
	EXPECT_OK(zx_object_wait_one(spinner.proc, ZX_PROCESS_TERMINATED,
				     zx_deadline_after(5 * SEC), NULL));
	EXPECT_OK(zx_object_wait_one(sleeper.proc, ZX_PROCESS_TERMINATED,
				     zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(proc_info(spinner.proc).return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_EQ(proc_info(sleeper.proc).return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_EQ(thread_info(sleeper.thread).state, ZX_THREAD_STATE_DEAD);
	close_child(&spinner);
	close_child(&sleeper);
}

TEST(ProcessStart, ThousandChildrenLeaveNothingBehind)
{
	zx_info_kmem_stats_v1_t before = {0}, after = {0};
	struct child c;
	/* one round first: the kernel's stack pool keeps the stacks it has made */
	for (int round = 0; round < 1001; round++) {
		if (round == 1)
			ASSERT_OK(zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1,
						     &before, sizeof(before), NULL, NULL));
		if (round % 2)
			ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
		else
			ASSERT_OK(make_child(spin_forever, sizeof(spin_forever), &c));
		ASSERT_OK(zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 1));
		if (round % 2 == 0)
			ASSERT_OK(zx_task_kill(c.proc));
		ASSERT_OK(zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED,
					     zx_deadline_after(5 * SEC), NULL));
		close_child(&c);
	}
	/* the last thread is reaped once its hart has switched away from it */
	zx_nanosleep(zx_deadline_after(SEC / 50));
	ASSERT_OK(zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &after, sizeof(after),
				     NULL, NULL));
	EXPECT_EQ(after.free_bytes, before.free_bytes);
	EXPECT_EQ(after.total_heap_bytes - after.free_heap_bytes,
		  before.total_heap_bytes - before.free_heap_bytes);
}

/* ------------------------------------------------------- kernel stacks */

#define MAX_HOLDERS 256 /* more than there are kernel stacks */

static zx_futex_t let_go;
static volatile int holders_done;

/* Keep a kernel stack: wait until let go. */
static void hold_a_stack(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1, (void)unused2;
	while (__atomic_load_n(&let_go, __ATOMIC_ACQUIRE) == 0)
		zx_futex_wait(&let_go, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
	__atomic_add_fetch(&holders_done, 1, __ATOMIC_RELEASE);
	zx_thread_exit();
}

TEST(Thread, StartRunsOutOfKernelStacks)
{
	struct child c;
	zx_status_t gift, st = ZX_OK;
	zx_handle_t v = new_vmo(MAX_HOLDERS * PAGE), last = ZX_HANDLE_INVALID;
	zx_vaddr_t stacks = 0;
	int started;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, MAX_HOLDERS * PAGE, &stacks));
	ASSERT_OK(make_child(exit_with_arg2, sizeof(exit_with_arg2), &c));
	let_go = 0;
	holders_done = 0;
	/* each holder has a page of stack; its handle goes at once (it runs on without) */
	for (started = 0; started < MAX_HOLDERS; started++) {
		zx_handle_t t = new_thread("holder");
		if (t == ZX_HANDLE_INVALID) {
			st = ZX_ERR_INTERNAL;
			break;
		}
		st = zx_thread_start(t, (zx_vaddr_t)hold_a_stack, stacks + (started + 1) * PAGE, 0,
				     0);
		if (st != ZX_OK) {
			last = t;
			break;
		}
		zx_handle_close(t);
	}
	EXPECT_STATUS(st, ZX_ERR_NO_MEMORY, "after %d threads", started);
	EXPECT_EQ(thread_info(last).state, ZX_THREAD_STATE_NEW, "left unstarted");
	EXPECT_STATUS(start_with_gift(c.proc, c.thread, c.entry, &gift), ZX_ERR_NO_MEMORY);
	EXPECT_STATUS(gift, ZX_ERR_BAD_HANDLE, "arg1 dropped");
	EXPECT_EQ(proc_info(c.proc).flags, 0u, "left unstarted");
	EXPECT_EQ(thread_info(c.thread).state, ZX_THREAD_STATE_NEW);

	__atomic_store_n(&let_go, 1, __ATOMIC_RELEASE);
	EXPECT_OK(zx_futex_wake(&let_go, UINT32_MAX));
	for (int i = 0; i < 5000 && holders_done < started; i++)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	EXPECT_EQ(holders_done, started, "every holder let go");
	/* a holder's stack comes back once its hart has switched away from it */
	st = ZX_ERR_NO_MEMORY;
	for (int i = 0; i < 1000 && st == ZX_ERR_NO_MEMORY; i++)
		if ((st = zx_process_start(c.proc, c.thread, c.entry, 0, ZX_HANDLE_INVALID, 9)) ==
		    ZX_ERR_NO_MEMORY)
			zx_nanosleep(zx_deadline_after(SEC / 1000));
	EXPECT_OK(st, "the process can be started again");
	EXPECT_OK(
	    zx_object_wait_one(c.proc, ZX_PROCESS_TERMINATED, zx_deadline_after(5 * SEC), NULL));
	EXPECT_EQ(proc_info(c.proc).return_code, 9);
	if (last != ZX_HANDLE_INVALID) {
		EXPECT_OK(zx_thread_start(last, (zx_vaddr_t)hold_a_stack,
					  stacks + MAX_HOLDERS * PAGE, 0, 0),
			  "and the thread");
		EXPECT_OK(wait_terminated(last, 5 * SEC));
		zx_handle_close(last);
	}
	close_child(&c);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), stacks, MAX_HOLDERS * PAGE));
	zx_handle_close(v);
}
