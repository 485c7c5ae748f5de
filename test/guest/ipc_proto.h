/*
 * ipc_proto.h: the protocol of docs/ipc.md's worked example, shared by the
 * server (ipc_server.c), its clients (ipc_client.c) and the test that
 * starts them (ipc.c). Every message is one struct ipc_msg; a request is
 * sent with zx_channel_call, and the reply carries the request's txid back.
 */
#ifndef ZIRV_TEST_IPC_PROTO_H
#define ZIRV_TEST_IPC_PROTO_H

#include <stdint.h>
#include <zircon/types.h>

#define IPC_CLIENTS 3

enum ipc_op {
	IPC_ADD = 1,	/* add `arg` to this client's total; the reply's `value` is the new total */
	IPC_SLEEP = 2,	/* reply after `arg` milliseconds (the server's timer), `value` = arg */
	IPC_EVENTS = 3, /* reply with `arg` (at most 4) new event handles */
};

struct ipc_msg {
	zx_txid_t txid; /* the kernel's, on a call */
	uint32_t op;
	uint32_t arg;
	uint32_t value;
};

/* What the server reports on its report channel when its last client is gone. */
struct ipc_report {
	uint32_t requests[IPC_CLIENTS]; /* handled, per client */
	uint32_t delayed;		/* IPC_SLEEP replies sent by the timer */
	uint32_t timer_packets;		/* timer packets taken from the port */
	uint32_t lost_replies;		/* replies whose client was gone */
};

/* The server's startup handles: client i's channel end, and the report channel. */
#define IPC_CLIENT_HANDLE(i) PA_HND(PA_USER0, (i))
#define IPC_REPORT_HANDLE    PA_HND(PA_USER1, 0)

#endif
