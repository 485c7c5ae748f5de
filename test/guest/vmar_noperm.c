/*
 * vmar_noperm.c: a mapping with no ZX_VM_PERM_* bit (Zircon allows it, e.g.
 * as a guard region). It must reserve its range, unmap cleanly, and leave
 * nothing behind: mapping the same range again shows the new VMO. Kept
 * apart from vmar.c because a kernel that gets this wrong may panic.
 */
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define OFF 0x30000000ul /* vmar_offset of the test range */

TEST(NoPerm, ReservesUnmapsAndRemaps)
{
	zx_handle_t guard = new_vmo(PAGE), data = new_vmo(PAGE);
	ASSERT_NE(guard, ZX_HANDLE_INVALID);
	ASSERT_NE(data, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(data, "fresh", 0, 5));

	zx_vaddr_t g = 0, d = 0;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_SPECIFIC, OFF, guard, 0, PAGE, &g));
	EXPECT_EQ(vmo_info(guard).num_mappings, 1u);
	EXPECT_STATUS(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC, OFF, data,
				  0, PAGE, &d),
		      ZX_ERR_ALREADY_EXISTS, "the range is taken");
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), g, PAGE));
	EXPECT_EQ(vmo_info(guard).num_mappings, 0u);

	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC, OFF, data, 0,
			      PAGE, &d));
	EXPECT_EQ(d, g);
	EXPECT_EQ(*(volatile char *)d, 'f');
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), d, PAGE));
	EXPECT_OK(zx_handle_close(guard));
	EXPECT_OK(zx_handle_close(data));
}

/* Giving a permission-less mapping permissions again is not implemented. */
TEST(NoPerm, ProtectUpIsNotSupported)
{
	zx_handle_t guard = new_vmo(2 * PAGE), data = new_vmo(2 * PAGE);
	ASSERT_NE(guard, ZX_HANDLE_INVALID);
	ASSERT_NE(data, ZX_HANDLE_INVALID);
	zx_handle_t root = zx_vmar_root_self();

	/* mapped without permissions */
	zx_vaddr_t g = 0;
	ASSERT_OK(zx_vmar_map(root, 0, 0, guard, 0, 2 * PAGE, &g));
	EXPECT_STATUS(zx_vmar_protect(root, ZX_VM_PERM_READ, g, PAGE), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmar_protect(root, RW, g, 2 * PAGE), ZX_ERR_NOT_SUPPORTED);
	EXPECT_OK(zx_vmar_protect(root, 0, g, 2 * PAGE), "0 stays 0");
	EXPECT_EQ(vmo_info(guard).num_mappings, 1u, "the refused calls split nothing");
	EXPECT_OK(zx_vmar_unmap(root, g, 2 * PAGE));

	/* permissions removed by protect(0) */
	zx_vaddr_t d = 0;
	ASSERT_OK(zx_vmar_map(root, RW, 0, data, 0, 2 * PAGE, &d));
	*(volatile char *)(d + PAGE) = 'k';
	ASSERT_OK(zx_vmar_protect(root, 0, d, PAGE));
	EXPECT_STATUS(zx_vmar_protect(root, ZX_VM_PERM_READ, d, PAGE), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmar_protect(root, ZX_VM_PERM_READ, d, 2 * PAGE), ZX_ERR_NOT_SUPPORTED,
		      "a range that includes it");
	/* the other page kept its permissions */
	EXPECT_EQ(*(volatile char *)(d + PAGE), 'k');
	*(volatile char *)(d + PAGE) = 'l';
	EXPECT_OK(zx_vmar_unmap(root, d, 2 * PAGE));
	EXPECT_EQ(vmo_info(data).num_mappings, 0u);
	char c = 0;
	EXPECT_OK(zx_vmo_read(data, &c, PAGE, 1));
	EXPECT_EQ(c, 'l');
	EXPECT_OK(zx_handle_close(guard));
	EXPECT_OK(zx_handle_close(data));
}
