/*
 * smp.c: the address space shared by threads on several harts. A reader
 * thread must never see a page through a translation its hart cached
 * after the call that replaced it returned (TLB shootdown), and a crowd
 * of threads mapping, unmapping and protecting one region at random must
 * leave the kernel consistent, with nothing leaked. Run with -smp 4 / 8
 * (and -smp 1, where it checks the same on one hart).
 */
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/zirv.h>

#include "phys_util.h"

#define SEC	   1000000000ll
#define STACK_SIZE (4 * PAGE)

struct thread {
	zx_handle_t handle;
	zx_vaddr_t stack; /* its mapping's base */
};

static struct thread spawn_thread(void (*fn)(uintptr_t, uintptr_t), uintptr_t a1, uintptr_t a2)
{
	struct thread t = {ZX_HANDLE_INVALID, 0};
	zx_handle_t v = new_vmo(STACK_SIZE);
	if (zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, STACK_SIZE, &t.stack) != ZX_OK ||
	    zx_thread_create(zx_process_self(), "smp", 3, 0, &t.handle) != ZX_OK ||
	    zx_thread_start(t.handle, (zx_vaddr_t)fn, t.stack + STACK_SIZE, a1, a2) != ZX_OK)
		t.handle = ZX_HANDLE_INVALID;
	zx_handle_close(v);
	return t;
}

/* Wait for t to end, then close it and unmap its stack. */
static zx_status_t join(struct thread t)
{
	zx_status_t st =
	    zx_object_wait_one(t.handle, ZX_THREAD_TERMINATED, zx_deadline_after(30 * SEC), NULL);
	zx_handle_close(t.handle);
	if (st == ZX_OK)
		zx_vmar_unmap(zx_vmar_root_self(), t.stack, STACK_SIZE);
	return st;
}

static uint64_t kmem_used(zx_info_kmem_stats_v1_t *st)
{
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, st, sizeof(*st), NULL, NULL);
	return st->total_heap_bytes - st->free_heap_bytes;
}

/* ------------------------------------------------------------- shootdown */

#define ROUNDS 1000

static volatile uint64_t published; /* the round whose map has returned */
static volatile uint64_t stale, reads;
static volatile int reader_stop;

/* Read the page at `addr` as fast as possible; its value must never be below `published`. */
static void reader(uintptr_t addr, uintptr_t unused)
{
	(void)unused;
	volatile uint64_t *p = (volatile uint64_t *)addr;
	while (!reader_stop) {
		uint64_t want = __atomic_load_n(&published, __ATOMIC_ACQUIRE);
		if (*p < want)
			stale++;
		reads++;
	}
	zx_thread_exit();
}

TEST(Shootdown, AReplacedPageIsNeverSeenAfterTheMapReturns)
{
	zx_handle_t sub, vmo[2] = {new_vmo(PAGE), new_vmo(PAGE)};
	zx_vaddr_t base, got;
	ASSERT_OK(zx_vmar_allocate(
	    zx_vmar_root_self(), ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE,
	    0, PAGE, &sub, &base));
	uint64_t zero = 0;
	ASSERT_OK(zx_vmo_write(vmo[0], &zero, 0, sizeof(zero)));
	ASSERT_OK(zx_vmar_map(sub, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, vmo[0], 0, PAGE, &got));
	published = stale = reads = 0;
	reader_stop = 0;
	struct thread t = spawn_thread(reader, base, 0);
	ASSERT_NE(t.handle, ZX_HANDLE_INVALID);
	while (reads == 0)
		zx_nanosleep(zx_deadline_after(SEC / 1000));
	for (uint64_t r = 1; r <= ROUNDS; r++) {
		/* The other VMO gets the new round's value, then replaces the mapping. */
		zx_handle_t next = vmo[r % 2];
		ASSERT_OK(zx_vmo_write(next, &r, 0, sizeof(r)));
		ASSERT_OK(zx_vmar_map(sub, ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, 0, next, 0,
				      PAGE, &got));
		ASSERT_EQ(got, base);
		__atomic_store_n(&published, r, __ATOMIC_RELEASE);
	}
	uint64_t reads_during = reads;
	reader_stop = 1;
	EXPECT_OK(join(t));
	EXPECT_EQ(stale, 0u, "stale reads in %lu", reads_during);
	EXPECT_TRUE(reads_during > ROUNDS, "the reader ran throughout: %lu reads", reads_during);
	EXPECT_OK(zx_vmar_destroy(sub));
	zx_handle_close_many((zx_handle_t[]){sub, vmo[0], vmo[1]}, 3);
}

/* -------------------------------------------------- shootdown: IPI count */

static volatile int spin_stop;
static uint32_t spinning;

/* Run this address space in user mode on some hart until told to stop. */
static void spinner(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1;
	(void)unused2;
	__atomic_add_fetch(&spinning, 1, __ATOMIC_RELAXED);
	while (!spin_stop)
		;
	zx_thread_exit();
}

static zx_info_zirv_tlb_t tlb_counts(void)
{
	zx_info_zirv_tlb_t t = {0};
	zx_object_get_info(root_resource(), ZX_INFO_ZIRV_TLB, &t, sizeof(t), NULL, NULL);
	return t;
}

#define UNMAP_ROUNDS 20

/*
 * With the address space running on every other hart, an unmap makes
 * one SBI RFENCE call (or leaves the flush to the harts waiting for the
 * kernel lock), whether it takes 1 page or 256, and names at most those
 * harts; a map makes none (a hart that cached the invalid entry
 * faults, finds the new leaf and retries).
 */
TEST(Shootdown, OneRfencePerUnmapWhateverItsSize)
{
	uint32_t ncpus = zx_system_get_num_cpus(), nspin = ncpus > 8 ? 7 : ncpus - 1;
	struct thread spin[8];
	const size_t pages[] = {1, 16, 256};
	uint64_t all_flushes = 0; /* calls and deferred flushes */

	zx_info_zirv_tlb_t small;
	size_t actual = 1, avail = 0;
	EXPECT_STATUS(
	    zx_object_get_info(root_resource(), ZX_INFO_ZIRV_TLB, &small, 16, &actual, &avail),
	    ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, 1u);
	zx_handle_t weak;
	ASSERT_OK(zx_handle_duplicate(root_resource(), ZX_RIGHT_NONE, &weak));
	EXPECT_STATUS(zx_object_get_info(weak, ZX_INFO_ZIRV_TLB, &small, sizeof(small), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED);
	zx_handle_close(weak);
	spin_stop = 0;
	spinning = 0;
	for (uint32_t i = 0; i < nspin; i++)
		ASSERT_NE((spin[i] = spawn_thread(spinner, 0, 0)).handle, ZX_HANDLE_INVALID);
	for (zx_time_t end = zx_deadline_after(10 * SEC);
	     __atomic_load_n(&spinning, __ATOMIC_RELAXED) < nspin &&
	     zx_clock_get_monotonic() < end;)
		zx_nanosleep(zx_deadline_after(SEC / 1000)); /* until each runs on a hart */
	ASSERT_EQ(__atomic_load_n(&spinning, __ATOMIC_RELAXED), nspin);
	/*
	 * Mapped next to the process's other mappings, and alone in a 2 MiB
	 * sub-VMAR of its own, where the unmap gives the page table back.
	 */
	zx_handle_t alone;
	zx_vaddr_t alone_base;
	ASSERT_OK(zx_vmar_allocate(zx_vmar_root_self(),
				   ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_ALIGN_2MB, 0,
				   2 << 20, &alone, &alone_base));
	for (size_t k = 0; k < 6; k++) {
		size_t len = pages[k % 3] * PAGE;
		zx_handle_t v = new_vmo(len), in = k < 3 ? zx_vmar_root_self() : alone;
		ASSERT_OK(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 0, len, NULL, 0));
		uint64_t calls = 0, harts = 0, deferred = 0;
		for (int r = 0; r < UNMAP_ROUNDS; r++) {
			zx_vaddr_t a;
			zx_info_zirv_tlb_t t0 = tlb_counts();
			ASSERT_OK(zx_vmar_map(in, RW, 0, v, 0, len, &a));
			zx_info_zirv_tlb_t t1 = tlb_counts();
			EXPECT_EQ(t1.rfence_calls, t0.rfence_calls, "a map sent an RFENCE");
			ASSERT_OK(zx_vmar_unmap(in, a, len));
			zx_info_zirv_tlb_t t2 = tlb_counts();
			EXPECT_TRUE(t2.rfence_calls - t1.rfence_calls <= 1, "%zu pages",
				    pages[k % 3]);
			EXPECT_TRUE(t2.rfence_harts - t1.rfence_harts <= nspin);
			/*
			 * And at least one call, or flushes left to harts waiting for the
			 * lock: every other hart runs this address space. (Whether the
			 * unmap gave page tables back or not: it does when the mapping
			 * was alone in them, and a hart that still held them cached
			 * could walk through a table after it was reused.)
			 */
			if (nspin > 0)
				EXPECT_TRUE(t2.rfence_calls - t1.rfence_calls + t2.deferred -
						    t1.deferred >=
						1,
					    "no other hart was flushed: %zu pages", pages[k % 3]);
			calls += t2.rfence_calls - t1.rfence_calls;
			harts += t2.rfence_harts - t1.rfence_harts;
			deferred += t2.deferred - t1.deferred;
		}
		printf("# unmap of %zu pages%s, %u harts running the address space: %lu RFENCE "
		       "calls naming %lu harts in %d unmaps (%lu flushes deferred)\n",
		       pages[k % 3], k < 3 ? "" : " alone in their tables", nspin + 1,
		       (unsigned long)calls, (unsigned long)harts, UNMAP_ROUNDS,
		       (unsigned long)deferred);
		all_flushes += calls + deferred;
		zx_handle_close(v);
	}
	EXPECT_OK(zx_vmar_destroy(alone));
	zx_handle_close(alone);
	if (nspin > 0)
		EXPECT_TRUE(all_flushes > 0, "the other harts never had to flush");
	spin_stop = 1;
	for (uint32_t i = 0; i < nspin; i++)
		EXPECT_OK(join(spin[i]));
}

/* ----------------------------------------------------------------- stress */

#define CROWD	    64
#define OPS	    300
#define SLOTS	    64
#define CROWD_PAGES (SLOTS * PAGE)

static zx_handle_t crowd_vmar, crowd_vmo;
static zx_vaddr_t crowd_base;
static volatile uint32_t bad_status[CROWD];
static volatile int crowd_failures;
static zx_futex_t crowd_gate; /* 0 until every thread exists: the kernel then has 64 stacks */

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Random maps, unmaps and protects of one-to-four-page pieces of the shared
 * region; every call must succeed or fail with a status its arguments allow.
 */
static void crowd_member(uintptr_t index, uintptr_t seed)
{
	uint64_t s = seed | 1;
	while (!__atomic_load_n(&crowd_gate, __ATOMIC_ACQUIRE))
		zx_futex_wait(&crowd_gate, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
	for (int i = 0; i < OPS; i++) {
		uint64_t off = (next_random(&s) % SLOTS) * PAGE;
		uint64_t len = (1 + next_random(&s) % 4) * PAGE;
		if (off + len > CROWD_PAGES)
			len = CROWD_PAGES - off;
		zx_vaddr_t at;
		zx_status_t st;
		switch (next_random(&s) % 3) {
		case 0:
			st = zx_vmar_map(crowd_vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, off, crowd_vmo,
					 off, len, &at);
			break;
		case 1:
			st = zx_vmar_unmap(crowd_vmar, crowd_base + off, len);
			if (st == ZX_ERR_NOT_FOUND)
				st = ZX_OK; /* nothing mapped there */
			break;
		default:
			st = zx_vmar_protect(crowd_vmar, ZX_VM_PERM_READ, crowd_base + off, len);
			if (st == ZX_ERR_NOT_FOUND)
				st = ZX_OK; /* a gap in the range: refused, as it should be */
			break;
		}
		if (st != ZX_OK) {
			bad_status[index] = (uint32_t)st;
			__atomic_add_fetch(&crowd_failures, 1, __ATOMIC_RELAXED);
		}
	}
	zx_thread_exit();
}

TEST(Stress, SixtyFourThreadsMapUnmapAndProtectOneRegion)
{
	zx_info_kmem_stats_v1_t before, after;
	/* one warm-up round: the kernel keeps the thread stacks it has made */
	for (int round = 0; round < 2; round++) {
		if (round == 1)
			kmem_used(&before);
		crowd_vmo = new_vmo(CROWD_PAGES);
		ASSERT_OK(zx_vmar_allocate(zx_vmar_root_self(),
					   ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ |
					       ZX_VM_CAN_MAP_WRITE,
					   0, CROWD_PAGES, &crowd_vmar, &crowd_base));
		crowd_failures = 0;
		crowd_gate = 0;
		struct thread t[CROWD];
		for (int i = 0; i < CROWD; i++) {
			bad_status[i] = 0;
			t[i] = spawn_thread(crowd_member, (uintptr_t)i,
					    0x9e3779b97f4a7c15ull * (i + 1));
			ASSERT_NE(t[i].handle, ZX_HANDLE_INVALID, "thread %d", i);
		}
		__atomic_store_n(&crowd_gate, 1, __ATOMIC_RELEASE);
		EXPECT_OK(zx_futex_wake(&crowd_gate, UINT32_MAX));
		for (int i = 0; i < CROWD; i++)
			EXPECT_OK(join(t[i]), "thread %d", i);
		EXPECT_EQ(crowd_failures, 0, "e.g. thread 0: %d", (int)bad_status[0]);
		/* consistent afterwards: the region maps and reads as usual */
		zx_vaddr_t at;
		ASSERT_OK(zx_vmar_map(crowd_vmar, RW | ZX_VM_SPECIFIC_OVERWRITE, 0, crowd_vmo, 0,
				      CROWD_PAGES, &at));
		volatile uint64_t *p = (volatile uint64_t *)at;
		p[0] = 77;
		p[CROWD_PAGES / 8 - 1] = 78;
		uint64_t v[2];
		EXPECT_OK(zx_vmo_read(crowd_vmo, &v[0], 0, 8));
		EXPECT_OK(zx_vmo_read(crowd_vmo, &v[1], CROWD_PAGES - 8, 8));
		EXPECT_EQ(v[0], 77u);
		EXPECT_EQ(v[1], 78u);
		EXPECT_OK(zx_vmar_destroy(crowd_vmar));
		zx_handle_close_many((zx_handle_t[]){crowd_vmar, crowd_vmo}, 2);
	}
	zx_nanosleep(zx_deadline_after(SEC / 50)); /* the last threads are reaped */
	kmem_used(&after);
	EXPECT_EQ(after.free_bytes, before.free_bytes);
	EXPECT_EQ(after.total_heap_bytes - after.free_heap_bytes,
		  before.total_heap_bytes - before.free_heap_bytes);
}
