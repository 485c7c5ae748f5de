/*
 * phys_map.c: mapping physical VMOs with zx_vmar_map, zx_vmar_unmap and
 * zx_vmar_protect: every cache policy reads the device's registers, rights
 * limit permissions, a mapping keeps its VMO alive, protect's errors, and
 * the alias guard (no physical page may get two different memory types).
 *
 * meson boots it twice: with `-cpu rv64,svpbmt=on` (the PTEs carry PBMT
 * bits) and with the default CPU (no Svpbmt: they must carry none), both
 * with `-device virtio-rng-device -m 512M -append zirv.carveout=4M@0x8a000000`.
 */
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/zirv.h>
#include <zxtest/zxtest.h>

#include "phys_util.h"

#define REG_STATUS (0x70 / 4)
#define UART_BASE  0x10000000ul
#define CARVE_BASE 0x8a000000ul
#define CARVE_SIZE (4ul << 20)

static const uint32_t policies[4] = {ZX_CACHE_POLICY_CACHED, ZX_CACHE_POLICY_UNCACHED,
				     ZX_CACHE_POLICY_UNCACHED_DEVICE,
				     ZX_CACHE_POLICY_WRITE_COMBINING};

static zx_status_t map(zx_handle_t vmo, uint32_t perms, uint64_t off, size_t len, zx_vaddr_t *addr)
{
	return zx_vmar_map(zx_vmar_root_self(), perms, 0, vmo, off, len, addr);
}

static zx_handle_t dup_without(zx_handle_t h, zx_rights_t drop)
{
	zx_handle_t d = ZX_HANDLE_INVALID;
	zx_handle_duplicate(h, (ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE) & ~drop, &d);
	return d;
}

/* ------------------------------------------------------ every policy maps */

/* The zirv topic names the encoder this CPU got (the meson entry says which to expect). */
TEST(Memtype, InfoTopicNamesTheEncoder)
{
	zx_handle_t mmio = mmio_resource();
	zx_info_zirv_memtype_t mt;
	size_t actual = 0;

	ASSERT_NE(mmio, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_get_info(mmio, ZX_INFO_ZIRV_MEMTYPE, &mt, sizeof(mt), &actual, NULL));
	EXPECT_EQ(actual, 1u);
	EXPECT_EQ(mt.encoding, EXPECT_MEMTYPE);
	EXPECT_STATUS(zx_object_get_info(mmio, ZX_INFO_ZIRV_MEMTYPE, &mt, 4, NULL, NULL),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_STATUS(zx_object_get_info(zx_vmar_root_self(), ZX_INFO_ZIRV_MEMTYPE, &mt, sizeof(mt),
					 NULL, NULL),
		      ZX_ERR_WRONG_TYPE);
}

TEST(Map, EveryPolicyReadsTheRegisters)
{
	for (int i = 0; i < 4; i++) {
		zx_handle_t v = phys_policy(VIRTIO_RNG, PAGE, policies[i]);
		ASSERT_NE(v, ZX_HANDLE_INVALID, "policy %u", policies[i]);
		zx_vaddr_t addr = 0;
		ASSERT_OK(map(v, ZX_VM_PERM_READ, 0, PAGE, &addr), "policy %u", policies[i]);
		EXPECT_EQ(addr % PAGE, 0u);
		volatile uint32_t *r = (volatile uint32_t *)addr;
		EXPECT_EQ(r[0], VIRTIO_MAGIC, "policy %u", policies[i]);
		EXPECT_EQ(r[1], 1u, "policy %u", policies[i]);
		EXPECT_EQ(r[2], 4u, "policy %u", policies[i]);
		EXPECT_EQ(r[3], QEMU_VENDOR, "policy %u", policies[i]);
		EXPECT_EQ(vmo_info(v).num_mappings, 1u);
		unmap(addr, PAGE);
		EXPECT_EQ(vmo_info(v).num_mappings, 0u);
		EXPECT_OK(zx_handle_close(v));
	}
}

TEST(Map, DeviceRegisterWriteThroughMapping)
{
	zx_handle_t v = phys_policy(VIRTIO_RNG, PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t addr;
	ASSERT_OK(map(v, RW, 0, PAGE, &addr));
	volatile uint32_t *r = (volatile uint32_t *)addr;
	r[REG_STATUS] = 0; /* reset */
	EXPECT_EQ(r[REG_STATUS], 0u);
	r[REG_STATUS] = 1; /* ACKNOWLEDGE */
	EXPECT_EQ(r[REG_STATUS], 1u);
	r[REG_STATUS] = 3; /* ACKNOWLEDGE | DRIVER */
	EXPECT_EQ(r[REG_STATUS], 3u);
	r[REG_STATUS] = 0;
	EXPECT_EQ(r[REG_STATUS], 0u);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, EveryPolicyOnCarveoutRam)
{
	for (int i = 0; i < 4; i++) {
		zx_handle_t v = phys_policy(CARVE_BASE, 4 * PAGE, policies[i]);
		ASSERT_NE(v, ZX_HANDLE_INVALID, "policy %u", policies[i]);
		zx_vaddr_t addr;
		ASSERT_OK(map(v, RW, 0, 4 * PAGE, &addr), "policy %u", policies[i]);
		volatile uint64_t *p = (volatile uint64_t *)addr;
		if (i > 0) /* what the previous policy's mapping left behind */
			EXPECT_EQ(p[PAGE / 8 * 3 + 5], 0x5eed0000ul + (uint64_t)policies[i - 1]);
		for (int k = 0; k < 4; k++)
			p[PAGE / 8 * k + 5] = 0x5eed0000ul + policies[i];
		for (int k = 0; k < 4; k++)
			EXPECT_EQ(p[PAGE / 8 * k + 5], 0x5eed0000ul + policies[i]);
		unmap(addr, 4 * PAGE);
		EXPECT_OK(zx_handle_close(v));
	}
}

TEST(Map, OffsetIntoMultiWindowVmo)
{
	zx_handle_t v = phys(VIRTIO(0), 8 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t addr;
	ASSERT_OK(map(v, ZX_VM_PERM_READ, 7 * PAGE, PAGE, &addr));
	EXPECT_EQ(((volatile uint32_t *)addr)[2], 4u, "slot 8");
	unmap(addr, PAGE);
	ASSERT_OK(map(v, ZX_VM_PERM_READ, 5 * PAGE, 3 * PAGE, &addr));
	EXPECT_EQ(((volatile uint32_t *)addr)[0], VIRTIO_MAGIC);
	EXPECT_EQ(((volatile uint32_t *)addr)[2], 0u);
	EXPECT_EQ(((volatile uint32_t *)(addr + 2 * PAGE))[2], 4u);
	unmap(addr, 3 * PAGE);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, RangeAndOptionErrors)
{
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t addr = 0x77;
	EXPECT_STATUS(map(v, ZX_VM_PERM_READ, 0, 3 * PAGE, &addr), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(map(v, ZX_VM_PERM_READ, 2 * PAGE, PAGE, &addr), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(map(v, ZX_VM_PERM_READ, PAGE, 2 * PAGE, &addr), ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(map(v, ZX_VM_PERM_READ, 8, PAGE, &addr), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(map(v, ZX_VM_PERM_READ, 0, 0, &addr), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(map(v, ZX_VM_PERM_WRITE, 0, PAGE, &addr), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(addr, 0x77u);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------------ rights */

TEST(Map, RightsLimitPermissions)
{
	zx_handle_t v = phys(CARVE_BASE, PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t addr = 0x77;
	zx_handle_t nowrite = dup_without(v, ZX_RIGHT_WRITE);
	zx_handle_t noread = dup_without(v, ZX_RIGHT_READ);
	zx_handle_t noexec = dup_without(v, ZX_RIGHT_EXECUTE);
	zx_handle_t nomap = dup_without(v, ZX_RIGHT_MAP);
	ASSERT_NE(nowrite, ZX_HANDLE_INVALID);
	EXPECT_STATUS(map(nowrite, RW, 0, PAGE, &addr), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(map(noread, ZX_VM_PERM_READ, 0, PAGE, &addr), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(map(noexec, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, PAGE, &addr),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(map(nomap, ZX_VM_PERM_READ, 0, PAGE, &addr), ZX_ERR_ACCESS_DENIED);
	/* the VMAR handle must carry the right as well: one without EXECUTE */
	zx_handle_t vmar_nx = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(
	    zx_vmar_root_self(), rights_of(zx_vmar_root_self()) & ~ZX_RIGHT_EXECUTE, &vmar_nx));
	EXPECT_STATUS(
	    zx_vmar_map(vmar_nx, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, v, 0, PAGE, &addr),
	    ZX_ERR_ACCESS_DENIED, "VMAR handle without EXECUTE");
	EXPECT_OK(zx_handle_close(vmar_nx));
	EXPECT_EQ(addr, 0x77u);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	/* what the rights do allow */
	ASSERT_OK(map(nowrite, ZX_VM_PERM_READ, 0, PAGE, &addr));
	unmap(addr, PAGE);
	ASSERT_OK(map(v, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, PAGE, &addr),
		  "physical VMOs carry EXECUTE");
	unmap(addr, PAGE);
	zx_handle_close(nowrite);
	zx_handle_close(noread);
	zx_handle_close(noexec);
	zx_handle_close(nomap);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, MappingKeepsVmoAlive)
{
	zx_handle_t v = phys(VIRTIO(0), 8 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t addr;
	ASSERT_OK(map(v, ZX_VM_PERM_READ, 0, 8 * PAGE, &addr));
	EXPECT_OK(zx_handle_close(v));
	volatile uint32_t *r = (volatile uint32_t *)addr;
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(r[i * PAGE / 4], VIRTIO_MAGIC, "slot %d after the handle closed", i);
	EXPECT_EQ(r[7 * PAGE / 4 + 2], 4u);
	unmap(addr, 8 * PAGE);
	/* the carve-out: contents written after the close persist */
	v = phys_policy(CARVE_BASE, PAGE, ZX_CACHE_POLICY_CACHED);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(map(v, RW, 0, PAGE, &addr));
	EXPECT_OK(zx_handle_close(v));
	((volatile uint64_t *)addr)[1] = 0xa11ce5a11ce5ul;
	EXPECT_EQ(((volatile uint64_t *)addr)[1], 0xa11ce5a11ce5ul);
	unmap(addr, PAGE);
	v = phys_policy(CARVE_BASE, PAGE, ZX_CACHE_POLICY_CACHED);
	ASSERT_OK(map(v, ZX_VM_PERM_READ, 0, PAGE, &addr));
	EXPECT_EQ(((volatile uint64_t *)addr)[1], 0xa11ce5a11ce5ul);
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------------ protect */

TEST(Protect, DropAndRestoreWrite)
{
	zx_handle_t v = phys_policy(CARVE_BASE + PAGE, 3 * PAGE, ZX_CACHE_POLICY_CACHED);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t addr;
	ASSERT_OK(map(v, RW, 0, 3 * PAGE, &addr));
	volatile uint32_t *p = (volatile uint32_t *)addr;
	p[0] = 1;
	p[PAGE / 4] = 2;
	p[2 * PAGE / 4] = 3;
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr + PAGE, PAGE));
	EXPECT_EQ(p[PAGE / 4], 2u, "still readable");
	p[0] = 11; /* neighbours stay writable */
	p[2 * PAGE / 4] = 33;
	EXPECT_EQ(p[0], 11u);
	EXPECT_EQ(p[2 * PAGE / 4], 33u);
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), RW, addr, 3 * PAGE));
	p[PAGE / 4] = 22;
	EXPECT_EQ(p[PAGE / 4], 22u);
	unmap(addr, 3 * PAGE);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Protect, NotBeyondHandleRights)
{
	zx_handle_t v = phys(VIRTIO(0), 2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_handle_t ro = dup_without(v, ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE);
	zx_vaddr_t addr;
	ASSERT_OK(map(ro, ZX_VM_PERM_READ, 0, 2 * PAGE, &addr));
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), RW, addr, 2 * PAGE),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), RW, addr + PAGE, PAGE),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(
	    zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, addr, PAGE),
	    ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr, 2 * PAGE));
	EXPECT_EQ(((volatile uint32_t *)addr)[0], VIRTIO_MAGIC);
	unmap(addr, 2 * PAGE);
	/* a mapping made read-only can go back up to what the handle allowed */
	ASSERT_OK(map(v, ZX_VM_PERM_READ, 0, PAGE, &addr));
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), RW, addr, PAGE));
	unmap(addr, PAGE);
	EXPECT_OK(zx_handle_close(ro));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Protect, HolesAndAlignment)
{
	zx_handle_t v = phys(VIRTIO(0), 3 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t addr;
	ASSERT_OK(map(v, RW, 0, 3 * PAGE, &addr));
	unmap(addr + PAGE, PAGE);
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr, 3 * PAGE),
		      ZX_ERR_NOT_FOUND);
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr + PAGE, PAGE),
		      ZX_ERR_NOT_FOUND);
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr + 1, PAGE),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr + 0x800, PAGE),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr, 0),
		      ZX_ERR_INVALID_ARGS);
	/* the failed calls changed nothing: both pieces are still writable */
	((volatile uint32_t *)addr)[REG_STATUS] = 0;
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr, PAGE));
	EXPECT_OK(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr + 2 * PAGE, PAGE));
	EXPECT_EQ(((volatile uint32_t *)(addr + 2 * PAGE))[0], VIRTIO_MAGIC);
	unmap(addr, 3 * PAGE);
	EXPECT_STATUS(zx_vmar_protect(zx_vmar_root_self(), ZX_VM_PERM_READ, addr, PAGE),
		      ZX_ERR_NOT_FOUND);
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------------ the alias guard */

TEST(Alias, DeviceThenUncachedRefused)
{
	zx_handle_t dev = phys_policy(VIRTIO(2), PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	zx_handle_t unc = phys_policy(VIRTIO(2), PAGE, ZX_CACHE_POLICY_UNCACHED);
	zx_handle_t dev2 = phys_policy(VIRTIO(2), PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	zx_handle_t cached = phys_policy(VIRTIO(2), PAGE, ZX_CACHE_POLICY_CACHED);
	ASSERT_NE(dev, ZX_HANDLE_INVALID);
	ASSERT_NE(unc, ZX_HANDLE_INVALID);
	ASSERT_NE(dev2, ZX_HANDLE_INVALID);
	ASSERT_NE(cached, ZX_HANDLE_INVALID);
	zx_vaddr_t a, b = 0x77, c;
	ASSERT_OK(map(dev, ZX_VM_PERM_READ, 0, PAGE, &a));
	EXPECT_STATUS(map(unc, ZX_VM_PERM_READ, 0, PAGE, &b), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(map(cached, ZX_VM_PERM_READ, 0, PAGE, &b), ZX_ERR_BAD_STATE);
	EXPECT_EQ(b, 0x77u);
	EXPECT_EQ(vmo_info(unc).num_mappings, 0u);
	/* the same type twice is fine */
	ASSERT_OK(map(dev2, ZX_VM_PERM_READ, 0, PAGE, &c));
	EXPECT_OK(map(dev, ZX_VM_PERM_READ, 0, PAGE, &b), "the same VMO twice");
	EXPECT_EQ(((volatile uint32_t *)c)[0], VIRTIO_MAGIC);
	unmap(b, PAGE);
	unmap(a, PAGE);
	EXPECT_STATUS(map(unc, ZX_VM_PERM_READ, 0, PAGE, &b), ZX_ERR_BAD_STATE,
		      "dev2 still mapped");
	unmap(c, PAGE);
	/* no device mapping left: the other type maps */
	ASSERT_OK(map(unc, ZX_VM_PERM_READ, 0, PAGE, &b));
	EXPECT_EQ(((volatile uint32_t *)b)[0], VIRTIO_MAGIC);
	EXPECT_STATUS(map(dev, ZX_VM_PERM_READ, 0, PAGE, &a), ZX_ERR_BAD_STATE, "now the reverse");
	unmap(b, PAGE);
	ASSERT_OK(map(dev, ZX_VM_PERM_READ, 0, PAGE, &a));
	unmap(a, PAGE);
	zx_handle_close(dev);
	zx_handle_close(unc);
	zx_handle_close(dev2);
	zx_handle_close(cached);
}

TEST(Alias, UncachedAndWriteCombiningAreOneType)
{
	zx_handle_t unc = phys_policy(VIRTIO(3), PAGE, ZX_CACHE_POLICY_UNCACHED);
	zx_handle_t wc = phys_policy(VIRTIO(3), PAGE, ZX_CACHE_POLICY_WRITE_COMBINING);
	zx_handle_t dev = phys_policy(VIRTIO(3), PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	ASSERT_NE(unc, ZX_HANDLE_INVALID);
	ASSERT_NE(wc, ZX_HANDLE_INVALID);
	ASSERT_NE(dev, ZX_HANDLE_INVALID);
	zx_vaddr_t a, b, c = 0x77;
	ASSERT_OK(map(unc, ZX_VM_PERM_READ, 0, PAGE, &a));
	ASSERT_OK(map(wc, ZX_VM_PERM_READ, 0, PAGE, &b));
	EXPECT_EQ(((volatile uint32_t *)a)[0], VIRTIO_MAGIC);
	EXPECT_EQ(((volatile uint32_t *)b)[0], VIRTIO_MAGIC);
	EXPECT_STATUS(map(dev, ZX_VM_PERM_READ, 0, PAGE, &c), ZX_ERR_BAD_STATE);
	unmap(a, PAGE);
	EXPECT_STATUS(map(dev, ZX_VM_PERM_READ, 0, PAGE, &c), ZX_ERR_BAD_STATE, "wc still mapped");
	unmap(b, PAGE);
	ASSERT_OK(map(dev, ZX_VM_PERM_READ, 0, PAGE, &c));
	unmap(c, PAGE);
	zx_handle_close(unc);
	zx_handle_close(wc);
	zx_handle_close(dev);
}

TEST(Alias, PartialOverlapCounts)
{
	zx_handle_t big = phys_policy(VIRTIO(4), 2 * PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	zx_handle_t one = phys_policy(VIRTIO(5), PAGE, ZX_CACHE_POLICY_UNCACHED);
	zx_handle_t next = phys_policy(VIRTIO(6), PAGE, ZX_CACHE_POLICY_UNCACHED);
	ASSERT_NE(big, ZX_HANDLE_INVALID);
	zx_vaddr_t a, b;
	ASSERT_OK(map(big, ZX_VM_PERM_READ, 0, 2 * PAGE, &a));
	EXPECT_STATUS(map(one, ZX_VM_PERM_READ, 0, PAGE, &b), ZX_ERR_BAD_STATE);
	ASSERT_OK(map(next, ZX_VM_PERM_READ, 0, PAGE, &b), "the window next door is free");
	unmap(b, PAGE);
	/* unmapping only the upper page of the big mapping frees that window */
	unmap(a + PAGE, PAGE);
	ASSERT_OK(map(one, ZX_VM_PERM_READ, 0, PAGE, &b));
	EXPECT_EQ(((volatile uint32_t *)b)[0], VIRTIO_MAGIC);
	unmap(b, PAGE);
	unmap(a, PAGE);
	zx_handle_close(big);
	zx_handle_close(one);
	zx_handle_close(next);
}

TEST(Alias, SliceMappingsCount)
{
	zx_handle_t parent = phys_policy(VIRTIO(0), 8 * PAGE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	zx_handle_t s, other = phys_policy(VIRTIO(7), PAGE, ZX_CACHE_POLICY_UNCACHED);
	ASSERT_NE(parent, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_create_child(parent, ZX_VMO_CHILD_SLICE, 7 * PAGE, PAGE, &s));
	zx_vaddr_t a, b = 0x77;
	ASSERT_OK(map(s, ZX_VM_PERM_READ, 0, PAGE, &a));
	EXPECT_STATUS(map(other, ZX_VM_PERM_READ, 0, PAGE, &b), ZX_ERR_BAD_STATE);
	unmap(a, PAGE);
	ASSERT_OK(map(other, ZX_VM_PERM_READ, 0, PAGE, &b));
	unmap(b, PAGE);
	zx_handle_close(s);
	zx_handle_close(parent);
	zx_handle_close(other);
}

TEST(Alias, KernelUartIsNotGrantable)
{
	/* the kernel maps the UART as device memory, and so keeps it to itself */
	zx_handle_t v = 0x77;
	EXPECT_STATUS(zx_vmo_create_physical(mmio_resource(), UART_BASE, PAGE, &v),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_EQ(v, 0x77u);
}

TEST(Alias, CarveoutCachedVersusUncached)
{
	zx_handle_t c = phys_policy(CARVE_BASE + 8 * PAGE, 2 * PAGE, ZX_CACHE_POLICY_CACHED);
	zx_handle_t u = phys_policy(CARVE_BASE + 9 * PAGE, PAGE, ZX_CACHE_POLICY_UNCACHED);
	zx_handle_t w = phys_policy(CARVE_BASE + 9 * PAGE, PAGE, ZX_CACHE_POLICY_WRITE_COMBINING);
	zx_vaddr_t a, b = 0x77;
	ASSERT_OK(map(c, RW, 0, 2 * PAGE, &a));
	EXPECT_STATUS(map(u, ZX_VM_PERM_READ, 0, PAGE, &b), ZX_ERR_BAD_STATE);
	EXPECT_STATUS(map(w, ZX_VM_PERM_READ, 0, PAGE, &b), ZX_ERR_BAD_STATE);
	((volatile uint32_t *)a)[PAGE / 4] = 0x600dcafe;
	unmap(a, 2 * PAGE);
	EXPECT_OK(zx_vmo_op_range(c, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 0, 2 * PAGE, NULL, 0));
	ASSERT_OK(map(u, ZX_VM_PERM_READ, 0, PAGE, &b));
	EXPECT_EQ(((volatile uint32_t *)b)[0], 0x600dcafeu);
	unmap(b, PAGE);
	zx_handle_close(c);
	zx_handle_close(u);
	zx_handle_close(w);
}

/* An overwrite is judged against the mappings it would replace, and fails unchanged. */
TEST(Alias, OverwriteCountsTheMappingItReplaces)
{
	zx_handle_t c = phys_policy(CARVE_BASE + 12 * PAGE, PAGE, ZX_CACHE_POLICY_CACHED);
	zx_handle_t u = phys_policy(CARVE_BASE + 12 * PAGE, PAGE, ZX_CACHE_POLICY_UNCACHED);
	zx_handle_t c2 = phys_policy(CARVE_BASE + 12 * PAGE, PAGE, ZX_CACHE_POLICY_CACHED);
	zx_vaddr_t a, b = 0x77;
	ASSERT_OK(map(c, RW, 0, PAGE, &a));
	((volatile uint32_t *)a)[0] = 0xfeedf00d;
	EXPECT_STATUS(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE,
				  a - 0x10000, u, 0, PAGE, &b),
		      ZX_ERR_BAD_STATE);
	EXPECT_EQ(b, 0x77u);
	EXPECT_EQ(((volatile uint32_t *)a)[0], 0xfeedf00du, "the old mapping still works");
	/* the same memory type replaces it */
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE,
			      a - 0x10000, c2, 0, PAGE, &b));
	EXPECT_EQ(b, a);
	EXPECT_EQ(((volatile uint32_t *)b)[0], 0xfeedf00du);
	EXPECT_EQ(vmo_info(c).num_mappings, 0u);
	EXPECT_EQ(vmo_info(c2).num_mappings, 1u);
	unmap(b, PAGE);
	zx_handle_close(c);
	zx_handle_close(u);
	zx_handle_close(c2);
}

/* zx_vmar_op_range over device memory: only MAP_RANGE applies (as for zx_vmo_op_range). */
TEST(OpRange, PhysicalMappingsRefuseVmoOps)
{
	zx_handle_t c = phys_policy(CARVE_BASE + 14 * PAGE, PAGE, ZX_CACHE_POLICY_CACHED);
	zx_vaddr_t a;
	ASSERT_OK(map(c, RW, 0, PAGE, &a));
	((volatile uint32_t *)a)[0] = 0x5eed;
	const uint32_t ops[] = {ZX_VMAR_OP_COMMIT,   ZX_VMAR_OP_DECOMMIT,  ZX_VMAR_OP_ZERO,
				ZX_VMAR_OP_PREFETCH, ZX_VMAR_OP_DONT_NEED, ZX_VMAR_OP_ALWAYS_NEED};
	for (unsigned i = 0; i < 6; i++)
		EXPECT_STATUS(zx_vmar_op_range(zx_vmar_root_self(), ops[i], a, PAGE, NULL, 0),
			      ZX_ERR_NOT_SUPPORTED, "op %u", ops[i]);
	EXPECT_OK(zx_vmar_op_range(zx_vmar_root_self(), ZX_VMAR_OP_MAP_RANGE, a, PAGE, NULL, 0));
	EXPECT_EQ(((volatile uint32_t *)a)[0], 0x5eedu, "nothing was zeroed");
	unmap(a, PAGE);
	zx_handle_close(c);
}
