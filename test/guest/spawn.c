/*
 * spawn.c: bin/init of a boot archive that also holds bin/child
 * (spawn_child.c) and data/motd; zirv_spawn() starts bin/child with argv
 * and handles, as a separate process: exit codes, kills, errors, and no
 * leak over repeated launches.
 */
#include <string.h>
#include <zircon/processargs.h>
#include <zirv/spawn.h>

#include "phys_util.h"

#define SEC 1000000000ll

static int64_t wait_exit(zx_handle_t proc)
{
	zx_info_process_t i = {0};
	if (zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, zx_deadline_after(10 * SEC), NULL) !=
	    ZX_OK)
		return -1;
	zx_object_get_info(proc, ZX_INFO_PROCESS, &i, sizeof(i), NULL, NULL);
	return i.return_code;
}

static zx_handle_t gift(void)
{
	zx_handle_t v = new_vmo(PAGE);
	zx_vmo_write(v, "gift", 0, 4);
	return v;
}

TEST(Spawn, ArgvAndAHandleArrive)
{
	const char *argv[] = {"child", "hello", "42", NULL};
	zx_handle_t h = gift(), proc;
	uint32_t info = PA_HND(PA_USER0, 7);
	ASSERT_OK(zirv_spawn(zx_job_default(), "bin/child", argv, 1, &h, &info, &proc));
	EXPECT_STATUS(handle_valid(h), ZX_ERR_BAD_HANDLE, "the handle went to the child");
	zx_info_handle_basic_t b = handle_basic(proc);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_PROCESS);
	EXPECT_EQ(b.rights, ZX_DEFAULT_PROCESS_RIGHTS);
	EXPECT_EQ(b.related_koid, koid_of(zx_job_default()));
	char name[ZX_MAX_NAME_LEN] = {0};
	EXPECT_OK(zx_object_get_property(proc, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "child");
	EXPECT_EQ(wait_exit(proc), 42);
	zx_handle_close(proc);
}

TEST(Spawn, NoArgvMeansThePath)
{
	zx_handle_t proc;
	ASSERT_OK(zirv_spawn(zx_job_default(), "/bin/child", NULL, 0, NULL, NULL, &proc));
	EXPECT_EQ(wait_exit(proc), 101, "argc 1: argv[0] only");
	zx_handle_close(proc);
}

TEST(Spawn, AKilledChildReportsIt)
{
	const char *argv[] = {"child", "sleep", NULL};
	zx_handle_t proc;
	ASSERT_OK(zirv_spawn(zx_job_default(), "bin/child", argv, 0, NULL, NULL, &proc));
	zx_nanosleep(zx_deadline_after(SEC / 20));
	EXPECT_OK(zx_task_kill(proc));
	EXPECT_EQ(wait_exit(proc), ZX_TASK_RETCODE_SYSCALL_KILL);
	zx_handle_close(proc);
}

/*
 * Mapping commits nothing: a child whose first store to a page meets a
 * full memory is killed with a report (meson.build checks the console
 * line), and the parent and the kernel go on.
 */
TEST(Spawn, AFaultWithNoMemoryKillsOnlyThatProcess)
{
	const char *argv[] = {"child", "touch", NULL};
	zx_handle_t c0, c1, proc, hog;
	uint32_t info = PA_HND(PA_USER0, 0);
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zirv_spawn(zx_job_default(), "bin/child", argv, 1, &c1, &info, &proc));
	/* The child says it is at its wait (its start-up has faulted in what it needs). */
	char ready;
	ASSERT_OK(zx_object_wait_one(c0, ZX_CHANNEL_READABLE, zx_deadline_after(10 * SEC), NULL));
	ASSERT_OK(zx_channel_read(c0, 0, &ready, NULL, 1, 0, NULL, NULL));
	ASSERT_OK(zx_vmo_create(1ul << 30, 0, &hog));
	EXPECT_STATUS(zx_vmo_op_range(hog, ZX_VMO_OP_COMMIT, 0, 1ul << 30, NULL, 0),
		      ZX_ERR_NO_MEMORY, "the guest has less than 1 GiB");
	EXPECT_OK(zx_handle_close(c0)); /* the child stores now */
	EXPECT_EQ(wait_exit(proc), ZX_TASK_RETCODE_EXCEPTION_KILL);
	EXPECT_OK(zx_handle_close(hog));
	zx_handle_close(proc);
	/* With the memory back, the same store succeeds. */
	ASSERT_OK(zx_channel_create(0, &c0, &c1));
	ASSERT_OK(zirv_spawn(zx_job_default(), "bin/child", argv, 1, &c1, &info, &proc));
	ASSERT_OK(zx_object_wait_one(c0, ZX_CHANNEL_READABLE, zx_deadline_after(10 * SEC), NULL));
	EXPECT_OK(zx_handle_close(c0));
	EXPECT_EQ(wait_exit(proc), 0);
	zx_handle_close(proc);
}

TEST(Spawn, Errors)
{
	zx_handle_t proc = 0x77, h = gift(), v = new_vmo(PAGE), weak;
	uint32_t info = PA_HND(PA_USER0, 7);
	EXPECT_STATUS(zirv_spawn(zx_job_default(), "bin/nonesuch", NULL, 1, &h, &info, &proc),
		      ZX_ERR_NOT_FOUND);
	EXPECT_STATUS(handle_valid(h), ZX_ERR_BAD_HANDLE, "consumed on failure too");
	EXPECT_STATUS(zirv_spawn(zx_job_default(), "data/motd", NULL, 0, NULL, NULL, &proc),
		      ZX_ERR_NOT_SUPPORTED, "not an ELF");
	EXPECT_STATUS(zirv_spawn(0x12345, "bin/child", NULL, 0, NULL, NULL, &proc),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zirv_spawn(v, "bin/child", NULL, 0, NULL, NULL, &proc), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(zx_job_default(), ZX_RIGHT_INSPECT, &weak));
	EXPECT_STATUS(zirv_spawn(weak, "bin/child", NULL, 0, NULL, NULL, &proc),
		      ZX_ERR_ACCESS_DENIED, "needs MANAGE_PROCESS");
	EXPECT_STATUS(zirv_spawn(zx_job_default(), NULL, NULL, 0, NULL, NULL, &proc),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zirv_spawn(zx_job_default(), "bin/child", NULL, 1, NULL, &info, &proc),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zirv_spawn(zx_job_default(), "bin/child", NULL, 0, NULL, NULL, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(proc, 0x77u);
	zx_handle_close_many((zx_handle_t[]){v, weak}, 2);
}

TEST(Spawn, LaunchesLeaveNothingBehind)
{
	zx_info_kmem_stats_v1_t before = {0}, after = {0};
	const char *argv[] = {"child", "hello", "7", NULL};
	for (int round = 0; round < 21; round++) {
		if (round == 1)
			ASSERT_OK(zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1,
						     &before, sizeof(before), NULL, NULL));
		zx_handle_t h = gift(), proc;
		uint32_t info = PA_HND(PA_USER0, 7);
		ASSERT_OK(zirv_spawn(zx_job_default(), "bin/child", argv, 1, &h, &info, &proc));
		EXPECT_EQ(wait_exit(proc), 7);
		zx_handle_close(proc);
	}
	zx_nanosleep(zx_deadline_after(SEC / 50)); /* the last thread is reaped */
	ASSERT_OK(zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &after, sizeof(after),
				     NULL, NULL));
	EXPECT_EQ(after.free_bytes, before.free_bytes);
	EXPECT_EQ(after.total_heap_bytes - after.free_heap_bytes,
		  before.total_heap_bytes - before.free_heap_bytes);
}
