/*
 * phys_vmo.c: what can be done to a physical VMO once it exists:
 * zx_vmo_set_cache_policy, slices (zx_vmo_create_child with
 * ZX_VMO_CHILD_SLICE), the ZX_VMO_ZERO_CHILDREN signal and zx_vmo_op_range.
 *
 * Booted with `-device virtio-rng-device` (slot 7, 0x10008000, is an rng)
 * and `-m 512M -append zirv.carveout=4M@0x8a000000` (a RAM carve-out).
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/zirv.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

#define CARVE_BASE 0x8a000000ul
#define CARVE_SIZE (4ul << 20)

/* Is ZX_VMO_ZERO_CHILDREN asserted right now? */
static bool zero_children(zx_handle_t h)
{
	zx_signals_t seen = 0;
	zx_status_t st = zx_object_wait_one(h, ZX_VMO_ZERO_CHILDREN, 0, &seen);
	return st == ZX_OK && (seen & ZX_VMO_ZERO_CHILDREN);
}

/* ------------------------------------------------------ set_cache_policy */

TEST(CachePolicy, BadPolicyCheckedBeforeHandle)
{
	zx_handle_t v = phys(VIRTIO(0), PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, 4), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, 0xffffffffu), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_set_cache_policy(ZX_HANDLE_INVALID, 4), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_set_cache_policy(0x12345678u, 4), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_set_cache_policy(ZX_HANDLE_INVALID, ZX_CACHE_POLICY_CACHED),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_set_cache_policy(mmio_resource(), ZX_CACHE_POLICY_CACHED),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_EQ(vmo_info(v).cache_policy, ZX_CACHE_POLICY_UNCACHED);
	EXPECT_OK(zx_handle_close(v));
}

TEST(CachePolicy, NeedsMapRight)
{
	zx_handle_t v = phys(VIRTIO(0), PAGE), nomap;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_MAP, &nomap));
	EXPECT_STATUS(zx_vmo_set_cache_policy(nomap, ZX_CACHE_POLICY_UNCACHED_DEVICE),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_set_cache_policy(nomap, ZX_CACHE_POLICY_UNCACHED),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(vmo_info(v).cache_policy, ZX_CACHE_POLICY_UNCACHED);
	EXPECT_OK(zx_handle_close(nomap));
	EXPECT_OK(zx_handle_close(v));
}

TEST(CachePolicy, EachPolicyShowsInInfo)
{
	zx_handle_t v = phys(VIRTIO(1), PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const uint32_t order[] = {ZX_CACHE_POLICY_CACHED,	   ZX_CACHE_POLICY_UNCACHED_DEVICE,
				  ZX_CACHE_POLICY_WRITE_COMBINING, ZX_CACHE_POLICY_UNCACHED,
				  ZX_CACHE_POLICY_WRITE_COMBINING, ZX_CACHE_POLICY_CACHED};
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		EXPECT_OK(zx_vmo_set_cache_policy(v, order[i]), "policy %u", order[i]);
		EXPECT_EQ(vmo_info(v).cache_policy, order[i]);
		EXPECT_OK(zx_vmo_set_cache_policy(v, order[i]), "again, policy %u", order[i]);
	}
	EXPECT_OK(zx_handle_close(v));
}

TEST(CachePolicy, MappedOnlySamePolicy)
{
	zx_handle_t v = phys(VIRTIO(7), PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED_DEVICE));
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(v, PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED_DEVICE));
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_WRITE_COMBINING),
		      ZX_ERR_BAD_STATE);
	EXPECT_EQ(vmo_info(v).cache_policy, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	EXPECT_EQ(r[0], VIRTIO_MAGIC);
	unmap(addr, PAGE);
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED), "no longer mapped");
	EXPECT_EQ(vmo_info(v).cache_policy, ZX_CACHE_POLICY_UNCACHED);
	EXPECT_OK(zx_handle_close(v));
}

TEST(CachePolicy, WithChildOnlySamePolicy)
{
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE), child;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &child));
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED));
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED_DEVICE),
		      ZX_ERR_BAD_STATE);
	/* the slice itself: same is fine, anything else is not */
	EXPECT_OK(zx_vmo_set_cache_policy(child, ZX_CACHE_POLICY_UNCACHED));
	EXPECT_STATUS(zx_vmo_set_cache_policy(child, ZX_CACHE_POLICY_UNCACHED_DEVICE),
		      ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmo_set_cache_policy(child, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
	EXPECT_EQ(vmo_info(child).cache_policy, ZX_CACHE_POLICY_UNCACHED);
	EXPECT_OK(zx_handle_close(child));
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED_DEVICE), "child gone");
	EXPECT_EQ(vmo_info(v).cache_policy, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------------ slices */

TEST(Slice, ReadsTheRightWindow)
{
	zx_handle_t v = phys(VIRTIO(0), 8 * PAGE), s;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 7 * PAGE, PAGE, &s));
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(s, PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_EQ(r[0], VIRTIO_MAGIC);
	EXPECT_EQ(r[2], 4u, "slot 8 (0x10008000) holds the rng");
	EXPECT_EQ(r[3], QEMU_VENDOR);
	unmap(addr, PAGE);
	/* a two-window slice in the middle: slot 6 is empty, slot 7 the rng */
	zx_handle_t s2;
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 6 * PAGE, 2 * PAGE, &s2));
	r = map_ro(s2, 2 * PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_EQ(r[2], 0u);
	EXPECT_EQ(r[PAGE / 4 + 2], 4u);
	unmap(addr, 2 * PAGE);
	/* a slice of a slice */
	zx_handle_t s3;
	ASSERT_OK(zx_vmo_create_child(s2, ZX_VMO_CHILD_SLICE, PAGE, PAGE, &s3));
	EXPECT_EQ(vmo_info(s3).parent_koid, vmo_info(s2).koid);
	r = map_ro(s3, PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_EQ(r[0], VIRTIO_MAGIC);
	EXPECT_EQ(r[2], 4u);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(s3));
	EXPECT_OK(zx_handle_close(s2));
	EXPECT_OK(zx_handle_close(s));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Slice, InfoParentPolicyRights)
{
	zx_handle_t v = phys(VIRTIO(0), 4 * PAGE), s, ro, s2;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_WRITE_COMBINING));
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE, &s));
	zx_info_vmo_t pi = vmo_info(v), ci = vmo_info(s);
	EXPECT_NE(ci.koid, 0u);
	EXPECT_NE(ci.koid, pi.koid);
	EXPECT_EQ(ci.parent_koid, pi.koid);
	EXPECT_EQ(pi.num_children, 1u);
	EXPECT_EQ(ci.size_bytes, 2 * PAGE);
	EXPECT_EQ(ci.cache_policy, ZX_CACHE_POLICY_WRITE_COMBINING, "inherited from the parent");
	EXPECT_EQ(ci.flags,
		  ZX_INFO_VMO_TYPE_PHYSICAL | ZX_INFO_VMO_CONTIGUOUS | ZX_INFO_VMO_VIA_HANDLE);
	EXPECT_EQ(rights_of(s), ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE);
	uint64_t size = 0;
	EXPECT_OK(zx_vmo_get_size(s, &size));
	EXPECT_EQ(size, 2 * PAGE);
	/* child rights = the parent handle's rights plus GET/SET_PROPERTY */
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_MAP, &ro));
	ASSERT_OK(zx_vmo_create_child(ro, ZX_VMO_CHILD_SLICE, 0, PAGE, &s2));
	EXPECT_EQ(rights_of(s2), ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_MAP |
				     ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY);
	EXPECT_EQ(vmo_info(v).num_children, 2u);
	EXPECT_OK(zx_handle_close(s2));
	/* NO_WRITE drops WRITE */
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_NO_WRITE, 0, PAGE, &s2));
	EXPECT_EQ(rights_of(s2) & ZX_RIGHT_WRITE, 0u);
	EXPECT_EQ(rights_of(s2) & ZX_RIGHT_READ, ZX_RIGHT_READ);
	EXPECT_OK(zx_handle_close(s2));
	EXPECT_OK(zx_handle_close(ro));
	EXPECT_OK(zx_handle_close(s));
	EXPECT_EQ(vmo_info(v).num_children, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Slice, RangeChecks)
{
	zx_handle_t v = phys(VIRTIO(0), 4 * PAGE), s = 0x77;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const uint32_t o = ZX_VMO_CHILD_SLICE;
	EXPECT_STATUS(zx_vmo_create_child(v, o, 1, PAGE, &s), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, o, PAGE / 2, PAGE, &s), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, o, 0, 5 * PAGE, &s), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, o, 3 * PAGE, 2 * PAGE, &s), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, o, 5 * PAGE, PAGE, &s), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, o, ~0ul - PAGE + 1, 2 * PAGE, &s),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, o, PAGE, ~0ul - PAGE + 1, &s), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(s, 0x77u);
	EXPECT_TRUE(zero_children(v), "no child was made");
	EXPECT_OK(zx_vmo_create_child(v, o, 3 * PAGE, PAGE, &s), "the last page");
	EXPECT_OK(zx_handle_close(s));
	EXPECT_OK(zx_vmo_create_child(v, o, 0, 4 * PAGE, &s), "the whole VMO");
	EXPECT_OK(zx_handle_close(s));
	/* the size is rounded up to pages, as Zircon does; the content size keeps it */
	ASSERT_OK(zx_vmo_create_child(v, o, PAGE, PAGE + 1, &s));
	uint64_t size = 0, content = 0;
	EXPECT_OK(zx_vmo_get_size(s, &size));
	EXPECT_EQ(size, 2 * PAGE);
	EXPECT_OK(zx_object_get_property(s, ZX_PROP_VMO_CONTENT_SIZE, &content, sizeof(content)));
	EXPECT_EQ(content, PAGE + 1);
	EXPECT_OK(zx_handle_close(s));
	s = 0x77;
	EXPECT_STATUS(zx_vmo_create_child(v, o, 3 * PAGE, PAGE + 1, &s), ZX_ERR_INVALID_ARGS,
		      "rounded up, it runs past the end");
	/* a size that wraps when rounded is refused before the handle is looked at */
	EXPECT_STATUS(zx_vmo_create_child(0x12345, o, 0, ~0ul, &s), ZX_ERR_OUT_OF_RANGE);
	EXPECT_EQ(s, 0x77u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Slice, OptionChecks)
{
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE), s = 0x77;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_STATUS(
	    zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &s),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | (1u << 12), 0, PAGE, &s),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, 0, 0, PAGE, &s), ZX_ERR_INVALID_ARGS, "no SLICE");
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_NO_WRITE, 0, PAGE, &s),
		      ZX_ERR_INVALID_ARGS, "NO_WRITE without SLICE");
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &s),
		      ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PAGE, &s),
		      ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmo_create_child(
			  v, ZX_VMO_CHILD_SNAPSHOT_MODIFIED | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, &s),
		      ZX_ERR_NOT_SUPPORTED, "RESIZABLE may join a snapshot");
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_REFERENCE, 0, PAGE, &s),
		      ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(
	    zx_vmo_create_child(v, ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &s),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT | (1u << 12), 0, PAGE, &s),
		      ZX_ERR_INVALID_ARGS, "malformed before unsupported");
	/* NO_WRITE with RESIZABLE is refused before the handle is looked at */
	EXPECT_STATUS(zx_vmo_create_child(0x12345,
					  ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE |
					      ZX_VMO_CHILD_RESIZABLE,
					  0, PAGE, &s),
		      ZX_ERR_INVALID_ARGS);
	/* more than one child type is malformed before it is unsupported */
	EXPECT_STATUS(
	    zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &s),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
				0, PAGE, &s),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(s, 0x77u);
	EXPECT_TRUE(zero_children(v));
	EXPECT_EQ(vmo_info(v).num_children, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Slice, ParentRights)
{
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE), weak, s = 0x77;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_DUPLICATE, &weak));
	EXPECT_STATUS(zx_vmo_create_child(weak, ZX_VMO_CHILD_SLICE, 0, PAGE, &s),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(weak));
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ, &weak));
	EXPECT_STATUS(zx_vmo_create_child(weak, ZX_VMO_CHILD_SLICE, 0, PAGE, &s),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_EQ(s, 0x77u);
	EXPECT_TRUE(zero_children(v));
	EXPECT_OK(zx_handle_close(v));
}

static const zx_handle_t rodata_handle = 0x1234; /* lives in the read-only text segment */

TEST(Slice, BadOutPointerLeavesNoChild)
{
	static zx_handle_t slots[2];
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	int before = free_handle_slots();
	const uintptr_t bad[] = {0,
				 KERNEL_ADDR,
				 (uintptr_t)&slots[0] + 1,
				 PAST_USER_ADDR,
				 UNMAPPED_ADDR,
				 OPENSBI_ADDR,
				 (uintptr_t)&rodata_handle};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_STATUS(
		    zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, (zx_handle_t *)bad[i]),
		    ZX_ERR_INVALID_ARGS, "out %#lx", (unsigned long)bad[i]);
		EXPECT_TRUE(zero_children(v), "out %#lx: ZERO_CHILDREN re-asserted",
			    (unsigned long)bad[i]);
		EXPECT_EQ(vmo_info(v).num_children, 0u, "out %#lx", (unsigned long)bad[i]);
	}
	EXPECT_EQ(rodata_handle, 0x1234u);
	EXPECT_EQ(free_handle_slots(), before, "a failed slice left a handle behind");
	/* the parent's policy can still change: no child is holding it */
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED_DEVICE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Slice, FullHandleTableIsNoResources)
{
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE), s = 0x77;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 0);
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &s), ZX_ERR_NO_RESOURCES);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_EQ(s, 0x77u);
	EXPECT_TRUE(zero_children(v), "the child was destroyed again");
	EXPECT_EQ(vmo_info(v).num_children, 0u);
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &s), "room again");
	EXPECT_OK(zx_handle_close(s));
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------------ ZX_VMO_ZERO_CHILDREN */

TEST(ZeroChildren, ClearedAndReasserted)
{
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE), a, b;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_OK(zero_children_status(v));
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &a));
	EXPECT_STATUS(zero_children_status(v), ZX_ERR_TIMED_OUT);
	EXPECT_OK(zero_children_status(a), "the child itself has no children");
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, PAGE, PAGE, &b));
	EXPECT_OK(zx_handle_close(a));
	EXPECT_STATUS(zero_children_status(v), ZX_ERR_TIMED_OUT, "one child left");
	EXPECT_OK(zx_handle_close(b));
	EXPECT_OK(zero_children_status(v));
	EXPECT_OK(zx_handle_close(v));
}

TEST(ZeroChildren, DuplicateOfChildKeepsItAlive)
{
	zx_handle_t v = phys(VIRTIO(0), PAGE), c, d;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &c));
	ASSERT_OK(zx_handle_duplicate(c, ZX_RIGHT_SAME_RIGHTS, &d));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_STATUS(zero_children_status(v), ZX_ERR_TIMED_OUT);
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zero_children_status(v));
	EXPECT_OK(zx_handle_close(v));
}

TEST(ZeroChildren, MappedChildHoldsTheSignalOff)
{
	zx_handle_t v = phys(VIRTIO(0), 8 * PAGE), c;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 7 * PAGE, PAGE, &c));
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(c, PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_OK(zx_handle_close(c));
	EXPECT_STATUS(zero_children_status(v), ZX_ERR_TIMED_OUT, "the mapping holds the child");
	EXPECT_EQ(vmo_info(v).num_children, 1u);
	EXPECT_EQ(r[0], VIRTIO_MAGIC, "the mapping still works");
	EXPECT_EQ(r[2], 4u);
	unmap(addr, PAGE);
	EXPECT_OK(zero_children_status(v), "unmapping destroyed the child");
	EXPECT_EQ(vmo_info(v).num_children, 0u);
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED_DEVICE), "no child any more");
	EXPECT_OK(zx_handle_close(v));
}

TEST(ZeroChildren, PartialUnmapKeepsTheChild)
{
	zx_handle_t v = phys(VIRTIO(0), 8 * PAGE), c;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 4 * PAGE, 4 * PAGE, &c));
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(c, 4 * PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_OK(zx_handle_close(c));
	unmap(addr + PAGE, PAGE);
	EXPECT_STATUS(zero_children_status(v), ZX_ERR_TIMED_OUT);
	EXPECT_EQ(r[3 * PAGE / 4 + 2], 4u, "slot 8 through the upper piece");
	unmap(addr, PAGE);
	EXPECT_STATUS(zero_children_status(v), ZX_ERR_TIMED_OUT);
	unmap(addr + 2 * PAGE, 2 * PAGE);
	EXPECT_OK(zero_children_status(v));
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------------ op_range */

static const uint32_t cache_ops[] = {ZX_VMO_OP_CACHE_SYNC, ZX_VMO_OP_CACHE_INVALIDATE,
				     ZX_VMO_OP_CACHE_CLEAN, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE};

TEST(OpRange, CacheOpsOnMmioNotSupported)
{
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	for (unsigned i = 0; i < 4; i++) {
		EXPECT_STATUS(zx_vmo_op_range(v, cache_ops[i], 0, PAGE, NULL, 0),
			      ZX_ERR_NOT_SUPPORTED, "op %u", cache_ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(v, cache_ops[i], 0, 2 * PAGE, NULL, 0),
			      ZX_ERR_NOT_SUPPORTED, "op %u", cache_ops[i]);
	}
	EXPECT_OK(zx_handle_close(v));
}

/* Does the device tree QEMU handed over contain the string `s` anywhere? */
static bool dt_mentions(const char *s)
{
	static zx_handle_t dt;
	static char blob[64 * 1024];
	static uint64_t size;
	if (!dt) {
		dt = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
		if (zx_vmo_get_size(dt, &size) != ZX_OK || size > sizeof(blob) ||
		    zx_vmo_read(dt, blob, 0, size) != ZX_OK)
			size = 0;
	}
	size_t n = strlen(s);
	for (uint64_t i = 0; i + n <= size; i++)
		if (memcmp(blob + i, s, n) == 0)
			return true;
	return false;
}

/*
 * Cache operations on a CACHED carve-out run Zicbom's cbo.* a block at a
 * time wherever the harts have it (QEMU 10's do, QEMU 7.2's do not): the
 * kernel's count of executed cache-block instructions must grow by exactly
 * the blocks each range touches, and stay put without Zicbom.
 */
TEST(OpRange, CacheOpsRunCboWhereTheHartsHaveZicbom)
{
	bool zicbom = dt_mentions("zicbom") && dt_mentions("riscv,cbom-block-size");
	zx_info_zirv_cache_ops_t co;
	ASSERT_OK(zx_object_get_info(mmio_resource(), ZX_INFO_ZIRV_CACHE_OPS, &co, sizeof(co), NULL,
				     NULL));
	EXPECT_EQ(co.cbom_block, zicbom ? 64u : 0u, "the device tree %s zicbom",
		  zicbom ? "has" : "lacks");
	uint64_t block = co.cbom_block ? co.cbom_block : 1;
	zx_handle_t v = phys_policy(CARVE_BASE, CARVE_SIZE, ZX_CACHE_POLICY_CACHED);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const struct {
		uint64_t off, len;
	} ranges[] = {{0, PAGE}, {8, 100}, {PAGE - 8, 16}, {0, CARVE_SIZE}};
	for (unsigned i = 1; i < 4; i++) /* cache_ops[0] is SYNC: no cache-block op */
		for (unsigned r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
			uint64_t off = ranges[r].off, len = ranges[r].len;
			uint64_t blocks =
			    zicbom ? (off + len + block - 1) / block - off / block : 0;
			uint64_t before = co.cbo_blocks;
			EXPECT_OK(zx_vmo_op_range(v, cache_ops[i], off, len, NULL, 0));
			ASSERT_OK(zx_object_get_info(mmio_resource(), ZX_INFO_ZIRV_CACHE_OPS, &co,
						     sizeof(co), NULL, NULL));
			EXPECT_EQ(co.cbo_blocks - before, blocks, "op %u over %#lx+%#lx",
				  cache_ops[i], (unsigned long)off, (unsigned long)len);
		}
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, CacheOpsTopicErrors)
{
	zx_info_zirv_cache_ops_t co;
	zx_handle_t weak;
	EXPECT_STATUS(zx_object_get_info(zx_vmar_root_self(), ZX_INFO_ZIRV_CACHE_OPS, &co,
					 sizeof(co), NULL, NULL),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(
	    zx_object_get_info(mmio_resource(), ZX_INFO_ZIRV_CACHE_OPS, &co, 8, NULL, NULL),
	    ZX_ERR_BUFFER_TOO_SMALL);
	ASSERT_OK(zx_handle_duplicate(mmio_resource(), ZX_RIGHT_TRANSFER, &weak));
	EXPECT_STATUS(zx_object_get_info(weak, ZX_INFO_ZIRV_CACHE_OPS, &co, sizeof(co), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(weak));
}

TEST(OpRange, CacheOpsOnCarveoutOk)
{
	zx_handle_t v = phys(CARVE_BASE, CARVE_SIZE);
	ASSERT_NE(v, ZX_HANDLE_INVALID, "carve-out 4M@0x8a000000 (boot argument) not grantable");
	EXPECT_EQ(vmo_info(v).flags,
		  ZX_INFO_VMO_TYPE_PHYSICAL | ZX_INFO_VMO_CONTIGUOUS | ZX_INFO_VMO_VIA_HANDLE);
	ASSERT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED));
	zx_vaddr_t addr;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v, 0,
			      PAGE, &addr));
	volatile uint64_t *p = (volatile uint64_t *)addr;
	for (unsigned i = 0; i < 4; i++) {
		p[i] = 0x1122334455667788ul + i;
		EXPECT_OK(zx_vmo_op_range(v, cache_ops[i], 0, PAGE, NULL, 0), "op %u",
			  cache_ops[i]);
		EXPECT_OK(zx_vmo_op_range(v, cache_ops[i], 8, 100, NULL, 0), "op %u", cache_ops[i]);
		EXPECT_OK(zx_vmo_op_range(v, cache_ops[i], 0, CARVE_SIZE, NULL, 0), "op %u",
			  cache_ops[i]);
		EXPECT_EQ(p[i], 0x1122334455667788ul + i);
	}
	unmap(addr, PAGE);
	/* an uncached carve-out takes cache ops too */
	ASSERT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED));
	for (unsigned i = 0; i < 4; i++)
		EXPECT_OK(zx_vmo_op_range(v, cache_ops[i], 0, PAGE, NULL, 0), "op %u",
			  cache_ops[i]);
	/* and a slice of it */
	zx_handle_t s;
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, PAGE, PAGE, &s));
	for (unsigned i = 0; i < 4; i++)
		EXPECT_OK(zx_vmo_op_range(s, cache_ops[i], 0, PAGE, NULL, 0), "op %u",
			  cache_ops[i]);
	EXPECT_OK(zx_handle_close(s));
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, CacheOpRights)
{
	zx_handle_t v = phys(CARVE_BASE, PAGE), noread, nowrite;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ, &noread));
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE, &nowrite));
	EXPECT_STATUS(zx_vmo_op_range(nowrite, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmo_op_range(nowrite, ZX_VMO_OP_CACHE_CLEAN, 0, PAGE, NULL, 0));
	EXPECT_STATUS(zx_vmo_op_range(noread, ZX_VMO_OP_CACHE_CLEAN, 0, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_op_range(noread, ZX_VMO_OP_CACHE_SYNC, 0, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmo_op_range(noread, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE, NULL, 0));
	EXPECT_OK(zx_handle_close(noread));
	EXPECT_OK(zx_handle_close(nowrite));
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, CommitDecommitLockZeroNotSupported)
{
	const zx_handle_t vs[2] = {phys(VIRTIO(0), 2 * PAGE), phys(CARVE_BASE, 2 * PAGE)};
	const uint32_t ops[] = {ZX_VMO_OP_COMMIT, ZX_VMO_OP_DECOMMIT, ZX_VMO_OP_LOCK,
				ZX_VMO_OP_ZERO};
	for (int k = 0; k < 2; k++) {
		ASSERT_NE(vs[k], ZX_HANDLE_INVALID);
		for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			EXPECT_STATUS(zx_vmo_op_range(vs[k], ops[i], 0, PAGE, NULL, 0),
				      ZX_ERR_NOT_SUPPORTED, "vmo %d op %u", k, ops[i]);
		EXPECT_OK(zx_handle_close(vs[k]));
	}
}

TEST(OpRange, UnknownOpAndRange)
{
	zx_handle_t m = phys(VIRTIO(0), 2 * PAGE), c = phys(CARVE_BASE, 2 * PAGE);
	ASSERT_NE(m, ZX_HANDLE_INVALID);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_op_range(m, 99, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_op_range(c, 99, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_op_range(c, 0, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_op_range(c, 5, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
	for (unsigned i = 0; i < 4; i++) {
		EXPECT_STATUS(zx_vmo_op_range(c, cache_ops[i], 2 * PAGE, 1, NULL, 0),
			      ZX_ERR_OUT_OF_RANGE, "op %u", cache_ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(c, cache_ops[i], 0, 2 * PAGE + 1, NULL, 0),
			      ZX_ERR_OUT_OF_RANGE, "op %u", cache_ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(c, cache_ops[i], PAGE, ~0ul, NULL, 0),
			      ZX_ERR_OUT_OF_RANGE, "op %u", cache_ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(c, cache_ops[i], 3 * PAGE, PAGE, NULL, 0),
			      ZX_ERR_OUT_OF_RANGE, "op %u", cache_ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(m, cache_ops[i], 3 * PAGE, PAGE, NULL, 0),
			      ZX_ERR_OUT_OF_RANGE, "op %u", cache_ops[i]);
	}
	EXPECT_STATUS(zx_vmo_op_range(ZX_HANDLE_INVALID, ZX_VMO_OP_CACHE_SYNC, 0, PAGE, NULL, 0),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_OK(zx_handle_close(m));
	EXPECT_OK(zx_handle_close(c));
}

/*
 * Reclaim hints: accepted for any VMO without a pager, range unchecked, as
 * Zircon does; PREFETCH needs READ, a range inside the VMO, and pages.
 */
TEST(OpRange, HintsPagedOkPhysicalNotSupported)
{
	static const uint32_t hints[] = {ZX_VMO_OP_DONT_NEED, ZX_VMO_OP_ALWAYS_NEED};
	zx_handle_t m = phys(VIRTIO(0), PAGE), p = ZX_HANDLE_INVALID, wo = ZX_HANDLE_INVALID;
	ASSERT_NE(m, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create(2 * PAGE, 0, &p));
	for (unsigned i = 0; i < 2; i++) {
		EXPECT_OK(zx_vmo_op_range(p, hints[i], 0, 2 * PAGE, NULL, 0), "op %u", hints[i]);
		EXPECT_OK(zx_vmo_op_range(p, hints[i], PAGE, 2 * PAGE, NULL, 0), "op %u", hints[i]);
		EXPECT_OK(zx_vmo_op_range(m, hints[i], 0, PAGE, NULL, 0), "op %u", hints[i]);
	}
	EXPECT_OK(zx_vmo_op_range(p, ZX_VMO_OP_PREFETCH, 0, 2 * PAGE, NULL, 0));
	EXPECT_STATUS(zx_vmo_op_range(p, ZX_VMO_OP_PREFETCH, PAGE, 2 * PAGE, NULL, 0),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_op_range(m, ZX_VMO_OP_PREFETCH, 0, PAGE, NULL, 0),
		      ZX_ERR_NOT_SUPPORTED);
	ASSERT_OK(zx_handle_duplicate(p, ZX_RIGHT_WRITE, &wo));
	EXPECT_STATUS(zx_vmo_op_range(wo, ZX_VMO_OP_PREFETCH, 0, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED, "PREFETCH needs READ");
	EXPECT_OK(zx_handle_close(wo));
	/* COMMIT of nothing commits nothing, even at an unaligned offset */
	zx_info_vmo_t info;
	EXPECT_OK(zx_vmo_op_range(p, ZX_VMO_OP_COMMIT, 100, 0, NULL, 0));
	ASSERT_OK(zx_object_get_info(p, ZX_INFO_VMO, &info, sizeof(info), NULL, NULL));
	EXPECT_EQ(info.committed_bytes, 0u);
	EXPECT_OK(zx_vmo_op_range(p, ZX_VMO_OP_COMMIT, 100, 1, NULL, 0));
	ASSERT_OK(zx_object_get_info(p, ZX_INFO_VMO, &info, sizeof(info), NULL, NULL));
	EXPECT_EQ(info.committed_bytes, PAGE);
	EXPECT_OK(zx_handle_close(m));
	EXPECT_OK(zx_handle_close(p));
}

TEST(Carveout, GrantedExactlyAndWritable)
{
	zx_handle_t root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0)), v = 0x77;
	ASSERT_NE(root, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_create_physical(root, CARVE_BASE - PAGE, 2 * PAGE, &v),
		      ZX_ERR_ACCESS_DENIED, "RAM below the carve-out");
	EXPECT_STATUS(zx_vmo_create_physical(root, CARVE_BASE + CARVE_SIZE - PAGE, 2 * PAGE, &v),
		      ZX_ERR_ACCESS_DENIED, "RAM above the carve-out");
	EXPECT_EQ(v, 0x77u);
	ASSERT_OK(zx_vmo_create_physical(root, CARVE_BASE, CARVE_SIZE, &v));
	ASSERT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED));
	zx_vaddr_t addr;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v, 0,
			      CARVE_SIZE, &addr));
	volatile uint32_t *p = (volatile uint32_t *)addr;
	for (size_t off = 0; off < CARVE_SIZE; off += 64 * PAGE)
		p[off / 4] = 0xcafe0000u + (uint32_t)(off / PAGE);
	p[(CARVE_SIZE - 4) / 4] = 0xfeedf00du;
	for (size_t off = 0; off < CARVE_SIZE; off += 64 * PAGE)
		EXPECT_EQ(p[off / 4], 0xcafe0000u + (uint32_t)(off / PAGE));
	EXPECT_EQ(p[(CARVE_SIZE - 4) / 4], 0xfeedf00du);
	unmap(addr, CARVE_SIZE);
	/* the same bytes, seen again through a second VMO and mapping */
	zx_handle_t v2;
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), CARVE_BASE + 64 * PAGE, PAGE, &v2));
	ASSERT_OK(zx_vmo_set_cache_policy(v2, ZX_CACHE_POLICY_CACHED));
	volatile uint32_t *q = map_ro(v2, PAGE, &addr);
	ASSERT_NOT_NULL(q);
	EXPECT_EQ(q[0], 0xcafe0040u);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(v2));
	EXPECT_OK(zx_handle_close(v));
	EXPECT_OK(zx_handle_close(root));
}

/* Physical VMOs have a fixed size: Zircon's VmObjectPhysical cannot resize. */
TEST(SetSize, PhysicalIsUnavailable)
{
	zx_handle_t v = phys(CARVE_BASE, 2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_set_size(v, PAGE), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmo_set_size(v, ~0ul), ZX_ERR_OUT_OF_RANGE,
		      "the size's rounding before the kind");
	uint64_t size = 0;
	EXPECT_OK(zx_vmo_get_size(v, &size));
	EXPECT_EQ(size, 2 * PAGE);
	EXPECT_OK(zx_handle_close(v));
}

/* A physical VMO's content size is its size, and fixed. */
TEST(ContentSize, PhysicalIsFixed)
{
	zx_handle_t v = phys(CARVE_BASE, 2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	uint64_t cs = 0;
	EXPECT_OK(zx_object_get_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)));
	EXPECT_EQ(cs, 2 * PAGE);
	cs = PAGE;
	EXPECT_STATUS(zx_object_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)),
		      ZX_ERR_NOT_SUPPORTED);
	EXPECT_OK(zx_handle_close(v));
}
