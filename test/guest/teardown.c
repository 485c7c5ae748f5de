/*
 * teardown.c: objects that hold each other are destroyed without
 * recursion, and unmapping gives page tables back.
 *
 * Slice chains of depth 1, 1,000 and 100,000 (each slice holds its
 * parent) are destroyed by closing the last handle and by unmapping the
 * last mapping; the kernel must stay alive (a recursive teardown overran
 * the kernel stack at a depth of about 170) and give every object back,
 * which ZX_INFO_KMEM_STATS_V1's heap figures show. Then one page is mapped
 * and unmapped at thousands of addresses spread over the whole user range:
 * free memory and page-table memory must come back to where they started.
 */
#include <zircon/syscalls/object.h>

#include "phys_util.h"

static zx_info_kmem_stats_v1_t kmem(void)
{
	zx_info_kmem_stats_v1_t st = {0};
	zx_status_t s =
	    zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL);
	if (s != ZX_OK)
		st.total_bytes = 0;
	return st;
}

/* A chain of `depth` slices under a physical VMO; the deepest one's handle, all others closed. */
static zx_handle_t slice_chain(unsigned depth)
{
	zx_handle_t cur = phys_policy(VIRTIO_RNG, PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	for (unsigned i = 0; i < depth && cur != ZX_HANDLE_INVALID; i++) {
		zx_handle_t child = ZX_HANDLE_INVALID;
		zx_status_t st = zx_vmo_create_child(cur, ZX_VMO_CHILD_SLICE, 0, PAGE, &child);
		zx_handle_close(cur);
		cur = st == ZX_OK ? child : ZX_HANDLE_INVALID;
	}
	return cur;
}

static const unsigned depths[] = {1, 1000, 100000};

TEST(Teardown, SliceChainsByClose)
{
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		uint64_t before = heap_used();
		zx_handle_t deep = slice_chain(depths[i]);
		ASSERT_NE(deep, ZX_HANDLE_INVALID, "depth %u", depths[i]);
		EXPECT_TRUE(heap_used() > before, "depth %u: the chain lives", depths[i]);
		EXPECT_OK(zx_handle_close(deep), "depth %u", depths[i]);
		EXPECT_EQ(heap_used(), before, "depth %u: every slice destroyed", depths[i]);
	}
}

TEST(Teardown, SliceChainsByUnmap)
{
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		uint64_t before = heap_used();
		zx_handle_t deep = slice_chain(depths[i]);
		ASSERT_NE(deep, ZX_HANDLE_INVALID, "depth %u", depths[i]);
		zx_vaddr_t addr = 0;
		volatile uint32_t *r = map_ro(deep, PAGE, &addr);
		ASSERT_NOT_NULL(r);
		EXPECT_EQ(r[0], VIRTIO_MAGIC, "depth %u: the slice maps the device", depths[i]);
		EXPECT_OK(zx_handle_close(deep)); /* the mapping keeps the chain alive */
		EXPECT_TRUE(heap_used() > before);
		EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), addr, PAGE), "depth %u", depths[i]);
		EXPECT_EQ(heap_used(), before, "depth %u: every slice destroyed", depths[i]);
	}
}

/*
 * Sub-VMARs nested `depth` deep, each one page inside the last, a page
 * mapped in the deepest, every handle but the top one closed; destroying
 * the top must take them all without recursing.
 */
TEST(Teardown, NestedSubVmarsByDestroy)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		uint64_t before = heap_used();
		zx_handle_t top = ZX_HANDLE_INVALID, cur;
		zx_vaddr_t base = 0, a = 0;
		ASSERT_OK(zx_vmar_allocate(zx_vmar_root_self(), ZX_VM_CAN_MAP_READ, 0, PAGE, &top,
					   &base));
		cur = top;
		for (unsigned d = 1; d < depths[i]; d++) {
			zx_handle_t next = ZX_HANDLE_INVALID;
			ASSERT_OK(zx_vmar_allocate(cur, ZX_VM_CAN_MAP_READ, 0, PAGE, &next, &a),
				  "depth %u", d);
			if (cur != top)
				zx_handle_close(cur);
			cur = next;
		}
		ASSERT_OK(zx_vmar_map(cur, ZX_VM_PERM_READ, 0, v, 0, PAGE, &a));
		EXPECT_EQ(a, base, "depth %u: every level is the same page", depths[i]);
		EXPECT_EQ(*(volatile uint64_t *)a, 0u);
		if (cur != top)
			EXPECT_OK(zx_handle_close(cur));
		EXPECT_OK(zx_vmar_destroy(top), "depth %u", depths[i]);
		EXPECT_OK(zx_handle_close(top));
		EXPECT_EQ(heap_used(), before, "depth %u: every VMAR and the mapping freed",
			  depths[i]);
	}
	EXPECT_OK(zx_handle_close(v));
}

/* The kernel is still whole afterwards: a fresh VMO maps and holds data. */
TEST(Teardown, KernelStillWorks)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, PAGE, &a));
	*(volatile uint64_t *)a = 0x1234;
	uint64_t back = 0;
	EXPECT_OK(zx_vmo_read(v, &back, 0, sizeof(back)));
	EXPECT_EQ(back, 0x1234u);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Reclaim, MapUnmapAcrossTheUserRangeGivesTablesBack)
{
	zx_info_vmar_t root;
	ASSERT_OK(
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof(root), NULL, NULL));
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	/* one round first, so the heap already holds a mapping record */
	ASSERT_OK(map_fixed(v, ZX_VM_PERM_READ, root.base + root.len - PAGE, 0, PAGE));
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), root.base + root.len - PAGE, PAGE));
	zx_info_kmem_stats_v1_t before = kmem();
	ASSERT_NE(before.total_bytes, 0u);
	/* 20,000 addresses: every 2 MiB slot of 40 GiB, at strides that visit every GiB */
	unsigned rounds = 20000, failed = 0;
	for (unsigned i = 0; i < rounds; i++) {
		uint64_t slot = ((uint64_t)i * 6151) % (root.len / (2 * MIB));
		zx_vaddr_t at = (root.base & ~(2 * MIB - 1)) + slot * 2 * MIB;
		if (at < root.base)
			at = root.base;
		if (map_fixed(v, ZX_VM_PERM_READ, at, 0, PAGE) != ZX_OK) {
			failed++; /* taken by the program itself */
			continue;
		}
		ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), at, PAGE));
	}
	zx_info_kmem_stats_v1_t after = kmem();
	EXPECT_TRUE(failed < 20u);
	EXPECT_EQ(after.mmu_overhead_bytes, before.mmu_overhead_bytes);
	EXPECT_EQ(after.free_bytes, before.free_bytes);
	EXPECT_OK(zx_handle_close(v));
}

TEST(KmemStats, RootOrInfoSystemResource)
{
	zx_info_kmem_stats_v1_t st;
	size_t actual = 0;
	EXPECT_OK(zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st),
				     &actual, NULL));
	EXPECT_EQ(actual, 1u);
	EXPECT_TRUE(st.total_bytes > 400 * MIB); /* -m 512M */
	EXPECT_TRUE(st.free_bytes < st.total_bytes);
	EXPECT_TRUE(st.mmu_overhead_bytes > 0u);
	EXPECT_STATUS(
	    zx_object_get_info(mmio_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL),
	    ZX_ERR_WRONG_TYPE);
	zx_handle_t info = ZX_HANDLE_INVALID, vmex = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_INFO_BASE,
				     1, "info", 4, &info));
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE,
				     1, "vmex", 4, &vmex));
	EXPECT_OK(zx_object_get_info(info, ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL),
		  "a system resource granting INFO");
	EXPECT_STATUS(zx_object_get_info(vmex, ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL),
		      ZX_ERR_OUT_OF_RANGE, "one granting another system range");
	EXPECT_OK(zx_handle_close(info));
	EXPECT_OK(zx_handle_close(vmex));
	EXPECT_STATUS(zx_object_get_info(zx_vmar_root_self(), ZX_INFO_KMEM_STATS_V1, &st,
					 sizeof(st), NULL, NULL),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(
	    zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, 8, NULL, NULL),
	    ZX_ERR_BUFFER_TOO_SMALL);
	zx_handle_t weak;
	ASSERT_OK(zx_handle_duplicate(root_resource(), ZX_RIGHT_TRANSFER, &weak));
	EXPECT_OK(zx_object_get_info(weak, ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL),
		  "no right is needed, as in Zircon");
	EXPECT_OK(zx_handle_close(weak));
}
