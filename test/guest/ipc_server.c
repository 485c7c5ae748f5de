/*
 * ipc_server.c: the server of docs/ipc.md's worked example. One thread,
 * one port: an asynchronous wait on each client's channel and one on a
 * timer. A channel packet means requests to read (or a client gone); the
 * timer packet means delayed replies are due. The server ends, sending
 * its report, when its last client has closed its channel.
 */
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>

#include "ipc_proto.h"

#define KEY_TIMER   100 /* keys 0 .. IPC_CLIENTS-1 are the clients */
#define MAX_DELAYED 16

struct delayed {
	int client; /* -1: free */
	struct ipc_msg reply;
	zx_instant_mono_t due;
};

static zx_handle_t port, timer, clients[IPC_CLIENTS];
static uint32_t totals[IPC_CLIENTS];
static struct delayed delayed[MAX_DELAYED];
static zx_instant_mono_t timer_deadline = ZX_TIME_INFINITE; /* what the timer is set for */
static struct ipc_report report;
static zx_handle_t report_ch; /* to the test: the report at the end, a signal on a long sleep */

/* Watch client i's channel for the next request (or its close). */
static zx_status_t watch_client(int i)
{
	return zx_object_wait_async(clients[i], port, (uint64_t)i,
				    ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED, 0);
}

static void send_reply(int i, const struct ipc_msg *reply, const zx_handle_t *hs, uint32_t nh)
{
	if (clients[i] == ZX_HANDLE_INVALID ||
	    zx_channel_write(clients[i], 0, reply, sizeof(*reply), hs, nh) != ZX_OK)
		report.lost_replies++;
}

/* Set the timer for the earliest due reply, and watch it, unless it is set for that already. */
static void program_timer(void)
{
	zx_instant_mono_t next = ZX_TIME_INFINITE;
	for (int d = 0; d < MAX_DELAYED; d++)
		if (delayed[d].client >= 0 && delayed[d].due < next)
			next = delayed[d].due;
	if (next == timer_deadline)
		return;
	if (next == ZX_TIME_INFINITE) {
		zx_timer_cancel(timer);
		zx_port_cancel(port, timer, KEY_TIMER);
	} else {
		zx_timer_set(timer, next, 0); /* clears ZX_TIMER_SIGNALED until `next` */
		if (timer_deadline ==
		    ZX_TIME_INFINITE) /* not watched: its wait fired or never was */
			zx_object_wait_async(timer, port, KEY_TIMER, ZX_TIMER_SIGNALED, 0);
	}
	timer_deadline = next;
}

static void handle_request(int i, struct ipc_msg *m)
{
	struct ipc_msg reply = *m; /* the txid goes back as it came */
	zx_handle_t hs[4];
	uint32_t nh = 0;

	report.requests[i]++;
	switch (m->op) {
	case IPC_ADD:
		reply.value = totals[i] += m->arg;
		break;
	case IPC_SLEEP:
		if (m->arg >= 60000) /* a client to be killed in its call: it is in it now */
			zx_object_signal_peer(report_ch, 0, ZX_USER_SIGNAL_0);
		for (int d = 0; d < MAX_DELAYED; d++)
			if (delayed[d].client < 0) {
				reply.value = m->arg;
				delayed[d] = (struct delayed){
				    i, reply,
				    zx_deadline_after((zx_duration_mono_t)m->arg * 1000000)};
				program_timer();
				return;
			}
		reply.value = UINT32_MAX; /* no room: answered at once, as a failure */
		break;
	case IPC_EVENTS:
		while (nh < m->arg && nh < 4 && zx_event_create(0, &hs[nh]) == ZX_OK)
			nh++;
		reply.value = nh;
		break;
	default:
		reply.value = UINT32_MAX;
	}
	send_reply(i, &reply, hs, nh);
}

/* Client i's channel asserted `observed`: read every request, then watch it again. */
static int serve_client(int i, zx_signals_t observed)
{
	struct ipc_msg m;
	uint32_t nb, nh;

	if (observed & ZX_CHANNEL_READABLE)
		while (zx_channel_read(clients[i], 0, &m, NULL, sizeof(m), 0, &nb, &nh) == ZX_OK)
			if (nb == sizeof(m))
				handle_request(i, &m);
	if (!(observed & ZX_CHANNEL_PEER_CLOSED) && watch_client(i) == ZX_OK)
		return 1;
	zx_handle_close(clients[i]); /* gone: its delayed replies will be lost */
	clients[i] = ZX_HANDLE_INVALID;
	return 0;
}

/* The timer fired: send the replies that are due. */
static void serve_timer(void)
{
	zx_instant_mono_t now = zx_clock_get_monotonic();

	report.timer_packets++;
	timer_deadline = ZX_TIME_INFINITE; /* its wait fired */
	for (int d = 0; d < MAX_DELAYED; d++)
		if (delayed[d].client >= 0 && delayed[d].due <= now) {
			send_reply(delayed[d].client, &delayed[d].reply, NULL, 0);
			report.delayed++;
			delayed[d].client = -1;
		}
	program_timer();
}

int main(void)
{
	int open = 0;

	report_ch = zx_take_startup_handle(IPC_REPORT_HANDLE);

	if (zx_port_create(0, &port) != ZX_OK ||
	    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &timer) != ZX_OK)
		return 1;
	for (int d = 0; d < MAX_DELAYED; d++)
		delayed[d].client = -1;
	for (int i = 0; i < IPC_CLIENTS; i++) {
		clients[i] = zx_take_startup_handle(IPC_CLIENT_HANDLE(i));
		if (watch_client(i) != ZX_OK)
			return 2;
		open++;
	}
	while (open > 0) {
		zx_port_packet_t pk;
		if (zx_port_wait(port, ZX_TIME_INFINITE, &pk) != ZX_OK ||
		    pk.type != ZX_PKT_TYPE_SIGNAL_ONE)
			return 3;
		if (pk.key == KEY_TIMER)
			serve_timer();
		else if (pk.key < IPC_CLIENTS && !serve_client((int)pk.key, pk.signal.observed))
			open--;
	}
	return zx_channel_write(report_ch, 0, &report, sizeof(report), NULL, 0) == ZX_OK ? 0 : 4;
}
