/*
 * asid.c: ASID generations. Booted with few ASID bits (zirv.asid_bits), it
 * runs more processes at once than there are ASIDs — copies of bin/child
 * (asid_child.c), each checking that its memory at an address all of them
 * share holds only its own data while the others run — so that ASID
 * generations end again and again under them. The lock-checking kernel
 * checks at every address-space switch that no two harts run different
 * address spaces under one ASID and that none runs an ASID of an ended
 * generation.
 */
#include <stdio.h>
#include <zircon/processargs.h>
#include <zircon/syscalls/zirv.h>
#include <zirv/spawn.h>

#include "guest_util.h"
#include "phys_util.h"

#define SEC	 1000000000ll
#define CHILDREN 20

static zx_info_zirv_tlb_t tlb(void)
{
	zx_info_zirv_tlb_t t = {0};
	zx_object_get_info(root_resource(), ZX_INFO_ZIRV_TLB, &t, sizeof(t), NULL, NULL);
	return t;
}

TEST(Asid, MoreProcessesThanAsidsEachSeeOnlyTheirOwnMemory)
{
	zx_info_zirv_tlb_t before = tlb();
	ASSERT_TRUE(before.asid_bits > 0 && before.asid_bits <= 4,
		    "booted with few ASID bits, in generations (%u)", before.asid_bits);
	zx_handle_t child[CHILDREN];
	for (int i = 0; i < CHILDREN; i++) {
		char num[8];
		snprintf(num, sizeof(num), "%d", i + 1);
		const char *argv[] = {"child", num, NULL};
		ASSERT_OK(
		    zirv_spawn(zx_job_default(), "bin/child", argv, 0, NULL, NULL, &child[i]));
	}
	for (int i = 0; i < CHILDREN; i++) {
		EXPECT_OK(zx_object_wait_one(child[i], ZX_PROCESS_TERMINATED,
					     zx_deadline_after(120 * SEC), NULL));
		EXPECT_EQ(proc_info(child[i]).return_code, 0, "child %d", i + 1);
	}
	zx_info_zirv_tlb_t after = tlb();
	EXPECT_TRUE(after.asid_generations > before.asid_generations,
		    "%llu generations ended, with %u ASID bits",
		    (unsigned long long)(after.asid_generations - before.asid_generations),
		    after.asid_bits);
	zx_handle_close_many(child, CHILDREN);
}
