/*
 * sched.c: the per-hart run queues, seen through ZX_INFO_CPU_STATS and
 * ZX_INFO_THREAD_STATS. Busy threads keep every hart busy and get their
 * share; threads that sleep and wake come back to the hart they ran on.
 * Run with -smp 1, 4 and 8.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls/object.h>

#include "phys_util.h"

#define MS	   1000000ll
#define STACK_SIZE (4 * PAGE)
#define MAX_CPUS   64

static zx_info_cpu_stats_t stats[MAX_CPUS];

/* Every hart's record into stats[]; how many there are. */
static size_t read_stats(void)
{
	size_t actual = 0, avail = 0;
	zx_status_t st = zx_object_get_info(root_resource(), ZX_INFO_CPU_STATS, stats,
					    sizeof(stats), &actual, &avail);
	return st == ZX_OK && actual == avail ? actual : 0;
}

/* A thread running fn(arg), its handle in *t (set before it starts); false if not. */
static bool spawn(void (*fn)(uintptr_t, uintptr_t), uintptr_t arg, zx_handle_t *t)
{
	zx_handle_t v = new_vmo(STACK_SIZE);
	zx_vaddr_t stack;
	bool ok = zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, STACK_SIZE, &stack) == ZX_OK &&
		  zx_thread_create(zx_process_self(), "sched", 5, 0, t) == ZX_OK &&
		  zx_thread_start(*t, (zx_vaddr_t)fn, stack + STACK_SIZE, arg, 0) == ZX_OK;
	zx_handle_close(v);
	return ok; /* its stack stays mapped: the process ends soon */
}

static zx_status_t join(zx_handle_t t)
{
	zx_status_t st =
	    zx_object_wait_one(t, ZX_THREAD_TERMINATED, zx_deadline_after(60 * 1000 * MS), NULL);
	zx_handle_close(t);
	return st;
}

TEST(CpuStats, OneRecordPerHart)
{
	size_t actual = 0, avail = 0;
	memset(stats, 0xa5, sizeof(stats));
	ASSERT_OK(zx_object_get_info(root_resource(), ZX_INFO_CPU_STATS, stats, sizeof(stats),
				     &actual, &avail));
	EXPECT_EQ(actual, (size_t)zx_system_get_num_cpus());
	EXPECT_EQ(avail, (size_t)zx_system_get_num_cpus());
	for (size_t i = 0; i < actual; i++) {
		EXPECT_EQ(stats[i].cpu_number, (uint32_t)i);
		EXPECT_EQ(stats[i].flags, ZX_INFO_CPU_STATS_FLAG_ONLINE);
		EXPECT_EQ(stats[i].reschedules, 0u, "not counted");
		EXPECT_EQ(stats[i].page_faults, 0u);
		EXPECT_EQ(stats[i].syscalls, 0u);
	}
	EXPECT_TRUE(stats[0].context_switches > 0, "the boot hart switched to this thread");
	EXPECT_EQ(stats[actual].cpu_number, 0xa5a5a5a5u, "nothing written past the last hart");
}

TEST(CpuStats, AsManyRecordsAsFit)
{
	size_t actual = 9, avail = 0;
	uint32_t n = zx_system_get_num_cpus();
	memset(stats, 0xa5, sizeof(stats));
	EXPECT_OK(zx_object_get_info(root_resource(), ZX_INFO_CPU_STATS, stats, sizeof(stats[0]),
				     &actual, &avail));
	EXPECT_EQ(actual, 1u);
	EXPECT_EQ(avail, (size_t)n);
	EXPECT_EQ(stats[1].cpu_number, 0xa5a5a5a5u, "one record only");
	EXPECT_OK(zx_object_get_info(root_resource(), ZX_INFO_CPU_STATS, stats,
				     sizeof(stats[0]) - 1, &actual, &avail),
		  "too small for one record: none written, no error (as in Zircon)");
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, (size_t)n);
	EXPECT_OK(zx_object_get_info(root_resource(), ZX_INFO_CPU_STATS, NULL, 0, &actual, &avail));
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, (size_t)n);
}

TEST(CpuStats, Errors)
{
	zx_handle_t info, vmex, weak;
	EXPECT_STATUS(
	    zx_object_get_info(0x12345678, ZX_INFO_CPU_STATS, stats, sizeof(stats), NULL, NULL),
	    ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_get_info(zx_vmar_root_self(), ZX_INFO_CPU_STATS, stats,
					 sizeof(stats), NULL, NULL),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_object_get_info(mmio_resource(), ZX_INFO_CPU_STATS, stats, sizeof(stats),
					 NULL, NULL),
		      ZX_ERR_WRONG_TYPE, "a resource of another kind");
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_INFO_BASE,
				     1, "info", 4, &info));
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE,
				     1, "vmex", 4, &vmex));
	EXPECT_OK(zx_object_get_info(info, ZX_INFO_CPU_STATS, stats, sizeof(stats), NULL, NULL));
	EXPECT_STATUS(zx_object_get_info(vmex, ZX_INFO_CPU_STATS, stats, sizeof(stats), NULL, NULL),
		      ZX_ERR_OUT_OF_RANGE);
	ASSERT_OK(zx_handle_duplicate(root_resource(), ZX_RIGHT_TRANSFER, &weak));
	EXPECT_OK(zx_object_get_info(weak, ZX_INFO_CPU_STATS, stats, sizeof(stats), NULL, NULL),
		  "no right is needed, as in Zircon");
	EXPECT_STATUS(zx_object_get_info(root_resource(), ZX_INFO_CPU_STATS, (void *)0x10,
					 sizeof(stats), NULL, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_get_info(root_resource(), ZX_INFO_CPU_STATS, stats, sizeof(stats),
					 (size_t *)0x10, NULL),
		      ZX_ERR_INVALID_ARGS);
	zx_handle_close(info);
	zx_handle_close(vmex);
	zx_handle_close(weak);
}

TEST(CpuStats, EveryHartIdlesWhileNothingRuns)
{
	size_t n = read_stats();
	ASSERT_TRUE(n > 0);
	zx_duration_t before[MAX_CPUS];
	for (size_t i = 0; i < n; i++)
		before[i] = stats[i].idle_time;
	zx_nanosleep(zx_deadline_after(100 * MS));
	ASSERT_EQ(read_stats(), n);
	for (size_t i = 0; i < n; i++)
		EXPECT_TRUE(stats[i].idle_time - before[i] >= 50 * MS,
			    "hart %zu idled %ld ns of a 100 ms sleep", i,
			    (long)(stats[i].idle_time - before[i]));
}

/* ------------------------------------------------------------ balancing */

static volatile int stop;

static void busy(uintptr_t a0, uintptr_t a1)
{
	(void)a0;
	(void)a1;
	while (!stop)
		;
	zx_thread_exit();
}

TEST(Sched, BusyThreadsKeepEveryHartBusyAndShareIt)
{
	size_t n = read_stats(), nthreads = 2 * n;
	zx_handle_t t[2 * MAX_CPUS];
	zx_duration_t idle0[MAX_CPUS];
	ASSERT_TRUE(n > 0);
	stop = 0;
	for (size_t i = 0; i < nthreads; i++)
		ASSERT_TRUE(spawn(busy, 0, &t[i]));
	zx_nanosleep(zx_deadline_after(50 * MS)); /* every thread placed */
	ASSERT_EQ(read_stats(), n);
	for (size_t i = 0; i < n; i++)
		idle0[i] = stats[i].idle_time;
	zx_nanosleep(zx_deadline_after(300 * MS));
	ASSERT_EQ(read_stats(), n);
	uint64_t ran_on = 0;
	zx_duration_t least = INT64_MAX, most = 0, total = 0;
	for (size_t i = 0; i < nthreads; i++) {
		zx_info_thread_stats_t s = thread_stats(t[i]);
		ran_on |= 1ull << s.last_scheduled_cpu;
		least = s.total_runtime < least ? s.total_runtime : least;
		most = s.total_runtime > most ? s.total_runtime : most;
		total += s.total_runtime;
	}
	stop = 1;
	for (size_t i = 0; i < nthreads; i++)
		EXPECT_OK(join(t[i]));
	for (size_t i = 0; i < n; i++)
		EXPECT_TRUE(stats[i].idle_time - idle0[i] < 150 * MS,
			    "hart %zu idled %ld ns of 300 ms with %zu busy threads", i,
			    (long)(stats[i].idle_time - idle0[i]), nthreads);
	EXPECT_EQ(ran_on, n == 64 ? ~0ull : (1ull << n) - 1, "every hart ran one of them");
	zx_duration_t mean = total / (zx_duration_t)nthreads;
	printf("# %zu busy threads on %zu harts: runtimes %ld to %ld ms, mean %ld\n", nthreads, n,
	       (long)(least / MS), (long)(most / MS), (long)(mean / MS));
	/*
	 * The least share against the mean, not the most: a thread is charged
	 * its hart's time while QEMU's host thread for that hart does not run,
	 * so the most is as much the host's doing as the kernel's. With steal()
	 * and take_aged() both off, the threads left queued on the spawning
	 * hart of eight got a sixth of the mean.
	 */
	EXPECT_TRUE(least * 4 >= mean, "each got a share: %ld ns against a mean of %ld",
		    (long)least, (long)mean);
}

/* ------------------------------------------------------------- affinity */

#define NAPS 40

static volatile uint32_t moves[MAX_CPUS];
static zx_handle_t sleepers[MAX_CPUS];

/* Sleep NAPS times; count the wake-ups that found it on another hart. */
static void sleeper(uintptr_t index, uintptr_t a1)
{
	(void)a1;
	zx_handle_t self = sleepers[index];
	uint32_t cpu = thread_stats(self).last_scheduled_cpu;
	for (int i = 0; i < NAPS; i++) {
		zx_nanosleep(zx_deadline_after(2 * MS + (zx_duration_t)index * 100000));
		uint32_t now = thread_stats(self).last_scheduled_cpu;
		moves[index] += now != cpu;
		cpu = now;
	}
	zx_thread_exit();
}

TEST(Sched, SleepersWakeOnTheHartTheyRanOn)
{
	/*
	 * At most three sleepers, each with a hart to itself: more would have
	 * more harts than host cores to run them (this host has two), and a
	 * hart left waiting a whole slice for its host thread gives its
	 * thread to another hart, as it should (kernel/sched.c).
	 */
	uint32_t n = zx_system_get_num_cpus(), total = 0;
	uint32_t nthreads = n > 3 ? 3 : n > 1 ? n - 1 : 1;
	for (uint32_t i = 0; i < nthreads; i++) {
		moves[i] = 0;
		ASSERT_TRUE(spawn(sleeper, i, &sleepers[i]));
	}
	for (uint32_t i = 0; i < nthreads; i++) {
		EXPECT_OK(join(sleepers[i]));
		total += moves[i];
	}
	printf("# %u sleepers on %u harts: %u of %u wake-ups on another hart\n", nthreads, n, total,
	       nthreads * NAPS);
	/*
	 * Alone on this host, none or one or two move; with another QEMU
	 * running beside it, up to one in six. One queue for all harts moved
	 * two in three on eight harts.
	 */
	EXPECT_TRUE(total * 4 <= nthreads * NAPS, "at most one wake-up in four moved: %u of %u",
		    total, nthreads * NAPS);
}
