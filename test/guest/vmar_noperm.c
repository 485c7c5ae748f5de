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
