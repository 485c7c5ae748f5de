/*
 * ipc.c: docs/ipc.md's worked example, run. bin/init of a boot archive
 * with bin/server (ipc_server.c) and bin/client (ipc_client.c): one server
 * process serves three client processes over channels through one port,
 * with a timer for delayed replies. Also: a client killed during its call
 * leaves the others served; concurrent callers on one channel get their
 * own replies, which the server sends in another order than the calls
 * came; a server killed during calls ends them with PEER_CLOSED; a reply
 * whose handles do not fit the caller's table is NO_RESOURCES. Run with
 * -smp 1 and -smp 4.
 */
#include <zircon/processargs.h>
#include <zirv/spawn.h>

#include "guest_util.h"
#include "ipc_proto.h"
#include "phys_util.h"

#define SEC 1000000000ll

static int64_t wait_exit(zx_handle_t proc)
{
	if (zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, zx_deadline_after(60 * SEC), NULL) !=
	    ZX_OK)
		return -9999;
	return proc_info(proc).return_code;
}

/*
 * Start the server with three fresh channels: their client ends go to
 * client_ends[], the report channel's reading end to *report.
 */
static zx_status_t start_server(zx_handle_t client_ends[IPC_CLIENTS], zx_handle_t *report,
				zx_handle_t *proc)
{
	zx_handle_t hs[IPC_CLIENTS + 1];
	uint32_t info[IPC_CLIENTS + 1];
	zx_status_t st;
	for (int i = 0; i < IPC_CLIENTS; i++) {
		if ((st = zx_channel_create(0, &client_ends[i], &hs[i])) != ZX_OK)
			return st;
		info[i] = IPC_CLIENT_HANDLE(i);
	}
	if ((st = zx_channel_create(0, report, &hs[IPC_CLIENTS])) != ZX_OK)
		return st;
	info[IPC_CLIENTS] = IPC_REPORT_HANDLE;
	const char *argv[] = {"server", NULL};
	return zirv_spawn(zx_job_default(), "bin/server", argv, IPC_CLIENTS + 1, hs, info, proc);
}

static zx_status_t start_client(int i, const char *mode, zx_handle_t ch, zx_handle_t *proc)
{
	char num[2] = {(char)('0' + i), 0};
	const char *argv[] = {"client", num, mode, NULL};
	uint32_t info = PA_HND(PA_USER0, 0);
	return zirv_spawn(zx_job_default(), "bin/client", argv, 1, &ch, &info, proc);
}

static struct ipc_report read_report(zx_handle_t report)
{
	struct ipc_report r;
	memset(&r, 0xee, sizeof(r));
	uint32_t nb, nh;
	if (zx_object_wait_one(report, ZX_CHANNEL_READABLE, zx_deadline_after(60 * SEC), NULL) ==
	    ZX_OK)
		zx_channel_read(report, 0, &r, NULL, sizeof(r), 0, &nb, &nh);
	return r;
}

TEST(Ipc, OneServerThreeClientsOnePortAndATimer)
{
	zx_handle_t ends[IPC_CLIENTS], report, server, client[IPC_CLIENTS];
	ASSERT_OK(start_server(ends, &report, &server));
	for (int i = 0; i < IPC_CLIENTS; i++)
		ASSERT_OK(start_client(i, "serve", ends[i], &client[i]));
	for (int i = 0; i < IPC_CLIENTS; i++)
		EXPECT_EQ(wait_exit(client[i]), 0, "client %d", i);
	struct ipc_report r = read_report(report);
	EXPECT_EQ(wait_exit(server), 0);
	for (int i = 0; i < IPC_CLIENTS; i++)
		EXPECT_EQ(r.requests[i], 50u + 3u, "client %d: 50 adds, 3 sleeps", i);
	EXPECT_EQ(r.delayed, 9u, "every sleep answered by the timer");
	/*
	 * A timer packet sends at least one reply, unless a request re-set the
	 * timer after it fired and before its packet was taken (9 requests).
	 */
	EXPECT_TRUE(r.timer_packets >= 1 && r.timer_packets <= 9 + 9, "%u", r.timer_packets);
	EXPECT_TRUE(r.timer_packets <= r.delayed + 2, "%u packets, few of them empty",
		    r.timer_packets);
	EXPECT_EQ(r.lost_replies, 0u);
	zx_handle_close_many(client, IPC_CLIENTS);
	zx_handle_close_many((zx_handle_t[]){report, server}, 2);
}

TEST(Ipc, AClientKilledDuringItsCallLeavesTheOthersServed)
{
	zx_handle_t ends[IPC_CLIENTS], report, server, client[IPC_CLIENTS];
	ASSERT_OK(start_server(ends, &report, &server));
	ASSERT_OK(start_client(0, "serve", ends[0], &client[0]));
	ASSERT_OK(start_client(1, "hang", ends[1], &client[1]));
	ASSERT_OK(start_client(2, "serve", ends[2], &client[2]));
	/* The server signals once client 1's minute-long request is in: the client is in its call.
	 */
	ASSERT_OK(zx_object_wait_one(report, ZX_USER_SIGNAL_0, zx_deadline_after(30 * SEC), NULL));
	ASSERT_OK(zx_task_kill(client[1]));
	EXPECT_EQ(wait_exit(client[1]), ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_EQ(wait_exit(client[0]), 0);
	EXPECT_EQ(wait_exit(client[2]), 0);
	struct ipc_report r = read_report(report);
	EXPECT_EQ(wait_exit(server), 0, "its last client gone, whatever way");
	EXPECT_EQ(r.requests[1], 1u, "the hanging client's one request");
	EXPECT_EQ(r.requests[0], 53u);
	EXPECT_EQ(r.requests[2], 53u);
	zx_handle_close_many(client, IPC_CLIENTS);
	zx_handle_close_many((zx_handle_t[]){report, server}, 2);
}

/* Four threads of this process call the server on one channel; the later callers sleep less. */
static zx_handle_t shared_end;
static volatile int wrong_replies, failed_calls;

static void sleeper(uintptr_t k, uintptr_t unused)
{
	(void)unused;
	struct ipc_msg m = {.op = IPC_SLEEP, .arg = 40 - 10 * (uint32_t)k}, r;
	uint32_t nb, nh;
	zx_channel_call_args_t a = {
	    .wr_bytes = &m, .rd_bytes = &r, .wr_num_bytes = sizeof(m), .rd_num_bytes = sizeof(r)};
	if (zx_channel_call(shared_end, 0, zx_deadline_after(30 * SEC), &a, &nb, &nh) != ZX_OK)
		__atomic_fetch_add(&failed_calls, 1, __ATOMIC_SEQ_CST);
	else if (r.value != m.arg || r.op != IPC_SLEEP)
		__atomic_fetch_add(&wrong_replies, 1, __ATOMIC_SEQ_CST);
	zx_thread_exit();
}

TEST(Ipc, ConcurrentCallersOnOneChannelGetTheirOwnRepliesOutOfOrder)
{
	zx_handle_t ends[IPC_CLIENTS], report, server, t[4];
	ASSERT_OK(start_server(ends, &report, &server));
	shared_end = ends[0];
	wrong_replies = failed_calls = 0;
	for (int k = 0; k < 4; k++) { /* each asks while the ones before still wait */
		t[k] = start_thread(sleeper, (uintptr_t)k);
		ASSERT_NE(t[k], ZX_HANDLE_INVALID);
		EXPECT_TRUE(reached_state(t[k], ZX_THREAD_STATE_BLOCKED_CHANNEL));
	}
	for (int k = 0; k < 4; k++)
		EXPECT_OK(join_thread(t[k]));
	EXPECT_EQ(failed_calls, 0);
	EXPECT_EQ(wrong_replies, 0, "a reply went to another caller");
	zx_handle_close_many(ends, IPC_CLIENTS);
	struct ipc_report r = read_report(report);
	EXPECT_EQ(r.requests[0], 4u);
	EXPECT_EQ(r.delayed, 4u);
	EXPECT_EQ(wait_exit(server), 0);
	zx_handle_close_many((zx_handle_t[]){report, server}, 2);
}

/* This process as a client: a call on `ch` from another thread, its result kept. */
static zx_handle_t my_end;
static volatile zx_status_t my_result = 1;

static void long_call(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1;
	(void)unused2;
	struct ipc_msg m = {.op = IPC_SLEEP, .arg = 60000}, r;
	uint32_t nb, nh;
	zx_channel_call_args_t a = {
	    .wr_bytes = &m, .rd_bytes = &r, .wr_num_bytes = sizeof(m), .rd_num_bytes = sizeof(r)};
	my_result = zx_channel_call(my_end, 0, zx_deadline_after(60 * SEC), &a, &nb, &nh);
	zx_thread_exit();
}

TEST(Ipc, AServerKilledDuringCallsEndsThemWithPeerClosed)
{
	zx_handle_t ends[IPC_CLIENTS], report, server;
	ASSERT_OK(start_server(ends, &report, &server));
	my_end = ends[0];
	my_result = 1;
	zx_handle_t t = start_blocked(long_call, 0, ZX_THREAD_STATE_BLOCKED_CHANNEL);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_task_kill(server));
	EXPECT_OK(join_thread(t));
	EXPECT_STATUS(my_result, ZX_ERR_PEER_CLOSED);
	EXPECT_EQ(wait_exit(server), ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_TRUE(signals_of(report) & ZX_CHANNEL_PEER_CLOSED);
	zx_handle_close_many(ends, IPC_CLIENTS);
	zx_handle_close_many((zx_handle_t[]){report, server}, 2);
}

static zx_status_t call_events(zx_handle_t ch, uint32_t n, zx_handle_t *got, uint32_t *nh)
{
	struct ipc_msg m = {.op = IPC_EVENTS, .arg = n}, r;
	uint32_t nb;
	zx_channel_call_args_t a = {.wr_bytes = &m,
				    .rd_bytes = &r,
				    .rd_handles = got,
				    .wr_num_bytes = sizeof(m),
				    .rd_num_bytes = sizeof(r),
				    .rd_num_handles = 4};
	return zx_channel_call(ch, 0, zx_deadline_after(10 * SEC), &a, &nb, nh);
}

TEST(Ipc, AReplyWhoseHandlesDoNotFitTheTableIsNoResources)
{
	zx_handle_t ends[IPC_CLIENTS], report, server, got[4];
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	ASSERT_OK(start_server(ends, &report, &server));
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 1);
	zx_handle_close(hs[--n]); /* one slot free: the reply has two events */
	uint32_t nh = 0x77;
	zx_status_t full = call_events(ends[0], 2, got, &nh);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_STATUS(full, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(nh, 0x77u, "nothing written");
	int slots = free_handle_slots();
	ASSERT_OK(call_events(ends[0], 2, got, &nh), "with room, the next call works");
	EXPECT_EQ(nh, 2u);
	EXPECT_EQ(handle_basic(got[0]).type, ZX_OBJ_TYPE_EVENT);
	EXPECT_EQ(free_handle_slots(), slots - 2, "two handles came, no more");
	zx_handle_close_many(got, 2);
	zx_handle_close_many(ends, IPC_CLIENTS);
	struct ipc_report r = read_report(report);
	EXPECT_EQ(r.requests[0], 2u);
	EXPECT_EQ(wait_exit(server), 0);
	zx_handle_close_many((zx_handle_t[]){report, server}, 2);
}
