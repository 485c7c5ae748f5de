/*
 * handles.c: zx_handle_close, _close_many, _duplicate and _replace, and
 * the 256-slot handle table behind them: stale and forged values, rights
 * subsets, consumed handles, exhaustion and leaks on failure paths.
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define GEN_ONE (1u << 10) /* lowest generation bit of a zirv handle value */

TEST(Close, InvalidHandleIsOk)
{
	EXPECT_OK(zx_handle_close(ZX_HANDLE_INVALID));
}

TEST(Close, ClosesAndValueGoesStale)
{
	zx_handle_t h = new_vmo(PAGE);
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	EXPECT_OK(handle_valid(h));
	EXPECT_OK(zx_handle_close(h));
	EXPECT_STATUS(handle_valid(h), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_close(h), ZX_ERR_BAD_HANDLE, "second close of %#x", h);
}

TEST(Close, ReusedSlotDoesNotRevalidateOldValue)
{
	zx_handle_t old = new_vmo(PAGE);
	ASSERT_NE(old, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_close(old));
	zx_handle_t fresh = new_vmo(PAGE);
	ASSERT_NE(fresh, ZX_HANDLE_INVALID);
	EXPECT_NE(fresh, old, "a new handle must not repeat a closed value");
	EXPECT_STATUS(zx_handle_close(old), ZX_ERR_BAD_HANDLE);
	EXPECT_OK(handle_valid(fresh), "closing the stale value must not touch the new one");
	EXPECT_OK(zx_handle_close(fresh));
}

TEST(Close, ForgedValuesAreBadHandles)
{
	zx_handle_t h = new_vmo(PAGE);
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_handle_close(0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_close(0x12347), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_close(0xfffffffe), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_close(0xffffffff), ZX_ERR_BAD_HANDLE);
	/* The live value with its low fixed bits cleared, or another generation. */
	EXPECT_STATUS(zx_handle_close(h & ~ZX_HANDLE_FIXED_BITS_MASK), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_close(h ^ GEN_ONE), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_close(h + GEN_ONE), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(h ^ GEN_ONE), ZX_ERR_BAD_HANDLE);
	/* None of that may have closed the real handle. */
	EXPECT_OK(handle_valid(h));
	EXPECT_OK(zx_handle_close(h));
}

TEST(Close, EveryCallRejectsAForgedValue)
{
	zx_handle_t bad = 0x12345, out = 0x77;
	uint64_t size;
	EXPECT_STATUS(zx_handle_duplicate(bad, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_replace(bad, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(out, 0x77u);
	EXPECT_STATUS(zx_vmo_get_size(bad, &size), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_signal(bad, 0, ZX_USER_SIGNAL_0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_wait_one(bad, ZX_USER_SIGNAL_0, 0, NULL), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_get_info(bad, ZX_INFO_HANDLE_BASIC, NULL, 0, NULL, NULL),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(bad), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(ZX_HANDLE_INVALID), ZX_ERR_BAD_HANDLE);
}

TEST(CloseMany, ZeroHandlesIsOk)
{
	EXPECT_OK(zx_handle_close_many(NULL, 0));
	zx_handle_t h = 0x12345;
	EXPECT_OK(zx_handle_close_many(&h, 0), "n = 0 must not look at the array");
}

TEST(CloseMany, ClosesAllValid)
{
	zx_handle_t hs[3] = {new_vmo(PAGE), ZX_HANDLE_INVALID, new_vmo(PAGE)};
	ASSERT_NE(hs[0], ZX_HANDLE_INVALID);
	ASSERT_NE(hs[2], ZX_HANDLE_INVALID);
	EXPECT_OK(zx_handle_close_many(hs, 3), "ZX_HANDLE_INVALID entries are skipped");
	EXPECT_STATUS(handle_valid(hs[0]), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(hs[2]), ZX_ERR_BAD_HANDLE);
}

TEST(CloseMany, MixedClosesTheValidOnesAndFails)
{
	zx_handle_t a = new_vmo(PAGE), b = new_vmo(PAGE);
	ASSERT_NE(a, ZX_HANDLE_INVALID);
	ASSERT_NE(b, ZX_HANDLE_INVALID);
	zx_handle_t hs[4] = {a, 0x12345, b, a ^ GEN_ONE};
	EXPECT_STATUS(zx_handle_close_many(hs, 4), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(a), ZX_ERR_BAD_HANDLE, "valid handle before the bad one");
	EXPECT_STATUS(handle_valid(b), ZX_ERR_BAD_HANDLE, "valid handle after the bad one");
}

TEST(CloseMany, RepeatedHandleIsBadHandle)
{
	zx_handle_t a = new_vmo(PAGE);
	ASSERT_NE(a, ZX_HANDLE_INVALID);
	zx_handle_t hs[2] = {a, a};
	EXPECT_STATUS(zx_handle_close_many(hs, 2), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(handle_valid(a), ZX_ERR_BAD_HANDLE);
}

TEST(CloseMany, ManyMoreThanOneChunk)
{
	zx_handle_t hs[100];
	for (int i = 0; i < 100; i++)
		ASSERT_OK(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &hs[i]));
	EXPECT_OK(zx_handle_close_many(hs, 100));
	for (int i = 0; i < 100; i++)
		EXPECT_STATUS(handle_valid(hs[i]), ZX_ERR_BAD_HANDLE, "handle %d", i);
}

TEST(CloseMany, BadPointerIsInvalidArgsAndClosesNothing)
{
	static zx_handle_t buf[3];
	zx_handle_t a = new_vmo(PAGE);
	ASSERT_NE(a, ZX_HANDLE_INVALID);
	buf[0] = buf[1] = buf[2] = a;
	EXPECT_STATUS(zx_handle_close_many(NULL, 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_handle_close_many((zx_handle_t *)KERNEL_ADDR, 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_handle_close_many((zx_handle_t *)OPENSBI_ADDR, 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_handle_close_many((zx_handle_t *)UNMAPPED_ADDR, 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_handle_close_many(buf, ~0ul / 2), ZX_ERR_INVALID_ARGS, "huge count");
	EXPECT_OK(handle_valid(a), "a rejected array must close nothing");
	/* an unaligned array is read as it is, as Zircon does */
	static uint8_t bytes[1 + sizeof(zx_handle_t)];
	memcpy(bytes + 1, &a, sizeof(a));
	EXPECT_OK(zx_handle_close_many((zx_handle_t *)(void *)(bytes + 1), 1));
	EXPECT_STATUS(handle_valid(a), ZX_ERR_BAD_HANDLE, "closed through the unaligned array");
}

TEST(CloseMany, CountAbove2To40IsInvalidArgs)
{
	/* 2^62 + 1 entries: 4 * n wraps to 4 bytes, so only the count gives it away. */
	static zx_handle_t buf[1];
	zx_handle_t a = new_vmo(PAGE);
	ASSERT_NE(a, ZX_HANDLE_INVALID);
	buf[0] = a;
	EXPECT_STATUS(zx_handle_close_many(buf, (1ul << 62) + 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_handle_close_many(buf, (1ul << 40) + 1), ZX_ERR_INVALID_ARGS);
	EXPECT_OK(handle_valid(a), "a refused count must close nothing");
	EXPECT_OK(zx_handle_close_many(buf, 1));
	EXPECT_STATUS(handle_valid(a), ZX_ERR_BAD_HANDLE);
}

TEST(CloseMany, UnreadableTailClosesOnlyTheChunksBeforeIt)
{
	/* The array ends in a page followed by an unmapped one. */
	zx_handle_t v;
	zx_vaddr_t a = map_before_hole(PAGE, &v);
	ASSERT_NE(a, 0u);

	/* 32 entries (one whole chunk) in the page, the 33rd in the hole. */
	zx_handle_t *arr = (zx_handle_t *)(a + PAGE - 32 * sizeof(zx_handle_t));
	for (int i = 0; i < 32; i++)
		ASSERT_OK(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &arr[i]));
	EXPECT_STATUS(zx_handle_close_many(arr, 33), ZX_ERR_INVALID_ARGS);
	for (int i = 0; i < 32; i++)
		EXPECT_STATUS(handle_valid(arr[i]), ZX_ERR_BAD_HANDLE, "entry %d (first chunk)", i);

	/* 8 entries in the page, the 9th in the hole: the first chunk itself faults. */
	arr = (zx_handle_t *)(a + PAGE - 8 * sizeof(zx_handle_t));
	for (int i = 0; i < 8; i++)
		ASSERT_OK(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &arr[i]));
	int before = free_handle_slots();
	EXPECT_STATUS(zx_handle_close_many(arr, 9), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), before, "nothing closed");
	for (int i = 0; i < 8; i++)
		EXPECT_OK(handle_valid(arr[i]), "entry %d", i);
	EXPECT_OK(zx_handle_close_many(arr, 8));

	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Duplicate, SameRightsSameObject)
{
	zx_handle_t h = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, &d));
	EXPECT_NE(d, h);
	zx_info_handle_basic_t bh = handle_basic(h), bd = handle_basic(d);
	EXPECT_NE(bh.koid, 0u);
	EXPECT_EQ(bd.koid, bh.koid);
	EXPECT_EQ(bd.rights, ZX_DEFAULT_VMO_RIGHTS);
	EXPECT_EQ(bd.type, ZX_OBJ_TYPE_VMO);
	/* Same object: data written through one is read through the other. */
	ASSERT_OK(zx_vmo_write(h, "dup", 0, 3));
	char buf[4] = {0};
	EXPECT_OK(zx_vmo_read(d, buf, 0, 3));
	EXPECT_STREQ(buf, "dup");
	/* Closing one leaves the other. */
	EXPECT_OK(zx_handle_close(h));
	EXPECT_OK(handle_valid(d));
	EXPECT_OK(zx_vmo_read(d, buf, 0, 3));
	EXPECT_OK(zx_handle_close(d));
}

TEST(Duplicate, SubsetRights)
{
	zx_handle_t h = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	zx_rights_t want = ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_INSPECT;
	ASSERT_OK(zx_handle_duplicate(h, want, &d));
	EXPECT_EQ(rights_of(d), want);
	EXPECT_EQ(rights_of(h), ZX_DEFAULT_VMO_RIGHTS, "the source keeps its rights");
	/* The missing WRITE right is enforced. */
	EXPECT_STATUS(zx_vmo_write(d, "x", 0, 1), ZX_ERR_ACCESS_DENIED);
	char c;
	EXPECT_OK(zx_vmo_read(d, &c, 0, 1));
	/* Rights 0 is a subset too. */
	zx_handle_t none = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_NONE, &none));
	EXPECT_EQ(rights_of(none), 0u);
	EXPECT_EQ(koid_of(none), koid_of(h));
	EXPECT_OK(zx_handle_close(none));
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(h));
}

TEST(Duplicate, MoreRightsIsInvalidArgs)
{
	zx_handle_t h = new_vmo(PAGE), d = ZX_HANDLE_INVALID, out = 0x99;
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE, &d));
	int before = free_handle_slots();
	EXPECT_STATUS(
	    zx_handle_duplicate(d, ZX_RIGHT_READ | ZX_RIGHT_DUPLICATE | ZX_RIGHT_WRITE, &out),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_handle_duplicate(h, ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE, &out),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(out, 0x99u, "out must be untouched");
	EXPECT_EQ(free_handle_slots(), before, "no handle may be created");
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(h));
}

TEST(Duplicate, WithoutDuplicateRightIsAccessDenied)
{
	zx_handle_t h = new_vmo(PAGE), d = ZX_HANDLE_INVALID, out = 0x99;
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(h, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_DUPLICATE, &d));
	EXPECT_STATUS(zx_handle_duplicate(d, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_handle_duplicate(d, ZX_RIGHT_READ, &out), ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(out, 0x99u);
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(h));
}

TEST(Duplicate, BadOutPointerLeaksNothing)
{
	static zx_handle_t slot[2];
	static const zx_handle_t rodata_slot = 0;
	zx_handle_t h = new_vmo(PAGE);
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	int before = free_handle_slots();
	ASSERT_TRUE(before > 0);
	const uintptr_t bad[] = {0,
				 KERNEL_ADDR,
				 OPENSBI_ADDR,
				 (uintptr_t)slot + 1,
				 UNMAPPED_ADDR,
				 PAST_USER_ADDR,
				 (uintptr_t)&rodata_slot};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_STATUS(zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, (zx_handle_t *)bad[i]),
			      ZX_ERR_INVALID_ARGS, "out = %#lx", (unsigned long)bad[i]);
	}
	EXPECT_EQ(rodata_slot, 0u);
	EXPECT_EQ(free_handle_slots(), before, "a failed duplicate must not leave a handle");
	EXPECT_OK(handle_valid(h));
	EXPECT_OK(zx_handle_close(h));
}

TEST(Replace, ConsumesOldAndSetsRights)
{
	zx_handle_t h = new_vmo(PAGE), r = ZX_HANDLE_INVALID;
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	zx_koid_t koid = koid_of(h);
	int before = free_handle_slots();
	ASSERT_OK(zx_handle_replace(h, ZX_RIGHT_READ | ZX_RIGHT_INSPECT, &r));
	EXPECT_STATUS(handle_valid(h), ZX_ERR_BAD_HANDLE, "the old handle is consumed");
	EXPECT_EQ(koid_of(r), koid);
	EXPECT_EQ(rights_of(r), ZX_RIGHT_READ | ZX_RIGHT_INSPECT);
	EXPECT_EQ(free_handle_slots(), before, "one handle out, one in");
	EXPECT_OK(zx_handle_close(r));
}

TEST(Replace, SameRightsAndNoDuplicateRightNeeded)
{
	zx_handle_t h = new_vmo(PAGE), d = ZX_HANDLE_INVALID, r = ZX_HANDLE_INVALID;
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	zx_rights_t want = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
	ASSERT_OK(zx_handle_duplicate(h, want, &d));
	ASSERT_OK(zx_handle_replace(d, ZX_RIGHT_SAME_RIGHTS, &r));
	EXPECT_STATUS(handle_valid(d), ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(rights_of(r), want);
	EXPECT_EQ(koid_of(r), koid_of(h));
	EXPECT_OK(zx_handle_close(r));
	EXPECT_OK(zx_handle_close(h));
}

TEST(Replace, MoreRightsIsInvalidArgsAndConsumesOld)
{
	zx_handle_t h = new_vmo(PAGE), d = ZX_HANDLE_INVALID, out = 0x99;
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_READ, &d));
	int before = free_handle_slots();
	EXPECT_STATUS(zx_handle_replace(d, ZX_RIGHT_READ | ZX_RIGHT_WRITE, &out),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(out, 0x99u);
	EXPECT_STATUS(handle_valid(d), ZX_ERR_BAD_HANDLE, "the old handle is gone as well");
	EXPECT_EQ(free_handle_slots(), before + 1, "and nothing new was created");
	EXPECT_OK(handle_valid(h), "other handles to the object are unaffected");
	EXPECT_OK(zx_handle_close(h));
}

TEST(Replace, BadHandle)
{
	zx_handle_t out = 0x99;
	EXPECT_STATUS(zx_handle_replace(ZX_HANDLE_INVALID, ZX_RIGHT_SAME_RIGHTS, &out),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_handle_replace(0x12345, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(out, 0x99u);
}

TEST(Replace, BadOutPointerLeaksNothing)
{
	static zx_handle_t slot[2];
	const uintptr_t bad[] = {0, KERNEL_ADDR, (uintptr_t)slot + 2, UNMAPPED_ADDR, OPENSBI_ADDR};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		zx_handle_t h = new_vmo(PAGE);
		ASSERT_NE(h, ZX_HANDLE_INVALID);
		int before = free_handle_slots();
		EXPECT_STATUS(zx_handle_replace(h, ZX_RIGHT_SAME_RIGHTS, (zx_handle_t *)bad[i]),
			      ZX_ERR_INVALID_ARGS, "out = %#lx", (unsigned long)bad[i]);
		/* Whether or not the old handle was consumed, no new one may remain. */
		bool old_live = handle_valid(h) == ZX_OK;
		EXPECT_EQ(free_handle_slots(), before + (old_live ? 0 : 1), "out = %#lx",
			  (unsigned long)bad[i]);
		if (old_live)
			EXPECT_OK(zx_handle_close(h));
	}
}

TEST(Replace, BadOutPointerConsumesTheOldHandle)
{
	static zx_handle_t slot[2];
	static const zx_handle_t rodata_slot = 0;
	/* The page says: checked (NULL, unaligned, not user space) or written
	 * (unmapped, read-only) -- either way the old handle is gone and no new
	 * one is left. */
	const uintptr_t bad[] = {0,
				 KERNEL_ADDR,
				 (uintptr_t)slot + 2,
				 PAST_USER_ADDR,
				 UNMAPPED_ADDR,
				 OPENSBI_ADDR,
				 (uintptr_t)&rodata_slot};
	zx_handle_t keep = new_vmo(PAGE);
	ASSERT_NE(keep, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(keep, "obj", 0, 3));
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		zx_handle_t h = ZX_HANDLE_INVALID;
		ASSERT_OK(zx_handle_duplicate(keep, ZX_RIGHT_SAME_RIGHTS, &h));
		int before = free_handle_slots();
		EXPECT_STATUS(zx_handle_replace(h, ZX_RIGHT_SAME_RIGHTS, (zx_handle_t *)bad[i]),
			      ZX_ERR_INVALID_ARGS, "out = %#lx", (unsigned long)bad[i]);
		EXPECT_STATUS(handle_valid(h), ZX_ERR_BAD_HANDLE, "out = %#lx: old handle consumed",
			      (unsigned long)bad[i]);
		EXPECT_EQ(free_handle_slots(), before + 1, "out = %#lx: no new handle left",
			  (unsigned long)bad[i]);
	}
	EXPECT_EQ(rodata_slot, 0u);
	/* The object itself is untouched. */
	char buf[4] = {0};
	EXPECT_OK(zx_vmo_read(keep, buf, 0, 3));
	EXPECT_STREQ(buf, "obj");
	EXPECT_OK(zx_handle_close(keep));
}

TEST(Table, HoldsExactly256AndRecovers)
{
	const uint32_t taken[] = {PA_HND(PA_VMO_BOOTDATA, 0), PA_HND(PA_RESOURCE, 0),
				  PA_HND(PA_MMIO_RESOURCE, 0), PA_HND(PA_IRQ_RESOURCE, 0)};
	for (unsigned i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		zx_handle_t h = zx_take_startup_handle(taken[i]);
		if (h != ZX_HANDLE_INVALID)
			EXPECT_OK(zx_handle_close(h));
	}
	/* Now only the runtime's process, thread, root-VMAR and job handles are left. */
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	zx_handle_t vmo = new_vmo(PAGE);
	ASSERT_NE(vmo, ZX_HANDLE_INVALID);
	int n = 0;
	zx_status_t st = ZX_OK;
	while (n < HANDLE_TABLE_SLOTS &&
	       (st = zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &hs[n])) == ZX_OK)
		n++;
	EXPECT_STATUS(st, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(n + 5, HANDLE_TABLE_SLOTS,
		  "process + thread + root VMAR + job + vmo + %d duplicates", n);

	/* Full: every way of making a handle fails cleanly and changes nothing. */
	zx_handle_t out = 0x99;
	EXPECT_STATUS(zx_vmo_create(PAGE, 0, &out), ZX_ERR_NO_RESOURCES);
	EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &out), ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(out, 0x99u);
	/* out is checked (NULL, alignment, user space) before the table, but only
	 * written after a slot was found */
	EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, (zx_handle_t *)UNMAPPED_ADDR),
		      ZX_ERR_NO_RESOURCES);
	/* Replace frees a slot before it needs one, so it still works when full. */
	zx_handle_t r = ZX_HANDLE_INVALID;
	EXPECT_OK(zx_handle_replace(hs[0], ZX_RIGHT_READ, &r));
	hs[0] = r;
	EXPECT_EQ(rights_of(r), ZX_RIGHT_READ);

	for (int i = 0; i < n; i++)
		EXPECT_OK(zx_handle_close(hs[i]), "duplicate %d", i);
	EXPECT_EQ(free_handle_slots(), HANDLE_TABLE_SLOTS - 5);

	/* And the table fills to the same size again. */
	int again = 0;
	while (again < HANDLE_TABLE_SLOTS &&
	       zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, &hs[again]) == ZX_OK)
		again++;
	EXPECT_EQ(again, n);
	EXPECT_OK(zx_handle_close_many(hs, again));
	EXPECT_OK(zx_handle_close(vmo));
	EXPECT_EQ(free_handle_slots(), HANDLE_TABLE_SLOTS - 4);
}
