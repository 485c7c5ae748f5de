/*
 * misc.c: zx_clock_get_monotonic, zx_nanosleep, zx_debug_write, an unknown
 * syscall number, and bad out-pointers of every kind handed to calls that
 * write results back (the kernel must refuse them and keep running).
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

TEST(Clock, IncreasesAcrossASleep)
{
	zx_instant_mono_t a = zx_clock_get_monotonic();
	ASSERT_OK(zx_nanosleep(zx_deadline_after(ZX_MSEC(1))));
	zx_instant_mono_t b = zx_clock_get_monotonic();
	EXPECT_TRUE(a > 0);
	EXPECT_TRUE(b > a, "a %ld b %ld", (long)a, (long)b);
	EXPECT_TRUE(b - a >= ZX_MSEC(1), "slept only %ld ns", (long)(b - a));
}

TEST(Clock, NeverGoesBackwards)
{
	zx_instant_mono_t prev = zx_clock_get_monotonic();
	for (int i = 0; i < 10000; i++) {
		zx_instant_mono_t t = zx_clock_get_monotonic();
		ASSERT_TRUE(t >= prev, "step %d: %ld after %ld", i, (long)t, (long)prev);
		prev = t;
	}
}

/* The boot clock is the monotonic clock (zirv never suspends). */
TEST(Clock, BootClockMatchesMonotonic)
{
	zx_instant_mono_t before = zx_clock_get_monotonic();
	zx_instant_boot_t boot = zx_clock_get_boot();
	zx_instant_mono_t after = zx_clock_get_monotonic();
	EXPECT_TRUE(before <= boot && boot <= after, "%ld not in [%ld, %ld]", (long)boot,
		    (long)before, (long)after);
}

/* Ticks are the hart's time counter at the DT's timebase (QEMU virt: 10 MHz). */
TEST(Ticks, CountAtTicksPerSecond)
{
	EXPECT_EQ(zx_ticks_per_second(), 10000000, "QEMU virt's timebase-frequency");
	/*
	 * Each clock reading is bracketed by two tick readings, so that a
	 * host stall between the calls widens the window instead of failing.
	 */
	int64_t ns_per_tick = 1000000000 / zx_ticks_per_second();
	zx_ticks_t t0a = zx_ticks_get();
	zx_instant_mono_t m0 = zx_clock_get_monotonic();
	zx_ticks_t t0b = zx_ticks_get();
	zx_nanosleep(zx_deadline_after(20 * 1000 * 1000));
	zx_ticks_t t1a = zx_ticks_get();
	zx_instant_mono_t m1 = zx_clock_get_monotonic();
	zx_ticks_t t1b = zx_ticks_get();
	EXPECT_TRUE(t1a > t0b, "ticks went forward");
	int64_t least = (t1a - t0b) * ns_per_tick, most = (t1b - t0a) * ns_per_tick;
	int64_t mono = m1 - m0;
	EXPECT_TRUE(least >= 20 * 1000 * 1000, "%ld ns of ticks across a 20 ms sleep", (long)least);
	EXPECT_TRUE(mono >= least - ns_per_tick && mono <= most + ns_per_tick,
		    "monotonic %ld ns, ticks between %ld and %ld ns", (long)mono, (long)least,
		    (long)most);
}

TEST(Sleep, SleepsAtLeastUntilDeadline)
{
	zx_instant_mono_t t0 = zx_clock_get_monotonic();
	zx_instant_mono_t deadline = t0 + ZX_MSEC(20);
	ASSERT_OK(zx_nanosleep(deadline));
	zx_instant_mono_t t1 = zx_clock_get_monotonic();
	EXPECT_TRUE(t1 >= deadline, "woke %ld ns early", (long)(deadline - t1));
	EXPECT_TRUE(t1 - deadline < ZX_SEC(5), "woke %ld ns late", (long)(t1 - deadline));
}

TEST(Sleep, OddDeadlinesAreNeverEarly)
{
	int early = 0;
	zx_duration_mono_t worst = 0;
	for (int i = 0; i < 200; i++) {
		zx_instant_mono_t deadline = zx_clock_get_monotonic() + ZX_USEC(30) + 1 + i % 99;
		EXPECT_OK(zx_nanosleep(deadline));
		zx_instant_mono_t now = zx_clock_get_monotonic();
		note_early(deadline, now, &early, &worst);
	}
	EXPECT_EQ(early, 0, "%d of 200 sleeps ended before the deadline (up to %ld ns)", early,
		  (long)worst);
}

TEST(Sleep, PastDeadlinesReturnAtOnce)
{
	zx_instant_mono_t t0 = zx_clock_get_monotonic();
	EXPECT_OK(zx_nanosleep(0));
	EXPECT_OK(zx_nanosleep(-1));
	EXPECT_OK(zx_nanosleep(t0 - ZX_SEC(10)));
	EXPECT_OK(zx_nanosleep(t0));
	zx_instant_mono_t t1 = zx_clock_get_monotonic();
	EXPECT_TRUE(t1 - t0 < ZX_SEC(2), "took %ld ns", (long)(t1 - t0));
}

TEST(DebugWrite, Writes)
{
	EXPECT_OK(zx_debug_write("# debug_write works\n", 20));
	EXPECT_OK(zx_debug_write("", 0));
	EXPECT_OK(zx_debug_write(NULL, 0), "nothing to read");
	/* Longer than the kernel's bounce buffer. */
	static char big[600];
	memset(big, '=', sizeof(big));
	big[0] = '#';
	big[1] = ' ';
	big[sizeof(big) - 1] = '\n';
	EXPECT_OK(zx_debug_write(big, sizeof(big)));
}

TEST(DebugWrite, BadPointersAreInvalidArgs)
{
	const uintptr_t bad[] = {
	    0, KERNEL_ADDR, OPENSBI_ADDR, UNMAPPED_ADDR, PAST_USER_ADDR, PAST_USER_ADDR - 4};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_STATUS(zx_debug_write((const char *)bad[i], 8), ZX_ERR_INVALID_ARGS,
			      "buffer %#lx", (unsigned long)bad[i]);
	/* Wrapping around the address space. */
	EXPECT_STATUS(zx_debug_write("# x\n", ~0ul), ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_debug_write("# still alive\n", 14));
}

TEST(DebugWrite, BufferRunningIntoAnUnmappedPageIsInvalidArgs)
{
	/* In user space throughout, but the second half lies in an unmapped page. */
	zx_handle_t v;
	zx_vaddr_t a = map_before_hole(PAGE, &v);
	ASSERT_NE(a, 0u);
	char *p = (char *)(a + PAGE - 4);
	memcpy(p, "# x\n", 4);
	EXPECT_STATUS(zx_debug_write(p, 8), ZX_ERR_INVALID_ARGS);
	/* A buffer longer than the kernel's 128-byte bounce chunk: the first
	 * chunk is written, the one that reaches the hole is refused. */
	char *q = (char *)(a + PAGE - 130);
	memset(q, '=', 130);
	q[0] = '#';
	q[1] = ' ';
	q[127] = '\n';
	EXPECT_STATUS(zx_debug_write(q, 200), ZX_ERR_INVALID_ARGS);
	memcpy(p, "# y\n", 4);
	EXPECT_OK(zx_debug_write(p, 4), "the mapped part alone is fine");
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Syscall, UnknownNumberIsBadSyscall)
{
	EXPECT_STATUS((zx_status_t)raw_syscall(999, 0), ZX_ERR_BAD_SYSCALL);
	EXPECT_STATUS((zx_status_t)raw_syscall(1ul << 63, 0), ZX_ERR_BAD_SYSCALL);
	EXPECT_STATUS((zx_status_t)raw_syscall(~0ul, 0), ZX_ERR_BAD_SYSCALL);
	EXPECT_STATUS((zx_status_t)raw_syscall(0x10000, 0), ZX_ERR_BAD_SYSCALL);
	/* The raw path itself works: number 0 is zx_handle_close. */
	EXPECT_OK((zx_status_t)raw_syscall(0, ZX_HANDLE_INVALID));
	EXPECT_STATUS((zx_status_t)raw_syscall(0, 0x12345), ZX_ERR_BAD_HANDLE);
}

TEST(Syscall, A32BitArgumentIsItsLowHalf)
{
	/* The arguments reach the kernel in whole registers; a handle is their low 32 bits. */
	zx_handle_t ev;
	ASSERT_OK(zx_event_create(0, &ev));
	EXPECT_OK((zx_status_t)raw_syscall(0, 0xdead000000000000ul | ev), "closes the event");
	EXPECT_STATUS(zx_handle_close(ev), ZX_ERR_BAD_HANDLE, "it was closed");
	EXPECT_OK((zx_status_t)raw_syscall(0, 0xffffffff00000000ul), "ZX_HANDLE_INVALID");
}

/* ---- Bad out-pointers ----------------------------------------------------- */

static uint64_t aligned_buf[4];
static const uint64_t rodata_word = 0x1122334455667788ul;

struct bad_ptr {
	uintptr_t p;
	const char *what;
};

#define N_BAD 8
static void bad_pointers(struct bad_ptr out[N_BAD])
{
	struct bad_ptr b[N_BAD] = {
	    {0, "NULL"},
	    {KERNEL_ADDR, "kernel direct map"},
	    {0xffffffff80200000ul, "kernel image"},
	    {OPENSBI_ADDR, "OpenSBI region"},
	    {(uintptr_t)aligned_buf + 1, "unaligned"},
	    {UNMAPPED_ADDR, "unmapped user address"},
	    {PAST_USER_ADDR, "just past user space"},
	    {(uintptr_t)&rodata_word, "read-only page"},
	};
	memcpy(out, b, sizeof(b));
}

TEST(BadPointer, VmoCreateOut)
{
	struct bad_ptr bad[N_BAD];
	bad_pointers(bad);
	int before = free_handle_slots();
	for (int i = 0; i < N_BAD; i++) {
		EXPECT_STATUS(zx_vmo_create(PAGE, 0, (zx_handle_t *)bad[i].p), ZX_ERR_INVALID_ARGS,
			      "%s", bad[i].what);
		zx_handle_t h = ZX_HANDLE_INVALID;
		ASSERT_OK(zx_vmo_create(PAGE, 0, &h), "next call after %s", bad[i].what);
		EXPECT_OK(zx_handle_close(h));
	}
	EXPECT_EQ(rodata_word, 0x1122334455667788ul);
	EXPECT_EQ(free_handle_slots(), before, "no VMO handle leaked");
}

TEST(BadPointer, VmoGetSizeOut)
{
	struct bad_ptr bad[N_BAD];
	bad_pointers(bad);
	zx_handle_t v = new_vmo(3 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	for (int i = 0; i < N_BAD; i++) {
		EXPECT_STATUS(zx_vmo_get_size(v, (uint64_t *)bad[i].p), ZX_ERR_INVALID_ARGS, "%s",
			      bad[i].what);
		uint64_t size = 0;
		ASSERT_OK(zx_vmo_get_size(v, &size), "next call after %s", bad[i].what);
		EXPECT_EQ(size, 3 * PAGE);
	}
	/* 4-byte aligned is not enough for a uint64_t. */
	EXPECT_STATUS(zx_vmo_get_size(v, (uint64_t *)((uintptr_t)aligned_buf + 4)),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_handle_close(v));
}

TEST(BadPointer, VmarMapOut)
{
	struct bad_ptr bad[N_BAD];
	bad_pointers(bad);
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	for (int i = 0; i < N_BAD; i++) {
		EXPECT_STATUS(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE,
					  (zx_vaddr_t *)bad[i].p),
			      ZX_ERR_INVALID_ARGS, "%s", bad[i].what);
		EXPECT_EQ(vmo_info(v).num_mappings, 0u, "no mapping left behind after %s",
			  bad[i].what);
	}
	zx_vaddr_t addr = 0;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &addr));
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), addr, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(BadPointer, HandleDuplicateOut)
{
	struct bad_ptr bad[N_BAD];
	bad_pointers(bad);
	int before = free_handle_slots();
	for (int i = 0; i < N_BAD; i++)
		EXPECT_STATUS(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS,
						  (zx_handle_t *)bad[i].p),
			      ZX_ERR_INVALID_ARGS, "%s", bad[i].what);
	EXPECT_EQ(free_handle_slots(), before, "no handle leaked");
}

TEST(BadPointer, VmoReadWriteBuffers)
{
	struct bad_ptr bad[N_BAD];
	bad_pointers(bad);
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, "keep", 0, 4));
	for (int i = 0; i < N_BAD; i++) {
		if (bad[i].p == (uintptr_t)aligned_buf + 1)
			continue; /* byte buffers need no alignment */
		EXPECT_STATUS(zx_vmo_read(v, (void *)bad[i].p, 0, 8), ZX_ERR_INVALID_ARGS, "%s",
			      bad[i].what);
		if (bad[i].p == (uintptr_t)&rodata_word)
			continue; /* readable: a valid source for a write */
		EXPECT_STATUS(zx_vmo_write(v, (const void *)bad[i].p, 0, 8), ZX_ERR_INVALID_ARGS,
			      "%s", bad[i].what);
	}
	char buf[5] = {0};
	ASSERT_OK(zx_vmo_read(v, buf, 0, 4));
	EXPECT_STREQ(buf, "keep", "failed writes left the contents alone");
	EXPECT_EQ(rodata_word, 0x1122334455667788ul);
	EXPECT_OK(zx_handle_close(v));
}
