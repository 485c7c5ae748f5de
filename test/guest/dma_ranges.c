/*
 * dma_ranges.c: BTIs of a device behind a bus with dma-ranges.
 * run_guest.py --dma-ranges gives QEMU's /soc
 *	dma-ranges = <0x0 0x40000000  0x0 0x80000000  0x0 0x10000000>;
 * so its devices see the first 256 MiB of RAM (CPU 0x80000000) at
 * 0x40000000 and nothing else. A BTI made for such a device (bti_id: its
 * node's offset, as <zirv/dt.h>'s zirv_dt_bti passes) pins to device
 * addresses, refuses memory the device cannot reach, and a BTI whose id
 * names no node pins to CPU physical addresses. A device on a bus inside
 * /soc that translates again gets no BTI: zirv reads one level. Booted
 * with carve-outs at 0x8c000000 (reachable) and 0x98000000 (not).
 */
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/object.h>
#include <zirv/dt.h>
#include <zxtest/zxtest.h>

#define REACHABLE   0x8c000000ull
#define UNREACHABLE 0x98000000ull
#define PAGE	    4096u

static zx_handle_t mmio, dev_bti, cpu_bti, iommu;
static struct zirv_dt *dt;

static void setup(void)
{
	if (dev_bti)
		return;
	zx_handle_t root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0));
	zx_handle_t vmo = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
	mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	zx_iommu_desc_dummy_t desc = {0};
	struct zirv_dt_device d;
	int cursor = 0;
	ASSERT_OK(zirv_dt_open(vmo, &dt));
	ASSERT_TRUE(zirv_dt_next(dt, "virtio,mmio", &cursor, &d), "a device on /soc");
	ASSERT_OK(zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu));
	ASSERT_OK(zirv_dt_bti(iommu, &d, &dev_bti));
	ASSERT_OK(zx_bti_create(iommu, 0, UINT64_MAX, &cpu_bti), "an id that names no node");
}

static zx_status_t pin_at(zx_handle_t bti, uint64_t pa, zx_paddr_t *addr, zx_handle_t *pmt)
{
	zx_handle_t v;
	zx_status_t st = zx_vmo_create_physical(mmio, pa, PAGE, &v);
	if (st == ZX_OK)
		st =
		    zx_bti_pin(bti, ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS, v, 0, PAGE, addr, 1, pmt);
	zx_handle_close(v);
	return st;
}

TEST(DmaRanges, PinsGiveTheDevicesAddresses)
{
	setup();
	zx_paddr_t a = 0;
	zx_handle_t pmt;
	ASSERT_OK(pin_at(dev_bti, REACHABLE, &a, &pmt));
	EXPECT_EQ(a, REACHABLE - 0x40000000, "CPU %#llx is the device's %#llx",
		  (unsigned long long)REACHABLE, (unsigned long long)a);
	EXPECT_OK(zx_pmt_unpin(pmt));
	ASSERT_OK(pin_at(cpu_bti, REACHABLE, &a, &pmt));
	EXPECT_EQ(a, REACHABLE, "no node, no translation");
	EXPECT_OK(zx_pmt_unpin(pmt));
}

TEST(DmaRanges, MemoryTheDeviceCannotReachIsRefused)
{
	setup();
	zx_paddr_t a = 0x77;
	zx_handle_t pmt = 0x77;
	EXPECT_STATUS(pin_at(dev_bti, UNREACHABLE, &a, &pmt), ZX_ERR_OUT_OF_RANGE);
	EXPECT_EQ(pmt, 0x77u, "no PMT");
	zx_info_bti_t bi;
	ASSERT_OK(zx_object_get_info(dev_bti, ZX_INFO_BTI, &bi, sizeof(bi), NULL, NULL));
	EXPECT_EQ(bi.pmo_count + bi.quarantine_count, 0u, "the pin was undone");
	ASSERT_OK(pin_at(cpu_bti, UNREACHABLE, &a, &pmt), "without the bus, any address");
	EXPECT_EQ(a, UNREACHABLE);
	EXPECT_OK(zx_pmt_unpin(pmt));
}

TEST(DmaRanges, PagedMemoryIsTranslatedPageByPage)
{
	setup();
	zx_handle_t v, pmt;
	zx_paddr_t dev[4], cpu[4];
	ASSERT_OK(zx_vmo_create(4 * PAGE, 0, &v));
	ASSERT_OK(zx_bti_pin(cpu_bti, ZX_BTI_PERM_READ, v, 0, 4 * PAGE, cpu, 4, &pmt));
	EXPECT_OK(zx_pmt_unpin(pmt));
	zx_status_t st = zx_bti_pin(dev_bti, ZX_BTI_PERM_READ, v, 0, 4 * PAGE, dev, 4, &pmt);
	bool reachable = true;
	for (int i = 0; i < 4; i++)
		reachable &= cpu[i] >= 0x80000000 && cpu[i] < 0x90000000;
	if (reachable) {
		ASSERT_OK(st);
		for (int i = 0; i < 4; i++)
			EXPECT_EQ(dev[i], cpu[i] - 0x40000000, "page %d", i);
		EXPECT_OK(zx_pmt_unpin(pmt));
	} else {
		EXPECT_STATUS(st, ZX_ERR_OUT_OF_RANGE, "a page above the window");
	}
	zx_handle_close(v);
}

TEST(DmaRanges, ATranslationOnTwoLevelsIsRefused)
{
	setup();
	struct zirv_dt_device d;
	int cursor = 0;
	zx_handle_t bti = 0x77;
	ASSERT_TRUE(zirv_dt_next(dt, "zirv,nested-dma", &cursor, &d), "the nested device");
	EXPECT_STATUS(zirv_dt_bti(iommu, &d, &bti), ZX_ERR_NOT_SUPPORTED);
	EXPECT_EQ(bti, 0x77u);
}
