/*
 * spawn_child.c: bin/child of the spawn test's boot archive, started by
 * zirv_spawn(). Its return code says what it found: argc 3 with argv
 * {"child", "hello", N} and a VMO reading "gift" at PA_HND(PA_USER0, 7)
 * return N; argv[1] "sleep" sleeps until killed; argv[1] "touch" writes a
 * byte to the channel at PA_HND(PA_USER0, 0), waits for its peer to close,
 * then stores to a page of its bss never touched before (returning 0 if
 * that store survives); anything else returns 100 + argc, or 99 / 98 for a
 * missing handle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

static char untouched[8 * 4096];

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "sleep") == 0)
		zx_nanosleep(ZX_TIME_INFINITE);
	if (argc >= 2 && strcmp(argv[1], "touch") == 0) {
		zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
		if (zx_channel_write(ch, 0, "r", 1, NULL, 0) != ZX_OK ||
		    zx_object_wait_one(ch, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, NULL) != ZX_OK)
			return 97;
		*(volatile char *)&untouched[4 * 4096] = 1;
		return 0;
	}
	if (argc != 3 || strcmp(argv[0], "child") != 0 || strcmp(argv[1], "hello") != 0)
		return 100 + argc;
	zx_handle_t v = zx_take_startup_handle(PA_HND(PA_USER0, 7));
	char buf[5] = {0};
	if (zx_vmo_read(v, buf, 0, 4) != ZX_OK || strcmp(buf, "gift") != 0)
		return 99;
	if (zx_process_self() == ZX_HANDLE_INVALID || zx_thread_self() == ZX_HANDLE_INVALID ||
	    zx_vmar_root_self() == ZX_HANDLE_INVALID || zx_job_default() == ZX_HANDLE_INVALID)
		return 98;
	if (strcmp(argv[2], "42") == 0) /* once, for the test log */
		printf("child: %s %s, and a gift\n", argv[1], argv[2]);
	return atoi(argv[2]);
}
