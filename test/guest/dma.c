/*
 * dma.c: zx_iommu_create, zx_bti_create, zx_bti_pin, zx_pmt_unpin,
 * zx_bti_release_quarantine, zx_vmo_create_contiguous and ZX_INFO_BTI.
 * Pins commit pages and keep them in place (decommit refused, zero done in
 * place, a shrink or a snapshot refused, the pages outliving every handle
 * and mapping until the unpin), the addresses a pin reports, the
 * quarantine of a PMT closed without an unpin, contiguous VMOs, and every
 * documented error in Zircon's order. A device writing into pinned pages:
 * test/virtio/dma_test.c.
 */
#include <string.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"
#include "phys_util.h"

static zx_handle_t new_bti(void)
{
	static zx_handle_t iommu;
	zx_iommu_desc_dummy_t desc = {0};
	zx_handle_t bti = ZX_HANDLE_INVALID;
	if (!iommu)
		zx_iommu_create(root_resource(), ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu);
	zx_bti_create(iommu, 0, 0, &bti);
	return bti;
}

static zx_info_bti_t bti_info(zx_handle_t bti)
{
	zx_info_bti_t i;
	memset(&i, 0xee, sizeof(i));
	zx_object_get_info(bti, ZX_INFO_BTI, &i, sizeof(i), NULL, NULL);
	return i;
}

static uint64_t vmo_bytes(void)
{
	zx_info_kmem_stats_v1_t st = {0};
	zx_object_get_info(root_resource(), ZX_INFO_KMEM_STATS_V1, &st, sizeof(st), NULL, NULL);
	return st.vmo_bytes;
}

#define RW_PIN (ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE)

TEST(Iommu, CreateAndErrorsInZirconsOrder)
{
	zx_iommu_desc_dummy_t desc = {0};
	zx_handle_t im = 0x77, e;
	ASSERT_OK(zx_event_create(0, &e));
	EXPECT_STATUS(zx_iommu_create(0x12345, ZX_IOMMU_TYPE_DUMMY, &desc, 1, &im),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_iommu_create(e, ZX_IOMMU_TYPE_DUMMY, &desc, 1, &im), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_iommu_create(mmio_resource(), ZX_IOMMU_TYPE_DUMMY, &desc, 1, &im),
		      ZX_ERR_WRONG_TYPE, "an MMIO resource is not the IOMMU's");
	zx_handle_t vmex;
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE,
				     1, "vmex", 4, &vmex));
	EXPECT_STATUS(zx_iommu_create(vmex, ZX_IOMMU_TYPE_DUMMY, &desc, 1, &im),
		      ZX_ERR_OUT_OF_RANGE, "a SYSTEM resource without the IOMMU base");
	zx_handle_close(vmex);
	EXPECT_STATUS(zx_iommu_create(root_resource(), ZX_IOMMU_TYPE_DUMMY, &desc,
				      ZX_IOMMU_MAX_DESC_LEN + 1, &im),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_iommu_create(root_resource(), ZX_IOMMU_TYPE_INTEL, &desc, 1, &im),
		      ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_iommu_create(root_resource(), ZX_IOMMU_TYPE_DUMMY, &desc, 2, &im),
		      ZX_ERR_INVALID_ARGS, "the dummy descriptor's size");
	EXPECT_STATUS(zx_iommu_create(root_resource(), ZX_IOMMU_TYPE_DUMMY, NULL, 1, &im),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_iommu_create(root_resource(), ZX_IOMMU_TYPE_DUMMY, &desc, 1, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(im, 0x77u);
	ASSERT_OK(zx_iommu_create(root_resource(), ZX_IOMMU_TYPE_DUMMY, &desc, 1, &im));
	EXPECT_EQ(handle_basic(im).type, ZX_OBJ_TYPE_IOMMU);
	EXPECT_EQ(handle_basic(im).rights, ZX_DEFAULT_IOMMU_RIGHTS);
	zx_handle_t bti = 0x77;
	EXPECT_STATUS(zx_bti_create(im, 1, 0, &bti), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_bti_create(0x12345, 0, 0, &bti), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_bti_create(e, 0, 0, &bti), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_bti_create(im, 0, 0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(bti, 0x77u);
	ASSERT_OK(zx_bti_create(im, 0, 42, &bti));
	EXPECT_EQ(handle_basic(bti).type, ZX_OBJ_TYPE_BTI);
	EXPECT_EQ(handle_basic(bti).rights, ZX_DEFAULT_BTI_RIGHTS);
	zx_info_bti_t i = bti_info(bti);
	EXPECT_EQ(i.minimum_contiguity, PAGE);
	EXPECT_EQ(i.aspace_size, UINT64_MAX);
	EXPECT_EQ(i.pmo_count, 0u);
	EXPECT_EQ(i.quarantine_count, 0u);
	zx_handle_t blind;
	ASSERT_OK(zx_handle_duplicate(bti, ZX_RIGHT_MAP, &blind));
	EXPECT_STATUS(zx_object_get_info(blind, ZX_INFO_BTI, &i, sizeof(i), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED, "ZX_INFO_BTI needs INSPECT");
	EXPECT_STATUS(zx_object_get_info(e, ZX_INFO_BTI, &i, sizeof(i), NULL, NULL),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_object_get_info(bti, ZX_INFO_BTI, &i, 8, NULL, NULL),
		      ZX_ERR_BUFFER_TOO_SMALL);
	zx_handle_close_many((zx_handle_t[]){im, e, bti, blind}, 4);
}

TEST(Pin, CommitsThePagesAndReportsEachOne)
{
	zx_handle_t bti = new_bti(), v = new_vmo(8 * PAGE), pmt;
	zx_paddr_t a[4];
	uint64_t before = vmo_bytes();
	ASSERT_OK(zx_bti_pin(bti, RW_PIN, v, 2 * PAGE, 4 * PAGE, a, 4, &pmt));
	EXPECT_EQ(vmo_info(v).committed_bytes, 4 * PAGE, "the pin committed its pages");
	EXPECT_EQ(vmo_bytes() - before, 4 * PAGE);
	for (int i = 0; i < 4; i++) {
		EXPECT_EQ(a[i] % PAGE, 0u);
		for (int j = 0; j < i; j++)
			EXPECT_NE(a[i], a[j]);
	}
	EXPECT_EQ(handle_basic(pmt).type, ZX_OBJ_TYPE_PMT);
	EXPECT_EQ(handle_basic(pmt).rights, ZX_DEFAULT_PMT_RIGHTS);
	EXPECT_EQ(bti_info(bti).pmo_count, 1u);
	/* The same pages pinned again: the same addresses (COMPRESS: runs of a page, too). */
	zx_paddr_t b[4], c[4];
	zx_handle_t pmt2, pmt3;
	ASSERT_OK(zx_bti_pin(bti, ZX_BTI_PERM_READ, v, 2 * PAGE, 4 * PAGE, b, 4, &pmt2));
	ASSERT_OK(zx_bti_pin(bti, ZX_BTI_PERM_READ | ZX_BTI_COMPRESS, v, 2 * PAGE, 4 * PAGE, c, 4,
			     &pmt3));
	EXPECT_EQ(memcmp(a, b, sizeof(a)), 0);
	EXPECT_EQ(memcmp(a, c, sizeof(a)), 0);
	EXPECT_EQ(bti_info(bti).pmo_count, 3u);
	EXPECT_OK(zx_pmt_unpin(pmt3));
	EXPECT_OK(zx_pmt_unpin(pmt2));
	EXPECT_OK(zx_pmt_unpin(pmt));
	EXPECT_EQ(bti_info(bti).pmo_count, 0u);
	EXPECT_STATUS(handle_valid(pmt), ZX_ERR_BAD_HANDLE, "an unpin consumes the handle");
	zx_handle_close_many((zx_handle_t[]){bti, v}, 2);
}

TEST(Pin, PinnedPagesStayWhereTheyAre)
{
	zx_handle_t bti = new_bti(), v, pmt, child;
	ASSERT_OK(zx_vmo_create(4 * PAGE, ZX_VMO_RESIZABLE, &v));
	zx_paddr_t a[2], b[2];
	ASSERT_OK(zx_bti_pin(bti, RW_PIN, v, 0, 2 * PAGE, a, 2, &pmt));
	ASSERT_OK(zx_vmo_write(v, "dma", 100, 3));
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0), ZX_ERR_BAD_STATE);
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 2 * PAGE, 2 * PAGE, NULL, 0),
		  "pages nobody pinned go");
	EXPECT_STATUS(zx_vmo_set_size(v, PAGE), ZX_ERR_BAD_STATE, "a shrink over pinned pages");
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &child),
		      ZX_ERR_BAD_STATE, "a snapshot would let a write move a pinned page");
	zx_vaddr_t va;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, 2 * PAGE, &va));
	EXPECT_STATUS(zx_vmar_op_range(zx_vmar_root_self(), ZX_VMAR_OP_DECOMMIT, va, PAGE, NULL, 0),
		      ZX_ERR_BAD_STATE, "nor through a mapping");
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), va, 2 * PAGE));
	/* ZERO zeroes a pinned page in place. */
	ASSERT_OK(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0));
	char buf[3] = {1, 1, 1};
	ASSERT_OK(zx_vmo_read(v, buf, 100, 3));
	EXPECT_EQ(buf[0] | buf[1] | buf[2], 0);
	zx_handle_t pmt2;
	ASSERT_OK(zx_bti_pin(bti, ZX_BTI_PERM_READ, v, 0, 2 * PAGE, b, 2, &pmt2));
	EXPECT_EQ(memcmp(a, b, sizeof(a)), 0, "the same pages");
	ASSERT_OK(zx_pmt_unpin(pmt2));
	/* Every handle and mapping gone: the pages stay pinned, until the unpin. */
	uint64_t before = vmo_bytes();
	ASSERT_OK(zx_handle_close(v));
	EXPECT_EQ(vmo_bytes(), before, "the PMT keeps the pages");
	ASSERT_OK(zx_pmt_unpin(pmt));
	EXPECT_EQ(before - vmo_bytes(), 2 * PAGE, "freed with the unpin");
	zx_handle_close(bti);
}

TEST(Pin, AClosedPmtIsQuarantinedUntilReleased)
{
	zx_handle_t bti = new_bti(), v = new_vmo(2 * PAGE), pmt;
	zx_paddr_t a[2];
	ASSERT_OK(zx_bti_pin(bti, RW_PIN, v, 0, 2 * PAGE, a, 2, &pmt));
	ASSERT_OK(zx_handle_close(v));
	uint64_t before = vmo_bytes();
	ASSERT_OK(zx_handle_close(pmt)); /* not unpinned: the device may still write there */
	zx_info_bti_t i = bti_info(bti);
	EXPECT_EQ(i.pmo_count, 0u);
	EXPECT_EQ(i.quarantine_count, 1u);
	EXPECT_EQ(vmo_bytes(), before, "still pinned");
	zx_handle_t e, weak;
	ASSERT_OK(zx_event_create(0, &e));
	ASSERT_OK(zx_handle_duplicate(bti, ZX_RIGHT_READ, &weak));
	EXPECT_STATUS(zx_bti_release_quarantine(0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_bti_release_quarantine(e), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_bti_release_quarantine(weak), ZX_ERR_ACCESS_DENIED);
	ASSERT_OK(zx_bti_release_quarantine(bti));
	zx_handle_close_many((zx_handle_t[]){e, weak}, 2);
	EXPECT_EQ(bti_info(bti).quarantine_count, 0u);
	EXPECT_EQ(before - vmo_bytes(), 2 * PAGE, "released: the pages go");
	/* A BTI closed with a PMT still pinned: its end releases what its PMTs left behind. */
	v = new_vmo(PAGE);
	ASSERT_OK(zx_bti_pin(bti, RW_PIN, v, 0, PAGE, a, 1, &pmt));
	ASSERT_OK(zx_handle_close(v));
	before = vmo_bytes();
	ASSERT_OK(zx_handle_close(bti));
	EXPECT_EQ(vmo_bytes(), before, "the PMT still holds its pin");
	ASSERT_OK(zx_handle_close(pmt));
	EXPECT_EQ(before - vmo_bytes(), PAGE, "quarantined and released with the BTI");
}

TEST(Pin, ErrorsInZirconsOrder)
{
	zx_handle_t bti = new_bti(), v = new_vmo(4 * PAGE), e, nomap_bti, nomap, noread, nowrite,
		    pmt = 0x77;
	zx_paddr_t a[4];
	ASSERT_OK(zx_event_create(0, &e));
	ASSERT_OK(zx_handle_duplicate(bti, ZX_RIGHT_READ | ZX_RIGHT_WRITE, &nomap_bti));
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_READ | ZX_RIGHT_WRITE, &nomap));
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_MAP | ZX_RIGHT_WRITE, &noread));
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_MAP | ZX_RIGHT_READ, &nowrite));
	EXPECT_STATUS(zx_bti_pin(0x12345, RW_PIN, v, 0, PAGE, a, 1, &pmt), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_bti_pin(e, RW_PIN, v, 0, PAGE, a, 1, &pmt), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_bti_pin(nomap_bti, RW_PIN, v, 0, PAGE, a, 1, &pmt), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, 0x12345, 1, PAGE, a, 1, &pmt), ZX_ERR_INVALID_ARGS,
		      "the alignment before the VMO");
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, v, 0, 100, a, 1, &pmt), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, 0x12345, 0, PAGE, a, 1, &pmt), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, e, 0, PAGE, a, 1, &pmt), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, nomap, 0, PAGE, a, 1, &pmt), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, noread, 0, PAGE, a, 1, &pmt), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, nowrite, 0, PAGE, a, 1, &pmt), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_bti_pin(bti, ZX_BTI_PERM_EXECUTE, noread, 0, PAGE, a, 1, &pmt),
		      ZX_ERR_ACCESS_DENIED, "a device's execute needs READ");
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN | (1u << 8), v, 0, PAGE, a, 1, &pmt),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN | ZX_BTI_CONTIGUOUS, v, 0, PAGE, a, 1, &pmt),
		      ZX_ERR_INVALID_ARGS, "a paged VMO is not contiguous");
	EXPECT_STATUS(
	    zx_bti_pin(bti, RW_PIN | ZX_BTI_CONTIGUOUS | ZX_BTI_COMPRESS, v, 0, PAGE, a, 1, &pmt),
	    ZX_ERR_INVALID_ARGS, "both at once");
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, v, 0, 0, a, 0, &pmt), ZX_ERR_INVALID_ARGS, "empty");
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, v, 2 * PAGE, 4 * PAGE, a, 4, &pmt),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, v, 0, 2 * PAGE, a, 1, &pmt), ZX_ERR_INVALID_ARGS,
		      "room for one address, two pages");
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, v, 0, PAGE, (zx_paddr_t *)KERNEL_ADDR, 1, &pmt),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, v, 0, PAGE, a, 1, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(pmt, 0x77u);
	zx_info_bti_t i = bti_info(bti);
	EXPECT_EQ(i.pmo_count + i.quarantine_count, 0u, "a failed pin leaves nothing pinned");
	EXPECT_OK(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, 4 * PAGE, NULL, 0));
	/* A snapshot's relative cannot be pinned: their writes move shared pages. */
	zx_handle_t child;
	ASSERT_OK(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &child));
	EXPECT_STATUS(zx_bti_pin(bti, RW_PIN, child, 0, PAGE, a, 1, &pmt), ZX_ERR_BAD_STATE);
	/* Unpin: the handle goes whatever it names. */
	EXPECT_STATUS(zx_pmt_unpin(0x12345), ZX_ERR_BAD_HANDLE);
	zx_handle_t e2;
	ASSERT_OK(zx_event_create(0, &e2));
	EXPECT_STATUS(zx_pmt_unpin(e2), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(handle_valid(e2), ZX_ERR_BAD_HANDLE, "consumed, as Zircon does");
	zx_handle_close_many((zx_handle_t[]){bti, v, e, nomap_bti, nomap, noread, nowrite, child},
			     8);
}

TEST(Pin, APhysicalVmoPinsItsOwnAddresses)
{
	zx_handle_t bti = new_bti(), v = phys(RTC_BASE, PAGE), pmt;
	zx_paddr_t a;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_bti_pin(bti, RW_PIN | ZX_BTI_CONTIGUOUS, v, 0, PAGE, &a, 1, &pmt));
	EXPECT_EQ(a, RTC_BASE);
	EXPECT_OK(zx_pmt_unpin(pmt));
	zx_handle_close_many((zx_handle_t[]){bti, v}, 2);
}

TEST(Contiguous, OneRunAlignedCommittedAndKept)
{
	zx_handle_t bti = new_bti(), v, pmt;
	ASSERT_OK(zx_vmo_create_contiguous(bti, 5 * PAGE, 16, &v));
	zx_info_vmo_t i = vmo_info(v);
	EXPECT_TRUE(i.flags & ZX_INFO_VMO_CONTIGUOUS);
	EXPECT_EQ(i.committed_bytes, 5 * PAGE, "committed from the start");
	EXPECT_EQ(i.size_bytes, 5 * PAGE);
	zx_paddr_t one, each[5];
	ASSERT_OK(zx_bti_pin(bti, RW_PIN | ZX_BTI_CONTIGUOUS, v, 0, 5 * PAGE, &one, 1, &pmt));
	EXPECT_EQ(one % (1u << 16), 0u, "aligned as asked");
	ASSERT_OK(zx_pmt_unpin(pmt));
	ASSERT_OK(zx_bti_pin(bti, RW_PIN, v, 0, 5 * PAGE, each, 5, &pmt));
	for (int k = 0; k < 5; k++)
		EXPECT_EQ(each[k], one + k * PAGE, "page %d follows", k);
	ASSERT_OK(zx_pmt_unpin(pmt));
	char buf[8] = {1};
	ASSERT_OK(zx_vmo_read(v, buf, 3 * PAGE, sizeof(buf)));
	EXPECT_EQ(buf[0], 0, "zeroed");
	EXPECT_STATUS(zx_vmo_op_range(v, ZX_VMO_OP_DECOMMIT, 0, PAGE, NULL, 0),
		      ZX_ERR_NOT_SUPPORTED, "its pages stay, as in Zircon");
	zx_vaddr_t va;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, PAGE, &va));
	EXPECT_STATUS(zx_vmar_op_range(zx_vmar_root_self(), ZX_VMAR_OP_DECOMMIT, va, PAGE, NULL, 0),
		      ZX_ERR_NOT_SUPPORTED);
	ASSERT_OK(zx_vmar_unmap(zx_vmar_root_self(), va, PAGE));
	ASSERT_OK(zx_vmo_op_range(v, ZX_VMO_OP_ZERO, 0, PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, 5 * PAGE, "zeroed in place");
	zx_handle_t child;
	EXPECT_STATUS(zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, &child),
		      ZX_ERR_BAD_STATE, "its pages must not move");
	zx_handle_close(v);
	/* Errors, in Zircon's order. */
	zx_handle_t e, nomap, out = 0x77;
	ASSERT_OK(zx_event_create(0, &e));
	ASSERT_OK(zx_handle_duplicate(bti, ZX_RIGHT_READ, &nomap));
	EXPECT_STATUS(zx_vmo_create_contiguous(0x12345, 0, 0, &out), ZX_ERR_INVALID_ARGS,
		      "the size first");
	EXPECT_STATUS(zx_vmo_create_contiguous(0x12345, PAGE, 11, &out), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_contiguous(0x12345, PAGE, 64, &out), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_contiguous(0x12345, PAGE, 0, &out), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_create_contiguous(e, PAGE, 0, &out), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_create_contiguous(nomap, PAGE, 0, &out), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_contiguous(bti, 2ul << 30, 0, &out), ZX_ERR_OUT_OF_RANGE,
		      "past zirv's VMO limit");
	EXPECT_STATUS(zx_vmo_create_contiguous(bti, 900ul << 20, 0, &out), ZX_ERR_NO_MEMORY,
		      "more than the machine has (-m 512M)");
	EXPECT_STATUS(zx_vmo_create_contiguous(bti, PAGE, 0, NULL), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(out, 0x77u);
	zx_handle_close_many((zx_handle_t[]){bti, e, nomap}, 3);
}
