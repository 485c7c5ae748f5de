/*
 * handle_retire.c: booted with zirv.handle_gen_bits=3, so a handle slot
 * lives through 8 generations instead of 2^22. Closing and creating on
 * one slot walks its generations; once they run out the slot is retired:
 * no stale value ever names a new object, and a table whose slots are all
 * retired or in use is full (ZX_ERR_NO_RESOURCES).
 */
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define GENERATIONS 8

TEST(Retire, StaleValuesNeverComeBack)
{
	zx_handle_t seen[4 * GENERATIONS];
	unsigned n = 0;
	/* LIFO reuse: each close/create cycle lands on the same slot until it is retired */
	for (unsigned i = 0; i < 4 * GENERATIONS; i++) {
		zx_handle_t v = new_vmo(PAGE);
		ASSERT_NE(v, ZX_HANDLE_INVALID);
		for (unsigned j = 0; j < n; j++)
			ASSERT_NE(v, seen[j], "cycle %u: value %#x came back", i, v);
		seen[n++] = v;
		ASSERT_OK(zx_handle_close(v));
	}
	for (unsigned j = 0; j < n; j++)
		EXPECT_STATUS(handle_valid(seen[j]), ZX_ERR_BAD_HANDLE);
}

TEST(Retire, RetiredSlotsAreNotHandedOut)
{
	int before = free_handle_slots();
	ASSERT_TRUE(before > 2 * GENERATIONS);
	/* wear out one more slot: GENERATIONS cycles on it */
	zx_handle_t v;
	for (unsigned i = 0; i < GENERATIONS; i++) {
		ASSERT_OK(zx_vmo_create(PAGE, 0, &v));
		ASSERT_OK(zx_handle_close(v));
	}
	EXPECT_TRUE(free_handle_slots() < before);
}

/* The slot zx_vmo_replace_as_executable frees can be retired, leaving it nowhere to go. */
TEST(Retire, ReplaceAsExecutableOnAFullTable)
{
	zx_handle_t hs[HANDLE_TABLE_SLOTS], v = new_vmo(PAGE), out = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n >= 0);
	zx_status_t st = ZX_OK;
	/* each success lands on v's slot, one generation on, until the slot is worn out */
	for (unsigned i = 0; i <= GENERATIONS && st == ZX_OK; i++) {
		out = 0x77;
		if ((st = zx_vmo_replace_as_executable(v, ZX_HANDLE_INVALID, &out)) == ZX_OK) {
			EXPECT_TRUE(handle_basic(out).rights & ZX_RIGHT_EXECUTE);
			v = out;
		}
	}
	EXPECT_STATUS(st, ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(out, 0x77u, "no handle written");
	EXPECT_STATUS(handle_valid(v), ZX_ERR_BAD_HANDLE, "the VMO handle is consumed");
	ASSERT_OK(release_handle_table(hs, n));
}

TEST(Retire, ATableOfWornSlotsIsFull)
{
	/* every free slot is taken and closed until all are retired */
	zx_handle_t hs[HANDLE_TABLE_SLOTS];
	for (int round = 0; round < GENERATIONS + 1; round++) {
		int n = fill_handle_table(hs);
		ASSERT_TRUE(n >= 0);
		ASSERT_OK(release_handle_table(hs, n));
	}
	EXPECT_EQ(free_handle_slots(), 0);
	zx_handle_t v = 0x77;
	EXPECT_STATUS(zx_vmo_create(PAGE, 0, &v), ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(v, 0x77u);
}
