/*
 * subvmar.c: zx_vmar_allocate and zx_vmar_destroy, and what sub-VMARs do
 * to map, unmap, protect and op_range: where they land, which CAN_MAP_*
 * limits and rights they carry, that closing a handle keeps them and
 * destroying one takes its mappings and everything nested in it, and
 * every listed error.
 */
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define CAN_RW	(ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE)
#define CAN_ALL (ZX_VM_CAN_MAP_SPECIFIC | CAN_RW | ZX_VM_CAN_MAP_EXECUTE)

static zx_handle_t root(void)
{
	return zx_vmar_root_self();
}

static zx_info_vmar_t vmar_info(zx_handle_t h)
{
	zx_info_vmar_t i = {0};
	zx_object_get_info(h, ZX_INFO_VMAR, &i, sizeof(i), NULL, NULL);
	return i;
}

/* A sub-VMAR of the root; its handle, and its base in *base. */
static zx_handle_t sub(uint32_t options, size_t size, zx_vaddr_t *base)
{
	zx_handle_t h = ZX_HANDLE_INVALID;
	if (zx_vmar_allocate(root(), options, 0, size, &h, base) != ZX_OK)
		return ZX_HANDLE_INVALID;
	return h;
}

/* Map `vmo` (all `len` bytes, read-write) into `vmar` at `offset` (specific if non-zero). */
static zx_status_t map_rw(zx_handle_t vmar, uint64_t offset, zx_handle_t vmo, size_t len,
			  zx_vaddr_t *out)
{
	return zx_vmar_map(vmar, RW | (offset ? ZX_VM_SPECIFIC : 0), offset, vmo, 0, len, out);
}

TEST(Allocate, PlacesAWindowWithItsRights)
{
	zx_vaddr_t base = 0;
	zx_handle_t c = sub(CAN_RW, 16 * PAGE, &base);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	zx_info_vmar_t ri = vmar_info(root()), ci = vmar_info(c);
	EXPECT_EQ(ci.base, base);
	EXPECT_EQ(ci.len, 16 * PAGE);
	EXPECT_TRUE(base >= ri.base && base + ci.len <= ri.base + ri.len);
	EXPECT_EQ(base % PAGE, 0u);
	EXPECT_EQ(rights_of(c), ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE);
	EXPECT_EQ(handle_basic(c).type, ZX_OBJ_TYPE_VMAR);

	/* Mappings made in it land inside it; the root's own go around it. */
	zx_handle_t v = filled_vmo(2 * PAGE, 0, 0x5a);
	zx_vaddr_t in = 0, out = 0;
	ASSERT_OK(map_rw(c, 0, v, 2 * PAGE, &in));
	EXPECT_TRUE(in >= base && in + 2 * PAGE <= base + 16 * PAGE);
	EXPECT_EQ(((volatile uint8_t *)in)[PAGE + 7], 0x5a);
	((volatile uint8_t *)in)[0] = 0xa5;
	uint8_t b = 0;
	EXPECT_OK(zx_vmo_read(v, &b, 0, 1));
	EXPECT_EQ(b, 0xa5);
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, 2 * PAGE, &out));
	EXPECT_TRUE(out + 2 * PAGE <= base || out >= base + 16 * PAGE);
	EXPECT_OK(zx_vmar_unmap(root(), out, 2 * PAGE));
	EXPECT_OK(zx_vmar_destroy(c));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u, "destroy took the sub-VMAR's mapping");
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Allocate, SpecificUpperLimitAndAlignment)
{
	zx_info_vmar_t ri = vmar_info(root());
	zx_handle_t c = ZX_HANDLE_INVALID, d = ZX_HANDLE_INVALID;
	zx_vaddr_t base = 0, dbase = 0;
	uint64_t off = 0x2000000000ul - ri.base; /* 128 GiB: nothing of the test there */

	ASSERT_OK(zx_vmar_allocate(root(), CAN_ALL | ZX_VM_SPECIFIC, off, 64 * PAGE, &c, &base));
	EXPECT_EQ(base, ri.base + off);
	EXPECT_STATUS(
	    zx_vmar_allocate(root(), ZX_VM_SPECIFIC, off + 63 * PAGE, 2 * PAGE, &d, &dbase),
	    ZX_ERR_ALREADY_EXISTS, "overlaps the sub-VMAR");
	/* Inside c: specific, with alignment, under an upper limit. */
	ASSERT_OK(zx_vmar_allocate(c, ZX_VM_SPECIFIC | ZX_VM_CAN_MAP_READ, 8 * PAGE, 8 * PAGE, &d,
				   &dbase));
	EXPECT_EQ(dbase, base + 8 * PAGE);
	EXPECT_EQ(rights_of(d), ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ);
	zx_handle_t e = ZX_HANDLE_INVALID;
	zx_vaddr_t ebase = 0;
	ASSERT_OK(
	    zx_vmar_allocate(c, ZX_VM_OFFSET_IS_UPPER_LIMIT, 32 * PAGE, 16 * PAGE, &e, &ebase));
	EXPECT_EQ(ebase, base + 16 * PAGE, "the lowest gap after d, ending under the limit");
	EXPECT_OK(zx_handle_close(e));
	EXPECT_STATUS(
	    zx_vmar_allocate(c, ZX_VM_OFFSET_IS_UPPER_LIMIT, 32 * PAGE, 16 * PAGE, &e, &ebase),
	    ZX_ERR_NO_RESOURCES, "[0, 8) is too small and [32, 64) is above the limit");
	ASSERT_OK(zx_vmar_allocate(c, ZX_VM_ALIGN_128KB, 0, 16 * PAGE, &e, &ebase));
	EXPECT_EQ(ebase, base + 32 * PAGE, "[0, 8) is too small; the next 128 KiB boundary");
	EXPECT_OK(zx_handle_close(e));
	EXPECT_STATUS(
	    zx_vmar_allocate(c, ZX_VM_SPECIFIC | ZX_VM_ALIGN_128KB, 36 * PAGE, PAGE, &e, &ebase),
	    ZX_ERR_INVALID_ARGS, "a specific offset must have the asked alignment");
	EXPECT_OK(zx_vmar_destroy(c));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_STATUS(zx_vmar_destroy(d), ZX_ERR_BAD_STATE, "destroyed with its parent");
	EXPECT_OK(zx_handle_close(d));
	/* Its range is free again. */
	ASSERT_OK(zx_vmar_allocate(root(), ZX_VM_SPECIFIC, off, 64 * PAGE, &c, &base));
	EXPECT_OK(zx_vmar_destroy(c));
	EXPECT_OK(zx_handle_close(c));
}

TEST(Allocate, HandleAndOptionErrors)
{
	zx_handle_t c = 0x77, v = filled_vmo(PAGE, 0, 1), weak;
	zx_vaddr_t base = 0x99;

	EXPECT_STATUS(zx_vmar_allocate(0x12345, 0, 0, PAGE, &c, &base), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmar_allocate(v, 0, 0, PAGE, &c, &base), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(root(), ZX_DEFAULT_VMAR_RIGHTS, &weak));
	EXPECT_STATUS(zx_vmar_allocate(weak, ZX_VM_CAN_MAP_READ, 0, PAGE, &c, &base),
		      ZX_ERR_ACCESS_DENIED, "CAN_MAP_READ needs READ on the parent handle");
	EXPECT_STATUS(zx_vmar_allocate(weak, ZX_VM_CAN_MAP_EXECUTE, 0, PAGE, &c, &base),
		      ZX_ERR_ACCESS_DENIED);
	zx_handle_t rights_first = ZX_HANDLE_INVALID;
	EXPECT_STATUS(
	    zx_vmar_allocate(weak, ZX_VM_CAN_MAP_WRITE | (1u << 20), 0, 0, &rights_first, &base),
	    ZX_ERR_ACCESS_DENIED, "rights are checked before the options");
	EXPECT_STATUS(zx_vmar_allocate(root(), 1u << 20, 0, PAGE, &c, &base), ZX_ERR_INVALID_ARGS,
		      "unknown option");
	EXPECT_STATUS(zx_vmar_allocate(root(), ZX_VM_PERM_READ, 0, PAGE, &c, &base),
		      ZX_ERR_INVALID_ARGS, "a VMAR has no permissions");
	EXPECT_STATUS(zx_vmar_allocate(root(), ZX_VM_SPECIFIC_OVERWRITE, 0, PAGE, &c, &base),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_allocate(root(), ZX_VM_MAP_RANGE, 0, PAGE, &c, &base),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_allocate(root(), 5u << ZX_VM_ALIGN_BASE, 0, PAGE, &c, &base),
		      ZX_ERR_INVALID_ARGS, "alignment below 1 KiB");
	EXPECT_STATUS(zx_vmar_allocate(root(), 0, 0, 0, &c, &base), ZX_ERR_INVALID_ARGS, "size 0");
	EXPECT_STATUS(zx_vmar_allocate(root(), 0, 0, PAGE + 1, &c, &base), ZX_ERR_INVALID_ARGS,
		      "a size is not rounded");
	EXPECT_STATUS(zx_vmar_allocate(root(), 0, PAGE, PAGE, &c, &base), ZX_ERR_INVALID_ARGS,
		      "an offset without SPECIFIC");
	EXPECT_STATUS(zx_vmar_allocate(root(), ZX_VM_SPECIFIC, PAGE + 1, PAGE, &c, &base),
		      ZX_ERR_INVALID_ARGS, "an unaligned offset");
	EXPECT_STATUS(zx_vmar_allocate(root(), ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT,
				       16 * PAGE, PAGE, &c, &base),
		      ZX_ERR_INVALID_ARGS);
	zx_info_vmar_t ri = vmar_info(root());
	EXPECT_STATUS(zx_vmar_allocate(root(), ZX_VM_SPECIFIC, ri.len - PAGE, 2 * PAGE, &c, &base),
		      ZX_ERR_INVALID_ARGS, "past the parent's end");
	EXPECT_STATUS(
	    zx_vmar_allocate(root(), ZX_VM_OFFSET_IS_UPPER_LIMIT, PAGE, 2 * PAGE, &c, &base),
	    ZX_ERR_INVALID_ARGS, "larger than the upper limit");
	EXPECT_STATUS(zx_vmar_allocate(root(), 0, 0, ri.len, &c, &base), ZX_ERR_NO_RESOURCES,
		      "the root is not empty");
	EXPECT_EQ(c, 0x77u, "no handle written on error");
	EXPECT_EQ(base, 0x99u);
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Allocate, ParentLimits)
{
	zx_vaddr_t base = 0, cb = 0;
	zx_handle_t p = sub(ZX_VM_CAN_MAP_READ, 32 * PAGE, &base), c = ZX_HANDLE_INVALID;
	ASSERT_NE(p, ZX_HANDLE_INVALID);

	EXPECT_STATUS(zx_vmar_allocate(p, ZX_VM_CAN_MAP_WRITE, 0, PAGE, &c, &cb),
		      ZX_ERR_ACCESS_DENIED, "more than the parent may map");
	EXPECT_STATUS(zx_vmar_allocate(p, ZX_VM_SPECIFIC, 0, PAGE, &c, &cb), ZX_ERR_ACCESS_DENIED,
		      "the parent lacks CAN_MAP_SPECIFIC");
	EXPECT_STATUS(zx_vmar_allocate(p, ZX_VM_OFFSET_IS_UPPER_LIMIT, 8 * PAGE, PAGE, &c, &cb),
		      ZX_ERR_ACCESS_DENIED);
	ASSERT_OK(
	    zx_vmar_allocate(p, ZX_VM_CAN_MAP_SPECIFIC | ZX_VM_CAN_MAP_READ, 0, 8 * PAGE, &c, &cb),
	    "CAN_MAP_SPECIFIC need not be the parent's");
	/* Map limits: what the VMAR may hold, and SPECIFIC only where it may. */
	zx_handle_t v = filled_vmo(PAGE, 0, 3);
	zx_vaddr_t a = 0;
	EXPECT_STATUS(zx_vmar_map(p, RW, 0, v, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmar_map(p, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 16 * PAGE, v, 0, PAGE, &a),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmar_map(p, ZX_VM_PERM_READ | ZX_VM_OFFSET_IS_UPPER_LIMIT, 16 * PAGE, v, 0,
				  PAGE, &a),
		      ZX_ERR_ACCESS_DENIED);
	ASSERT_OK(zx_vmar_map(c, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 2 * PAGE, v, 0, PAGE, &a));
	EXPECT_EQ(a, cb + 2 * PAGE);
	EXPECT_EQ(((volatile uint8_t *)a)[9], 3);
	/* The root may not make the read-only mapping writable: its max is the sub-VMAR's. */
	EXPECT_STATUS(zx_vmar_protect(root(), RW, a, PAGE), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmar_destroy(p));
	EXPECT_STATUS(zx_vmar_destroy(c), ZX_ERR_BAD_STATE);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(p));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Allocate, BadOutPointersLeaveNothing)
{
	zx_info_vmar_t ri = vmar_info(root());
	uint64_t off = 0x2100000000ul - ri.base;
	zx_handle_t c = ZX_HANDLE_INVALID;
	zx_vaddr_t base = 0;
	int slots = free_handle_slots();

	EXPECT_STATUS(
	    zx_vmar_allocate(root(), ZX_VM_SPECIFIC, off, PAGE, (zx_handle_t *)KERNEL_ADDR, &base),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_vmar_allocate(root(), ZX_VM_SPECIFIC, off, PAGE, &c, (zx_vaddr_t *)UNMAPPED_ADDR),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_vmar_allocate(root(), ZX_VM_SPECIFIC, off, PAGE, NULL, (zx_vaddr_t *)&base),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots, "no handle left behind");
	ASSERT_OK(zx_vmar_allocate(root(), ZX_VM_SPECIFIC, off, PAGE, &c, &base),
		  "the failed calls left the range free");
	EXPECT_OK(zx_vmar_destroy(c));
	EXPECT_OK(zx_handle_close(c));
}

TEST(Destroy, Errors)
{
	zx_vaddr_t base = 0;
	zx_handle_t c = sub(CAN_RW, 4 * PAGE, &base), weak, v = filled_vmo(PAGE, 0, 0);
	ASSERT_NE(c, ZX_HANDLE_INVALID);

	EXPECT_STATUS(zx_vmar_destroy(0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmar_destroy(v), ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_handle_duplicate(c, ZX_RIGHT_INSPECT, &weak));
	EXPECT_STATUS(zx_vmar_destroy(weak), ZX_ERR_ACCESS_DENIED, "needs ZX_RIGHT_OP_CHILDREN");
	EXPECT_STATUS(zx_vmar_destroy(root()), ZX_ERR_NOT_SUPPORTED, "the root VMAR stays");
	EXPECT_OK(handle_valid(root()));
	EXPECT_OK(zx_vmar_destroy(c));
	EXPECT_STATUS(zx_vmar_destroy(c), ZX_ERR_BAD_STATE, "already destroyed");

	/* A destroyed VMAR refuses every change and still answers ZX_INFO_VMAR. */
	zx_handle_t d = ZX_HANDLE_INVALID;
	zx_vaddr_t a = 0;
	EXPECT_STATUS(zx_vmar_allocate(c, 0, 0, PAGE, &d, &a), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmar_map(c, RW, 0, v, 0, PAGE, &a), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmar_unmap(c, base, PAGE), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmar_protect(c, ZX_VM_PERM_READ, base, PAGE), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(zx_vmar_op_range(c, ZX_VMAR_OP_DONT_NEED, base, PAGE, NULL, 0),
		      ZX_ERR_BAD_STATE);
	EXPECT_EQ(vmar_info(c).base, base);
	EXPECT_EQ(vmar_info(c).len, 4 * PAGE);
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Lifetime, ClosingTheHandleKeepsTheSubVmar)
{
	zx_vaddr_t base = 0, a = 0;
	zx_handle_t c = sub(CAN_RW, 4 * PAGE, &base), v = filled_vmo(PAGE, 0, 0x42), c2;
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	ASSERT_OK(map_rw(c, 0, v, PAGE, &a));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_EQ(((volatile uint8_t *)a)[100], 0x42, "the mapping stays");
	EXPECT_STATUS(
	    zx_vmar_allocate(root(), ZX_VM_SPECIFIC, base - vmar_info(root()).base, PAGE, &c2, &a),
	    ZX_ERR_ALREADY_EXISTS, "and so does the sub-VMAR");
	/* Unmapping its whole range through the root destroys it. */
	EXPECT_OK(zx_vmar_unmap(root(), base, 4 * PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	ASSERT_OK(zx_vmar_allocate(root(), ZX_VM_SPECIFIC, base - vmar_info(root()).base, 4 * PAGE,
				   &c2, &a));
	EXPECT_OK(zx_vmar_destroy(c2));
	EXPECT_OK(zx_handle_close(c2));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Unmap, SubVmarsMustBeWhollyInside)
{
	zx_vaddr_t base = 0, a = 0;
	zx_handle_t c = sub(CAN_ALL, 8 * PAGE, &base), v = filled_vmo(PAGE, 0, 0x11), weak;
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	ASSERT_OK(map_rw(c, 2 * PAGE, v, PAGE, &a));

	EXPECT_STATUS(zx_vmar_unmap(root(), base, 4 * PAGE), ZX_ERR_INVALID_ARGS,
		      "part of the sub-VMAR");
	EXPECT_STATUS(zx_vmar_unmap(root(), a, PAGE), ZX_ERR_INVALID_ARGS,
		      "a range inside the sub-VMAR, through its parent");
	ASSERT_OK(zx_handle_duplicate(root(), rights_of(root()) & ~ZX_RIGHT_OP_CHILDREN, &weak));
	EXPECT_STATUS(zx_vmar_unmap(weak, base, 8 * PAGE), ZX_ERR_INVALID_ARGS,
		      "destroying it needs ZX_RIGHT_OP_CHILDREN");
	EXPECT_EQ(((volatile uint8_t *)a)[0], 0x11, "nothing changed");
	EXPECT_OK(zx_vmar_unmap(c, a, PAGE), "through its own handle");
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_STATUS(zx_vmar_unmap(c, a, PAGE), ZX_ERR_NOT_FOUND);
	EXPECT_OK(zx_vmar_unmap(root(), base, 8 * PAGE), "an empty sub-VMAR is still destroyed");
	EXPECT_STATUS(zx_vmar_destroy(c), ZX_ERR_BAD_STATE);
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, SubVmarsAreNotOverwritten)
{
	uint64_t off = 0x2200000000ul - vmar_info(root()).base; /* free on both sides */
	zx_vaddr_t base = 0, a = 0;
	zx_handle_t c = ZX_HANDLE_INVALID, v = filled_vmo(8 * PAGE, 0, 0x22);
	ASSERT_OK(zx_vmar_allocate(root(), CAN_RW | ZX_VM_SPECIFIC, off, 4 * PAGE, &c, &base));

	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off + PAGE, v, 0, PAGE, &a),
		      ZX_ERR_ALREADY_EXISTS);
	EXPECT_STATUS(
	    zx_vmar_map(root(), RW | ZX_VM_SPECIFIC_OVERWRITE, off - PAGE, v, 0, 2 * PAGE, &a),
	    ZX_ERR_INVALID_ARGS, "an overwrite never replaces a sub-VMAR");
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_vmar_destroy(c));
	ASSERT_OK(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off, v, 0, 4 * PAGE, &a),
		  "the range is free once destroyed");
	EXPECT_EQ(a, base);
	EXPECT_OK(zx_vmar_unmap(root(), a, 4 * PAGE));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Protect, ThroughTheParentOnlyNarrows)
{
	zx_vaddr_t base = 0, a = 0, b = 0;
	zx_handle_t c = sub(CAN_ALL, 8 * PAGE, &base), v = filled_vmo(2 * PAGE, 0, 0x33), weak;
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	ASSERT_OK(map_rw(c, PAGE, v, PAGE, &a));
	ASSERT_OK(zx_vmar_map(c, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 2 * PAGE, v, PAGE, PAGE, &b));

	EXPECT_STATUS(zx_vmar_protect(root(), ZX_VM_PERM_READ, a, 3 * PAGE), ZX_ERR_NOT_FOUND,
		      "the sub-VMAR's empty page is a hole");
	EXPECT_STATUS(zx_vmar_protect(root(), RW, a, 2 * PAGE), ZX_ERR_ACCESS_DENIED,
		      "b would gain WRITE through the parent");
	ASSERT_OK(zx_handle_duplicate(root(), rights_of(root()) & ~ZX_RIGHT_OP_CHILDREN, &weak));
	EXPECT_STATUS(zx_vmar_protect(weak, ZX_VM_PERM_READ, a, 2 * PAGE), ZX_ERR_INVALID_ARGS,
		      "reaching into a sub-VMAR needs ZX_RIGHT_OP_CHILDREN");
	EXPECT_OK(zx_vmar_protect(root(), ZX_VM_PERM_READ, a, 2 * PAGE));
	EXPECT_OK(zx_vmar_protect(c, RW, a, 2 * PAGE), "its own VMAR may widen again");
	((volatile uint8_t *)b)[0] = 0x44;
	uint8_t got = 0;
	EXPECT_OK(zx_vmo_read(v, &got, PAGE, 1));
	EXPECT_EQ(got, 0x44);
	/* op_range through the parent: hints only. */
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_COMMIT, a, PAGE, NULL, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_DECOMMIT, a, PAGE, NULL, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_op_range(weak, ZX_VMAR_OP_DONT_NEED, a, PAGE, NULL, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_DONT_NEED, a, 2 * PAGE, NULL, 0));
	EXPECT_OK(zx_vmar_op_range(c, ZX_VMAR_OP_COMMIT, a, PAGE, NULL, 0));
	EXPECT_OK(zx_vmar_destroy(c));
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}

/* Where two checks could answer, the one Zircon makes first answers. */
TEST(SubVmar, CheckOrderMatchesZircon)
{
	zx_vaddr_t base = 0, a = 0;
	zx_handle_t c = sub(CAN_RW, 4 * PAGE, &base), v = filled_vmo(8 * PAGE, 0, 1);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_vmar_map(c, RW, 0, v, 0, 8 * PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "larger than the VMAR: it could never fit");
	EXPECT_OK(zx_vmar_destroy(c));
	EXPECT_STATUS(zx_vmar_map(c, RW, 0, v, 0, 0, &a), ZX_ERR_BAD_STATE,
		      "the VMAR's state before a zero length");
	EXPECT_STATUS(zx_vmar_protect(c, ZX_VM_PERM_READ, base, ~0ul), ZX_ERR_INVALID_ARGS,
		      "a length that rounds to 0 before the state");
	EXPECT_STATUS(zx_vmar_unmap(c, base, ~0ul), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_unmap(c, base, PAGE), ZX_ERR_BAD_STATE);
	EXPECT_OK(zx_handle_close(c));
	EXPECT_OK(zx_handle_close(v));
}
