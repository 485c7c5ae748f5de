/*
 * fuzz_syscalls.c: a fixed-seed syscall fuzzer. 200,000 calls, each a
 * random zirv syscall with arguments drawn from pools of live, stale and
 * forged handles, good, misaligned, kernel, unmapped and read-only
 * pointers, and edge-case sizes, offsets, options and addresses. Mappings
 * and sub-VMARs go only into a sandbox range the program itself never uses, so no call
 * can unmap the fuzzer from under itself. Afterwards every handle is
 * closed and the sandbox unmapped: the handle table and the kernel heap
 * must be exactly as before, and the kernel must still answer correctly.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/syscalls/object.h>

#include "phys_util.h"

#define CALLS	     200000
#define SANDBOX	     0x2000000000ul /* 64 GiB in, far above the program's own mappings */
#define SANDBOX_SIZE 0x1000000000ul
#define NHANDLES     24

static uint64_t rng = 0x2545f4914f6cdd1dul; /* fixed seed: every run makes the same calls */

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[next() % n];
}
#define PICK(a) pick(a, sizeof(a) / sizeof((a)[0]))

static zx_handle_t pool[NHANDLES];
static const uint32_t one_call_text[2] = {0x13, 0x13}; /* in .rodata: read-only */
/*
 * User buffers the calls may read and write: mapped pages with an unmapped
 * page after them, so an oversized copy faults instead of running into the
 * fuzzer's own data.
 */
static uint8_t *scratch;

static zx_handle_t handle(void)
{
	switch (next() % 8) {
	case 0:
		return (zx_handle_t)next(); /* forged */
	case 1:
		return ZX_HANDLE_INVALID;
	default:
		return pool[next() % NHANDLES];
	}
}

/*
 * Where a handle out-parameter lands: into the pool, or somewhere the
 * kernel must refuse (so that no handle is made that the pool loses).
 */
/* A pool slot, emptied, to hold a handle the fuzzer receives. */
static zx_handle_t *out_handle_slot(void)
{
	size_t i = next() % NHANDLES;
	zx_handle_close(pool[i]);
	pool[i] = ZX_HANDLE_INVALID;
	return &pool[i];
}

static zx_handle_t *out_handle(void)
{
	static const uint64_t bad[] = {
	    0, KERNEL_ADDR, UNMAPPED_ADDR, PAST_USER_ADDR, OPENSBI_ADDR, PAST_USER_ADDR - 2};
	if (next() % 4 == 0)
		return (zx_handle_t *)(uintptr_t)PICK(bad);
	size_t i = next() % NHANDLES;
	zx_handle_close(pool[i]); /* the slot is overwritten: don't leak what it held */
	pool[i] = ZX_HANDLE_INVALID;
	return &pool[i];
}

static void *ptr(void)
{
	static const uint64_t bad[] = {
	    0, KERNEL_ADDR, UNMAPPED_ADDR, PAST_USER_ADDR - 8, OPENSBI_ADDR, 0x10, ~0ul - 16};
	switch (next() % 4) {
	case 0:
		return (void *)(uintptr_t)PICK(bad);
	case 1:
		return (void *)(uintptr_t)one_call_text; /* read-only data */
	default:
		return scratch + next() % (3 * PAGE);
	}
}

static uint64_t size(void)
{
	static const uint64_t s[] = {0,	       1,	  8,   PAGE - 1, PAGE, 2 * PAGE,
				     3 * PAGE, 64 * PAGE, MIB, GIB,	 ~0ul, ~0ul - PAGE + 2,
				     1ul << 40};
	return next() % 3 ? PICK(s) : next() % (4 * PAGE);
}

static uint64_t paddr(void)
{
	static const uint64_t p[] = {
	    VIRTIO(0),	VIRTIO(7),	 VIRTIO(3) + 8, 0x80000000, 0x80200000,
	    0x10000000, 0x100000,	 0x2000000,	0x0c000000, 0x90000000,
	    0,		~0ul - PAGE + 1, FW_CFG_BASE,	RTC_BASE};
	return PICK(p);
}

static zx_vaddr_t sandbox_offset(void)
{
	zx_vaddr_t off = (next() % (SANDBOX_SIZE / PAGE)) * PAGE;
	return next() % 16 ? off : off + next() % PAGE;
}

static uint32_t bits(void)
{
	return next() % 3 ? (uint32_t)(1u << (next() % 32)) | (uint32_t)(next() % 4)
			  : (uint32_t)next();
}

static zx_vaddr_t root_base;

static void one_call(void)
{
	static const uint64_t topics[] = {ZX_INFO_HANDLE_VALID,
					  ZX_INFO_HANDLE_BASIC,
					  ZX_INFO_PROCESS,
					  ZX_INFO_VMO,
					  ZX_INFO_VMAR,
					  ZX_INFO_RESOURCE,
					  ZX_INFO_KMEM_STATS_V1,
					  0,
					  0x12345678};
	zx_vaddr_t a;
	size_t n1, n2;
	uint32_t n1u;
	switch (next() % 28) {
	case 0:
		zx_handle_close(handle());
		break;
	case 1:
		zx_handle_duplicate(handle(), bits(), out_handle());
		break;
	case 2:
		zx_handle_replace(handle(), bits(), out_handle());
		break;
	case 3:
		zx_object_get_info(handle(), (uint32_t)PICK(topics), ptr(), size() % (2 * PAGE),
				   next() % 2 ? &n1 : ptr(), next() % 2 ? &n2 : ptr());
		break;
	case 4:
		zx_object_get_property(handle(), (uint32_t)(next() % 8), ptr(), size());
		break;
	case 5:
		zx_object_set_property(handle(), (uint32_t)(next() % 8), ptr(), size());
		break;
	case 6:
		zx_object_signal(handle(), bits(), bits());
		break;
	case 7:
		zx_object_wait_one(handle(), bits(), 0, next() % 2 ? NULL : ptr());
		break;
	case 8:
		zx_vmo_create(size() % (64 * PAGE + 2), (uint32_t)(next() % 4), out_handle());
		break;
	case 9:
		zx_vmo_read(handle(), ptr(), size(), size() % (2 * PAGE));
		break;
	case 10:
		zx_vmo_write(handle(), ptr(), size(), size() % (2 * PAGE));
		break;
	case 11:
		zx_vmo_create_child(handle(), bits(), size(), size(), out_handle());
		break;
	case 12:
		zx_vmo_set_cache_policy(handle(), (uint32_t)(next() % 6));
		break;
	case 13:
		zx_vmo_op_range(handle(), (uint32_t)(next() % 12), size(), size(), ptr(), size());
		break;
	case 14:
		zx_vmo_create_physical(handle(), paddr(), size(), out_handle());
		break;
	case 15:
		zx_vmar_map(handle(), bits() | ZX_VM_SPECIFIC,
			    SANDBOX - root_base + sandbox_offset(), handle(), size(), size(),
			    next() % 2 ? &a : ptr());
		break;
	case 16:
		zx_vmar_unmap(handle(), SANDBOX + sandbox_offset(), size());
		break;
	case 17:
		zx_vmar_protect(handle(), bits(), SANDBOX + sandbox_offset(), size());
		break;
	case 18:
		zx_resource_create(handle(), bits(), paddr(), size(), ptr(), size() % 64,
				   out_handle());
		break;
	case 19:
		zx_vmar_allocate(handle(), bits() | ZX_VM_SPECIFIC,
				 SANDBOX - root_base + sandbox_offset(), size(), out_handle(),
				 next() % 2 ? &a : ptr());
		break;
	case 20:
		zx_vmar_destroy(handle());
		break;
	case 21: {
		/* two different slots (or bad pointers), so no end is lost to the fuzzer */
		zx_handle_t *o0 = out_handle(), *o1 = out_handle();
		zx_channel_create((uint32_t)(next() % 2), o0,
				  o0 == o1 ? (zx_handle_t *)KERNEL_ADDR : o1);
		break;
	}
	case 22: {
		/*
		 * Channel ends are not sent: an end sent into its own peer waits in its
		 * own queue forever (as in Zircon), which the final accounting would
		 * count as a leak; and the handle list is never arbitrary memory, which
		 * may hold the values of handles the fuzzer must keep. The directed
		 * tests move ends and pass bad lists.
		 */
		zx_handle_t hs[3] = {handle(), handle(), handle()};
		for (int i = 0; i < 3; i++)
			if (handle_basic(hs[i]).type == ZX_OBJ_TYPE_CHANNEL)
				hs[i] = ZX_HANDLE_INVALID;
		zx_channel_write(handle(), bits() & 3, next() % 2 ? scratch : ptr(),
				 (uint32_t)(size() % (2 * PAGE)),
				 next() % 8 ? hs : (zx_handle_t *)KERNEL_ADDR,
				 (uint32_t)(next() % 4));
		break;
	}
	case 23: {
		/*
		 * Handles read go back into the pool, so the final accounting finds them
		 * (bad handle arrays are the directed tests' business).
		 */
		zx_handle_t got[4] = {0};
		uint32_t nh = 0;
		if (zx_channel_read(handle(), bits() & 3, next() % 2 ? scratch : ptr(), got,
				    (uint32_t)(size() % (2 * PAGE)), (uint32_t)(next() % 5),
				    next() % 2 ? &n1u : ptr(), &nh) == ZX_OK)
			for (uint32_t i = 0; i < nh && i < 4; i++)
				*out_handle_slot() = got[i];
		break;
	}
	case 24:
		zx_job_create(handle(), (uint32_t)(next() % 2), out_handle());
		break;
	case 25: {
		zx_handle_t *o0 = out_handle(), *o1 = out_handle();
		zx_process_create(handle(), next() % 2 ? "fuzz" : (const char *)ptr(), size() % 40,
				  (uint32_t)(next() % 3), o0,
				  o0 == o1 ? (zx_handle_t *)KERNEL_ADDR : o1);
		break;
	}
	case 26: {
		/* anything but this process and the jobs above it, which would end the fuzzer */
		zx_handle_t h = handle();
		zx_koid_t k = handle_basic(h).koid;
		if (k && k != koid_of(zx_process_self()) && k != koid_of(zx_job_default()))
			zx_task_kill(h);
		break;
	}
	default:
		zx_vmo_get_size(handle(), next() % 2 ? (uint64_t *)(void *)scratch : ptr());
		break;
	}
}

TEST(Fuzz, HostileCallsLeaveTheKernelWhole)
{
	zx_info_vmar_t root;
	ASSERT_OK(
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof(root), NULL, NULL));
	root_base = root.base;
	zx_handle_t scratch_vmo;
	scratch = (uint8_t *)map_before_hole(3 * PAGE, &scratch_vmo);
	ASSERT_NOT_NULL(scratch);
	int slots = free_handle_slots();
	uint64_t heap = heap_used();
	/* the pool starts with duplicates of everything the program holds, and some VMOs */
	ASSERT_OK(zx_handle_duplicate(zx_vmar_root_self(), ZX_RIGHT_SAME_RIGHTS, &pool[0]));
	ASSERT_OK(zx_handle_duplicate(root_resource(), ZX_RIGHT_SAME_RIGHTS, &pool[1]));
	ASSERT_OK(zx_handle_duplicate(mmio_resource(), ZX_RIGHT_SAME_RIGHTS, &pool[2]));
	ASSERT_OK(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &pool[3]));
	ASSERT_OK(zx_handle_duplicate(zx_job_default(), ZX_RIGHT_SAME_RIGHTS, &pool[9]));
	for (int i = 4; i < 8; i++)
		ASSERT_OK(zx_vmo_create(4 * PAGE, 0, &pool[i]));
	pool[8] = phys(VIRTIO(2), PAGE);
	unsigned calls = 0;
	for (; calls < CALLS; calls++) {
		one_call();
		if (calls % 4096 == 0) { /* keep the root VMAR in the pool */
			zx_handle_close(pool[0]);
			zx_handle_duplicate(zx_vmar_root_self(), ZX_RIGHT_SAME_RIGHTS, &pool[0]);
		}
	}
	printf("fuzz: %u calls from a fixed seed\n", calls);
	/* mappings and sub-VMARs start in the sandbox and may reach past its end by a GiB */
	zx_vmar_unmap(zx_vmar_root_self(), SANDBOX, SANDBOX_SIZE + GIB);
	for (int i = 0; i < NHANDLES; i++)
		zx_handle_close(pool[i]);
	EXPECT_EQ(free_handle_slots(), slots, "every handle the fuzzer made is gone");
	EXPECT_EQ(heap_used(), heap, "every object the fuzzer made is destroyed");
	/* and the kernel still does its job */
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	uint64_t x = 42, y = 0;
	EXPECT_OK(zx_vmo_write(v, &x, 8, sizeof(x)));
	EXPECT_OK(zx_vmo_read(v, &y, 8, sizeof(y)));
	EXPECT_EQ(y, 42u);
	EXPECT_OK(zx_handle_close(v));
}
