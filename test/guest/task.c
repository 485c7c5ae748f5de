/*
 * task.c: zx_job_create, zx_process_create and zx_task_kill, from the
 * first process (no threads yet: the processes made here never start).
 * The job tree, rights, koids, signals and ZX_INFO_JOB / ZX_INFO_PROCESS
 * as Zircon reports them; a process's VMAR works before it starts; kills
 * take whole trees; nothing is left behind.
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "phys_util.h"

#define JOB_NO_CHILDREN __ZX_OBJECT_SIGNAL_6 /* Zircon asserts it too */

TEST(Job, TheRootAndAChild)
{
	zx_handle_t root = zx_job_default(), j = ZX_HANDLE_INVALID;
	ASSERT_NE(root, ZX_HANDLE_INVALID);
	zx_info_handle_basic_t rb = handle_basic(root);
	EXPECT_EQ(rb.type, ZX_OBJ_TYPE_JOB);
	EXPECT_EQ(rb.rights, ZX_DEFAULT_JOB_RIGHTS);
	EXPECT_EQ(rb.related_koid, 0u, "the root job has no parent");
	EXPECT_EQ(signals_of(root) & ZX_JOB_NO_PROCESSES, 0u, "this process is in it");
	ASSERT_OK(zx_job_create(root, 0, &j));
	zx_info_handle_basic_t jb = handle_basic(j);
	EXPECT_EQ(jb.rights, ZX_DEFAULT_JOB_RIGHTS);
	EXPECT_EQ(jb.related_koid, rb.koid);
	EXPECT_EQ(signals_of(j), ZX_JOB_NO_JOBS | ZX_JOB_NO_PROCESSES | JOB_NO_CHILDREN);
	EXPECT_EQ(signals_of(root) & ZX_JOB_NO_JOBS, 0u);
	zx_info_job_t ji = job_info(j);
	EXPECT_EQ(ji.return_code, 0);
	EXPECT_FALSE(ji.exited);
	EXPECT_OK(zx_handle_close(j));
	EXPECT_EQ(signals_of(root) & ZX_JOB_NO_JOBS, ZX_JOB_NO_JOBS, "a childless job goes");
}

TEST(Job, Errors)
{
	zx_handle_t j = 0x77, weak, v = new_vmo(PAGE);
	EXPECT_STATUS(zx_job_create(zx_job_default(), 1, &j), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_job_create(0x12345, 0, &j), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_job_create(v, 0, &j), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(zx_job_default(), ZX_RIGHT_INSPECT | ZX_RIGHT_MANAGE_PROCESS,
				      &weak));
	EXPECT_STATUS(zx_job_create(weak, 0, &j), ZX_ERR_ACCESS_DENIED, "needs MANAGE_JOB");
	EXPECT_STATUS(zx_job_create(zx_job_default(), 0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(j, 0x77u);
	/* 32 levels below the root, no more */
	zx_handle_t chain[33];
	int depth = 0;
	zx_status_t st = ZX_OK;
	for (zx_handle_t parent = zx_job_default(); depth < 33; depth++) {
		if ((st = zx_job_create(parent, 0, &chain[depth])) != ZX_OK)
			break;
		parent = chain[depth];
	}
	EXPECT_EQ(depth, 32);
	EXPECT_STATUS(st, ZX_ERR_OUT_OF_RANGE);
	zx_handle_t p, vmar;
	EXPECT_OK(zx_process_create(chain[31], "deep", 4, 0, &p, &vmar),
		  "the deepest job may still hold processes");
	EXPECT_OK(zx_handle_close(p));
	EXPECT_OK(zx_handle_close(vmar));
	for (int i = depth - 1; i >= 0; i--)
		EXPECT_OK(zx_handle_close(chain[i]));
	/* a killed job takes no children */
	zx_handle_t k;
	ASSERT_OK(zx_job_create(zx_job_default(), 0, &k));
	EXPECT_OK(zx_task_kill(k));
	EXPECT_STATUS(zx_job_create(k, 0, &j), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_process_create(k, "x", 1, 0, &p, &vmar), ZX_ERR_BAD_STATE);
	EXPECT_OK(zx_handle_close(k));
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Process, MadeButNotStarted)
{
	zx_handle_t j, p, vmar;
	ASSERT_OK(zx_job_create(zx_job_default(), 0, &j));
	ASSERT_OK(zx_process_create(j, "child-process-with-a-long-name!!", 32, 0, &p, &vmar));
	zx_info_handle_basic_t pb = handle_basic(p), vb = handle_basic(vmar);
	EXPECT_EQ(pb.type, ZX_OBJ_TYPE_PROCESS);
	EXPECT_EQ(pb.rights, ZX_DEFAULT_PROCESS_RIGHTS);
	EXPECT_EQ(pb.related_koid, koid_of(j), "a process names its job");
	EXPECT_EQ(vb.type, ZX_OBJ_TYPE_VMAR);
	EXPECT_EQ(vb.rights,
		  ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE);
	char name[ZX_MAX_NAME_LEN] = {0};
	EXPECT_OK(zx_object_get_property(p, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "child-process-with-a-long-name!", "31 characters survive");
	zx_info_process_t pi = proc_info(p);
	EXPECT_EQ(pi.flags, 0u, "not started");
	EXPECT_EQ(pi.start_time, 0);
	EXPECT_EQ(pi.return_code, 0);
	EXPECT_EQ(signals_of(j) & ZX_JOB_NO_PROCESSES, 0u);
	/* its address space can be built before it starts */
	zx_info_vmar_t mine = {0}, its = {0};
	zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &mine, sizeof(mine), NULL, NULL);
	zx_object_get_info(vmar, ZX_INFO_VMAR, &its, sizeof(its), NULL, NULL);
	EXPECT_EQ(its.base, mine.base);
	EXPECT_EQ(its.len, mine.len);
	zx_handle_t v = filled_vmo(2 * PAGE, 0, 9), sub;
	zx_vaddr_t a = 0, sa = 0;
	ASSERT_OK(zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0x1000000 - its.base, v, 0,
			      2 * PAGE, &a));
	EXPECT_EQ(a, 0x1000000u, "where this program's own text is: another address space");
	ASSERT_OK(zx_vmar_allocate(vmar, ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, &sub, &sa));
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	/* killed before it ever ran */
	EXPECT_OK(zx_task_kill(p));
	pi = proc_info(p);
	EXPECT_EQ(pi.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_EQ(pi.flags, ZX_INFO_PROCESS_FLAG_STARTED | ZX_INFO_PROCESS_FLAG_EXITED,
		  "as Zircon reports a process that ended");
	EXPECT_EQ(signals_of(p) & ZX_PROCESS_TERMINATED, ZX_PROCESS_TERMINATED);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u, "its address space is gone");
	EXPECT_STATUS(zx_vmar_map(vmar, ZX_VM_PERM_READ, 0, v, 0, PAGE, &a), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmar_destroy(sub), ZX_ERR_BAD_STATE, "its sub-VMARs with it");
	EXPECT_EQ(signals_of(j) & ZX_JOB_NO_PROCESSES, ZX_JOB_NO_PROCESSES, "it left its job");
	EXPECT_OK(zx_task_kill(p), "killing a dead process is fine");
	EXPECT_OK(zx_handle_close(sub));
	EXPECT_OK(zx_handle_close(vmar));
	EXPECT_OK(zx_handle_close(p));
	EXPECT_OK(zx_handle_close(v));
	EXPECT_OK(zx_handle_close(j));
}

TEST(Process, Errors)
{
	zx_handle_t p = 0x77, vmar = 0x77, weak, v = new_vmo(PAGE);
	zx_handle_t job = zx_job_default();
	EXPECT_STATUS(zx_process_create(job, "x", 1, 2, &p, &vmar), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_process_create(job, "x", 1, ZX_PROCESS_SHARED, &p, &vmar),
		      ZX_ERR_NOT_SUPPORTED, "shared address spaces: not yet");
	EXPECT_STATUS(zx_process_create(job, NULL, 0, 0, &p, &vmar), ZX_ERR_INVALID_ARGS,
		      "a NULL name, even of size 0");
	EXPECT_STATUS(zx_process_create(job, (const char *)KERNEL_ADDR, 4, 0, &p, &vmar),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_process_create(0x12345, "x", 1, 0, &p, &vmar), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_process_create(v, "x", 1, 0, &p, &vmar), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(job, ZX_RIGHT_INSPECT | ZX_RIGHT_MANAGE_JOB, &weak));
	EXPECT_STATUS(zx_process_create(weak, "x", 1, 0, &p, &vmar), ZX_ERR_ACCESS_DENIED,
		      "needs MANAGE_PROCESS");
	int slots = free_handle_slots();
	uint64_t heap = heap_used();
	EXPECT_STATUS(zx_process_create(job, "x", 1, 0, &p, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_process_create(job, "x", 1, 0, (zx_handle_t *)KERNEL_ADDR, &vmar),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots, "neither handle left behind");
	EXPECT_EQ(heap_used(), heap, "nor the process");
	EXPECT_EQ(p, 0x77u);
	EXPECT_EQ(vmar, 0x77u);
	/* zx_task_kill */
	zx_handle_t j, nokill;
	ASSERT_OK(zx_job_create(job, 0, &j));
	ASSERT_OK(zx_handle_duplicate(j, ZX_RIGHT_INSPECT, &nokill));
	EXPECT_STATUS(zx_task_kill(nokill), ZX_ERR_ACCESS_DENIED, "needs DESTROY");
	EXPECT_STATUS(zx_task_kill(v), ZX_ERR_ACCESS_DENIED,
		      "a VMO handle has no DESTROY: the right is checked before the type");
	EXPECT_STATUS(zx_task_kill(zx_vmar_root_self()), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_task_kill(0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_OK(zx_handle_close(nokill));
	EXPECT_OK(zx_handle_close(j));
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Process, FullHandleTable)
{
	zx_handle_t hs[HANDLE_TABLE_SLOTS], p = 0x77, vmar = 0x77, j = 0x77;
	uint64_t heap = heap_used();
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 1);
	EXPECT_STATUS(zx_job_create(zx_job_default(), 0, &j), ZX_ERR_NO_RESOURCES);
	EXPECT_OK(zx_handle_close(hs[--n]), "one slot free: not enough for two");
	EXPECT_STATUS(zx_process_create(zx_job_default(), "p", 1, 0, &p, &vmar),
		      ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(p, 0x77u);
	EXPECT_EQ(j, 0x77u);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_EQ(heap_used(), heap, "the job and the process are gone again");
}

TEST(Kill, AWholeTree)
{
	zx_handle_t top, mid, leaf, p1, v1, p2, v2, p3, v3;
	ASSERT_OK(zx_job_create(zx_job_default(), 0, &top));
	ASSERT_OK(zx_job_create(top, 0, &mid));
	ASSERT_OK(zx_job_create(mid, 0, &leaf));
	ASSERT_OK(zx_process_create(top, "p1", 2, 0, &p1, &v1));
	ASSERT_OK(zx_process_create(mid, "p2", 2, 0, &p2, &v2));
	ASSERT_OK(zx_process_create(leaf, "p3", 2, 0, &p3, &v3));
	EXPECT_OK(zx_handle_close(leaf), "a job with children lives on without handles");
	EXPECT_EQ(signals_of(mid) & ZX_JOB_NO_JOBS, 0u);
	EXPECT_OK(zx_task_kill(mid));
	EXPECT_EQ(proc_info(p2).return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_EQ(proc_info(p3).return_code, ZX_TASK_RETCODE_SYSCALL_KILL, "the grandchild too");
	EXPECT_EQ(proc_info(p1).flags, 0u, "above the killed job: untouched");
	EXPECT_EQ(signals_of(mid),
		  ZX_JOB_TERMINATED | ZX_JOB_NO_JOBS | ZX_JOB_NO_PROCESSES | JOB_NO_CHILDREN);
	zx_info_job_t mi = job_info(mid);
	EXPECT_EQ(mi.return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_TRUE(mi.exited);
	EXPECT_EQ(signals_of(top) & ZX_JOB_NO_JOBS, ZX_JOB_NO_JOBS, "the dead job left its parent");
	EXPECT_EQ(signals_of(top) & ZX_JOB_NO_PROCESSES, 0u);
	EXPECT_OK(zx_task_kill(top));
	EXPECT_EQ(proc_info(p1).return_code, ZX_TASK_RETCODE_SYSCALL_KILL);
	EXPECT_TRUE(job_info(top).exited);
	zx_handle_t hs[] = {top, mid, p1, v1, p2, v2, p3, v3};
	EXPECT_OK(zx_handle_close_many(hs, sizeof(hs) / sizeof(hs[0])));
}

TEST(Teardown, ManyProcessesLeaveNothing)
{
	uint64_t heap = heap_used();
	zx_info_kmem_stats_v1_t before = {0}, after = {0};
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &before, sizeof(before), NULL,
			   NULL);
	zx_handle_t v = filled_vmo(PAGE, 0, 1);
	for (int i = 0; i < 1000; i++) {
		zx_handle_t j, p, vmar;
		zx_vaddr_t a;
		ASSERT_OK(zx_job_create(zx_job_default(), 0, &j), "round %d", i);
		ASSERT_OK(zx_process_create(j, "p", 1, 0, &p, &vmar));
		ASSERT_OK(zx_vmar_map(vmar, ZX_VM_PERM_READ, 0, v, 0, PAGE, &a));
		if (i % 2)
			EXPECT_OK(zx_task_kill(j));
		EXPECT_OK(zx_handle_close(vmar));
		EXPECT_OK(zx_handle_close(p));
		EXPECT_OK(zx_handle_close(j));
	}
	EXPECT_OK(zx_handle_close(v));
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &after, sizeof(after), NULL,
			   NULL);
	EXPECT_EQ(heap_used(), heap, "every job, process and VMAR freed");
	EXPECT_EQ(after.mmu_overhead_bytes, before.mmu_overhead_bytes, "every page table too");
	EXPECT_EQ(after.free_bytes + (after.total_heap_bytes - before.total_heap_bytes),
		  before.free_bytes, "and every page");
}
