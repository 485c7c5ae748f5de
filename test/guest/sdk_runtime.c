/*
 * sdk_runtime.c: in-guest checks of what the SDK's runtime promises a
 * program before main: the start-up handles, TLS (errno), the static
 * heap, constructors, stdio on the console, the user-side syscalls and
 * the status names. Runs under zxtest, so it also exercises the harness.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/status.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

static int constructor_ran;

__attribute__((constructor)) static void mark_constructor(void)
{
	constructor_ran = 1;
}

TEST(Startup, ConstructorsRanBeforeMain)
{
	EXPECT_EQ(constructor_ran, 1);
}

TEST(Startup, SelfHandlesArePresent)
{
	EXPECT_NE(zx_process_self(), ZX_HANDLE_INVALID);
	EXPECT_NE(zx_vmar_root_self(), ZX_HANDLE_INVALID);
	/* The runtime keeps these two; they are not handed out again. */
	EXPECT_EQ(zx_take_startup_handle(PA_HND(PA_PROC_SELF, 0)), ZX_HANDLE_INVALID);
	EXPECT_EQ(zx_take_startup_handle(PA_HND(PA_VMAR_ROOT, 0)), ZX_HANDLE_INVALID);
}

TEST(Startup, TakeRemovesTheHandle)
{
	zx_handle_t h = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
	ASSERT_NE(h, ZX_HANDLE_INVALID, "the first process gets the device tree VMO");
	EXPECT_EQ(h & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
	EXPECT_EQ(zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0)), ZX_HANDLE_INVALID);
	EXPECT_OK(zx_handle_close(h));
}

TEST(Startup, UnknownTagIsInvalid)
{
	EXPECT_EQ(zx_take_startup_handle(PA_HND(PA_USER2, 77)), ZX_HANDLE_INVALID);
}

TEST(Runtime, ErrnoIsThreadLocalAndWorks)
{
	errno = 0;
	long v = strtol("999999999999999999999999", NULL, 10);
	EXPECT_EQ(v, 0x7fffffffffffffffL);
	EXPECT_EQ(errno, ERANGE);
}

TEST(Runtime, MallocUsesTheStaticHeap)
{
	char *p = malloc(512 * 1024);
	ASSERT_NOT_NULL(p);
	memset(p, 0xa5, 512 * 1024);
	EXPECT_EQ((unsigned char)p[512 * 1024 - 1], 0xa5);
	free(p);
	/* More than the 1 MiB default heap must fail cleanly. */
	EXPECT_NULL(malloc(4 * 1024 * 1024));
}

TEST(Runtime, LongLinesReachTheConsole)
{
	char line[600];
	memset(line, 'z', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	/* Longer than the console buffer: written in pieces, still one line. */
	EXPECT_TRUE(printf("# %s\n", line) > 0);
	EXPECT_OK(zx_debug_write("# written directly\n", 19));
}

TEST(Syscalls, ClockIsMonotonic)
{
	zx_instant_mono_t a = zx_clock_get_monotonic();
	zx_instant_mono_t b = zx_clock_get_monotonic();
	EXPECT_TRUE(a > 0);
	EXPECT_TRUE(b >= a);
	EXPECT_TRUE(zx_deadline_after(ZX_SEC(1)) > b);
	EXPECT_EQ(zx_deadline_after(ZX_TIME_INFINITE), ZX_TIME_INFINITE);
}

TEST(Syscalls, PageSize)
{
	EXPECT_EQ(zx_system_get_page_size(), 4096u);
}

TEST(Syscalls, CloseInvalidHandle)
{
	/* Zircon: closing ZX_HANDLE_INVALID is not an error. */
	EXPECT_OK(zx_handle_close(ZX_HANDLE_INVALID));
}

TEST(Status, Names)
{
	EXPECT_STREQ(zx_status_get_string(ZX_OK), "ZX_OK");
	EXPECT_STREQ(zx_status_get_string(ZX_ERR_ACCESS_DENIED), "ZX_ERR_ACCESS_DENIED");
	EXPECT_STREQ(zx_status_get_string(12345), "(UNKNOWN)");
}
