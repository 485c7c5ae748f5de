/*
 * vmo.c: zx_vmo_create, zx_vmo_read, zx_vmo_write and zx_vmo_get_size:
 * sizes and page rounding, contents across page boundaries, ranges,
 * rights, handle types and options; zx_vmo_op_range on paged VMOs.
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

static uint64_t size_of(zx_handle_t v)
{
	uint64_t size = 0xdead;
	if (zx_vmo_get_size(v, &size) != ZX_OK)
		return 0xdead;
	return size;
}

TEST(Create, SizesRoundUpToPages)
{
	const struct {
		uint64_t ask, want;
	} cases[] = {
	    {0, 0},
	    {1, PAGE},
	    {PAGE - 1, PAGE},
	    {PAGE, PAGE},
	    {PAGE + 1, 2 * PAGE},
	    {10 * PAGE, 10 * PAGE},
	    {GIB - 1, GIB},
	    {GIB, GIB},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		zx_handle_t v = 0x77;
		ASSERT_OK(zx_vmo_create(cases[i].ask, 0, &v), "size %#lx",
			  (unsigned long)cases[i].ask);
		EXPECT_NE(v, 0x77u);
		EXPECT_EQ(size_of(v), cases[i].want, "size %#lx", (unsigned long)cases[i].ask);
		EXPECT_EQ(handle_basic(v).type, ZX_OBJ_TYPE_VMO);
		EXPECT_EQ(rights_of(v), ZX_DEFAULT_VMO_RIGHTS);
		EXPECT_OK(zx_handle_close(v));
	}
}

TEST(Create, NewVmoReadsAsZeros)
{
	zx_handle_t v = new_vmo(2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	static uint8_t buf[2 * PAGE];
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_OK(zx_vmo_read(v, buf, 0, sizeof(buf)));
	for (size_t i = 0; i < sizeof(buf); i++)
		ASSERT_EQ(buf[i], 0u, "byte %zu", i);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Create, TooLargeIsOutOfRange)
{
	zx_handle_t v = 0x77;
	EXPECT_STATUS(zx_vmo_create(GIB + 1, 0, &v), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_create(GIB + PAGE, 0, &v), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_create(~0ul, 0, &v), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_create(~0ul - PAGE + 2, 0, &v), ZX_ERR_OUT_OF_RANGE,
		      "would wrap to 0 when rounded up");
	EXPECT_EQ(v, 0x77u, "out untouched");
}

TEST(Create, Options)
{
	zx_handle_t v = 0x77;
	EXPECT_STATUS(zx_vmo_create(PAGE, 1u << 0, &v), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create(PAGE, ZX_VMO_DISCARDABLE, &v), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create(PAGE, 1u << 31, &v), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE | 1u << 5, &v), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(v, 0x77u, "out untouched");
}

TEST(ReadWrite, RoundTripAcrossPageBoundary)
{
	zx_handle_t v = new_vmo(4 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	static uint8_t in[2 * PAGE + 100], out[sizeof(in)];
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	ASSERT_OK(zx_vmo_write(v, in, PAGE - 50, sizeof(in)));
	memset(out, 0, sizeof(out));
	ASSERT_OK(zx_vmo_read(v, out, PAGE - 50, sizeof(out)));
	EXPECT_EQ(memcmp(in, out, sizeof(in)), 0);
	/* Bytes around the written range stay zero; an unaligned read inside is exact. */
	uint8_t edge[4];
	ASSERT_OK(zx_vmo_read(v, edge, PAGE - 52, 4));
	EXPECT_EQ(edge[0], 0u);
	EXPECT_EQ(edge[1], 0u);
	EXPECT_EQ(edge[2], in[0]);
	EXPECT_EQ(edge[3], in[1]);
	ASSERT_OK(zx_vmo_read(v, edge, PAGE - 50 + sizeof(in) - 2, 4));
	EXPECT_EQ(edge[0], in[sizeof(in) - 2]);
	EXPECT_EQ(edge[1], in[sizeof(in) - 1]);
	EXPECT_EQ(edge[2], 0u);
	/* Overwrite a piece and read it back. */
	ASSERT_OK(zx_vmo_write(v, "XYZ", 2 * PAGE - 1, 3));
	char s[4] = {0};
	ASSERT_OK(zx_vmo_read(v, s, 2 * PAGE - 1, 3));
	EXPECT_STREQ(s, "XYZ");
	/* The last byte, and zero-length accesses at the very end. */
	ASSERT_OK(zx_vmo_write(v, "E", 4 * PAGE - 1, 1));
	ASSERT_OK(zx_vmo_read(v, s, 4 * PAGE - 1, 1));
	EXPECT_EQ(s[0], 'E');
	EXPECT_OK(zx_vmo_write(v, NULL, 4 * PAGE, 0));
	EXPECT_OK(zx_vmo_read(v, NULL, 4 * PAGE, 0));
	EXPECT_OK(zx_handle_close(v));
}

TEST(ReadWrite, OutOfRange)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	char buf[16] = "abcdefghijklmno";
	EXPECT_STATUS(zx_vmo_write(v, buf, PAGE - 4, 8), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_read(v, buf, PAGE - 4, 8), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_write(v, buf, PAGE + 1, 0), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_read(v, buf, 1ul << 40, 1), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_read(v, buf, ~0ul, 2), ZX_ERR_OUT_OF_RANGE, "offset + len wraps");
	EXPECT_STATUS(zx_vmo_write(v, buf, 8, ~0ul - 4), ZX_ERR_OUT_OF_RANGE,
		      "len covers more than user space: the range check comes first");
	EXPECT_STATUS(zx_vmo_write(v, (void *)KERNEL_ADDR, 0, 8), ZX_ERR_INVALID_ARGS,
		      "a bad buffer for a range that is fine");
	/* An empty VMO has no byte to touch. */
	zx_handle_t e = new_vmo(0);
	ASSERT_NE(e, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_read(e, buf, 0, 1), ZX_ERR_OUT_OF_RANGE);
	EXPECT_OK(zx_vmo_read(e, buf, 0, 0));
	EXPECT_OK(zx_handle_close(e));
	/* Nothing of the refused write landed. */
	char chk[4] = {1, 1, 1, 1};
	ASSERT_OK(zx_vmo_read(v, chk, PAGE - 4, 4));
	EXPECT_EQ(chk[0] | chk[1] | chk[2] | chk[3], 0);
	EXPECT_OK(zx_handle_close(v));
}

TEST(ReadWrite, Rights)
{
	zx_handle_t v = new_vmo(PAGE), ro = ZX_HANDLE_INVALID, wo = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE, &ro));
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ, &wo));
	char c = 'w';
	EXPECT_STATUS(zx_vmo_write(ro, &c, 0, 1), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmo_write(wo, &c, 0, 1));
	c = 0;
	EXPECT_STATUS(zx_vmo_read(wo, &c, 0, 1), ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(c, 0);
	EXPECT_OK(zx_vmo_read(ro, &c, 0, 1));
	EXPECT_EQ(c, 'w');
	/* get_size needs no right at all. */
	zx_handle_t none = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_NONE, &none));
	EXPECT_EQ(size_of(none), PAGE);
	EXPECT_STATUS(zx_vmo_read(none, &c, 0, 1), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(none));
	EXPECT_OK(zx_handle_close(ro));
	EXPECT_OK(zx_handle_close(wo));
	EXPECT_OK(zx_handle_close(v));
}

TEST(ReadWrite, WrongTypeAndBadHandle)
{
	char c = 0;
	uint64_t size = 0x55;
	EXPECT_STATUS(zx_vmo_read(zx_process_self(), &c, 0, 1), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_write(zx_process_self(), &c, 0, 1), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_get_size(zx_process_self(), &size), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_read(zx_vmar_root_self(), &c, 0, 1), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_get_size(zx_vmar_root_self(), &size), ZX_ERR_WRONG_TYPE);
	EXPECT_EQ(size, 0x55u);

	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_close(v));
	EXPECT_STATUS(zx_vmo_read(v, &c, 0, 1), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_write(v, &c, 0, 1), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_get_size(v, &size), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_read(ZX_HANDLE_INVALID, &c, 0, 1), ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(size, 0x55u);
}

TEST(ReadWrite, ContentsSurviveADuplicateAndReplace)
{
	zx_handle_t v = new_vmo(PAGE), r = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, "persist", 100, 7));
	ASSERT_OK(zx_handle_replace(v, ZX_RIGHT_READ, &r));
	char s[8] = {0};
	ASSERT_OK(zx_vmo_read(r, s, 100, 7));
	EXPECT_STREQ(s, "persist");
	EXPECT_OK(zx_handle_close(r));
}

TEST(ReadWrite, LargeVmoSparseAccess)
{
	zx_handle_t v = new_vmo(GIB);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, "end", GIB - 3, 3));
	ASSERT_OK(zx_vmo_write(v, "mid", GIB / 2 - 1, 3));
	char s[4] = {0};
	ASSERT_OK(zx_vmo_read(v, s, GIB - 3, 3));
	EXPECT_STREQ(s, "end");
	ASSERT_OK(zx_vmo_read(v, s, GIB / 2 - 1, 3));
	EXPECT_STREQ(s, "mid");
	EXPECT_EQ(vmo_info(v).committed_bytes, 3 * PAGE, "only the touched pages");
	EXPECT_OK(zx_handle_close(v));
}

TEST(GetSize, Errors)
{
	zx_handle_t v = new_vmo(5 * PAGE + 3);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_EQ(size_of(v), 6 * PAGE);
	EXPECT_STATUS(zx_vmo_get_size(v, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_get_size(0x12345, NULL), ZX_ERR_BAD_HANDLE);
	EXPECT_OK(zx_handle_close(v));
}

/* The kernel copies by 8, 4 or 1 bytes as both sides' alignment allows: every mix is exact. */
TEST(ReadWrite, EveryAlignmentAndLengthIsExact)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	static uint8_t in[64], out[64], want[64];
	int bad = 0;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 13 + 1);
	for (size_t from = 0; from < 8; from++)
		for (size_t at = 0; at < 8; at++)
			for (size_t len = 0; len <= 24; len++) {
				uint8_t zero[40] = {0};
				ASSERT_OK(zx_vmo_write(v, zero, 0, sizeof(zero)));
				ASSERT_OK(zx_vmo_write(v, in + from, at, len));
				memset(out, 0xee, sizeof(out));
				ASSERT_OK(zx_vmo_read(v, out + (7 - at), 0, 32));
				memset(want, 0xee, sizeof(want));
				memset(want + (7 - at), 0, 32);
				memcpy(want + (7 - at) + at, in + from, len);
				bad += memcmp(out, want, sizeof(out)) != 0;
			}
	EXPECT_EQ(bad, 0, "copies that moved a byte they should not have");
	EXPECT_OK(zx_handle_close(v));
}

TEST(ReadWrite, BufferRunningIntoAnUnmappedPage)
{
	zx_handle_t v = new_vmo(PAGE), hv;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, "abcdefgh", 0, 8));
	zx_vaddr_t a = map_before_hole(PAGE, &hv);
	ASSERT_NE(a, 0u);
	char *p = (char *)(a + PAGE - 4);
	memcpy(p, "WXYZ", 4);
	/* 8 bytes from 4 before the hole: the first half is there, the rest is not */
	EXPECT_STATUS(zx_vmo_write(v, p, 0, 8), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_read(v, p, 0, 8), ZX_ERR_INVALID_ARGS);
	/* wholly in the hole */
	EXPECT_STATUS(zx_vmo_write(v, p + 4, 0, 4), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_read(v, p + 4, 0, 4), ZX_ERR_INVALID_ARGS);
	char buf[9] = {0};
	ASSERT_OK(zx_vmo_read(v, buf, 0, 8));
	EXPECT_EQ(memcmp(buf + 4, "efgh", 4), 0, "the bytes from the hole's side were not written");
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	EXPECT_OK(zx_handle_close(hv));
	EXPECT_OK(zx_handle_close(v));
}

TEST(CachePolicy, PagedVmoTakesOnlyCached)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const uint32_t others[] = {ZX_CACHE_POLICY_UNCACHED, ZX_CACHE_POLICY_UNCACHED_DEVICE,
				   ZX_CACHE_POLICY_WRITE_COMBINING};
	for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		EXPECT_STATUS(zx_vmo_set_cache_policy(v, others[i]), ZX_ERR_NOT_SUPPORTED,
			      "policy %u", others[i]);
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED));
	EXPECT_EQ(vmo_info(v).cache_policy, ZX_CACHE_POLICY_CACHED);
	/* mapped, even its own policy is refused, as Zircon does */
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, PAGE, &a));
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	EXPECT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED), "committed, not mapped");
	zx_handle_t c = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &c));
	EXPECT_STATUS(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE,
		      "with a child");
	EXPECT_STATUS(zx_vmo_set_cache_policy(c, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE,
		      "a child");
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}

TEST(CreateChild, HandleErrorsAndPagedParent)
{
	zx_handle_t v = new_vmo(2 * PAGE), out = 0x77;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_create_child(0x12345, ZX_VMO_CHILD_SLICE, 0, PAGE, &out),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_create_child(ZX_HANDLE_INVALID, ZX_VMO_CHILD_SLICE, 0, PAGE, &out),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_create_child(zx_process_self(), ZX_VMO_CHILD_SLICE, 0, PAGE, &out),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_create_child(zx_vmar_root_self(), ZX_VMO_CHILD_SLICE, 0, PAGE, &out),
		      ZX_ERR_WRONG_TYPE);
	/* slices of paged VMOs are not implemented */
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE, 0, PAGE, &out),
		      ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(
	    zx_vmo_create_child(v, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_NO_WRITE, 0, 2 * PAGE, &out),
	    ZX_ERR_NOT_SUPPORTED);
	/* (snapshots of paged VMOs work: snapshot.c) */
	EXPECT_EQ(out, 0x77u);
	EXPECT_EQ(vmo_info(v).num_children, 0u);
	EXPECT_OK(zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, 0, NULL));
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, PagedVmoErrors)
{
	zx_handle_t v = new_vmo(2 * PAGE), nowrite = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_op_range(zx_process_self(), ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_op_range(zx_vmar_root_self(), ZX_VMO_OP_CACHE_SYNC, 0, PAGE, NULL, 0),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_op_range(0x12345, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_op_range(v, 99, 0, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS);
	const uint32_t unimpl[] = {ZX_VMO_OP_LOCK, ZX_VMO_OP_TRY_LOCK, ZX_VMO_OP_UNLOCK};
	for (unsigned i = 0; i < sizeof(unimpl) / sizeof(unimpl[0]); i++)
		EXPECT_STATUS(zx_vmo_op_range(v, unimpl[i], 0, PAGE, NULL, 0), ZX_ERR_NOT_SUPPORTED,
			      "op %u", unimpl[i]);
	/* COMMIT needs WRITE */
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE, &nowrite));
	EXPECT_STATUS(zx_vmo_op_range(nowrite, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	/* and a range inside the VMO */
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, PAGE, 2 * PAGE, NULL, 0),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 3 * PAGE, 0, NULL, 0),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, PAGE, ~0ul, NULL, 0),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_EQ(vmo_info(v).committed_bytes, 0u, "no failed call committed a page");
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_COMMIT, 0, 2 * PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, 2 * PAGE);
	EXPECT_OK(zx_handle_close(nowrite));
	EXPECT_OK(zx_handle_close(v));
}

static zx_info_kmem_stats_v1_t kmem(void)
{
	zx_info_kmem_stats_v1_t st = {0};
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL);
	return st;
}

/* The byte at `off`, read through the handle (which commits its page). */
static int byte_at(zx_handle_t v, uint64_t off)
{
	uint8_t b = 0x5a;
	if (zx_vmo_read(v, &b, off, 1) != ZX_OK)
		return -1;
	return b;
}

TEST(OpRange, DecommitAndZeroErrors)
{
	zx_handle_t v = filled_vmo(4 * PAGE, 0, 0xab), nowrite = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE, &nowrite));
	const uint32_t ops[] = {ZX_VMO_OP_DECOMMIT, ZX_VMO_OP_ZERO};
	for (unsigned i = 0; i < 2; i++) {
		EXPECT_STATUS(zx_vmo_op_range(nowrite, ops[i], 0, PAGE, NULL, 0),
			      ZX_ERR_ACCESS_DENIED, "op %u", ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(v, ops[i], 5 * PAGE, PAGE, NULL, 0),
			      ZX_ERR_OUT_OF_RANGE, "op %u", ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(zx_vmar_root_self(), ops[i], 0, PAGE, NULL, 0),
			      ZX_ERR_WRONG_TYPE, "op %u", ops[i]);
		EXPECT_STATUS(zx_vmo_op_range(0x12345, ops[i], 0, PAGE, NULL, 0), ZX_ERR_BAD_HANDLE,
			      "op %u", ops[i]);
	}
	/* ZERO's range must lie inside the VMO; DECOMMIT's is trimmed to it */
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 3 * PAGE, 2 * PAGE, NULL, 0),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, PAGE, ~0ul, NULL, 0), ZX_ERR_OUT_OF_RANGE);
	EXPECT_EQ(vmo_info(v).committed_bytes, 4 * PAGE, "no failed call let a page go");
	EXPECT_EQ(byte_at(v, 3 * PAGE), 0xab, "nor zeroed one");
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 4 * PAGE, PAGE, NULL, 0),
		  "empty at the end");
	EXPECT_EQ(vmo_info(v).committed_bytes, 4 * PAGE);
	EXPECT_OK(zx_handle_close(nowrite));
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, ZeroPartialAndWholePages)
{
	zx_handle_t v = filled_vmo(4 * PAGE, 0, 0xab);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_info_kmem_stats_v1_t before = kmem(), after;
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 100, 50, NULL, 0));
	EXPECT_EQ(byte_at(v, 99), 0xab);
	EXPECT_EQ(byte_at(v, 100), 0);
	EXPECT_EQ(byte_at(v, 149), 0);
	EXPECT_EQ(byte_at(v, 150), 0xab);
	EXPECT_EQ(vmo_info(v).committed_bytes, 4 * PAGE, "a partial page stays");
	/* a whole unmapped page goes back to the kernel and reads as zeros */
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, PAGE, PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, 3 * PAGE);
	after = kmem();
	EXPECT_EQ(after.vmo_bytes, before.vmo_bytes - PAGE);
	EXPECT_EQ(after.free_bytes, before.free_bytes + PAGE, "the page is free again");
	EXPECT_EQ(byte_at(v, PAGE), 0);
	EXPECT_EQ(byte_at(v, 2 * PAGE - 1), 0);
	EXPECT_EQ(byte_at(v, 2 * PAGE), 0xab);
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, 0, NULL, 0));
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, DecommitRoundsOutAndTrims)
{
	zx_handle_t v = filled_vmo(4 * PAGE, 0, 0xcd);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	/* [2 pages + 1, far past the end) is pages 2 and 3 */
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 2 * PAGE + 1, 10 * PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, 2 * PAGE);
	/* [1, 2): page 0 entire */
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 1, 1, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, PAGE);
	EXPECT_EQ(byte_at(v, 0), 0);
	EXPECT_EQ(byte_at(v, PAGE), 0xcd);
	EXPECT_EQ(byte_at(v, 2 * PAGE), 0);
	EXPECT_EQ(byte_at(v, 4 * PAGE - 1), 0);
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, DecommitWhileMappedFreesThePage)
{
	zx_handle_t v = filled_vmo(2 * PAGE, 0, 0xee), src = filled_vmo(PAGE, 0, 0x5c);
	zx_vaddr_t a = 0, b = 0;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, 2 * PAGE, &a));
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, 2 * PAGE, &b));
	volatile uint8_t *p = (volatile uint8_t *)a, *q = (volatile uint8_t *)b;
	EXPECT_EQ(p[PAGE + 7], 0xee);
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, PAGE, PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, PAGE, "given back, as in Zircon");
	EXPECT_EQ(p[PAGE + 7], 0, "a read faults a zero page back in");
	EXPECT_EQ(vmo_info(v).committed_bytes, 2 * PAGE);
	EXPECT_EQ(p[7], 0xee);
	p[PAGE] = 1;
	EXPECT_EQ(byte_at(v, PAGE), 1, "the page the fault brought in is the VMO's");
	EXPECT_EQ(q[PAGE], 1, "and the other mapping's");
	/* a store faults one in too, and so does the kernel copying into the mapping */
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, 0u);
	p[3] = 3;
	EXPECT_EQ(q[3], 3);
	EXPECT_EQ(q[4], 0);
	EXPECT_OK(zx_vmo_read(src, (void *)(a + PAGE), 0, 16), "into a decommitted page");
	EXPECT_EQ(q[PAGE + 15], 0x5c);
	EXPECT_OK(zx_vmo_write(src, (const void *)(b + PAGE + 100), 0, 8), "and out of one");
	EXPECT_EQ(byte_at(src, 0), 0);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, 2 * PAGE));
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), b, 2 * PAGE));
	EXPECT_OK(zx_handle_close(src));
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------- zx_vmo_replace_as_executable */

static zx_handle_t system_resource(uint64_t base, uint64_t size)
{
	zx_handle_t r = ZX_HANDLE_INVALID;
	if (zx_resource_create(root_resource(), ZX_RSRC_KIND_SYSTEM, base, size, "sys", 3, &r) !=
	    ZX_OK)
		return ZX_HANDLE_INVALID;
	return r;
}

TEST(ReplaceAsExecutable, RunsCodeFromAPagedVmo)
{
	/* li a0, 42; ret */
	const uint32_t code[] = {0x02a00513, 0x00008067};
	zx_handle_t v = new_vmo(PAGE), x = ZX_HANDLE_INVALID;
	zx_vaddr_t a = 0;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, code, 0, sizeof(code)));
	zx_info_handle_basic_t before = handle_basic(v);
	EXPECT_FALSE(before.rights & ZX_RIGHT_EXECUTE);
	EXPECT_STATUS(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, v,
				  0, PAGE, &a),
		      ZX_ERR_ACCESS_DENIED, "not executable yet");
	ASSERT_OK(zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &x));
	EXPECT_STATUS(handle_valid(v), ZX_ERR_BAD_HANDLE, "the old handle is gone");
	zx_info_handle_basic_t after = handle_basic(x);
	EXPECT_EQ(after.koid, before.koid, "the same VMO");
	EXPECT_EQ(after.rights, before.rights | ZX_RIGHT_EXECUTE);
	ASSERT_OK(zx_vmo_op_range(x, ZX_VMO_OP_CACHE_SYNC, 0, sizeof(code), NULL, 0));
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, x, 0,
			      PAGE, &a));
	int (*fn)(void) = (int (*)(void))a;
	EXPECT_EQ(fn(), 42);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	EXPECT_OK(zx_handle_close(x));
}

TEST(ReplaceAsExecutable, VmexAuthorities)
{
	const zx_handle_t vmex = system_resource(ZX_RSRC_SYSTEM_VMEX_BASE, 1);
	const zx_handle_t wide = system_resource(0, ZX_RSRC_SYSTEM_COUNT);
	const zx_handle_t sysroot = system_resource(0, 0);
	const zx_handle_t ok[] = {vmex, wide, sysroot, root_resource()};
	for (unsigned i = 0; i < 4; i++) {
		zx_handle_t v = new_vmo(PAGE), x = ZX_HANDLE_INVALID;
		ASSERT_NE(ok[i], ZX_HANDLE_INVALID, "authority %u", i);
		EXPECT_OK(zx_vmo_replace_as_executable(v, ok[i], &x), "authority %u", i);
		EXPECT_TRUE(handle_basic(x).rights & ZX_RIGHT_EXECUTE);
		EXPECT_OK(handle_valid(ok[i]), "vmex is not consumed");
		EXPECT_OK(zx_handle_close(x));
	}
	EXPECT_OK(zx_handle_close(vmex));
	EXPECT_OK(zx_handle_close(wide));
	EXPECT_OK(zx_handle_close(sysroot));
}

/* Every failure after the VMO handle is found consumes it, and writes no handle. */
static void expect_consumed(zx_handle_t v, zx_handle_t vmex, zx_handle_t *out, zx_status_t want,
			    const char *what)
{
	zx_handle_t x = 0x77;
	EXPECT_STATUS(zx_vmo_replace_as_executable(v, vmex, out ? out : &x), want, "%s", what);
	EXPECT_EQ(x, 0x77u, "%s: no handle written", what);
	EXPECT_STATUS(handle_valid(v), ZX_ERR_BAD_HANDLE, "%s: handle consumed", what);
}

TEST(ReplaceAsExecutable, Errors)
{
	const zx_handle_t debug = system_resource(ZX_RSRC_SYSTEM_DEBUG_BASE, 1);
	zx_handle_t other = new_vmo(PAGE), x = 0x77;
	ASSERT_NE(debug, ZX_HANDLE_INVALID);
	/* no such handle: nothing consumed */
	EXPECT_STATUS(zx_vmo_replace_as_executable(0x12345, ZX_HANDLE_INVALID, &x),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(x, 0x77u);
	/* a handle that is not a VMO is consumed too (Zircon's behaviour) */
	zx_handle_t res = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(debug, ZX_RIGHT_SAME_RIGHTS, &res));
	expect_consumed(res, ZX_HANDLE_INVALID, NULL, ZX_ERR_BAD_HANDLE, "not a VMO");
	expect_consumed(new_vmo(PAGE), 0x12345, NULL, ZX_ERR_BAD_HANDLE, "bad vmex");
	expect_consumed(new_vmo(PAGE), other, NULL, ZX_ERR_WRONG_TYPE, "vmex a VMO");
	expect_consumed(new_vmo(PAGE), mmio_resource(), NULL, ZX_ERR_WRONG_TYPE, "vmex MMIO");
	expect_consumed(new_vmo(PAGE), debug, NULL, ZX_ERR_OUT_OF_RANGE, "vmex DEBUG");
	expect_consumed(new_vmo(PAGE), ZX_HANDLE_INVALID, (zx_handle_t *)KERNEL_ADDR,
			ZX_ERR_INVALID_ARGS, "out in the kernel");
	expect_consumed(new_vmo(PAGE), ZX_HANDLE_INVALID, (zx_handle_t *)UNMAPPED_ADDR,
			ZX_ERR_INVALID_ARGS, "out unmapped");
	EXPECT_OK(handle_valid(other), "a VMO named as vmex is left alone");
	EXPECT_OK(zx_handle_close(other));
	EXPECT_OK(zx_handle_close(debug));
}

/* ------------------------------------------------------------- zx_vmo_set_size */

TEST(SetSize, ShrinkAndGrow)
{
	zx_handle_t v = filled_vmo(3 * PAGE, ZX_VMO_RESIZABLE, 0x11);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_EQ(handle_basic(v).rights, ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_RESIZE);
	EXPECT_TRUE(vmo_info(v).flags & ZX_INFO_VMO_RESIZABLE);
	uint64_t free0 = kmem().free_bytes;
	/* to a size inside page 1: page 2 goes, page 1 past the size reads as zeros */
	ASSERT_OK(zx_vmo_set_size(v, PAGE + 10));
	EXPECT_EQ(size_of(v), 2 * PAGE);
	EXPECT_EQ(vmo_info(v).committed_bytes, 2 * PAGE);
	EXPECT_EQ(kmem().free_bytes, free0 + PAGE, "the page is free again");
	EXPECT_EQ(byte_at(v, PAGE + 9), 0x11);
	EXPECT_EQ(byte_at(v, PAGE + 10), 0);
	EXPECT_EQ(byte_at(v, 2 * PAGE - 1), 0);
	uint8_t b;
	EXPECT_STATUS(zx_vmo_read(v, &b, 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE, "past the new end");
	/* growing again: the new pages read as zeros, the old ones are kept */
	ASSERT_OK(zx_vmo_set_size(v, 4 * PAGE));
	EXPECT_EQ(size_of(v), 4 * PAGE);
	EXPECT_EQ(byte_at(v, 0), 0x11);
	EXPECT_EQ(byte_at(v, 3 * PAGE), 0);
	ASSERT_OK(zx_vmo_set_size(v, 0));
	EXPECT_EQ(size_of(v), 0u);
	EXPECT_EQ(vmo_info(v).committed_bytes, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(SetSize, NotBelowAMapping)
{
	zx_handle_t v = filled_vmo(3 * PAGE, ZX_VMO_RESIZABLE, 0x22), fixed = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, b = 0x99;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, PAGE, PAGE, &a));
	EXPECT_STATUS(zx_vmo_set_size(v, PAGE), ZX_ERR_BAD_STATE, "the mapping shows page 1");
	EXPECT_EQ(size_of(v), 3 * PAGE);
	EXPECT_EQ(((volatile uint8_t *)a)[0], 0x22);
	ASSERT_OK(zx_vmo_set_size(v, 2 * PAGE), "page 2 is not mapped");
	EXPECT_EQ(((volatile uint8_t *)a)[0], 0x22);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	ASSERT_OK(zx_vmo_set_size(v, PAGE));
	/* ZX_VM_REQUIRE_NON_RESIZABLE refuses a resizable VMO, accepts a fixed one */
	EXPECT_STATUS(
	    zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_REQUIRE_NON_RESIZABLE, 0, v, 0, PAGE, &b),
	    ZX_ERR_NOT_SUPPORTED);
	EXPECT_EQ(b, 0x99u);
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW | ZX_VM_REQUIRE_NON_RESIZABLE, 0, fixed, 0,
			      PAGE, &b));
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), b, PAGE));
	EXPECT_OK(zx_handle_close(v));
	EXPECT_OK(zx_handle_close(fixed));
}

TEST(SetSize, Errors)
{
	zx_handle_t v = filled_vmo(PAGE, ZX_VMO_RESIZABLE, 0x33), fixed = new_vmo(PAGE);
	zx_handle_t nowrite = ZX_HANDLE_INVALID, noresize = ZX_HANDLE_INVALID;
	zx_handle_t fixed_noresize = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmo_set_size(0x12345, PAGE), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_set_size(zx_vmar_root_self(), PAGE), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(
	    v, (ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_RESIZE) & ~ZX_RIGHT_WRITE, &nowrite));
	EXPECT_STATUS(zx_vmo_set_size(nowrite, 2 * PAGE), ZX_ERR_ACCESS_DENIED, "no WRITE");
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS, &noresize));
	EXPECT_STATUS(zx_vmo_set_size(noresize, 2 * PAGE), ZX_ERR_ACCESS_DENIED, "no RESIZE");
	EXPECT_STATUS(zx_vmo_set_size(fixed, 2 * PAGE), ZX_ERR_UNAVAILABLE, "not resizable");
	ASSERT_OK(zx_handle_duplicate(fixed, ZX_DEFAULT_VMO_RIGHTS, &fixed_noresize));
	EXPECT_STATUS(zx_vmo_set_size(fixed_noresize, 2 * PAGE), ZX_ERR_UNAVAILABLE,
		      "RESIZE is only asked of resizable VMOs");
	EXPECT_STATUS(zx_vmo_set_size(v, ~0ul), ZX_ERR_OUT_OF_RANGE, "wraps when rounded");
	EXPECT_STATUS(zx_vmo_set_size(v, GIB + 1), ZX_ERR_OUT_OF_RANGE, "past the largest VMO");
	EXPECT_EQ(size_of(v), PAGE, "no failed call changed the size");
	EXPECT_EQ(byte_at(v, 0), 0x33);
	ASSERT_OK(zx_vmo_set_size(v, GIB), "the largest VMO");
	EXPECT_EQ(vmo_info(v).committed_bytes, PAGE, "growing commits nothing");
	EXPECT_OK(zx_handle_close(nowrite));
	EXPECT_OK(zx_handle_close(noresize));
	EXPECT_OK(zx_handle_close(fixed_noresize));
	EXPECT_OK(zx_handle_close(fixed));
	EXPECT_OK(zx_handle_close(v));
}

/* ---------------------------------------------------- ZX_PROP_VMO_CONTENT_SIZE */

static uint64_t content_size(zx_handle_t v)
{
	uint64_t cs = 0xdead;
	if (zx_object_get_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)) != ZX_OK)
		return 0xdead;
	return cs;
}

TEST(ContentSize, FollowsCreateSetSizeAndSet)
{
	zx_handle_t v = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_vmo_create(PAGE + 5, ZX_VMO_RESIZABLE, &v));
	EXPECT_EQ(content_size(v), PAGE + 5, "the unrounded size asked for");
	EXPECT_EQ(size_of(v), 2 * PAGE);
	ASSERT_OK(zx_vmo_set_size(v, 3 * PAGE - 1));
	EXPECT_EQ(content_size(v), 3 * PAGE - 1);
	static uint8_t fill[2 * PAGE];
	memset(fill, 0x44, sizeof(fill));
	ASSERT_OK(zx_vmo_write(v, fill, 0, sizeof(fill)));
	/* setting it lower zeroes what lies past it; the VMO keeps its size */
	uint64_t cs = 100;
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)));
	EXPECT_EQ(content_size(v), 100u);
	EXPECT_EQ(size_of(v), 3 * PAGE);
	EXPECT_EQ(byte_at(v, 99), 0x44);
	EXPECT_EQ(byte_at(v, 100), 0);
	EXPECT_EQ(byte_at(v, 2 * PAGE - 1), 0);
	/* and it may be set past the end */
	cs = 10 * PAGE;
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)));
	EXPECT_EQ(content_size(v), 10 * PAGE);
	EXPECT_EQ(size_of(v), 3 * PAGE);
	EXPECT_OK(zx_handle_close(v));
}

TEST(ContentSize, Errors)
{
	zx_handle_t v = filled_vmo(PAGE, 0, 0x55), nowrite = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	uint64_t cs = 1;
	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, 7),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_STATUS(zx_object_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, &cs, 7),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_STATUS(
	    zx_object_get_property(zx_process_self(), ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)),
	    ZX_ERR_WRONG_TYPE);
	/* a handle with WRITE and SET_PROPERTY, of another type */
	EXPECT_STATUS(
	    zx_object_set_property(zx_process_self(), ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)),
	    ZX_ERR_WRONG_TYPE);
	/* a resource handle has neither WRITE nor SET_PROPERTY: refused before its type counts */
	EXPECT_STATUS(
	    zx_object_set_property(root_resource(), ZX_PROP_VMO_CONTENT_SIZE, &cs, sizeof(cs)),
	    ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_VMO_CONTENT_SIZE, (void *)KERNEL_ADDR, 8),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_object_set_property(v, ZX_PROP_VMO_CONTENT_SIZE, (const void *)UNMAPPED_ADDR, 8),
	    ZX_ERR_INVALID_ARGS);
	/* WRITE is asked for before anything else */
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE, &nowrite));
	EXPECT_STATUS(zx_object_set_property(nowrite, ZX_PROP_VMO_CONTENT_SIZE, &cs, 1),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(content_size(nowrite), PAGE, "reading needs no WRITE");
	EXPECT_EQ(byte_at(v, 1), 0x55, "no failed call zeroed anything");
	EXPECT_OK(zx_handle_close(nowrite));
	EXPECT_OK(zx_handle_close(v));
}

/* Where two checks could answer, the one Zircon makes first answers. */
TEST(Vmo, CheckOrderMatchesZircon)
{
	zx_handle_t v = 0x77;
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_vmo_create(~0ul, 1u << 20, &v), ZX_ERR_OUT_OF_RANGE,
		      "the size's rounding before the options");
	EXPECT_STATUS(zx_vmo_create(~0ul, 0, NULL), ZX_ERR_OUT_OF_RANGE,
		      "the out-pointer only once the VMO is made");
	EXPECT_STATUS(zx_vmo_create(PAGE, 0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create(PAGE, 0, (zx_handle_t *)KERNEL_ADDR), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots, "nothing left behind");
	EXPECT_EQ(v, 0x77u);
	ASSERT_OK(zx_vmo_create(PAGE, 0, &v));
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_CACHE_CLEAN, 2 * PAGE, 0, NULL, 0),
		      ZX_ERR_INVALID_ARGS, "an empty cache op, before its range");
	EXPECT_STATUS(zx_vmo_read(v, (void *)KERNEL_ADDR, PAGE, 8), ZX_ERR_OUT_OF_RANGE,
		      "the range before the buffer");
	EXPECT_OK(zx_handle_close(v));
}
