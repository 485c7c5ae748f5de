/*
 * greeter.c: the second program of `./zirv run`. The demo (bin/init)
 * starts it from the boot archive with zirv_spawn(): it prints the argv it
 * got, answers the message waiting on the channel it was handed, and exits.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

int main(int argc, char **argv)
{
	zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0));
	char msg[32] = {0};
	uint32_t n = 0;

	printf("greeter: a process of its own, started with argv");
	for (int i = 0; i < argc; i++)
		printf(" \"%s\"", argv[i]);
	printf("\n");
	if (zx_object_wait_one(ch, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL) != ZX_OK ||
	    zx_channel_read(ch, 0, msg, NULL, sizeof(msg) - 1, 0, &n, NULL) != ZX_OK)
		return 1;
	printf("greeter: got \"%s\" over the channel, answering \"pong\"\n", msg);
	return zx_channel_write(ch, 0, "pong", 4, NULL, 0) == ZX_OK ? 0 : 2;
}
