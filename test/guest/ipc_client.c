/*
 * ipc_client.c: a client of docs/ipc.md's worked example. argv: "client",
 * its number, then "serve" (N adds and a few sleeps, each checked) or
 * "hang" (one sleep of a minute, to be killed during it). The channel to
 * the server is its startup handle PA_USER0. Exit code 0: every reply was
 * right; 10 + n: the nth check failed.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

#include "ipc_proto.h"

#define ADDS   50
#define SLEEPS 3

static zx_handle_t server;

static zx_status_t call(uint32_t op, uint32_t arg, struct ipc_msg *reply)
{
	struct ipc_msg m = {.op = op, .arg = arg};
	uint32_t nb = 0, nh = 0;
	zx_channel_call_args_t a = {.wr_bytes = &m,
				    .rd_bytes = reply,
				    .wr_num_bytes = sizeof(m),
				    .rd_num_bytes = sizeof(*reply)};
	zx_status_t st =
	    zx_channel_call(server, 0, zx_deadline_after(120ll * 1000000000), &a, &nb, &nh);
	return st == ZX_OK && nb != sizeof(*reply) ? ZX_ERR_INTERNAL : st;
}

int main(int argc, char **argv)
{
	struct ipc_msg r;

	server = zx_take_startup_handle(PA_HND(PA_USER0, 0));
	if (argc != 3 || server == ZX_HANDLE_INVALID)
		return 10;
	uint32_t me = (uint32_t)atoi(argv[1]), total = 0;
	if (strcmp(argv[2], "hang") == 0)
		return call(IPC_SLEEP, 60000, &r) == ZX_OK ? 11 : 12;
	for (uint32_t i = 1; i <= ADDS; i++) {
		uint32_t add = me * 1000 + i;
		total += add;
		if (call(IPC_ADD, add, &r) != ZX_OK || r.op != IPC_ADD || r.value != total)
			return 13;
	}
	for (uint32_t i = 0; i < SLEEPS; i++) {
		uint32_t ms = 5 + 3 * me + i;
		zx_instant_mono_t start = zx_clock_get_monotonic();
		if (call(IPC_SLEEP, ms, &r) != ZX_OK || r.value != ms)
			return 14;
		if (zx_clock_get_monotonic() - start < (zx_duration_mono_t)ms * 1000000)
			return 15; /* answered before its time */
	}
	return 0;
}
