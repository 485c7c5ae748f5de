/*
 * phys_create.c: zx_vmo_create_physical and zx_resource_create.
 *
 * Booted with `-device virtio-rng-device`, so the highest virtio-mmio slot
 * (0x10008000) holds an rng (DeviceID 4) and the others are empty.
 * Outcomes are checked through the ABI: registers read through mappings,
 * ZX_INFO_VMO / ZX_INFO_RESOURCE / ZX_INFO_HANDLE_BASIC, signals, and the
 * number of free handle slots (no object may be left behind by a failure).
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

#define MMIO_RES_RIGHTS 0x800Bu

static zx_info_resource_t rinfo(zx_handle_t h)
{
	zx_info_resource_t i;
	memset(&i, 0x5a, sizeof(i));
	if (zx_object_get_info(h, ZX_INFO_RESOURCE, &i, sizeof(i), NULL, NULL) != ZX_OK)
		i.kind = 0xdead;
	return i;
}

static const zx_handle_t rodata_handle = 0x1234; /* lives in the read-only text segment */

/* ------------------------------------------------------ create_physical: OK */

TEST(CreatePhysical, WindowViaMmioResourceReadsMagic)
{
	zx_handle_t vmo = ZX_HANDLE_INVALID;
	ASSERT_NE(mmio_resource(), ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO_RNG, PAGE, &vmo));
	ASSERT_NE(vmo, ZX_HANDLE_INVALID);
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(vmo, PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_EQ(r[0], VIRTIO_MAGIC);
	EXPECT_EQ(r[1], 1u, "legacy virtio-mmio by default");
	EXPECT_EQ(r[2], 4u, "virtio-rng in the highest slot");
	EXPECT_EQ(r[3], QEMU_VENDOR);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(vmo));
}

TEST(CreatePhysical, WindowViaRootResourceReadsMagic)
{
	zx_handle_t vmo = ZX_HANDLE_INVALID;
	ASSERT_NE(root_resource(), ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_physical(root_resource(), VIRTIO(0), PAGE, &vmo));
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(vmo, PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_EQ(r[0], VIRTIO_MAGIC);
	EXPECT_EQ(r[2], 0u, "slot 0 is empty");
	EXPECT_EQ(r[3], QEMU_VENDOR);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(vmo));
}

TEST(CreatePhysical, AllEightWindowsInOneVmo)
{
	zx_handle_t vmo;
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), 8 * PAGE, &vmo));
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(vmo, 8 * PAGE, &addr);
	ASSERT_NOT_NULL(r);
	for (unsigned i = 0; i < 8; i++) {
		volatile uint32_t *w = r + i * PAGE / 4;
		EXPECT_EQ(w[0], VIRTIO_MAGIC, "slot %u", i);
		EXPECT_EQ(w[2], i == 7 ? 4u : 0u, "slot %u", i);
		EXPECT_EQ(w[3], QEMU_VENDOR, "slot %u", i);
	}
	unmap(addr, 8 * PAGE);
	EXPECT_OK(zx_handle_close(vmo));
}

TEST(CreatePhysical, ResourceHandleNeedsNoRights)
{
	zx_handle_t weak, vmo;
	ASSERT_OK(zx_handle_duplicate(mmio_resource(), 0, &weak));
	EXPECT_EQ(handle_basic(weak).rights, 0u);
	EXPECT_OK(zx_vmo_create_physical(weak, VIRTIO(2), PAGE, &vmo));
	EXPECT_OK(zx_handle_close(vmo));
	EXPECT_OK(zx_handle_close(weak));
}

/* ------------------------------------------------------ new VMO properties */

TEST(NewVmo, InfoFlagsPolicyRightsSize)
{
	zx_handle_t vmo;
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), 3 * PAGE, &vmo));
	zx_info_vmo_t i = vmo_info(vmo);
	ASSERT_NE(i.koid, 0u);
	EXPECT_EQ(i.flags,
		  ZX_INFO_VMO_TYPE_PHYSICAL | ZX_INFO_VMO_CONTIGUOUS | ZX_INFO_VMO_VIA_HANDLE);
	EXPECT_EQ(i.cache_policy, ZX_CACHE_POLICY_UNCACHED);
	EXPECT_EQ(i.size_bytes, 3 * PAGE);
	EXPECT_EQ(i.parent_koid, 0u);
	EXPECT_EQ(i.num_children, 0u);
	EXPECT_EQ(i.num_mappings, 0u);
	EXPECT_EQ(i.handle_rights, ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE);
	zx_info_handle_basic_t b = handle_basic(vmo);
	EXPECT_EQ(b.rights, ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMO);
	EXPECT_EQ(b.koid, i.koid);
	uint64_t size = 0;
	EXPECT_OK(zx_vmo_get_size(vmo, &size));
	EXPECT_EQ(size, 3 * PAGE);
	EXPECT_OK(zx_handle_close(vmo));
}

TEST(NewVmo, ZeroChildrenAsserted)
{
	zx_handle_t vmo;
	zx_signals_t seen = 0;
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, &vmo));
	EXPECT_OK(zx_object_wait_one(vmo, ZX_VMO_ZERO_CHILDREN, 0, &seen));
	EXPECT_EQ(seen & ZX_VMO_ZERO_CHILDREN, ZX_VMO_ZERO_CHILDREN);
	EXPECT_OK(zx_handle_close(vmo));
}

TEST(NewVmo, ReadWriteNotSupportedAfterRightsCheck)
{
	zx_handle_t vmo, none;
	uint8_t buf[16] = {0};
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, &vmo));
	EXPECT_STATUS(zx_vmo_read(vmo, buf, 0, sizeof(buf)), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmo_write(vmo, buf, 0, sizeof(buf)), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_vmo_read(vmo, buf, 0, 0), ZX_ERR_NOT_SUPPORTED);
	ASSERT_OK(zx_handle_duplicate(vmo, ZX_RIGHT_MAP | ZX_RIGHT_DUPLICATE, &none));
	EXPECT_STATUS(zx_vmo_read(none, buf, 0, sizeof(buf)), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_write(none, buf, 0, sizeof(buf)), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(none));
	EXPECT_OK(zx_handle_close(vmo));
}

TEST(NewVmo, NameRoundTrip)
{
	zx_handle_t vmo;
	char name[ZX_MAX_NAME_LEN];
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, &vmo));
	memset(name, 'x', sizeof(name));
	EXPECT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_EQ(name[0], 0, "a new physical VMO has an empty name");
	EXPECT_OK(zx_object_set_property(vmo, ZX_PROP_NAME, "virtio-window", 13));
	memset(name, 'x', sizeof(name));
	EXPECT_OK(zx_object_get_property(vmo, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "virtio-window");
	EXPECT_STREQ(vmo_info(vmo).name, "virtio-window");
	EXPECT_OK(zx_handle_close(vmo));
}

/* ------------------------------------------------------ create_physical: errors */

TEST(CreatePhysicalErrors, BadHandle)
{
	zx_handle_t dup, vmo = 0x77;
	ASSERT_OK(zx_handle_duplicate(mmio_resource(), ZX_RIGHT_SAME_RIGHTS, &dup));
	ASSERT_OK(zx_handle_close(dup));
	EXPECT_STATUS(zx_vmo_create_physical(dup, VIRTIO(0), PAGE, &vmo), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmo_create_physical(ZX_HANDLE_INVALID, VIRTIO(0), PAGE, &vmo),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(vmo, 0x77u);
}

TEST(CreatePhysicalErrors, WrongType)
{
	zx_handle_t vmo, irq, out = 0x77;
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, &vmo));
	EXPECT_STATUS(zx_vmo_create_physical(vmo, VIRTIO(0), PAGE, &out), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmo_create_physical(zx_process_self(), VIRTIO(0), PAGE, &out),
		      ZX_ERR_WRONG_TYPE);
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_IRQ, 1, 1, "irq", 3, &irq));
	EXPECT_EQ(rinfo(irq).kind, ZX_RSRC_KIND_IRQ);
	EXPECT_STATUS(zx_vmo_create_physical(irq, VIRTIO(0), PAGE, &out), ZX_ERR_WRONG_TYPE);
	EXPECT_EQ(out, 0x77u);
	EXPECT_OK(zx_handle_close(irq));
	EXPECT_OK(zx_handle_close(vmo));
}

TEST(CreatePhysicalErrors, AccessDeniedRamFirmwareHole)
{
	zx_handle_t out = 0x77;
	const zx_handle_t res[2] = {root_resource(), mmio_resource()};
	for (int i = 0; i < 2; i++) {
		EXPECT_STATUS(zx_vmo_create_physical(res[i], 0x80200000ul, PAGE, &out),
			      ZX_ERR_ACCESS_DENIED, "kernel image, resource %d", i);
		EXPECT_STATUS(zx_vmo_create_physical(res[i], 0x80000000ul, PAGE, &out),
			      ZX_ERR_ACCESS_DENIED, "firmware, resource %d", i);
		EXPECT_STATUS(zx_vmo_create_physical(res[i], 0x81000000ul, PAGE, &out),
			      ZX_ERR_ACCESS_DENIED, "free RAM, resource %d", i);
		EXPECT_STATUS(zx_vmo_create_physical(res[i], 0x5000000ul, PAGE, &out),
			      ZX_ERR_ACCESS_DENIED, "address hole, resource %d", i);
		/* the last virtio window plus the hole above it */
		EXPECT_STATUS(zx_vmo_create_physical(res[i], VIRTIO(7), 2 * PAGE, &out),
			      ZX_ERR_ACCESS_DENIED, "window + hole, resource %d", i);
		/* the top page of PCIe MMIO plus the firmware above it */
		EXPECT_STATUS(zx_vmo_create_physical(res[i], 0x7ffff000ul, 2 * PAGE, &out),
			      ZX_ERR_ACCESS_DENIED, "PCIe MMIO + firmware, resource %d", i);
	}
	EXPECT_EQ(out, 0x77u);
}

TEST(CreatePhysicalErrors, AccessDeniedOutsideSubResource)
{
	zx_handle_t sub, vmo = 0x77;
	ASSERT_OK(
	    zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO(3), PAGE, "w3", 2, &sub));
	EXPECT_STATUS(zx_vmo_create_physical(sub, VIRTIO(4), PAGE, &vmo), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(sub, VIRTIO(2), PAGE, &vmo), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(sub, VIRTIO(3), 2 * PAGE, &vmo), ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(vmo, 0x77u);
	EXPECT_OK(zx_vmo_create_physical(sub, VIRTIO(3), PAGE, &vmo));
	zx_vaddr_t addr;
	volatile uint32_t *r = map_ro(vmo, PAGE, &addr);
	ASSERT_NOT_NULL(r);
	EXPECT_EQ(r[0], VIRTIO_MAGIC);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(vmo));
	EXPECT_OK(zx_handle_close(sub));
}

TEST(CreatePhysicalErrors, SubPageResourceWidenedToItsPage)
{
	/* a resource over fw_cfg's 24 bytes grants the page they sit in */
	zx_handle_t sub, vmo;
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, FW_CFG_BASE, 0x18,
				     "fw_cfg", 6, &sub));
	EXPECT_OK(zx_vmo_create_physical(sub, FW_CFG_BASE, PAGE, &vmo));
	EXPECT_OK(zx_handle_close(vmo));
	EXPECT_STATUS(zx_vmo_create_physical(sub, FW_CFG_BASE, 2 * PAGE, &vmo),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(sub));
}

/*
 * The devices the kernel drives are no one else's (DESIGN.md, contract 10):
 * the console UART, the CLINT (timer and IPIs), the power-off device and
 * the PLIC (its first and its last page).
 */
static const zx_paddr_t kernel_devices[] = {0x10000000ul, 0x2000000ul, 0x100000ul, 0xc000000ul,
					    0xc5ff000ul};

TEST(KernelDevices, CreatePhysicalDenied)
{
	for (size_t i = 0; i < sizeof(kernel_devices) / sizeof(kernel_devices[0]); i++) {
		zx_handle_t vmo = 0x77;
		EXPECT_STATUS(
		    zx_vmo_create_physical(mmio_resource(), kernel_devices[i], PAGE, &vmo),
		    ZX_ERR_ACCESS_DENIED, "%#lx from the MMIO resource",
		    (unsigned long)kernel_devices[i]);
		EXPECT_STATUS(
		    zx_vmo_create_physical(root_resource(), kernel_devices[i], PAGE, &vmo),
		    ZX_ERR_ACCESS_DENIED, "%#lx from the root resource",
		    (unsigned long)kernel_devices[i]);
		EXPECT_EQ(vmo, 0x77u);
	}
	/* a window that merely includes the UART's page is refused whole */
	zx_handle_t vmo = 0x77;
	EXPECT_STATUS(zx_vmo_create_physical(mmio_resource(), 0x10000000ul - PAGE, 2 * PAGE, &vmo),
		      ZX_ERR_ACCESS_DENIED);
}

TEST(KernelDevices, ResourceCreateDenied)
{
	for (size_t i = 0; i < sizeof(kernel_devices) / sizeof(kernel_devices[0]); i++) {
		zx_handle_t r = 0x77;
		EXPECT_STATUS(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO,
						 kernel_devices[i], PAGE, "k", 1, &r),
			      ZX_ERR_ACCESS_DENIED, "%#lx", (unsigned long)kernel_devices[i]);
		EXPECT_STATUS(zx_resource_create(mmio_resource(), ZX_RSRC_KIND_MMIO,
						 kernel_devices[i], 4, "k", 1, &r),
			      ZX_ERR_ACCESS_DENIED, "%#lx", (unsigned long)kernel_devices[i]);
		EXPECT_EQ(r, 0x77u);
	}
}

TEST(CreatePhysicalErrors, InvalidArgsAlignmentSizeOverflow)
{
	zx_handle_t out = 0x77;
	zx_handle_t m = mmio_resource();
	EXPECT_STATUS(zx_vmo_create_physical(m, VIRTIO(0) + 4, PAGE, &out), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(m, VIRTIO(0) + 0x800, PAGE, &out),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(m, VIRTIO(0), PAGE - 1, &out), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(m, VIRTIO(0), PAGE + 8, &out), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(m, VIRTIO(0), 0, &out), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(m, 0xfffffffffffff000ul, 2 * PAGE, &out),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(m, VIRTIO(0), ~0ul - PAGE + 1, &out),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmo_create_physical(root_resource(), VIRTIO(0), 0, &out),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(out, 0x77u);
}

TEST(CreatePhysicalErrors, BadOutPointerLeavesNothing)
{
	static zx_handle_t slots[2];
	int before = free_handle_slots();
	ASSERT_TRUE(before > 0);
	zx_handle_t *const bad[] = {NULL, (zx_handle_t *)KERNEL_ADDR,
				    (zx_handle_t *)((uintptr_t)&slots[0] + 1),
				    (zx_handle_t *)UNMAPPED_ADDR, (zx_handle_t *)&rodata_handle};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_STATUS(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, bad[i]),
			      ZX_ERR_INVALID_ARGS, "out %p", (void *)bad[i]);
	EXPECT_EQ(rodata_handle, 0x1234u);
	EXPECT_EQ(free_handle_slots(), before, "a failed create left a handle behind");
}

TEST(CreatePhysicalErrors, FullHandleTableIsNoResources)
{
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	zx_handle_t out = 0x77;
	ASSERT_NE(mmio_resource(), ZX_HANDLE_INVALID);
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 0);
	EXPECT_STATUS(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, &out),
		      ZX_ERR_NO_RESOURCES);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_EQ(out, 0x77u);
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, &out), "room again");
	EXPECT_OK(zx_handle_close(out));
}

/* ------------------------------------------------------ zx_resource_create */

TEST(ResourceCreate, FromRootInfoNameRights)
{
	static const char long_name[] = "virtio-rng-window-with-a-name-longer-than-31";
	zx_handle_t r;
	char prop[ZX_MAX_NAME_LEN];
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO_RNG, PAGE,
				     long_name, sizeof(long_name) - 1, &r));
	zx_info_resource_t i = rinfo(r);
	EXPECT_EQ(i.kind, ZX_RSRC_KIND_MMIO);
	EXPECT_EQ(i.flags, 0u);
	EXPECT_EQ(i.base, VIRTIO_RNG);
	EXPECT_EQ(i.size, PAGE);
	EXPECT_EQ(strnlen(i.name, sizeof(i.name)), 31u);
	EXPECT_EQ(memcmp(i.name, long_name, 31), 0);
	EXPECT_EQ(i.name[31], 0);
	zx_info_handle_basic_t b = handle_basic(r);
	EXPECT_EQ(b.rights, MMIO_RES_RIGHTS);
	EXPECT_EQ(b.rights, ZX_DEFAULT_RESOURCE_RIGHTS);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_RESOURCE);
	/* default resource rights carry no GET_PROPERTY */
	EXPECT_STATUS(zx_object_get_property(r, ZX_PROP_NAME, prop, sizeof(prop)),
		      ZX_ERR_ACCESS_DENIED);
	/* and the resource really grants its window */
	zx_handle_t vmo;
	ASSERT_OK(zx_vmo_create_physical(r, VIRTIO_RNG, PAGE, &vmo));
	zx_vaddr_t addr;
	volatile uint32_t *regs = map_ro(vmo, PAGE, &addr);
	ASSERT_NOT_NULL(regs);
	EXPECT_EQ(regs[2], 4u);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(vmo));
	EXPECT_OK(zx_handle_close(r));
}

TEST(ResourceCreate, StartupResources)
{
	zx_info_resource_t i = rinfo(mmio_resource());
	EXPECT_EQ(i.kind, ZX_RSRC_KIND_MMIO);
	EXPECT_EQ(i.base, 0u);
	EXPECT_EQ(i.size, 0u);
	EXPECT_EQ(rinfo(root_resource()).kind, ZX_RSRC_KIND_ROOT);
	EXPECT_EQ(handle_basic(root_resource()).rights, ZX_DEFAULT_RESOURCE_RIGHTS);
	EXPECT_EQ(handle_basic(mmio_resource()).rights, ZX_DEFAULT_RESOURCE_RIGHTS);
}

TEST(ResourceCreate, ShortNameAndNoName)
{
	zx_handle_t r;
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO(1), PAGE, "abcdef",
				     3, &r));
	EXPECT_STREQ(rinfo(r).name, "abc");
	EXPECT_OK(zx_handle_close(r));
	ASSERT_OK(
	    zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO(1), PAGE, NULL, 0, &r));
	EXPECT_STREQ(rinfo(r).name, "");
	EXPECT_OK(zx_handle_close(r));
}

TEST(ResourceCreate, ParentWithoutWriteDenied)
{
	zx_handle_t weak, r = 0x77;
	ASSERT_OK(zx_handle_duplicate(
	    root_resource(), ZX_RIGHT_DUPLICATE | ZX_RIGHT_TRANSFER | ZX_RIGHT_INSPECT, &weak));
	EXPECT_STATUS(zx_resource_create(weak, ZX_RSRC_KIND_MMIO, VIRTIO(0), PAGE, "x", 1, &r),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(weak));
	ASSERT_OK(zx_handle_duplicate(mmio_resource(), ZX_RIGHT_INSPECT, &weak));
	EXPECT_STATUS(zx_resource_create(weak, ZX_RSRC_KIND_MMIO, VIRTIO(0), PAGE, "x", 1, &r),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(weak));
	EXPECT_EQ(r, 0x77u);
}

TEST(ResourceCreate, BadParentHandleAndType)
{
	zx_handle_t vmo, r = 0x77;
	EXPECT_STATUS(
	    zx_resource_create(ZX_HANDLE_INVALID, ZX_RSRC_KIND_MMIO, VIRTIO(0), PAGE, "x", 1, &r),
	    ZX_ERR_BAD_HANDLE);
	ASSERT_OK(zx_vmo_create_physical(mmio_resource(), VIRTIO(0), PAGE, &vmo));
	EXPECT_STATUS(zx_resource_create(vmo, ZX_RSRC_KIND_MMIO, VIRTIO(0), PAGE, "x", 1, &r),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_OK(zx_handle_close(vmo));
	EXPECT_EQ(r, 0x77u);
}

TEST(ResourceCreate, BadKindFlagsOverflow)
{
	zx_handle_t r = 0x77, root = root_resource();
	EXPECT_STATUS(zx_resource_create(root, 6, VIRTIO(0), PAGE, "x", 1, &r),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_resource_create(root, 0xffff, VIRTIO(0), PAGE, "x", 1, &r),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_resource_create(root, ZX_RSRC_KIND_MMIO | 0x00020000u, VIRTIO(0), PAGE, "x", 1, &r),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_resource_create(root, ZX_RSRC_KIND_MMIO | 0x80000000u, VIRTIO(0), PAGE, "x", 1, &r),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_resource_create(root, ZX_RSRC_KIND_MMIO, 0xfffffffffffff000ul, 0x2000, "x", 1, &r),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_resource_create(root, ZX_RSRC_KIND_IRQ, ~0ul, 2, "x", 1, &r),
		      ZX_ERR_INVALID_ARGS);
	/* a ROOT-kind resource is (0, 0) or nothing */
	EXPECT_STATUS(zx_resource_create(root, ZX_RSRC_KIND_ROOT, VIRTIO(0), PAGE, "x", 1, &r),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_resource_create(root, ZX_RSRC_KIND_ROOT, 0, PAGE, "x", 1, &r),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(r, 0x77u);
}

/* (MMIO, 0, 0) is a ranged root only when the root resource makes it. */
TEST(ResourceCreate, OnlyTheRootMakesRangedRoots)
{
	zx_handle_t root = root_resource(), sub = ZX_HANDLE_INVALID, zero = ZX_HANDLE_INVALID;
	zx_handle_t ranged = ZX_HANDLE_INVALID, vmo = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_resource_create(root, ZX_RSRC_KIND_MMIO, 0, 0, "ranged", 6, &ranged));
	EXPECT_OK(zx_vmo_create_physical(ranged, VIRTIO(3), PAGE, &vmo));
	EXPECT_OK(zx_handle_close(vmo));
	/* a sub-resource whose page-widened range starts at 0 */
	ASSERT_OK(zx_resource_create(root, ZX_RSRC_KIND_MMIO, RTC_BASE, 0x10, "low", 3, &sub));
	ASSERT_OK(zx_resource_create(sub, ZX_RSRC_KIND_MMIO, RTC_BASE, 0, "zero", 4, &zero));
	EXPECT_STATUS(zx_vmo_create_physical(zero, VIRTIO(3), PAGE, &vmo), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(sub, VIRTIO(3), PAGE, &vmo), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(zero));
	EXPECT_OK(zx_handle_close(sub));
	EXPECT_OK(zx_handle_close(ranged));
}

TEST(ResourceCreate, OutsideParentDenied)
{
	zx_handle_t sub, child, r = 0x77;
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO(4), 2 * PAGE, "w45",
				     3, &sub));
	EXPECT_STATUS(zx_resource_create(sub, ZX_RSRC_KIND_MMIO, VIRTIO(3), PAGE, "x", 1, &r),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_resource_create(sub, ZX_RSRC_KIND_MMIO, VIRTIO(6), PAGE, "x", 1, &r),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_resource_create(sub, ZX_RSRC_KIND_MMIO, VIRTIO(5), 2 * PAGE, "x", 1, &r),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_resource_create(sub, ZX_RSRC_KIND_IRQ, VIRTIO(4), PAGE, "x", 1, &r),
		      ZX_ERR_ACCESS_DENIED, "a different kind than the parent");
	EXPECT_EQ(r, 0x77u);
	/* inside is fine, and the grandchild grants exactly its window */
	ASSERT_OK(zx_resource_create(sub, ZX_RSRC_KIND_MMIO, VIRTIO(5), PAGE, "w5", 2, &child));
	zx_info_resource_t i = rinfo(child);
	EXPECT_EQ(i.base, VIRTIO(5));
	EXPECT_EQ(i.size, PAGE);
	zx_handle_t vmo = 0x77;
	EXPECT_STATUS(zx_vmo_create_physical(child, VIRTIO(4), PAGE, &vmo), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmo_create_physical(child, VIRTIO(5), PAGE, &vmo));
	EXPECT_OK(zx_handle_close(vmo));
	EXPECT_OK(zx_handle_close(child));
	EXPECT_OK(zx_handle_close(sub));
}

TEST(ResourceCreate, RamAsMmioDenied)
{
	zx_handle_t r = 0x77;
	/* kernel image, firmware, free RAM (asked of the MMIO root), an address hole */
	const struct {
		zx_handle_t parent;
		uint64_t base;
	} cases[] = {{root_resource(), 0x80200000ul},
		     {root_resource(), 0x80000000ul},
		     {mmio_resource(), 0x81000000ul},
		     {root_resource(), 0x5000000ul}};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		EXPECT_STATUS(zx_resource_create(cases[i].parent, ZX_RSRC_KIND_MMIO, cases[i].base,
						 PAGE, "x", 1, &r),
			      ZX_ERR_ACCESS_DENIED, "base %#lx", (unsigned long)cases[i].base);
	EXPECT_EQ(r, 0x77u);
}

TEST(ResourceCreate, ExclusiveReservesUntilClosed)
{
	zx_handle_t ex, ex2, shared, r = 0x77;
	const uint32_t opts = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
	ASSERT_OK(zx_resource_create(root_resource(), opts, VIRTIO(6), PAGE, "ex", 2, &ex));
	EXPECT_EQ(rinfo(ex).flags, ZX_RSRC_FLAG_EXCLUSIVE);
	EXPECT_STATUS(zx_resource_create(root_resource(), opts, VIRTIO(6), PAGE, "ex2", 3, &r),
		      ZX_ERR_NOT_FOUND);
	EXPECT_STATUS(zx_resource_create(root_resource(), opts, VIRTIO(5), 2 * PAGE, "ex2", 3, &r),
		      ZX_ERR_NOT_FOUND, "partial overlap");
	EXPECT_STATUS(
	    zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO(6), PAGE, "sh", 2, &r),
	    ZX_ERR_NOT_FOUND, "a shared resource over an exclusive region");
	EXPECT_EQ(r, 0x77u);
	/* a neighbour is still free, and another kind over the same numbers too */
	EXPECT_OK(zx_resource_create(root_resource(), opts, VIRTIO(5), PAGE, "nb", 2, &ex2));
	EXPECT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_IRQ | ZX_RSRC_FLAG_EXCLUSIVE,
				     VIRTIO(6), PAGE, "irq", 3, &shared));
	EXPECT_OK(zx_handle_close(shared));
	EXPECT_OK(zx_handle_close(ex2));
	/* No other resource grants it, the root and the start-up MMIO resource neither. */
	zx_handle_t v = 0x77;
	EXPECT_STATUS(zx_vmo_create_physical(root_resource(), VIRTIO(6), PAGE, &v),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmo_create_physical(mmio_resource(), VIRTIO(6), PAGE, &v),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(v, 0x77u);
	ASSERT_OK(zx_vmo_create_physical(ex, VIRTIO(6), PAGE, &v), "its holder's, though");
	EXPECT_OK(zx_handle_close(v));
	/* a duplicate keeps the reservation alive */
	zx_handle_t dup;
	ASSERT_OK(zx_handle_duplicate(ex, ZX_RIGHT_SAME_RIGHTS, &dup));
	EXPECT_OK(zx_handle_close(ex));
	EXPECT_STATUS(zx_resource_create(root_resource(), opts, VIRTIO(6), PAGE, "ex2", 3, &r),
		      ZX_ERR_NOT_FOUND, "still held by a duplicate");
	EXPECT_OK(zx_handle_close(dup));
	ASSERT_OK(zx_resource_create(root_resource(), opts, VIRTIO(6), PAGE, "ex2", 3, &ex));
	EXPECT_OK(zx_handle_close(ex));
}

TEST(ResourceCreate, ExclusiveFromNonRootInvalid)
{
	zx_handle_t sub, ex, r = 0x77;
	const uint32_t opts = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
	/*
	 * Zircon's rule (lib/syscalls/resource.cc): the root and a ranged root of the kind may
	 * hand out exclusive resources; a slice of a range may neither be exclusive nor be cut
	 * from an exclusive resource.
	 */
	ASSERT_OK(zx_resource_create(mmio_resource(), opts, VIRTIO(6), PAGE, "x", 1, &ex),
		  "from the MMIO ranged root");
	EXPECT_STATUS(zx_resource_create(ex, ZX_RSRC_KIND_MMIO, VIRTIO(6), PAGE, "c", 1, &r),
		      ZX_ERR_INVALID_ARGS, "a child of an exclusive resource");
	EXPECT_OK(zx_handle_close(ex));
	ASSERT_OK(
	    zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO(6), PAGE, "s", 1, &sub));
	EXPECT_STATUS(zx_resource_create(sub, opts, VIRTIO(6), PAGE, "x", 1, &r),
		      ZX_ERR_INVALID_ARGS);
	/* judged before the name is read */
	EXPECT_STATUS(
	    zx_resource_create(sub, opts, VIRTIO(6), PAGE, (const char *)KERNEL_ADDR, 1, &r),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_resource_create(sub, ZX_RSRC_KIND_MMIO, VIRTIO(5), PAGE,
					 (const char *)KERNEL_ADDR, 1, &r),
		      ZX_ERR_ACCESS_DENIED, "a range the parent does not grant, before the name");
	EXPECT_OK(zx_handle_close(sub));
	/* and the refused calls reserved nothing */
	EXPECT_OK(zx_resource_create(root_resource(), opts, VIRTIO(6), PAGE, "x", 1, &ex));
	EXPECT_OK(zx_handle_close(ex));
	EXPECT_EQ(r, 0x77u);
}

/* NULL, kernel, unmapped, read-only, unaligned, past user space, firmware. */
TEST(ResourceCreate, BadOutLeavesNoExclusiveReservation)
{
	static zx_handle_t slots[2];
	const uint32_t opts = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
	zx_handle_t *const bad[] = {NULL,
				    (zx_handle_t *)KERNEL_ADDR,
				    (zx_handle_t *)UNMAPPED_ADDR,
				    (zx_handle_t *)&rodata_handle,
				    (zx_handle_t *)((uintptr_t)&slots[0] + 1),
				    (zx_handle_t *)((uintptr_t)&slots[0] + 2),
				    (zx_handle_t *)PAST_USER_ADDR,
				    (zx_handle_t *)OPENSBI_ADDR};
	int before = free_handle_slots();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_STATUS(
		    zx_resource_create(root_resource(), opts, VIRTIO(2), PAGE, "x", 1, bad[i]),
		    ZX_ERR_INVALID_ARGS, "out %p", (void *)bad[i]);
	EXPECT_EQ(free_handle_slots(), before);
	zx_handle_t ex;
	EXPECT_OK(zx_resource_create(root_resource(), opts, VIRTIO(2), PAGE, "x", 1, &ex),
		  "a failed create left the region reserved");
	EXPECT_OK(zx_handle_close(ex));
}

TEST(ResourceCreate, UnreadableNameIsInvalidArgs)
{
	const uint32_t opts = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
	const uintptr_t bad[] = {
	    0, KERNEL_ADDR, OPENSBI_ADDR, UNMAPPED_ADDR, PAST_USER_ADDR, PAST_USER_ADDR - 4};
	zx_handle_t r = 0x77;
	int before = free_handle_slots();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_STATUS(zx_resource_create(root_resource(), opts, VIRTIO(1), PAGE,
						 (const char *)bad[i], 8, &r),
			      ZX_ERR_INVALID_ARGS, "name %#lx", (unsigned long)bad[i]);
		/* only the first 31 bytes are read, but those must be readable */
		EXPECT_STATUS(zx_resource_create(root_resource(), opts, VIRTIO(1), PAGE,
						 (const char *)bad[i], 1ul << 40, &r),
			      ZX_ERR_INVALID_ARGS, "name %#lx, huge size", (unsigned long)bad[i]);
	}
	EXPECT_EQ(r, 0x77u);
	EXPECT_EQ(free_handle_slots(), before);
	/* a huge name_size is fine when the 31 bytes read are readable */
	static char name[ZX_MAX_NAME_LEN - 1];
	memset(name, 'n', sizeof(name));
	zx_handle_t ex;
	ASSERT_OK(zx_resource_create(root_resource(), opts, VIRTIO(1), PAGE, name, 1ul << 40, &ex),
		  "no refused call reserved the range");
	EXPECT_EQ(strnlen(rinfo(ex).name, ZX_MAX_NAME_LEN), 31u);
	EXPECT_OK(zx_handle_close(ex));
}

TEST(ResourceCreate, RootKindOnlyFromTheRoot)
{
	zx_handle_t r = 0x77, sub;
	EXPECT_STATUS(zx_resource_create(mmio_resource(), ZX_RSRC_KIND_ROOT, 0, 0, "r", 1, &r),
		      ZX_ERR_ACCESS_DENIED, "the ranged MMIO root");
	EXPECT_STATUS(
	    zx_resource_create(mmio_resource(), ZX_RSRC_KIND_ROOT, VIRTIO(0), PAGE, "r", 1, &r),
	    ZX_ERR_ACCESS_DENIED, "the kind before the root's empty range");
	ASSERT_OK(
	    zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO, VIRTIO(3), PAGE, "s", 1, &sub));
	EXPECT_STATUS(zx_resource_create(sub, ZX_RSRC_KIND_ROOT, 0, 0, "r", 1, &r),
		      ZX_ERR_ACCESS_DENIED, "an MMIO sub-resource");
	EXPECT_OK(zx_handle_close(sub));
	EXPECT_EQ(r, 0x77u);
	/* the root itself may */
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_ROOT, 0, 0, "r", 1, &r));
	EXPECT_EQ(rinfo(r).kind, ZX_RSRC_KIND_ROOT);
	EXPECT_OK(zx_handle_close(r));
}

/* The out-pointer is written last: an exclusive overlap is reported before it. */
TEST(ResourceCreate, OutPointerLast)
{
	zx_handle_t ex = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE,
				     VIRTIO(4), PAGE, "ex", 2, &ex));
	EXPECT_STATUS(zx_resource_create(root_resource(),
					 ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE, VIRTIO(4),
					 PAGE, "ex", 2, NULL),
		      ZX_ERR_NOT_FOUND);
	EXPECT_OK(zx_handle_close(ex));
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_resource_create(root_resource(),
					 ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE, VIRTIO(4),
					 PAGE, "ex", 2, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots);
	ASSERT_OK(zx_resource_create(root_resource(), ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE,
				     VIRTIO(4), PAGE, "ex", 2, &ex),
		  "the resource made for the bad pointer is gone, exclusivity with it");
	EXPECT_OK(zx_handle_close(ex));
}

TEST(ResourceCreate, FullHandleTableIsNoResources)
{
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	const uint32_t opts = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
	zx_handle_t r = 0x77;
	ASSERT_NE(root_resource(), ZX_HANDLE_INVALID);
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 0);
	EXPECT_STATUS(zx_resource_create(root_resource(), opts, VIRTIO(4), PAGE, "ex", 2, &r),
		      ZX_ERR_NO_RESOURCES);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_EQ(r, 0x77u);
	/* the resource (and its exclusive hold on the window) is gone again */
	ASSERT_OK(zx_resource_create(root_resource(), opts, VIRTIO(4), PAGE, "ex", 2, &r));
	EXPECT_OK(zx_handle_close(r));
}
