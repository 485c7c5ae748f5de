/*
 * snapshot.c: copy-on-write children of paged VMOs (ZX_VMO_CHILD_SNAPSHOT
 * and SNAPSHOT_AT_LEAST_ON_WRITE). A snapshot shows its parent as it was;
 * afterwards neither sees the other's writes, whether they come through
 * zx_vmo_write, through a mapping (a write fault takes the private copy),
 * or through the kernel copying into a mapped shared page. Pages are
 * shared, not copied, until written; the rights, info, signals and errors
 * are Zircon's.
 */
#include <string.h>
#include <zircon/syscalls/object.h>

#include "phys_util.h"

static zx_handle_t snap(zx_handle_t parent, uint32_t options, uint64_t offset, uint64_t size)
{
	zx_handle_t c = ZX_HANDLE_INVALID;
	if (zx_vmo_create_child(parent, options, offset, size, &c) != ZX_OK)
		return ZX_HANDLE_INVALID;
	return c;
}

static uint8_t byte_at(zx_handle_t v, uint64_t off)
{
	uint8_t b = 0xee;
	zx_vmo_read(v, &b, off, 1);
	return b;
}

static void put_byte(zx_handle_t v, uint64_t off, uint8_t b)
{
	zx_vmo_write(v, &b, off, 1);
}

/* Free memory, counting the heap's pages as free: the heap never gives pages back. */
static uint64_t free_bytes(void)
{
	zx_info_kmem_stats_v1_t st = {0};
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL);
	return st.free_bytes + st.total_heap_bytes;
}

static zx_vaddr_t map_rw(zx_handle_t v, size_t len)
{
	zx_vaddr_t a = 0;
	if (zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, len, &a) != ZX_OK)
		return 0;
	return a;
}

TEST(Snapshot, NeitherSeesTheOthersWrites)
{
	static const uint32_t types[] = {ZX_VMO_CHILD_SNAPSHOT,
					 ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE};
	for (int t = 0; t < 2; t++) {
		zx_handle_t p = filled_vmo(4 * PAGE, 0, 0x11);
		zx_handle_t c = snap(p, types[t], 0, 4 * PAGE);
		ASSERT_NE(c, ZX_HANDLE_INVALID);
		EXPECT_EQ(byte_at(c, 3 * PAGE + 5), 0x11, "the parent's content");
		put_byte(p, 0, 0x22);
		put_byte(c, PAGE, 0x33);
		EXPECT_EQ(byte_at(c, 0), 0x11, "the parent's later write is not seen");
		EXPECT_EQ(byte_at(p, PAGE), 0x11, "nor the child's");
		EXPECT_EQ(byte_at(p, 0), 0x22);
		EXPECT_EQ(byte_at(c, PAGE), 0x33);
		/* a snapshot of the snapshot, and the first one goes on diverging */
		zx_handle_t g = snap(c, types[t], PAGE, 2 * PAGE);
		ASSERT_NE(g, ZX_HANDLE_INVALID);
		put_byte(c, PAGE, 0x44);
		EXPECT_EQ(byte_at(g, 0), 0x33, "the grandchild keeps what it was given");
		EXPECT_EQ(byte_at(g, PAGE), 0x11);
		EXPECT_OK(zx_handle_close(c));
		EXPECT_EQ(byte_at(g, 0), 0x33, "and keeps it when its parent goes");
		EXPECT_OK(zx_handle_close(g));
		EXPECT_OK(zx_handle_close(p));
	}
}

TEST(Snapshot, PagesAreSharedUntilWritten)
{
	uint64_t start = free_bytes();
	zx_handle_t p = filled_vmo(16 * PAGE, 0, 0x5a);
	uint64_t before = free_bytes();
	zx_handle_t c = snap(p, ZX_VMO_CHILD_SNAPSHOT, 0, 16 * PAGE);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	uint64_t used = before - free_bytes();
	EXPECT_EQ(used, 2 * PAGE, "only the child's page directory (two pages)");
	EXPECT_EQ(vmo_info(c).committed_bytes, 16 * PAGE, "the child holds every page");
	put_byte(c, 0, 1);
	EXPECT_EQ(before - free_bytes(), used + PAGE, "one write, one private page");
	put_byte(c, 1, 2);
	EXPECT_EQ(before - free_bytes(), used + PAGE, "the page is the child's now");
	put_byte(p, 0, 3);
	EXPECT_EQ(before - free_bytes(), used + PAGE, "and the parent's old one only the parent's");
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(p));
	EXPECT_EQ(free_bytes(), start, "every page and directory given back");
}

TEST(Snapshot, ZerosWhereTheParentHadNothing)
{
	zx_handle_t p = new_vmo(4 * PAGE); /* nothing committed */
	put_byte(p, PAGE, 7);
	zx_handle_t c = snap(p, ZX_VMO_CHILD_SNAPSHOT, 0, 8 * PAGE);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	put_byte(p, 0, 9); /* committed after the snapshot */
	EXPECT_EQ(byte_at(c, 0), 0, "uncommitted then: zero, and stays so");
	EXPECT_EQ(byte_at(c, PAGE), 7);
	EXPECT_EQ(byte_at(c, 6 * PAGE), 0, "past the parent's end");
	EXPECT_EQ(vmo_info(c).size_bytes, 8 * PAGE);
	zx_handle_t far = snap(p, ZX_VMO_CHILD_SNAPSHOT, 64 * PAGE, PAGE);
	ASSERT_NE(far, ZX_HANDLE_INVALID, "an offset past the parent is allowed");
	EXPECT_EQ(byte_at(far, 0), 0);
	EXPECT_OK(zx_handle_close(far));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(p));
}

TEST(Snapshot, WritesThroughMappings)
{
	zx_handle_t p = filled_vmo(2 * PAGE, 0, 0x10);
	volatile uint8_t *pm = (volatile uint8_t *)map_rw(p, 2 * PAGE);
	ASSERT_NOT_NULL(pm);
	zx_handle_t c = snap(p, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	volatile uint8_t *cm = (volatile uint8_t *)map_rw(c, 2 * PAGE);
	volatile uint8_t *cm2 = (volatile uint8_t *)map_rw(c, 2 * PAGE);
	ASSERT_NOT_NULL(cm);
	ASSERT_NOT_NULL(cm2);
	EXPECT_EQ(cm[100], 0x10);
	pm[0] = 0x20; /* a write fault in the parent's mapping: the parent copies */
	EXPECT_EQ(cm[0], 0x10);
	EXPECT_EQ(byte_at(c, 0), 0x10);
	EXPECT_EQ(byte_at(p, 0), 0x20);
	cm[PAGE] = 0x30; /* the child copies; both its mappings show the copy */
	EXPECT_EQ(cm2[PAGE], 0x30);
	EXPECT_EQ(pm[PAGE], 0x10);
	cm2[PAGE + 1] = 0x31;
	EXPECT_EQ(cm[PAGE + 1], 0x31);
	EXPECT_EQ(byte_at(c, PAGE + 1), 0x31);
	/* protect back and forth keeps a shared page read-only */
	zx_handle_t c2 = snap(c, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
	ASSERT_NE(c2, ZX_HANDLE_INVALID);
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, (zx_vaddr_t)cm, 2 * PAGE));
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), RW, (zx_vaddr_t)cm, 2 * PAGE));
	cm[PAGE] = 0x40;
	EXPECT_EQ(byte_at(c2, PAGE), 0x30, "the grandchild's page was not written in place");
	EXPECT_EQ(cm2[PAGE], 0x40);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)pm, 2 * PAGE));
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)cm, 2 * PAGE));
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)cm2, 2 * PAGE));
	EXPECT_OK(zx_handle_close(c2));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(p));
}

TEST(Snapshot, KernelCopiesIntoASharedMappedPage)
{
	zx_handle_t p = filled_vmo(PAGE, 0, 0x61), src = filled_vmo(PAGE, 0, 0x62);
	volatile uint8_t *pm = (volatile uint8_t *)map_rw(p, PAGE);
	ASSERT_NOT_NULL(pm);
	zx_handle_t c = snap(p, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	/* zx_vmo_read stores into the parent's mapping, a shared page: the kernel copies it */
	EXPECT_OK(zx_vmo_read(src, (void *)pm, 0, 64));
	EXPECT_EQ(pm[63], 0x62);
	EXPECT_EQ(pm[64], 0x61);
	EXPECT_EQ(byte_at(c, 0), 0x61, "the snapshot still has the old content");
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), (zx_vaddr_t)pm, PAGE));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(src));
	EXPECT_OK(zx_handle_close(p));
}

TEST(Snapshot, RightsNameAndInfo)
{
	zx_handle_t p = filled_vmo(PAGE, 0, 1), weak;
	ASSERT_OK(zx_object_set_property(p, ZX_PROP_NAME, "parent", 6));
	ASSERT_OK(zx_handle_duplicate(
	    p, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_GET_PROPERTY, &weak));
	zx_handle_t c = snap(weak, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, PAGE);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	EXPECT_EQ(rights_of(c),
		  ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_GET_PROPERTY |
		      ZX_RIGHT_SET_PROPERTY | ZX_RIGHT_WRITE | ZX_RIGHT_RESIZE,
		  "a copy-on-write child is writable, and resizable as asked");
	char name[ZX_MAX_NAME_LEN] = {0};
	EXPECT_OK(zx_object_get_property(c, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "parent");
	zx_info_vmo_t ci = vmo_info(c), pi = vmo_info(p);
	EXPECT_EQ(ci.parent_koid, koid_of(p));
	EXPECT_EQ(ci.flags & (ZX_INFO_VMO_IS_COW_CLONE | ZX_INFO_VMO_RESIZABLE),
		  ZX_INFO_VMO_IS_COW_CLONE | ZX_INFO_VMO_RESIZABLE);
	EXPECT_EQ(pi.num_children, 1u);
	EXPECT_EQ(pi.flags & ZX_INFO_VMO_IS_COW_CLONE, 0u);
	EXPECT_STATUS(zero_children_status(p), ZX_ERR_TIMED_OUT, "a child lives");
	EXPECT_OK(zx_vmo_set_size(c, 3 * PAGE));
	EXPECT_EQ(byte_at(c, 2 * PAGE), 0);
	uint64_t content = 0;
	EXPECT_OK(zx_object_get_property(c, ZX_PROP_VMO_CONTENT_SIZE, &content, sizeof(content)));
	EXPECT_EQ(content, 3 * PAGE);

	zx_handle_t ro = snap(p, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE, 0, 100);
	ASSERT_NE(ro, ZX_HANDLE_INVALID);
	EXPECT_EQ(rights_of(ro) & (ZX_RIGHT_WRITE | ZX_RIGHT_RESIZE), 0u);
	EXPECT_OK(zx_object_get_property(ro, ZX_PROP_VMO_CONTENT_SIZE, &content, sizeof(content)));
	EXPECT_EQ(content, 100u, "the content size is the size asked for");
	EXPECT_EQ(vmo_info(ro).size_bytes, PAGE);
	EXPECT_OK(zx_handle_close(ro));

	/* the parent goes first: the child keeps its content and loses its parent */
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(p));
	ci = vmo_info(c);
	EXPECT_EQ(ci.parent_koid, 0u);
	EXPECT_EQ(ci.flags & ZX_INFO_VMO_IS_COW_CLONE, 0u);
	EXPECT_EQ(byte_at(c, 0), 1);
	EXPECT_OK(zx_handle_close(c));
}

TEST(Snapshot, ZeroChildrenAndDecommit)
{
	zx_handle_t p = filled_vmo(2 * PAGE, 0, 9);
	EXPECT_OK(zero_children_status(p));
	zx_handle_t c = snap(p, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, 2 * PAGE);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zero_children_status(p), ZX_ERR_TIMED_OUT);
	EXPECT_STATUS(zx_vmo_op_range(p, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0),
		      ZX_ERR_NOT_SUPPORTED, "the pages may be the child's too");
	EXPECT_STATUS(zx_vmo_op_range(c, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0),
		      ZX_ERR_NOT_SUPPORTED);
	zx_vaddr_t a = map_rw(c, 2 * PAGE);
	ASSERT_NE(a, 0u);
	EXPECT_STATUS(zx_vmar_op_range(zx_vmar_root_self(), ZX_VMAR_OP_DECOMMIT, a, PAGE, NULL, 0),
		      ZX_ERR_NOT_SUPPORTED);
	EXPECT_OK(zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, 2 * PAGE, NULL, 0));
	EXPECT_EQ(((volatile uint8_t *)a)[5], 0, "zeroed through its own copy");
	EXPECT_EQ(byte_at(p, 5), 9, "not in the parent's page");
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, 2 * PAGE));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zero_children_status(p), "asserted again once the child is gone");
	EXPECT_OK(zx_vmo_op_range(p, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(p).committed_bytes, PAGE);
	EXPECT_OK(zx_handle_close(p));
}

TEST(Snapshot, Errors)
{
	zx_handle_t p = filled_vmo(PAGE, 0, 1), c = 0x77, weak;
	EXPECT_STATUS(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, ~0ul, &c),
		      ZX_ERR_OUT_OF_RANGE, "the size rounds past 2^64");
	EXPECT_STATUS(zx_vmo_create_child(
			  p, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE | ZX_VMO_CHILD_RESIZABLE,
			  0, PAGE, &c),
		      ZX_ERR_INVALID_ARGS);
	ASSERT_OK(zx_handle_duplicate(p, ZX_RIGHT_READ, &weak));
	EXPECT_STATUS(zx_vmo_create_child(weak, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
		      ZX_ERR_ACCESS_DENIED, "needs DUPLICATE and READ");
	EXPECT_STATUS(zx_vmo_create_child(0x12345, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_create_child(zx_process_self(), ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT | (1u << 20), 0, PAGE, &c),
		      ZX_ERR_INVALID_ARGS, "an unknown option");
	EXPECT_STATUS(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 0, PAGE, &c),
		      ZX_ERR_NOT_SUPPORTED, "not implemented");
	EXPECT_STATUS(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 100, PAGE, &c),
		      ZX_ERR_INVALID_ARGS, "an unaligned offset");
	EXPECT_STATUS(
	    zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, ~0ul & ~(PAGE - 1), 2 * PAGE, &c),
	    ZX_ERR_OUT_OF_RANGE, "offset + size wraps");
	EXPECT_STATUS(zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * GIB, &c),
		      ZX_ERR_OUT_OF_RANGE, "past zirv's largest paged VMO");
	zx_handle_t ph = phys(VIRTIO(3), PAGE);
	ASSERT_NE(ph, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_create_child(ph, ZX_VMO_CHILD_SNAPSHOT, 100, PAGE, &c),
		      ZX_ERR_NOT_SUPPORTED,
		      "physical VMOs: refused before the offset is looked at");
	EXPECT_STATUS(zx_vmo_create_child(ph, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 0, PAGE, &c),
		      ZX_ERR_NOT_SUPPORTED);
	int slots = free_handle_slots();
	EXPECT_STATUS(
	    zx_vmo_create_child(p, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, (zx_handle_t *)KERNEL_ADDR),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots);
	EXPECT_OK(zero_children_status(p), "the failed calls made no child");
	EXPECT_EQ(c, 0x77u);
	EXPECT_OK(zx_handle_close(ph));
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(p));
}
