/*
 * phys_failalloc.c: zx_vmo_create_physical, slices, zx_resource_create and
 * physical mappings when the kernel runs out of memory (boot argument
 * zirv.failalloc=N: N more kernel allocations succeed, then all fail).
 * Each round creates a physical VMO over the rng window, a slice of it, an
 * MMIO resource and a mapping, until the budget is spent. Every call must
 * answer exactly ZX_OK or ZX_ERR_NO_MEMORY; a NO_MEMORY call must write no
 * handle/address and leave no handle, child, mapping or reservation behind;
 * everything made before keeps working.
 */
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

#define SENTINEL   0x5a5a5a5au
#define MAX_ROUNDS 100

static zx_handle_t vmos[MAX_ROUNDS], slices[MAX_ROUNDS], resources[MAX_ROUNDS];
static zx_vaddr_t maps[MAX_ROUNDS];
static int rounds;
static bool exhausted;

/* One call: OK, or NO_MEMORY with nothing written and no handle left behind. */
#define STEP(call, out, slots_before)                                                              \
	({                                                                                         \
		zx_status_t st_ = (call);                                                          \
		if (st_ != ZX_OK) {                                                                \
			EXPECT_STATUS(st_, ZX_ERR_NO_MEMORY, "round %d", rounds);                  \
			EXPECT_EQ(out, SENTINEL, "round %d: out written on failure", rounds);      \
			EXPECT_EQ(free_handle_slots(), slots_before, "round %d: handle leaked",    \
				  rounds);                                                         \
			exhausted = true;                                                          \
		}                                                                                  \
		st_ == ZX_OK;                                                                      \
	})

TEST(PhysFailAlloc, UntilNoMemory)
{
	zx_handle_t root = root_resource();
	ASSERT_NE(root, ZX_HANDLE_INVALID);
	for (rounds = 0; rounds < MAX_ROUNDS && !exhausted; rounds++) {
		int slots = free_handle_slots();
		zx_handle_t v = SENTINEL;
		if (!STEP(zx_vmo_create_physical(root, VIRTIO_RNG, PAGE, &v), v, slots))
			break;
		vmos[rounds] = v;

		zx_handle_t s = SENTINEL;
		slots = free_handle_slots();
		if (!STEP(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &s), s, slots)) {
			EXPECT_EQ(vmo_info(v).num_children, 0u, "a failed slice left a child");
			EXPECT_OK(zero_children_status(v));
			break;
		}
		slices[rounds] = s;

		const uint32_t ex_opts = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
		const uint64_t window = VIRTIO((uint64_t)rounds % 7);
		zx_handle_t r = SENTINEL;
		slots = free_handle_slots();
		if (!STEP(zx_resource_create(root, ex_opts, window, PAGE, "ex", 2, &r), r, slots))
			break;
		resources[rounds] = r;
		/* the exclusive range really is held */
		zx_handle_t r2 = SENTINEL;
		EXPECT_STATUS(zx_resource_create(root, ex_opts, window, PAGE, "ex", 2, &r2),
			      ZX_ERR_NOT_FOUND);
		EXPECT_OK(zx_handle_close(r));
		resources[rounds] = ZX_HANDLE_INVALID;

		zx_vaddr_t a = SENTINEL;
		zx_status_t st =
		    zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, s, 0, PAGE, &a);
		if (st != ZX_OK) {
			EXPECT_STATUS(st, ZX_ERR_NO_MEMORY, "round %d", rounds);
			EXPECT_EQ(a, SENTINEL);
			EXPECT_EQ(vmo_info(s).num_mappings, 0u, "a failed map left a mapping");
			exhausted = true;
			break;
		}
		maps[rounds] = a;
		EXPECT_EQ(*(volatile uint32_t *)a, VIRTIO_MAGIC);
		EXPECT_EQ(vmo_info(s).num_mappings, 1u);
	}
	printf("# budget spent in round %d\n", rounds);
	EXPECT_TRUE(exhausted, "never ran out after %d rounds: run with zirv.failalloc", rounds);
}

TEST(PhysFailAlloc, EverythingAfterwardsFailsCleanly)
{
	ASSERT_TRUE(exhausted);
	zx_handle_t mmio = mmio_resource();
	int slots = free_handle_slots();
	zx_handle_t out = SENTINEL;
	EXPECT_STATUS(zx_vmo_create_physical(mmio, VIRTIO_RNG, PAGE, &out), ZX_ERR_NO_MEMORY);
	EXPECT_STATUS(zx_resource_create(mmio, ZX_RSRC_KIND_MMIO, VIRTIO_RNG, PAGE, "x", 1, &out),
		      ZX_ERR_NO_MEMORY);
	if (vmos[0]) {
		EXPECT_STATUS(zx_vmo_create_child(vmos[0], ZX_VMO_CHILD_SLICE, 0, PAGE, &out),
			      ZX_ERR_NO_MEMORY);
	}
	EXPECT_EQ(out, SENTINEL);
	EXPECT_EQ(free_handle_slots(), slots);
	/* argument errors still win over the lack of memory */
	EXPECT_STATUS(zx_vmo_create_physical(mmio, VIRTIO_RNG + 1, PAGE, &out),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(mmio, 0x80200000ul, PAGE, &out), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(mmio, VIRTIO_RNG, PAGE, NULL), ZX_ERR_INVALID_ARGS);
}

TEST(PhysFailAlloc, EarlierObjectsStillWork)
{
	for (int i = 0; i < MAX_ROUNDS; i++) {
		if (maps[i])
			EXPECT_EQ(*(volatile uint32_t *)maps[i], VIRTIO_MAGIC, "round %d", i);
		if (slices[i]) {
			EXPECT_EQ(vmo_info(slices[i]).parent_koid, vmo_info(vmos[i]).koid);
			EXPECT_STATUS(zero_children_status(vmos[i]), ZX_ERR_TIMED_OUT);
		}
		/* unmapping needs no memory; closing the slice then re-asserts the signal */
		if (maps[i])
			EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), maps[i], PAGE));
		if (slices[i]) {
			EXPECT_OK(zx_handle_close(slices[i]));
			EXPECT_OK(zero_children_status(vmos[i]));
		}
		if (vmos[i])
			EXPECT_OK(
			    zx_vmo_set_cache_policy(vmos[i], ZX_CACHE_POLICY_UNCACHED_DEVICE));
		if (vmos[i])
			EXPECT_OK(zx_handle_close(vmos[i]));
	}
}
