/*
 * vmar.c: zx_vmar_map and zx_vmar_unmap on the root VMAR: what a mapping
 * shows, what keeps it alive, where it lands (SPECIFIC, alignment), which
 * options and rights are refused, and how unmapping splits and trims.
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define ROOT_BASE 0x10000ul /* the root VMAR starts here */

static zx_handle_t root(void)
{
	return zx_vmar_root_self();
}

TEST(Map, MemoryAndVmoAgree)
{
	zx_handle_t v = new_vmo(2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, "before", PAGE + 10, 6));
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, 2 * PAGE, &a));
	EXPECT_NE(a, 0u);
	EXPECT_EQ(a % PAGE, 0u);
	EXPECT_TRUE(a >= ROOT_BASE && a < PAST_USER_ADDR, "address %#lx", (unsigned long)a);
	volatile char *p = (volatile char *)a;
	/* Written through the VMO before mapping: visible in memory. */
	EXPECT_EQ(memcmp((const void *)(a + PAGE + 10), "before", 6), 0);
	EXPECT_EQ(p[0], 0, "untouched bytes are zero");
	/* Memory to VMO. */
	memcpy((void *)(a + PAGE - 2), "span", 4);
	char s[5] = {0};
	ASSERT_OK(zx_vmo_read(v, s, PAGE - 2, 4));
	EXPECT_STREQ(s, "span");
	/* VMO to memory, after mapping. */
	ASSERT_OK(zx_vmo_write(v, "after", 2 * PAGE - 5, 5));
	EXPECT_EQ(memcmp((const void *)(a + 2 * PAGE - 5), "after", 5), 0);
	EXPECT_OK(zx_vmar_unmap(root(), a, 2 * PAGE));
	/* The data lives in the VMO, not the mapping. */
	ASSERT_OK(zx_vmo_read(v, s, PAGE - 2, 4));
	EXPECT_STREQ(s, "span");
	EXPECT_OK(zx_handle_close(v));
}

/* Mapping commits nothing: a page is committed by the first store through the mapping. */
TEST(Map, CommitsNothingAndPagesFaultIn)
{
	zx_handle_t v = new_vmo(4 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, 4 * PAGE, &a));
	EXPECT_EQ(vmo_info(v).committed_bytes, 0u, "a mapping committed a page");
	volatile char *p = (volatile char *)a;
	p[PAGE + 7] = 'w';
	EXPECT_EQ(vmo_info(v).committed_bytes, PAGE, "only the page stored to");
	char got = 0;
	ASSERT_OK(zx_vmo_read(v, &got, PAGE + 7, 1));
	EXPECT_EQ(got, 'w');
	/* Committed through the VMO after the map: the mapping shows it. */
	ASSERT_OK(zx_vmo_write(v, "q", 3 * PAGE, 1));
	EXPECT_EQ(p[3 * PAGE], 'q');
	/* COMMIT through the VMAR commits the rest; nothing already there changes. */
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_COMMIT, a, 4 * PAGE, NULL, 0));
	EXPECT_EQ(vmo_info(v).committed_bytes, 4 * PAGE);
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_MAP_RANGE, a, 4 * PAGE, NULL, 0));
	EXPECT_EQ(p[PAGE + 7], 'w');
	EXPECT_EQ(p[3 * PAGE], 'q');
	EXPECT_EQ(p[2 * PAGE], 0);
	EXPECT_OK(zx_vmar_unmap(root(), a, 4 * PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, TwoMappingsOfOneVmoShareMemory)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, b = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, PAGE, &a));
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &b));
	EXPECT_NE(a, b);
	*(volatile uint32_t *)a = 0xfeedf00d;
	EXPECT_EQ(*(volatile uint32_t *)b, 0xfeedf00du);
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_OK(zx_vmar_unmap(root(), b, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, MappingKeepsVmoAlive)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, "alive", 0, 5));
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, PAGE, &a));
	ASSERT_OK(zx_handle_close(v));
	EXPECT_STATUS(handle_valid(v), ZX_ERR_BAD_HANDLE);
	/* Churn the allocator so a freed page would be reused and overwritten. */
	for (int i = 0; i < 8; i++) {
		zx_handle_t t = new_vmo(PAGE);
		ASSERT_NE(t, ZX_HANDLE_INVALID);
		ASSERT_OK(zx_vmo_write(t, "XXXXX", 0, 5));
		ASSERT_OK(zx_handle_close(t));
	}
	EXPECT_EQ(memcmp((const void *)a, "alive", 5), 0);
	memcpy((void *)(a + 100), "still", 5);
	EXPECT_EQ(memcmp((const void *)(a + 100), "still", 5), 0);
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
}

TEST(Map, LenRoundsUpToAPage)
{
	zx_handle_t v = new_vmo(2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, PAGE + 1, &a));
	*(volatile char *)(a + 2 * PAGE - 1) = 'z';
	char c = 0;
	ASSERT_OK(zx_vmo_read(v, &c, 2 * PAGE - 1, 1));
	EXPECT_EQ(c, 'z');
	/* The rounded length is what gets unmapped, in pieces of 1 byte each. */
	EXPECT_OK(zx_vmar_unmap(root(), a, 1));
	EXPECT_OK(zx_vmar_unmap(root(), a + PAGE, 1));
	EXPECT_STATUS(zx_vmar_unmap(root(), a, 2 * PAGE), ZX_ERR_NOT_FOUND);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, VmoOffset)
{
	zx_handle_t v = new_vmo(4 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(v, "page2", 2 * PAGE, 5));
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 2 * PAGE, 2 * PAGE, &a));
	EXPECT_EQ(memcmp((const void *)a, "page2", 5), 0);
	EXPECT_OK(zx_vmar_unmap(root(), a, 2 * PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, Specific)
{
	zx_handle_t v = new_vmo(4 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const size_t off = 0x20000000;
	zx_vaddr_t a = 0, b = 0x99;
	ASSERT_OK(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off, v, 0, 2 * PAGE, &a));
	EXPECT_EQ(a, ROOT_BASE + off, "vmar_offset is relative to the VMAR base");
	*(volatile char *)(ROOT_BASE + off + PAGE) = 's';

	/* Any overlap with it is refused. */
	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off, v, 0, 2 * PAGE, &b),
		      ZX_ERR_ALREADY_EXISTS, "same range");
	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off + PAGE, v, 0, 2 * PAGE, &b),
		      ZX_ERR_ALREADY_EXISTS, "tail overlap");
	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off - PAGE, v, 0, 2 * PAGE, &b),
		      ZX_ERR_ALREADY_EXISTS, "head overlap");
	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off - PAGE, v, 0, 4 * PAGE, &b),
		      ZX_ERR_ALREADY_EXISTS, "covers it");
	EXPECT_EQ(b, 0x99u);
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	/* Right next to it on both sides is fine. */
	zx_vaddr_t lo = 0, hi = 0;
	ASSERT_OK(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off - PAGE, v, 0, PAGE, &lo));
	ASSERT_OK(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, off + 2 * PAGE, v, 0, PAGE, &hi));
	EXPECT_EQ(lo, a - PAGE);
	EXPECT_EQ(hi, a + 2 * PAGE);
	EXPECT_EQ(*(volatile char *)(a + PAGE), 's');
	/* One unmap over all three. */
	EXPECT_OK(zx_vmar_unmap(root(), lo, 4 * PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, SpecificOffsetErrors)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0x99;
	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, 0x20000000 + 8, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS, "unaligned vmar_offset");
	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, PAST_USER_ADDR, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS, "past the VMAR");
	EXPECT_STATUS(
	    zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, PAST_USER_ADDR - ROOT_BASE, v, 0, PAGE, &a),
	    ZX_ERR_INVALID_ARGS, "starts at the VMAR's end");
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0x20000000, v, 0, PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "vmar_offset without ZX_VM_SPECIFIC");
	EXPECT_EQ(a, 0x99u);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, ArgumentErrors)
{
	zx_handle_t v = new_vmo(2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0x99;
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, v, 100, PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "unaligned vmo_offset");
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, v, 0, 0, &a), ZX_ERR_INVALID_ARGS, "len 0");
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, v, 0, 3 * PAGE, &a), ZX_ERR_OUT_OF_RANGE,
		      "longer than the VMO");
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, v, PAGE, 2 * PAGE, &a), ZX_ERR_OUT_OF_RANGE,
		      "offset + len past the VMO");
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, v, 2 * PAGE, PAGE, &a), ZX_ERR_OUT_OF_RANGE,
		      "offset at the end");
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, v, ~0ul & ~(PAGE - 1), 2 * PAGE, &a),
		      ZX_ERR_OUT_OF_RANGE, "offset + len wraps");
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, v, 0, ~0ul, &a), ZX_ERR_OUT_OF_RANGE,
		      "len wraps when rounded");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_WRITE, 0, v, 0, PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "write without read");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_CAN_MAP_READ, 0, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS, "CAN_MAP_READ");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_CAN_MAP_WRITE, 0, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS, "CAN_MAP_WRITE");
	EXPECT_STATUS(
	    zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_CAN_MAP_SPECIFIC, 0, v, 0, PAGE, &a),
	    ZX_ERR_INVALID_ARGS, "CAN_MAP_SPECIFIC");
	EXPECT_STATUS(
	    zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_CAN_MAP_EXECUTE, 0, v, 0, PAGE, &a),
	    ZX_ERR_INVALID_ARGS, "CAN_MAP_EXECUTE");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | (1u << 20), 0, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS, "unknown option bit");
	EXPECT_EQ(a, 0x99u, "mapped_addr untouched");
	EXPECT_EQ(vmo_info(v).num_mappings, 0u, "no mapping made");
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, RightsErrors)
{
	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID, rv = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0x99;

	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE, &d));
	EXPECT_STATUS(zx_vmar_map(root(), RW, 0, d, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED,
		      "VMO without WRITE, PERM_WRITE");
	zx_vaddr_t ok = 0;
	EXPECT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, d, 0, PAGE, &ok),
		  "read-only mapping of that handle is fine");
	EXPECT_OK(zx_vmar_unmap(root(), ok, PAGE));
	EXPECT_OK(zx_handle_close(d));

	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ, &d));
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, d, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED,
		      "VMO without READ");
	EXPECT_OK(zx_handle_close(d));

	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_MAP, &d));
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, d, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED,
		      "VMO without MAP");
	EXPECT_OK(zx_handle_close(d));

	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, 0, v, 0, PAGE, &a),
		      ZX_ERR_ACCESS_DENIED, "VMOs are created without EXECUTE");

	ASSERT_OK(zx_handle_duplicate(root(), ZX_RIGHT_SAME_RIGHTS & 0, &rv));
	EXPECT_STATUS(zx_vmar_map(rv, ZX_VM_PERM_READ, 0, v, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED,
		      "VMAR handle without READ");
	EXPECT_OK(zx_handle_close(rv));
	ASSERT_OK(zx_handle_duplicate(root(), rights_of(root()) & ~ZX_RIGHT_WRITE, &rv));
	EXPECT_STATUS(zx_vmar_map(rv, RW, 0, v, 0, PAGE, &a), ZX_ERR_ACCESS_DENIED,
		      "VMAR handle without WRITE");
	EXPECT_OK(zx_vmar_map(rv, ZX_VM_PERM_READ, 0, v, 0, PAGE, &ok));
	EXPECT_OK(zx_vmar_unmap(rv, ok, PAGE), "unmap needs no right");
	EXPECT_OK(zx_handle_close(rv));

	EXPECT_EQ(a, 0x99u);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, HandleErrors)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0x99;
	EXPECT_STATUS(zx_vmar_map(v, ZX_VM_PERM_READ, 0, v, 0, PAGE, &a), ZX_ERR_WRONG_TYPE,
		      "a VMO as the VMAR");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, zx_process_self(), 0, PAGE, &a),
		      ZX_ERR_WRONG_TYPE, "the process as the VMO");
	EXPECT_STATUS(zx_vmar_map(0x12345, ZX_VM_PERM_READ, 0, v, 0, PAGE, &a), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, 0x12345, 0, PAGE, &a),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmar_unmap(v, 0x20000000, PAGE), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmar_unmap(0x12345, 0x20000000, PAGE), ZX_ERR_BAD_HANDLE);
	EXPECT_EQ(a, 0x99u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, Alignment)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	/* A one-page mapping first, so the lowest free page is not 64 KiB aligned. */
	zx_vaddr_t first = 0, a64 = 0, a1m = 0, a1k = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &first));
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_ALIGN_64KB, 0, v, 0, PAGE, &a64));
	EXPECT_EQ(a64 % 0x10000, 0u, "address %#lx", (unsigned long)a64);
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_ALIGN_1MB, 0, v, 0, PAGE, &a1m));
	EXPECT_EQ(a1m % 0x100000, 0u, "address %#lx", (unsigned long)a1m);
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_ALIGN_1KB, 0, v, 0, PAGE, &a1k));
	EXPECT_EQ(a1k % PAGE, 0u);
	EXPECT_NE(a64, first);
	EXPECT_NE(a1m, a64);

	zx_vaddr_t a = 0x99;
	for (uint32_t code = 1; code < 10; code++)
		EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | code << ZX_VM_ALIGN_BASE, 0, v,
					  0, PAGE, &a),
			      ZX_ERR_INVALID_ARGS, "alignment code %u", code);
	EXPECT_STATUS(
	    zx_vmar_map(root(), ZX_VM_PERM_READ | 33u << ZX_VM_ALIGN_BASE, 0, v, 0, PAGE, &a),
	    ZX_ERR_INVALID_ARGS, "alignment code 33");
	EXPECT_EQ(a, 0x99u);
	EXPECT_EQ(vmo_info(v).num_mappings, 4u);
	EXPECT_OK(zx_vmar_unmap(root(), first, PAGE));
	EXPECT_OK(zx_vmar_unmap(root(), a64, PAGE));
	EXPECT_OK(zx_vmar_unmap(root(), a1m, PAGE));
	EXPECT_OK(zx_vmar_unmap(root(), a1k, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, ReadOnlyMappingRefusesKernelWrites)
{
	zx_handle_t v = new_vmo(PAGE), src = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_NE(src, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(src, "data", 0, 4));
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &a));
	EXPECT_STATUS(zx_vmo_read(src, (void *)a, 0, 4), ZX_ERR_INVALID_ARGS,
		      "the kernel must not write through a read-only user mapping");
	EXPECT_EQ(*(volatile char *)a, 0);
	/* Reading from it is fine. */
	EXPECT_OK(zx_vmo_write(src, (const void *)a, 0, 4));
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_OK(zx_handle_close(v));
	EXPECT_OK(zx_handle_close(src));
}

TEST(Unmap, MiddlePageOfThree)
{
	zx_handle_t v = new_vmo(3 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, 3 * PAGE, &a));
	for (int i = 0; i < 3; i++)
		*(volatile char *)(a + i * PAGE + 7) = (char)('A' + i);
	ASSERT_OK(zx_vmar_unmap(root(), a + PAGE, PAGE));
	EXPECT_EQ(*(volatile char *)(a + 7), 'A');
	EXPECT_EQ(*(volatile char *)(a + 2 * PAGE + 7), 'C', "tail maps the right VMO page");
	*(volatile char *)(a + 2 * PAGE + 8) = 'D';
	char c = 0;
	ASSERT_OK(zx_vmo_read(v, &c, 2 * PAGE + 8, 1));
	EXPECT_EQ(c, 'D');
	EXPECT_EQ(vmo_info(v).num_mappings, 2u, "split into two mappings");

	/* The hole is free: unmapping it again finds nothing, mapping into it works. */
	EXPECT_STATUS(zx_vmar_unmap(root(), a + PAGE, PAGE), ZX_ERR_NOT_FOUND);
	zx_handle_t w = new_vmo(PAGE);
	ASSERT_NE(w, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_vmo_write(w, "W", 7, 1));
	zx_vaddr_t h = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC, a + PAGE - ROOT_BASE, w, 0,
			      PAGE, &h));
	EXPECT_EQ(h, a + PAGE);
	EXPECT_EQ(*(volatile char *)(a + PAGE + 7), 'W', "the new page, not a stale one");
	EXPECT_OK(zx_vmar_unmap(root(), h, PAGE));
	EXPECT_OK(zx_handle_close(w));

	/* The ends can be trimmed further and then removed. */
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	EXPECT_OK(zx_vmar_unmap(root(), a, 3 * PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Unmap, TrimHeadAndTail)
{
	zx_handle_t v = new_vmo(4 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	for (int i = 0; i < 4; i++)
		ASSERT_OK(zx_vmo_write(v, &"0123"[i], i * PAGE, 1));
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, 4 * PAGE, &a));
	ASSERT_OK(zx_vmar_unmap(root(), a, PAGE));
	ASSERT_OK(zx_vmar_unmap(root(), a + 3 * PAGE, PAGE));
	EXPECT_EQ(*(volatile char *)(a + PAGE), '1');
	EXPECT_EQ(*(volatile char *)(a + 2 * PAGE), '2');
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	/* A range reaching past the remaining pages still removes them. */
	EXPECT_OK(zx_vmar_unmap(root(), a, 4 * PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Unmap, Errors)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &a));
	EXPECT_STATUS(zx_vmar_unmap(root(), UNMAPPED_ADDR, PAGE), ZX_ERR_NOT_FOUND);
	EXPECT_STATUS(zx_vmar_unmap(root(), a + 1, PAGE), ZX_ERR_INVALID_ARGS, "unaligned");
	EXPECT_STATUS(zx_vmar_unmap(root(), a, 0), ZX_ERR_INVALID_ARGS, "len 0");
	EXPECT_STATUS(zx_vmar_unmap(root(), 0, PAGE), ZX_ERR_INVALID_ARGS, "below the VMAR");
	EXPECT_STATUS(zx_vmar_unmap(root(), PAST_USER_ADDR, PAGE), ZX_ERR_INVALID_ARGS,
		      "past the VMAR");
	EXPECT_STATUS(zx_vmar_unmap(root(), KERNEL_ADDR, PAGE), ZX_ERR_INVALID_ARGS, "kernel");
	EXPECT_STATUS(zx_vmar_unmap(root(), a, ~0ul), ZX_ERR_INVALID_ARGS, "len wraps");
	EXPECT_EQ(vmo_info(v).num_mappings, 1u, "nothing was unmapped");
	EXPECT_EQ(*(volatile char *)a, 0);
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_STATUS(zx_vmar_unmap(root(), a, PAGE), ZX_ERR_NOT_FOUND, "twice");
	EXPECT_OK(zx_handle_close(v));
}

TEST(Unmap, AddressPlusLengthWraps)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &a));
	/* page-aligned length: rounding keeps it, addr + len wraps past 2^64 */
	EXPECT_STATUS(zx_vmar_unmap(root(), a, ~0ul - PAGE + 1), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_unmap(root(), a, PAST_USER_ADDR), ZX_ERR_INVALID_ARGS,
		      "ends past the VMAR");
	EXPECT_EQ(vmo_info(v).num_mappings, 1u, "nothing was unmapped");
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, ExecuteWithoutReadIsInvalidArgs)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0x99;
	/* INVALID_ARGS, not the ACCESS_DENIED the missing EXECUTE right would give */
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_EXECUTE, 0, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_EXECUTE | ZX_VM_PERM_WRITE, 0, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(a, 0x99u);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

/* What ELF loaders pass for text: zirv has no execute-only mappings, so READ is added. */
TEST(Map, ReadIfXomUnsupportedAddsRead)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, 0, v, 0, PAGE, &a));
	EXPECT_EQ(*(volatile uint64_t *)a, 0u, "readable");
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	/* and READ's right is needed: a VMO handle without READ is refused */
	zx_handle_t w = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ, &w));
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, 0, w, 0, PAGE, &a),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(w));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, SpecificAddressMustHaveTheRequestedAlignment)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0x99;
	/* vmar_offset 0x20000000 is page-aligned, but base + offset = 0x20010000 is not 1 MiB
	 * aligned */
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC | ZX_VM_ALIGN_1MB,
				  0x20000000, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC | ZX_VM_ALIGN_64KB,
				  0x20008000, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(a, 0x99u);
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	/* base + offset 1 MiB aligned: fine */
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC | ZX_VM_ALIGN_1MB,
			      0x20000000 - ROOT_BASE, v, 0, PAGE, &a));
	EXPECT_EQ(a, 0x20000000u);
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

/*
 * The root VMAR spans [64 KiB, 256 GiB): its 4 GiB aligned addresses are
 * 4 GiB .. 252 GiB. With a page mapped at each of them, no 4 GiB aligned
 * range of even one page is free.
 */
TEST(Map, NoAlignedGapIsNoResources)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	static zx_vaddr_t placed[64];
	int n = 0;
	for (uint64_t at = 4 * GIB; at < PAST_USER_ADDR; at += 4 * GIB) {
		zx_vaddr_t got = 0;
		zx_status_t st = zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC,
					     at - ROOT_BASE, v, 0, PAGE, &got);
		if (st == ZX_OK)
			placed[n++] = got;
		else
			EXPECT_STATUS(st, ZX_ERR_ALREADY_EXISTS, "at %#lx", (unsigned long)at);
	}
	EXPECT_TRUE(n > 0);
	zx_vaddr_t a = 0x99;
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_ALIGN_4GB, 0, v, 0, PAGE, &a),
		      ZX_ERR_NO_RESOURCES);
	EXPECT_EQ(a, 0x99u);
	EXPECT_EQ(vmo_info(v).num_mappings, (uint64_t)n, "no mapping added");
	/* a smaller alignment still finds room */
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_ALIGN_1GB, 0, v, 0, PAGE, &a));
	EXPECT_EQ(a % GIB, 0u);
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	/* and once one 4 GiB slot is free again, it is found */
	ASSERT_TRUE(n > 0);
	EXPECT_OK(zx_vmar_unmap(root(), placed[n - 1], PAGE));
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_ALIGN_4GB, 0, v, 0, PAGE, &a));
	EXPECT_EQ(a, placed[n - 1]);
	placed[n - 1] = a;
	for (int i = 0; i < n; i++)
		EXPECT_OK(zx_vmar_unmap(root(), placed[i], PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Protect, HandleOptionAndRightErrors)
{
	zx_handle_t v = new_vmo(PAGE), rv = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, PAGE, &a));
	EXPECT_STATUS(zx_vmar_protect(0x12345, ZX_VM_PERM_READ, a, PAGE), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmar_protect(ZX_HANDLE_INVALID, ZX_VM_PERM_READ, a, PAGE),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmar_protect(v, ZX_VM_PERM_READ, a, PAGE), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmar_protect(zx_process_self(), ZX_VM_PERM_READ, a, PAGE),
		      ZX_ERR_WRONG_TYPE);
	/* options: only the three permission bits, and WRITE / EXECUTE need READ */
	EXPECT_STATUS(zx_vmar_protect(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC, a, PAGE),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_protect(root(), ZX_VM_PERM_READ | ZX_VM_CAN_MAP_READ, a, PAGE),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_protect(root(), ZX_VM_PERM_READ | (1u << 20), a, PAGE),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_protect(root(), ZX_VM_PERM_WRITE, a, PAGE), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_protect(root(), ZX_VM_PERM_EXECUTE, a, PAGE), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_protect(root(), ZX_VM_PERM_EXECUTE | ZX_VM_PERM_WRITE, a, PAGE),
		      ZX_ERR_INVALID_ARGS);
	/* a VMAR handle without WRITE may not grant write access */
	ASSERT_OK(zx_handle_duplicate(root(), rights_of(root()) & ~ZX_RIGHT_WRITE, &rv));
	EXPECT_STATUS(zx_vmar_protect(rv, RW, a, PAGE), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(rv));
	ASSERT_OK(zx_handle_duplicate(root(), rights_of(root()) & ~ZX_RIGHT_READ, &rv));
	EXPECT_STATUS(zx_vmar_protect(rv, ZX_VM_PERM_READ, a, PAGE), ZX_ERR_ACCESS_DENIED);
	/* Zircon checks the rights before the combination: WRITE alone without WRITE right */
	EXPECT_STATUS(zx_vmar_protect(rv, ZX_VM_PERM_READ | (1u << 20), a, PAGE),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(rv));
	ASSERT_OK(zx_handle_duplicate(root(), rights_of(root()) & ~ZX_RIGHT_WRITE, &rv));
	EXPECT_STATUS(zx_vmar_protect(rv, ZX_VM_PERM_WRITE, a, PAGE), ZX_ERR_ACCESS_DENIED,
		      "rights first, then WRITE-without-READ");
	EXPECT_OK(zx_handle_close(rv));
	/* READ_IF_XOM_UNSUPPORTED: zirv maps nothing execute-only, so it reads as READ */
	EXPECT_OK(zx_vmar_protect(root(), ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED | ZX_VM_PERM_WRITE, a,
				  PAGE));
	/* nothing changed: the page is still writable */
	*(volatile char *)a = 'w';
	char c = 0;
	ASSERT_OK(zx_vmo_read(v, &c, 0, 1));
	EXPECT_EQ(c, 'w');
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Protect, RangeErrors)
{
	zx_handle_t v = new_vmo(2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, 2 * PAGE, &a));
	const uint32_t r = ZX_VM_PERM_READ;
	EXPECT_STATUS(zx_vmar_protect(root(), r, a + 8, PAGE), ZX_ERR_INVALID_ARGS, "unaligned");
	EXPECT_STATUS(zx_vmar_protect(root(), r, a, 0), ZX_ERR_INVALID_ARGS, "len 0");
	EXPECT_STATUS(zx_vmar_protect(root(), r, a, ~0ul), ZX_ERR_INVALID_ARGS,
		      "len wraps when rounded");
	EXPECT_STATUS(zx_vmar_protect(root(), r, a, ~0ul - PAGE + 1), ZX_ERR_INVALID_ARGS,
		      "addr + len wraps");
	EXPECT_STATUS(zx_vmar_protect(root(), r, 0, PAGE), ZX_ERR_INVALID_ARGS, "below the VMAR");
	EXPECT_STATUS(zx_vmar_protect(root(), r, ROOT_BASE - PAGE, 2 * PAGE), ZX_ERR_INVALID_ARGS,
		      "starts below the VMAR");
	EXPECT_STATUS(zx_vmar_protect(root(), r, PAST_USER_ADDR, PAGE), ZX_ERR_INVALID_ARGS,
		      "past the VMAR");
	EXPECT_STATUS(zx_vmar_protect(root(), r, PAST_USER_ADDR - PAGE, 2 * PAGE),
		      ZX_ERR_INVALID_ARGS, "ends past the VMAR");
	EXPECT_STATUS(zx_vmar_protect(root(), r, KERNEL_ADDR, PAGE), ZX_ERR_INVALID_ARGS, "kernel");
	/* nothing changed: both pages are still writable, still one mapping */
	*(volatile char *)a = 'x';
	*(volatile char *)(a + PAGE) = 'y';
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	EXPECT_OK(zx_vmar_unmap(root(), a, 2 * PAGE));
	EXPECT_OK(zx_handle_close(v));
}

/* ------------------------------------------------ ZX_VM_OFFSET_IS_UPPER_LIMIT */

#define UPPER (ZX_VM_PERM_READ | ZX_VM_OFFSET_IS_UPPER_LIMIT)

TEST(Map, UpperLimitBoundsTheEnd)
{
	zx_handle_t v = new_vmo(2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, b = 0, c = 0x99;
	/* the 1 GiB-aligned slot at 1 GiB is the only one ending by 1 GiB + 2 pages */
	ASSERT_OK(zx_vmar_map(root(), UPPER | ZX_VM_ALIGN_1GB, GIB + 2 * PAGE - ROOT_BASE, v, 0,
			      2 * PAGE, &a));
	EXPECT_EQ(a, GIB);
	EXPECT_STATUS(zx_vmar_map(root(), UPPER | ZX_VM_ALIGN_1GB, GIB + 2 * PAGE - ROOT_BASE, v, 0,
				  2 * PAGE, &c),
		      ZX_ERR_NO_RESOURCES, "that slot is taken");
	EXPECT_EQ(c, 0x99u);
	/* one page less than the mapping needs: no slot either */
	EXPECT_STATUS(zx_vmar_map(root(), UPPER | ZX_VM_ALIGN_1GB, 2 * GIB + PAGE - ROOT_BASE, v, 0,
				  2 * PAGE, &c),
		      ZX_ERR_NO_RESOURCES);
	ASSERT_OK(zx_vmar_map(root(), UPPER | ZX_VM_ALIGN_1GB, 2 * GIB + 2 * PAGE - ROOT_BASE, v, 0,
			      2 * PAGE, &b));
	EXPECT_EQ(b, 2 * GIB);
	/* the limit is honoured for the VMO offset's mapping too */
	ASSERT_OK(zx_vmar_map(root(), UPPER, 4 * MIB, v, PAGE, PAGE, &c));
	EXPECT_TRUE(c >= ROOT_BASE && c + PAGE <= ROOT_BASE + 4 * MIB, "at %#lx", (unsigned long)c);
	EXPECT_EQ(vmo_info(v).num_mappings, 3u);
	EXPECT_OK(zx_vmar_unmap(root(), a, 2 * PAGE));
	EXPECT_OK(zx_vmar_unmap(root(), b, 2 * PAGE));
	EXPECT_OK(zx_vmar_unmap(root(), c, PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Map, UpperLimitErrors)
{
	const uint64_t size = PAST_USER_ADDR - ROOT_BASE;
	zx_handle_t v = new_vmo(2 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0x99;
	EXPECT_STATUS(zx_vmar_map(root(), UPPER | ZX_VM_SPECIFIC, 4 * MIB, v, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS, "with SPECIFIC");
	EXPECT_STATUS(
	    zx_vmar_map(root(), UPPER | ZX_VM_SPECIFIC_OVERWRITE, 4 * MIB, v, 0, PAGE, &a),
	    ZX_ERR_INVALID_ARGS, "with SPECIFIC_OVERWRITE");
	EXPECT_STATUS(zx_vmar_map(root(), UPPER, 4 * MIB + 1, v, 0, PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "unaligned limit");
	EXPECT_STATUS(zx_vmar_map(root(), UPPER, size + PAGE, v, 0, PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "limit past the VMAR");
	EXPECT_STATUS(zx_vmar_map(root(), UPPER, PAGE, v, 0, 2 * PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "len above the limit");
	EXPECT_STATUS(zx_vmar_map(root(), UPPER, 0, v, 0, PAGE, &a), ZX_ERR_INVALID_ARGS,
		      "limit 0");
	EXPECT_EQ(a, 0x99u);
	/* the whole VMAR as the limit is fine */
	ASSERT_OK(zx_vmar_map(root(), UPPER, size, v, 0, PAGE, &a));
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

/* --------------------------------------------------- ZX_VM_SPECIFIC_OVERWRITE */

TEST(Map, SpecificOverwriteReplacesTheRange)
{
	zx_handle_t va = filled_vmo(3 * PAGE, 0, 'A'), vb = filled_vmo(PAGE, 0, 'B');
	ASSERT_NE(va, ZX_HANDLE_INVALID);
	ASSERT_NE(vb, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, b = 0x99;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, va, 0, 3 * PAGE, &a));
	volatile char *p = (volatile char *)a;
	/* plain SPECIFIC refuses the occupied page; OVERWRITE takes it */
	EXPECT_STATUS(
	    zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, a + PAGE - ROOT_BASE, vb, 0, PAGE, &b),
	    ZX_ERR_ALREADY_EXISTS);
	EXPECT_EQ(b, 0x99u);
	ASSERT_OK(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC_OVERWRITE, a + PAGE - ROOT_BASE, vb, 0,
			      PAGE, &b));
	EXPECT_EQ(b, a + PAGE);
	EXPECT_EQ(p[0], 'A');
	EXPECT_EQ(p[PAGE], 'B', "the middle page is now the other VMO");
	EXPECT_EQ(p[2 * PAGE], 'A');
	p[PAGE + 1] = 'b';
	char got = 0;
	ASSERT_OK(zx_vmo_read(vb, &got, 1, 1));
	EXPECT_EQ(got, 'b', "writes reach the new VMO");
	ASSERT_OK(zx_vmo_read(va, &got, PAGE + 1, 1));
	EXPECT_EQ(got, 'A', "and not the old one");
	EXPECT_EQ(vmo_info(va).num_mappings, 2u, "the old mapping was cut in two");
	EXPECT_EQ(vmo_info(vb).num_mappings, 1u);
	/* over a range holding several mappings and a hole, and onto nothing at all */
	ASSERT_OK(zx_vmar_unmap(root(), a + 2 * PAGE, PAGE));
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, a - ROOT_BASE, va,
			      0, 3 * PAGE, &b));
	EXPECT_EQ(b, a);
	EXPECT_EQ(p[PAGE], 'A');
	EXPECT_EQ(vmo_info(va).num_mappings, 1u);
	EXPECT_EQ(vmo_info(vb).num_mappings, 0u, "the replaced mapping let go of its VMO");
	EXPECT_OK(zx_vmar_unmap(root(), a, 3 * PAGE));
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE, a - ROOT_BASE, vb,
			      0, PAGE, &b));
	EXPECT_EQ(b, a, "an empty range is mapped as with SPECIFIC");
	EXPECT_OK(zx_vmar_unmap(root(), a, PAGE));
	EXPECT_OK(zx_handle_close(va));
	EXPECT_OK(zx_handle_close(vb));
}

TEST(Map, SpecificOverwriteErrorsChangeNothing)
{
	zx_handle_t va = filled_vmo(2 * PAGE, 0, 'A'), vb = filled_vmo(PAGE, 0, 'B');
	ASSERT_NE(va, ZX_HANDLE_INVALID);
	ASSERT_NE(vb, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, b = 0x99;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, va, 0, 2 * PAGE, &a));
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE,
				  a + 1 - ROOT_BASE, vb, 0, PAGE, &b),
		      ZX_ERR_INVALID_ARGS, "unaligned");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE,
				  PAST_USER_ADDR - ROOT_BASE, vb, 0, PAGE, &b),
		      ZX_ERR_INVALID_ARGS, "outside the VMAR");
	EXPECT_STATUS(
	    zx_vmar_map(root(), RW | ZX_VM_SPECIFIC_OVERWRITE, a - ROOT_BASE, vb, 0, 2 * PAGE, &b),
	    ZX_ERR_OUT_OF_RANGE, "longer than the VMO");
	EXPECT_STATUS(zx_vmar_map(root(),
				  ZX_VM_PERM_READ | ZX_VM_SPECIFIC_OVERWRITE | ZX_VM_MAP_RANGE,
				  a - ROOT_BASE, vb, 0, PAGE, &b),
		      ZX_ERR_INVALID_ARGS, "with MAP_RANGE");
	EXPECT_EQ(b, 0x99u);
	EXPECT_EQ(((volatile char *)a)[PAGE], 'A', "the old mapping is intact");
	EXPECT_EQ(vmo_info(va).num_mappings, 1u);
	EXPECT_OK(zx_vmar_unmap(root(), a, 2 * PAGE));
	EXPECT_OK(zx_handle_close(va));
	EXPECT_OK(zx_handle_close(vb));
}

/* ------------------------------------------------------------ zx_vmar_op_range */

TEST(OpRange, ZeroAndDecommitThroughTheMapping)
{
	zx_handle_t v = filled_vmo(3 * PAGE, 0, 'z');
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, v, 0, 3 * PAGE, &a));
	volatile char *p = (volatile char *)a;
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a + PAGE, PAGE, NULL, 0));
	EXPECT_EQ(p[PAGE - 1], 'z');
	EXPECT_EQ(p[PAGE], 0);
	EXPECT_EQ(p[2 * PAGE - 1], 0);
	EXPECT_EQ(p[2 * PAGE], 'z');
	/* a length inside a page covers that page */
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_DECOMMIT, a + 2 * PAGE, 1, NULL, 0));
	EXPECT_EQ(p[3 * PAGE - 1], 0);
	char got = 1;
	ASSERT_OK(zx_vmo_read(v, &got, 2 * PAGE + 5, 1));
	EXPECT_EQ(got, 0, "the VMO reads zeros too");
	EXPECT_EQ(p[0], 'z');
	/* the hints and MAP_RANGE/COMMIT/PREFETCH change nothing that can be seen */
	const uint32_t quiet[] = {ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_MAP_RANGE, ZX_VMAR_OP_PREFETCH,
				  ZX_VMAR_OP_DONT_NEED, ZX_VMAR_OP_ALWAYS_NEED};
	for (unsigned i = 0; i < 5; i++)
		EXPECT_OK(zx_vmar_op_range(root(), quiet[i], a, 3 * PAGE, NULL, 0), "op %u",
			  quiet[i]);
	EXPECT_EQ(p[0], 'z');
	EXPECT_EQ(vmo_info(v).committed_bytes, 3 * PAGE);
	EXPECT_OK(zx_vmar_unmap(root(), a, 3 * PAGE));
	EXPECT_OK(zx_handle_close(v));
}

TEST(OpRange, AcrossTwoMappings)
{
	zx_handle_t va = filled_vmo(PAGE, 0, 'a'), vb = filled_vmo(PAGE, 0, 'b');
	ASSERT_NE(va, ZX_HANDLE_INVALID);
	ASSERT_NE(vb, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, b = 0;
	ASSERT_OK(zx_vmar_map(root(), RW, 0, va, 0, PAGE, &a));
	ASSERT_OK(zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, a + PAGE - ROOT_BASE, vb, 0, PAGE, &b));
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a, 2 * PAGE, NULL, 0));
	EXPECT_EQ(((volatile char *)a)[0], 0);
	EXPECT_EQ(((volatile char *)b)[0], 0);
	EXPECT_OK(zx_vmar_unmap(root(), a, 2 * PAGE));
	EXPECT_OK(zx_handle_close(va));
	EXPECT_OK(zx_handle_close(vb));
}

TEST(OpRange, Errors)
{
	zx_handle_t v = filled_vmo(2 * PAGE, 0, 'e'), ro = ZX_HANDLE_INVALID,
		    vmar_ro = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_vaddr_t a = 0, r = 0;
	char buf[8];
	/* with free pages on both sides */
	ASSERT_OK(
	    zx_vmar_map(root(), RW | ZX_VM_SPECIFIC, 3 * GIB - ROOT_BASE, v, 0, 2 * PAGE, &a));
	EXPECT_STATUS(zx_vmar_op_range(0x12345, ZX_VMAR_OP_ZERO, a, PAGE, NULL, 0),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_vmar_op_range(v, ZX_VMAR_OP_ZERO, a, PAGE, NULL, 0), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_vmar_op_range(root(), 99, a, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS,
		      "unknown op");
	EXPECT_STATUS(zx_vmar_op_range(root(), 4, a, PAGE, NULL, 0), ZX_ERR_INVALID_ARGS,
		      "a VMO op VMARs lack");
	/* rights of the VMAR handle */
	ASSERT_OK(zx_handle_duplicate(root(), ZX_RIGHT_READ, &vmar_ro));
	EXPECT_STATUS(zx_vmar_op_range(vmar_ro, ZX_VMAR_OP_ZERO, a, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_vmar_op_range(vmar_ro, ZX_VMAR_OP_DECOMMIT, a, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmar_op_range(vmar_ro, ZX_VMAR_OP_PREFETCH, a, PAGE, NULL, 0));
	zx_handle_t vmar_none = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(root(), ZX_RIGHT_DUPLICATE, &vmar_none));
	EXPECT_STATUS(zx_vmar_op_range(vmar_none, ZX_VMAR_OP_MAP_RANGE, a, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmar_op_range(vmar_none, ZX_VMAR_OP_DONT_NEED, a, PAGE, NULL, 0), "a hint");
	/* buffer and range */
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a, PAGE, buf, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a, PAGE, NULL, 8),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a, 0, NULL, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a + 1, PAGE, NULL, 0),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a, ~0ul, NULL, 0),
		      ZX_ERR_INVALID_ARGS, "len wraps when rounded");
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, PAST_USER_ADDR, PAGE, NULL, 0),
		      ZX_ERR_OUT_OF_RANGE);
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, 0, PAGE, NULL, 0),
		      ZX_ERR_OUT_OF_RANGE, "below the VMAR");
	/* holes */
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a, 3 * PAGE, NULL, 0),
		      ZX_ERR_BAD_STATE, "runs past the mapping");
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a - PAGE, 2 * PAGE, NULL, 0),
		      ZX_ERR_BAD_STATE, "starts before it");
	EXPECT_EQ(((volatile char *)a)[0], 'e', "no failed call zeroed anything");
	/* a mapping that could never be writable */
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE, &ro));
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, ro, 0, PAGE, &r));
	const uint32_t writes[] = {ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_DECOMMIT, ZX_VMAR_OP_ZERO};
	for (unsigned i = 0; i < 3; i++)
		EXPECT_STATUS(zx_vmar_op_range(root(), writes[i], r, PAGE, NULL, 0),
			      ZX_ERR_ACCESS_DENIED, "op %u", writes[i]);
	EXPECT_EQ(((volatile char *)r)[0], 'e');
	/* a mapping that could never be readable (no permissions, no READ right) */
	zx_handle_t maponly = ZX_HANDLE_INVALID;
	zx_vaddr_t n = 0;
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_MAP, &maponly));
	ASSERT_OK(zx_vmar_map(root(), 0, 0, maponly, 0, PAGE, &n));
	EXPECT_STATUS(zx_vmar_op_range(root(), ZX_VMAR_OP_PREFETCH, n, PAGE, NULL, 0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_MAP_RANGE, n, PAGE, NULL, 0));
	EXPECT_OK(zx_vmar_unmap(root(), n, PAGE));
	EXPECT_OK(zx_handle_close(maponly));
	/* read-only now, but writable at map time: allowed, as Zircon does */
	ASSERT_OK(zx_vmar_protect(root(), ZX_VM_PERM_READ, a, 2 * PAGE));
	EXPECT_OK(zx_vmar_op_range(root(), ZX_VMAR_OP_ZERO, a, PAGE, NULL, 0));
	EXPECT_EQ(((volatile char *)a)[0], 0);
	EXPECT_OK(zx_vmar_unmap(root(), r, PAGE));
	EXPECT_OK(zx_vmar_unmap(root(), a, 2 * PAGE));
	EXPECT_OK(zx_handle_close(ro));
	EXPECT_OK(zx_handle_close(vmar_ro));
	EXPECT_OK(zx_handle_close(vmar_none));
	EXPECT_OK(zx_handle_close(v));
}

/* Where two checks could answer, the one Zircon makes first answers. */
TEST(Map, CheckOrderMatchesZircon)
{
	zx_handle_t v = filled_vmo(2 * PAGE, 0, 1), ro, rs;
	zx_vaddr_t a = 0x99;
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_MAP | ZX_RIGHT_READ, &ro));
	EXPECT_STATUS(zx_vmar_map(root(), RW | (5u << ZX_VM_ALIGN_BASE), 0, ro, 0, PAGE, &a),
		      ZX_ERR_ACCESS_DENIED, "rights before the alignment field");
	ASSERT_OK(zx_vmo_create(PAGE, ZX_VMO_RESIZABLE, &rs));
	EXPECT_STATUS(zx_vmar_map(root(),
				  ZX_VM_PERM_READ | ZX_VM_COMPACT | ZX_VM_REQUIRE_NON_RESIZABLE, 0,
				  rs, 0, PAGE, &a),
		      ZX_ERR_NOT_SUPPORTED, "a resizable VMO before COMPACT");
	EXPECT_STATUS(zx_vmar_map(root(), RW | ZX_VM_CAN_MAP_READ, 0, ro, 0, PAGE, &a),
		      ZX_ERR_INVALID_ARGS, "CAN_MAP_* is refused before the rights");
	/* the out-pointer last: errors of the mapping itself come first */
	zx_vaddr_t at = 0;
	ASSERT_OK(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &at));
	EXPECT_STATUS(
	    zx_vmar_map(root(), ZX_VM_PERM_READ | ZX_VM_SPECIFIC, at - ROOT_BASE, v, 0, PAGE, NULL),
	    ZX_ERR_ALREADY_EXISTS);
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(vmo_info(v).num_mappings, 1u, "the mapping that could not be reported is undone");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, (zx_vaddr_t *)(at + 4)),
		      ZX_ERR_INVALID_ARGS, "misaligned");
	EXPECT_STATUS(zx_vmar_map(root(), ZX_VM_PERM_READ, 0, v, 0, PAGE, (zx_vaddr_t *)at),
		      ZX_ERR_INVALID_ARGS, "read-only");
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	EXPECT_OK(zx_vmar_unmap(root(), at, PAGE));
	EXPECT_OK(zx_handle_close(rs));
	EXPECT_OK(zx_handle_close(ro));
	EXPECT_OK(zx_handle_close(v));
}
