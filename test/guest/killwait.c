/*
 * killwait.c: a process killed while its thread blocks in each kind of
 * wait — zx_object_wait_one, zx_object_wait_many, zx_port_wait,
 * zx_channel_call, zx_futex_wait, zx_nanosleep, zx_interrupt_wait — ends
 * there, with ZX_TASK_RETCODE_SYSCALL_KILL, its thread dead and its
 * handles closed; a driver killed in its interrupt wait leaves no pinned
 * page and gives its vector back.
 * bin/init of a boot archive with bin/child (killwait_child.c), which
 * sends its thread's handle so that the kill comes only once the thread
 * is seen blocked. Run with -smp 1 and -smp 4 (the kill then often comes
 * from another hart).
 */
#include <zircon/processargs.h>
#include <zirv/spawn.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"
#include "phys_util.h"

static zx_handle_t irq_resource(void)
{
	static zx_handle_t res;
	if (!res)
		res = zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0));
	return res;
}

#define SEC 1000000000ll

struct killed {
	int blocked;	/* the thread was seen in its wait before the kill */
	uint32_t state; /* the thread's state after the process ended */
	int64_t code;	/* the process's return code (negative numbers below -1024: setup failed) */
	zx_handle_t ch; /* this end of the child's channel */
};

/*
 * Start bin/child in `kind` (a "driver" gets the IRQ and root resources
 * too), wait until its thread is in `state`, and kill it.
 */
static struct killed kill_during(const char *kind, uint32_t state)
{
	struct killed k = {0, 0, -2000, ZX_HANDLE_INVALID};
	zx_handle_t hs[3], proc, thread = ZX_HANDLE_INVALID;
	const char *argv[] = {"child", kind, NULL};
	uint32_t info[3] = {PA_HND(PA_USER0, 0), PA_HND(PA_USER1, 0), PA_HND(PA_USER2, 0)}, nb, nh;
	size_t n = 1;
	char c;
	if (zx_channel_create(0, &k.ch, &hs[0]) != ZX_OK)
		return k;
	if (!strcmp(kind, "driver")) {
		zx_handle_duplicate(irq_resource(), ZX_RIGHT_SAME_RIGHTS, &hs[1]);
		zx_handle_duplicate(root_resource(), ZX_RIGHT_SAME_RIGHTS, &hs[2]);
		n = 3;
	}
	if (zirv_spawn(zx_job_default(), "bin/child", argv, n, hs, info, &proc) != ZX_OK)
		return k;
	if (zx_object_wait_one(k.ch, ZX_CHANNEL_READABLE, zx_deadline_after(10 * SEC), NULL) ==
		ZX_OK &&
	    zx_channel_read(k.ch, 0, &c, &thread, 1, 1, &nb, &nh) == ZX_OK)
		k.blocked = reached_state(thread, state);
	if (zx_task_kill(proc) == ZX_OK &&
	    zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, zx_deadline_after(10 * SEC), NULL) ==
		ZX_OK)
		k.code = proc_info(proc).return_code;
	k.state = thread_info(thread).state;
	zx_handle_close_many((zx_handle_t[]){proc, thread}, 2);
	return k;
}

TEST(KillWait, EachKindOfWaitEndsWithTheKill)
{
	static const struct {
		const char *kind;
		uint32_t state;
	} kinds[] = {
	    {"one", ZX_THREAD_STATE_BLOCKED_WAIT_ONE},
	    {"many", ZX_THREAD_STATE_BLOCKED_WAIT_MANY},
	    {"port", ZX_THREAD_STATE_BLOCKED_PORT},
	    {"call", ZX_THREAD_STATE_BLOCKED_CHANNEL},
	    {"futex", ZX_THREAD_STATE_BLOCKED_FUTEX},
	    {"sleep", ZX_THREAD_STATE_BLOCKED_SLEEPING},
	    {"interrupt", ZX_THREAD_STATE_BLOCKED_INTERRUPT},
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct killed k = kill_during(kinds[i].kind, kinds[i].state);
		EXPECT_TRUE(k.blocked, "%s: the thread reached its wait", kinds[i].kind);
		EXPECT_EQ(k.code, ZX_TASK_RETCODE_SYSCALL_KILL, "%s", kinds[i].kind);
		EXPECT_EQ(k.state, ZX_THREAD_STATE_DEAD, "%s", kinds[i].kind);
		EXPECT_TRUE(signals_of(k.ch) & ZX_CHANNEL_PEER_CLOSED, "%s: its handles went",
			    kinds[i].kind);
		zx_handle_close(k.ch);
	}
}

static uint64_t vmo_bytes(void)
{
	zx_info_kmem_stats_v1_t st = {0};
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL);
	return st.vmo_bytes;
}

TEST(KillWait, ADriverKilledInItsInterruptWaitLeavesNothingBehind)
{
	uint64_t before = vmo_bytes();
	struct killed k = kill_during("driver", ZX_THREAD_STATE_BLOCKED_INTERRUPT);
	EXPECT_TRUE(k.blocked, "the driver reached its wait");
	EXPECT_EQ(k.code, ZX_TASK_RETCODE_SYSCALL_KILL);
	zx_handle_close(k.ch);
	EXPECT_EQ(vmo_bytes(), before, "its pinned pages went with it");
	zx_handle_t irq;
	ASSERT_OK(zx_interrupt_create(irq_resource(), 11, 0, &irq), "its vector is free again");
	zx_handle_close(irq);
}

TEST(KillWait, AKilledCallersRequestStaysWithTheServer)
{
	struct killed k = kill_during("call", ZX_THREAD_STATE_BLOCKED_CHANNEL);
	ASSERT_TRUE(k.blocked);
	ASSERT_EQ(k.code, ZX_TASK_RETCODE_SYSCALL_KILL);
	uint32_t req[4], nb, nh;
	ASSERT_OK(zx_channel_read(k.ch, 0, req, NULL, sizeof(req), 0, &nb, &nh));
	EXPECT_TRUE(req[0] >= 0x80000000u, "the call's txid");
	EXPECT_STATUS(zx_channel_write(k.ch, 0, req, sizeof(req), NULL, 0), ZX_ERR_PEER_CLOSED,
		      "the caller's end went with its process");
	zx_handle_close(k.ch);
}
