/*
 * object.c: zx_object_get_info (handle topics, ZX_INFO_PROCESS, ZX_INFO_VMO),
 * zx_object_get_property / set_property (ZX_PROP_NAME), zx_object_signal and
 * zx_object_wait_one, with every error each can return.
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/zirv.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

/* ---- ZX_INFO_HANDLE_VALID / ZX_INFO_HANDLE_BASIC ------------------------- */

TEST(InfoHandle, ValidIgnoresBuffer)
{
	zx_handle_t h = new_vmo(PAGE);
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	EXPECT_OK(zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
	EXPECT_OK(zx_object_get_info(h, ZX_INFO_HANDLE_VALID, (void *)KERNEL_ADDR, 64,
				     (size_t *)KERNEL_ADDR, (size_t *)1));
	EXPECT_OK(zx_handle_close(h));
	EXPECT_STATUS(zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL),
		      ZX_ERR_BAD_HANDLE);
}

TEST(InfoHandle, BasicTypesAndRights)
{
	zx_info_handle_basic_t b;
	size_t actual = 99, avail = 99;

	memset(&b, 0xee, sizeof(b));
	ASSERT_OK(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC, &b, sizeof(b),
				     &actual, &avail));
	EXPECT_EQ(actual, 1u);
	EXPECT_EQ(avail, 1u);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_PROCESS);
	EXPECT_EQ(b.rights, ZX_DEFAULT_PROCESS_RIGHTS);
	EXPECT_TRUE(b.koid >= 1024, "koid %lu", (unsigned long)b.koid);
	EXPECT_EQ(b.related_koid, koid_of(zx_job_default()), "a process names its job");
	EXPECT_EQ(b.reserved, 0u);

	b = handle_basic(zx_vmar_root_self());
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMAR);
	EXPECT_EQ(b.rights,
		  ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE);

	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	b = handle_basic(v);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_VMO);
	EXPECT_EQ(b.rights, ZX_DEFAULT_VMO_RIGHTS);
	EXPECT_OK(zx_handle_close(v));
}

TEST(InfoHandle, KoidStableAcrossDuplicatesUniqueAcrossObjects)
{
	zx_handle_t a = new_vmo(PAGE), b = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(a, ZX_HANDLE_INVALID);
	ASSERT_NE(b, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(a, ZX_RIGHT_READ, &d));
	EXPECT_EQ(koid_of(d), koid_of(a));
	EXPECT_NE(koid_of(a), koid_of(b));
	EXPECT_NE(koid_of(a), koid_of(zx_process_self()));
	EXPECT_NE(koid_of(zx_vmar_root_self()), koid_of(zx_process_self()));
	/* Koids are never reused: a new object gets a new one. */
	zx_koid_t ka = koid_of(a);
	EXPECT_OK(zx_handle_close(a));
	EXPECT_OK(zx_handle_close(d));
	zx_handle_t c = new_vmo(PAGE);
	ASSERT_NE(c, ZX_HANDLE_INVALID);
	EXPECT_NE(koid_of(c), ka);
	EXPECT_TRUE(koid_of(c) > koid_of(b));
	EXPECT_OK(zx_handle_close(b));
	EXPECT_OK(zx_handle_close(c));
}

TEST(InfoHandle, BasicNeedsNoRights)
{
	zx_handle_t v = new_vmo(PAGE), none = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_NONE, &none));
	zx_info_handle_basic_t b;
	EXPECT_OK(zx_object_get_info(none, ZX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL, NULL));
	EXPECT_EQ(b.rights, 0u);
	EXPECT_EQ(b.koid, koid_of(v));
	EXPECT_OK(zx_object_get_info(none, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL));
	EXPECT_OK(zx_handle_close(none));
	EXPECT_OK(zx_handle_close(v));
}

TEST(InfoHandle, BufferTooSmallSetsAvail)
{
	zx_info_handle_basic_t b;
	size_t actual = 99, avail = 99;
	memset(&b, 0xee, sizeof(b));
	EXPECT_STATUS(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC, &b, sizeof(b) - 1,
					 &actual, &avail),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, 1u);
	EXPECT_EQ(b.koid, 0xeeeeeeeeeeeeeeeeul, "nothing may be written on failure");
	EXPECT_STATUS(
	    zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC, NULL, 0, NULL, &avail),
	    ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(avail, 1u);
}

TEST(InfoHandle, LargerBufferOnlyRecordWritten)
{
	uint8_t buf[64];
	memset(buf, 0xee, sizeof(buf));
	size_t actual = 0;
	ASSERT_OK(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC, buf, sizeof(buf),
				     &actual, NULL));
	EXPECT_EQ(actual, 1u);
	for (size_t i = sizeof(zx_info_handle_basic_t); i < sizeof(buf); i++)
		EXPECT_EQ(buf[i], 0xeeu, "byte %zu past the record", i);
}

TEST(InfoHandle, BadPointersAreInvalidArgs)
{
	static zx_info_handle_basic_t b;
	static const zx_info_handle_basic_t ro;
	static size_t counts[2];
	zx_handle_t p = zx_process_self();
	const uintptr_t bad[] = {
	    0, KERNEL_ADDR, OPENSBI_ADDR, UNMAPPED_ADDR, PAST_USER_ADDR, (uintptr_t)&ro};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_STATUS(zx_object_get_info(p, ZX_INFO_HANDLE_BASIC, (void *)bad[i], sizeof(b),
						 NULL, NULL),
			      ZX_ERR_INVALID_ARGS, "buffer %#lx", (unsigned long)bad[i]);
	EXPECT_EQ(ro.koid, 0u);
	/* actual / avail: NULL is allowed, anything else bad is not. */
	const uintptr_t badc[] = {KERNEL_ADDR, OPENSBI_ADDR, UNMAPPED_ADDR, (uintptr_t)counts + 1,
				  (uintptr_t)&ro};
	for (unsigned i = 0; i < sizeof(badc) / sizeof(badc[0]); i++) {
		EXPECT_STATUS(zx_object_get_info(p, ZX_INFO_HANDLE_BASIC, &b, sizeof(b),
						 (size_t *)badc[i], NULL),
			      ZX_ERR_INVALID_ARGS, "actual %#lx", (unsigned long)badc[i]);
		EXPECT_STATUS(zx_object_get_info(p, ZX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL,
						 (size_t *)badc[i]),
			      ZX_ERR_INVALID_ARGS, "avail %#lx", (unsigned long)badc[i]);
	}
	EXPECT_OK(zx_object_get_info(p, ZX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL, NULL),
		  "the kernel survived");
}

/* ---- ZX_INFO_PROCESS ----------------------------------------------------- */

TEST(InfoProcess, SelfIsStarted)
{
	zx_info_process_t info;
	size_t actual = 0, avail = 0;
	memset(&info, 0xee, sizeof(info));
	ASSERT_OK(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS, &info, sizeof(info),
				     &actual, &avail));
	zx_instant_mono_t now = zx_clock_get_monotonic();
	EXPECT_EQ(actual, 1u);
	EXPECT_EQ(avail, 1u);
	EXPECT_EQ(info.flags, ZX_INFO_PROCESS_FLAG_STARTED);
	EXPECT_EQ(info.return_code, 0);
	EXPECT_TRUE(info.start_time > 0, "start_time %ld", (long)info.start_time);
	EXPECT_TRUE(info.start_time <= now, "start_time %ld now %ld", (long)info.start_time,
		    (long)now);
}

TEST(InfoProcess, BufferTooSmall)
{
	zx_info_process_t info;
	size_t actual = 99, avail = 99;
	EXPECT_STATUS(zx_object_get_info(zx_process_self(), ZX_INFO_PROCESS, &info,
					 sizeof(info) - 1, &actual, &avail),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, 1u);
}

TEST(InfoProcess, NeedsInspect)
{
	zx_handle_t p = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(zx_process_self(),
				      ZX_DEFAULT_PROCESS_RIGHTS & ~ZX_RIGHT_INSPECT, &p));
	zx_info_process_t info;
	EXPECT_STATUS(zx_object_get_info(p, ZX_INFO_PROCESS, &info, sizeof(info), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(p));
}

/* ---- ZX_INFO_VMO --------------------------------------------------------- */

TEST(InfoVmo, SizeCommitAndMappings)
{
	zx_handle_t v = new_vmo(3 * PAGE - 100);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_info_vmo_t info = vmo_info(v);
	EXPECT_EQ(info.koid, koid_of(v));
	EXPECT_EQ(info.size_bytes, 3 * PAGE);
	EXPECT_EQ(info.committed_bytes, 0u, "a new VMO has no pages");
	EXPECT_EQ(info.num_mappings, 0u);
	EXPECT_EQ(info.handle_rights, ZX_DEFAULT_VMO_RIGHTS);
	EXPECT_EQ(info.cache_policy, ZX_CACHE_POLICY_CACHED);
	EXPECT_EQ(info.flags & ZX_INFO_VMO_TYPE_PAGED, ZX_INFO_VMO_TYPE_PAGED);
	EXPECT_EQ(info.flags & ZX_INFO_VMO_VIA_HANDLE, ZX_INFO_VMO_VIA_HANDLE);

	ASSERT_OK(zx_vmo_write(v, "x", PAGE + 5, 1));
	EXPECT_EQ(vmo_info(v).committed_bytes, PAGE, "one page written");

	zx_vaddr_t a1, a2;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &a1));
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, PAGE, 2 * PAGE, &a2));
	EXPECT_EQ(vmo_info(v).num_mappings, 2u);
	EXPECT_EQ(*(volatile char *)(a2 + 5), 'x');
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a1, PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 1u);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a2, 2 * PAGE));
	EXPECT_EQ(vmo_info(v).num_mappings, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(InfoVmo, NameAndRightsOfTheHandle)
{
	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "info-name", 9));
	zx_rights_t r = ZX_RIGHT_INSPECT | ZX_RIGHT_READ;
	ASSERT_OK(zx_handle_duplicate(v, r, &d));
	zx_info_vmo_t info = vmo_info(d);
	EXPECT_STREQ(info.name, "info-name");
	EXPECT_EQ(info.handle_rights, r);
	EXPECT_EQ(info.koid, koid_of(v));
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(v));
}

TEST(InfoVmo, BufferTooSmallAndMissingInspect)
{
	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_info_vmo_t info;
	size_t actual = 99, avail = 99;
	EXPECT_STATUS(zx_object_get_info(v, ZX_INFO_VMO, &info, sizeof(info) - 8, &actual, &avail),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, 1u);
	/* Zircon asks no right for ZX_INFO_VMO: a handle without INSPECT still reads it */
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_TRANSFER, &d));
	EXPECT_OK(zx_object_get_info(d, ZX_INFO_VMO, &info, sizeof(info), NULL, NULL));
	EXPECT_EQ(info.koid, koid_of(v));
	EXPECT_EQ(info.handle_rights, ZX_RIGHT_TRANSFER);
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(v));
}

/* The older layouts are prefixes of today's record, each its own size. */
TEST(InfoVmo, OlderVersionsArePrefixes)
{
	zx_handle_t v = new_vmo(3 * PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	const struct {
		uint32_t topic;
		size_t size;
	} versions[] = {{ZX_INFO_VMO_V1, sizeof(zx_info_vmo_v1_t)},
			{ZX_INFO_VMO_V2, sizeof(zx_info_vmo_v2_t)},
			{ZX_INFO_VMO_V3, sizeof(zx_info_vmo_v3_t)},
			{ZX_INFO_VMO, sizeof(zx_info_vmo_t)}};
	EXPECT_EQ(sizeof(zx_info_vmo_v1_t), 104u);
	for (unsigned i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		uint8_t buf[sizeof(zx_info_vmo_t) + 8];
		memset(buf, 0xee, sizeof(buf));
		size_t actual = 0;
		EXPECT_OK(
		    zx_object_get_info(v, versions[i].topic, buf, sizeof(buf), &actual, NULL));
		EXPECT_EQ(actual, 1u);
		EXPECT_EQ(((zx_info_vmo_v1_t *)buf)->size_bytes, 3 * PAGE);
		EXPECT_EQ(buf[versions[i].size], 0xeeu, "topic %#x writes %zu bytes",
			  versions[i].topic, versions[i].size);
		EXPECT_STATUS(
		    zx_object_get_info(v, versions[i].topic, buf, versions[i].size - 1, NULL, NULL),
		    ZX_ERR_BUFFER_TOO_SMALL);
	}
	EXPECT_OK(zx_handle_close(v));
}

TEST(InfoHandleCount, CountsEveryHandle)
{
	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID, w = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_info_handle_count_t c = {0};
	EXPECT_OK(zx_object_get_info(v, ZX_INFO_HANDLE_COUNT, &c, sizeof(c), NULL, NULL));
	EXPECT_EQ(c.handle_count, 1u);
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_SAME_RIGHTS, &d));
	EXPECT_OK(zx_object_get_info(v, ZX_INFO_HANDLE_COUNT, &c, sizeof(c), NULL, NULL));
	EXPECT_EQ(c.handle_count, 2u);
	/* a mapping is no handle */
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, v, 0, PAGE, &a));
	EXPECT_OK(zx_object_get_info(d, ZX_INFO_HANDLE_COUNT, &c, sizeof(c), NULL, NULL));
	EXPECT_EQ(c.handle_count, 2u);
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_TRANSFER, &w));
	EXPECT_STATUS(zx_object_get_info(w, ZX_INFO_HANDLE_COUNT, &c, sizeof(c), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_get_info(v, ZX_INFO_HANDLE_COUNT, &c, 2, NULL, NULL),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_OK(zx_handle_close(w));
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(v));
}

/* ---- ZX_INFO_VMAR / ZX_INFO_RESOURCE / ZX_INFO_ZIRV_MEMTYPE ------------------ */

TEST(InfoVmar, BufferTooSmallAndMissingInspect)
{
	zx_info_vmar_t info;
	size_t actual = 99, avail = 99;
	memset(&info, 0xee, sizeof(info));
	EXPECT_STATUS(
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &info, 15, &actual, &avail),
	    ZX_ERR_BUFFER_TOO_SMALL, "the record is 16 bytes");
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, 1u);
	EXPECT_EQ(info.base, 0xeeeeeeeeeeeeeeeeul, "nothing written");
	ASSERT_OK(zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &info, 16, NULL, NULL));
	EXPECT_EQ(info.base, 0x10000u);
	EXPECT_EQ(info.len, 0x3fffff0000u);

	zx_handle_t d = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(zx_vmar_root_self(),
				      rights_of(zx_vmar_root_self()) & ~ZX_RIGHT_INSPECT, &d));
	EXPECT_STATUS(zx_object_get_info(d, ZX_INFO_VMAR, &info, sizeof(info), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(d));
}

TEST(InfoResource, BufferTooSmallAndMissingInspect)
{
	zx_handle_t res = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	ASSERT_NE(res, ZX_HANDLE_INVALID);
	zx_info_resource_t ri;
	zx_info_zirv_memtype_t mt;
	size_t actual = 99, avail = 99;

	memset(&ri, 0xee, sizeof(ri));
	EXPECT_STATUS(zx_object_get_info(res, ZX_INFO_RESOURCE, &ri, 55, &actual, &avail),
		      ZX_ERR_BUFFER_TOO_SMALL, "the record is 56 bytes");
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, 1u);
	EXPECT_EQ(ri.kind, 0xeeeeeeeeu, "nothing written");
	ASSERT_OK(zx_object_get_info(res, ZX_INFO_RESOURCE, &ri, 56, NULL, NULL));
	EXPECT_EQ(ri.kind, ZX_RSRC_KIND_MMIO);
	EXPECT_STREQ(ri.name, "mmio");

	actual = avail = 99;
	EXPECT_STATUS(zx_object_get_info(res, ZX_INFO_ZIRV_MEMTYPE, &mt, 7, &actual, &avail),
		      ZX_ERR_BUFFER_TOO_SMALL, "the record is 8 bytes");
	EXPECT_EQ(actual, 0u);
	EXPECT_EQ(avail, 1u);
	EXPECT_OK(zx_object_get_info(res, ZX_INFO_ZIRV_MEMTYPE, &mt, 8, NULL, NULL));

	zx_handle_t d = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(res, ZX_DEFAULT_RESOURCE_RIGHTS & ~ZX_RIGHT_INSPECT, &d));
	EXPECT_STATUS(zx_object_get_info(d, ZX_INFO_RESOURCE, &ri, sizeof(ri), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_get_info(d, ZX_INFO_ZIRV_MEMTYPE, &mt, sizeof(mt), NULL, NULL),
		      ZX_ERR_ACCESS_DENIED);
	/* the topic check comes before the right */
	EXPECT_STATUS(zx_object_get_info(d, ZX_INFO_VMO, NULL, 0, NULL, NULL), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_object_get_info(d, 0x7777u, NULL, 0, NULL, NULL), ZX_ERR_NOT_SUPPORTED);
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(res));
}

/* ---- Topics that do not apply ------------------------------------------- */

#define UNKNOWN_TOPIC 0x7777u

TEST(InfoTopic, UnknownTopicIsNotSupported)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	uint8_t buf[256];
	EXPECT_STATUS(zx_object_get_info(v, UNKNOWN_TOPIC, buf, sizeof(buf), NULL, NULL),
		      ZX_ERR_NOT_SUPPORTED, "VMO");
	EXPECT_STATUS(
	    zx_object_get_info(zx_process_self(), UNKNOWN_TOPIC, buf, sizeof(buf), NULL, NULL),
	    ZX_ERR_NOT_SUPPORTED, "process");
	EXPECT_OK(zx_handle_close(v));
}

/* Zircon looks at the topic before the handle, and at the size before the buffer. */
TEST(InfoTopic, CheckOrder)
{
	uint8_t buf[64];
	EXPECT_STATUS(zx_object_get_info(0x12345, UNKNOWN_TOPIC, buf, sizeof(buf), NULL, NULL),
		      ZX_ERR_NOT_SUPPORTED, "unknown topic, bad handle");
	EXPECT_STATUS(zx_object_get_info(0x12345, ZX_INFO_VMO, buf, sizeof(buf), NULL, NULL),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC,
					 (void *)KERNEL_ADDR, 4, NULL, NULL),
		      ZX_ERR_BUFFER_TOO_SMALL, "too small beats a bad buffer");
	EXPECT_STATUS(zx_object_get_info(zx_process_self(), ZX_INFO_HANDLE_BASIC, buf, 4,
					 (size_t *)KERNEL_ADDR, NULL),
		      ZX_ERR_INVALID_ARGS, "a bad actual is reported even when too small");
}

TEST(InfoTopic, UnknownTopicOnVmarIsNotSupported)
{
	uint8_t buf[256];
	EXPECT_STATUS(
	    zx_object_get_info(zx_vmar_root_self(), UNKNOWN_TOPIC, buf, sizeof(buf), NULL, NULL),
	    ZX_ERR_NOT_SUPPORTED, "Zircon: a topic that does not exist");
}

TEST(InfoTopic, TopicOfAnotherTypeIsWrongType)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_info_vmo_t vi;
	zx_info_process_t pi;
	EXPECT_STATUS(
	    zx_object_get_info(zx_process_self(), ZX_INFO_VMO, &vi, sizeof(vi), NULL, NULL),
	    ZX_ERR_WRONG_TYPE, "ZX_INFO_VMO on a process");
	EXPECT_STATUS(zx_object_get_info(v, ZX_INFO_PROCESS, &pi, sizeof(pi), NULL, NULL),
		      ZX_ERR_WRONG_TYPE, "ZX_INFO_PROCESS on a VMO");
	EXPECT_STATUS(
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_PROCESS, &pi, sizeof(pi), NULL, NULL),
	    ZX_ERR_WRONG_TYPE, "ZX_INFO_PROCESS on a VMAR");
	EXPECT_OK(zx_handle_close(v));
}

TEST(InfoTopic, EveryTypedTopicOnEveryOtherType)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	uint8_t buf[256];
	const struct {
		uint32_t topic;
		zx_handle_t h;
		const char *what;
	} cases[] = {
	    {ZX_INFO_VMAR, v, "ZX_INFO_VMAR on a VMO"},
	    {ZX_INFO_VMAR, zx_process_self(), "ZX_INFO_VMAR on a process"},
	    {ZX_INFO_RESOURCE, v, "ZX_INFO_RESOURCE on a VMO"},
	    {ZX_INFO_RESOURCE, zx_vmar_root_self(), "ZX_INFO_RESOURCE on a VMAR"},
	    {ZX_INFO_RESOURCE, zx_process_self(), "ZX_INFO_RESOURCE on a process"},
	    {ZX_INFO_ZIRV_MEMTYPE, v, "ZX_INFO_ZIRV_MEMTYPE on a VMO"},
	    {ZX_INFO_ZIRV_MEMTYPE, zx_process_self(), "ZX_INFO_ZIRV_MEMTYPE on a process"},
	    {ZX_INFO_ZIRV_TLB, v, "ZX_INFO_ZIRV_TLB on a VMO"},
	    {ZX_INFO_VMO, zx_vmar_root_self(), "ZX_INFO_VMO on a VMAR"},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		EXPECT_STATUS(
		    zx_object_get_info(cases[i].h, cases[i].topic, buf, sizeof(buf), NULL, NULL),
		    ZX_ERR_WRONG_TYPE, "%s", cases[i].what);
	/* a handle without INSPECT gets WRONG_TYPE too: the topic is checked first */
	zx_handle_t none = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_NONE, &none));
	EXPECT_STATUS(zx_object_get_info(none, ZX_INFO_VMAR, buf, sizeof(buf), NULL, NULL),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_OK(zx_handle_close(none));
	EXPECT_OK(zx_handle_close(v));
}

/* ---- ZX_PROP_NAME -------------------------------------------------------- */

TEST(Name, NewVmoHasEmptyName)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	char name[ZX_MAX_NAME_LEN];
	memset(name, 'q', sizeof(name));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	for (size_t i = 0; i < sizeof(name); i++)
		EXPECT_EQ(name[i], 0, "byte %zu", i);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Name, RoundTripOnEveryType)
{
	char name[ZX_MAX_NAME_LEN];
	ASSERT_OK(zx_object_get_property(zx_process_self(), ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "initrd");
	ASSERT_OK(zx_object_set_property(zx_process_self(), ZX_PROP_NAME, "renamed", 7));
	ASSERT_OK(zx_object_get_property(zx_process_self(), ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "renamed");

	zx_handle_t dt = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
	if (dt != ZX_HANDLE_INVALID) {
		ASSERT_OK(zx_object_get_property(dt, ZX_PROP_NAME, name, sizeof(name)));
		EXPECT_STREQ(name, "devicetree");
		EXPECT_STATUS(zx_object_set_property(dt, ZX_PROP_NAME, "x", 1),
			      ZX_ERR_ACCESS_DENIED, "the DT VMO comes without SET_PROPERTY");
		EXPECT_OK(zx_handle_close(dt));
	}

	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "my-vmo", 6));
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_GET_PROPERTY, &d));
	ASSERT_OK(zx_object_get_property(d, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "my-vmo", "the name belongs to the object, not the handle");
	/* A shorter name replaces the longer one completely. */
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "ab", 2));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "ab");
	EXPECT_EQ(name[3], 0);
	/* value_size counts bytes: a longer string is cut at value_size. */
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "abcdef", 3));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "abc");
	/* An empty name. */
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "zzz", 0));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "");
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Name, TruncatedTo31Bytes)
{
	const char *longname = "0123456789abcdefghijklmnopqrstuvwxyzABCDEF"; /* 42 bytes */
	char name[ZX_MAX_NAME_LEN + 8];
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, longname, strlen(longname)));
	memset(name, 'q', sizeof(name));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_EQ(strlen(name), ZX_MAX_NAME_LEN - 1);
	EXPECT_EQ(memcmp(name, longname, ZX_MAX_NAME_LEN - 1), 0);
	EXPECT_EQ(name[ZX_MAX_NAME_LEN - 1], 0);
	for (size_t i = ZX_MAX_NAME_LEN; i < sizeof(name); i++)
		EXPECT_EQ(name[i], 'q', "byte %zu past ZX_MAX_NAME_LEN written", i);
	/* Exactly 32 bytes with the last one not NUL: still 31 + NUL. */
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, longname, ZX_MAX_NAME_LEN));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, ZX_MAX_NAME_LEN));
	EXPECT_EQ(strlen(name), ZX_MAX_NAME_LEN - 1);
	EXPECT_EQ(vmo_info(v).name[ZX_MAX_NAME_LEN - 1], 0);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Name, EmbeddedNulEndsTheName)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	char name[ZX_MAX_NAME_LEN];
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "ab\0cd", 5));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "ab");
	EXPECT_EQ(name[3], 0, "nothing after the NUL is kept");
	EXPECT_OK(zx_handle_close(v));
}

TEST(Name, Errors)
{
	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "keep", 4));
	char name[ZX_MAX_NAME_LEN];
	memset(name, 'q', sizeof(name));

	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_NAME, name, ZX_MAX_NAME_LEN - 1),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_EQ(name[0], 'q', "nothing written");
	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_NAME, name, 0), ZX_ERR_BUFFER_TOO_SMALL);

	/* Zircon's order: a NULL value first, then the handle, then the property */
	EXPECT_STATUS(zx_object_get_property(0x12345, ZX_PROP_NAME, NULL, sizeof(name)),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_set_property(0x12345, ZX_PROP_NAME, NULL, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_set_property(v, ZX_PROP_NAME, NULL, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_get_property(v, 0x4242, name, sizeof(name)), ZX_ERR_NOT_SUPPORTED);
	EXPECT_STATUS(zx_object_set_property(v, 0x4242, "x", 1), ZX_ERR_NOT_SUPPORTED);
	/* another type's property: WRONG_TYPE; its own type's, not implemented: NOT_SUPPORTED */
	uint64_t word = 0;
	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_PROCESS_DEBUG_ADDR, &word, sizeof(word)),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_object_set_property(v, ZX_PROP_SOCKET_RX_THRESHOLD, &word, sizeof(word)),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_PROCESS_DEBUG_ADDR, &word, 4),
		      ZX_ERR_BUFFER_TOO_SMALL);
	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_STREAM_MODE_APPEND, &word, sizeof(word)),
		      ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_object_get_property(zx_process_self(), ZX_PROP_PROCESS_DEBUG_ADDR, &word,
					     sizeof(word)),
		      ZX_ERR_NOT_SUPPORTED);

	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_GET_PROPERTY, &d));
	EXPECT_STATUS(zx_object_get_property(d, ZX_PROP_NAME, name, sizeof(name)),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_object_set_property(d, ZX_PROP_NAME, "keep", 4));
	EXPECT_OK(zx_handle_close(d));
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_SET_PROPERTY, &d));
	EXPECT_STATUS(zx_object_set_property(d, ZX_PROP_NAME, "lost", 4), ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(d));
	/* The root VMAR handle has neither right. */
	EXPECT_STATUS(zx_object_get_property(zx_vmar_root_self(), ZX_PROP_NAME, name, sizeof(name)),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_set_property(zx_vmar_root_self(), ZX_PROP_NAME, "x", 1),
		      ZX_ERR_ACCESS_DENIED);

	EXPECT_STATUS(zx_object_get_property(0x12345, ZX_PROP_NAME, name, sizeof(name)),
		      ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_object_set_property(0x12345, ZX_PROP_NAME, "x", 1), ZX_ERR_BAD_HANDLE);

	static const char ro[ZX_MAX_NAME_LEN] = "read-only";
	const uintptr_t bad[] = {0, KERNEL_ADDR, OPENSBI_ADDR, UNMAPPED_ADDR, PAST_USER_ADDR};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_STATUS(
		    zx_object_get_property(v, ZX_PROP_NAME, (void *)bad[i], ZX_MAX_NAME_LEN),
		    ZX_ERR_INVALID_ARGS, "get %#lx", (unsigned long)bad[i]);
		EXPECT_STATUS(zx_object_set_property(v, ZX_PROP_NAME, (const void *)bad[i], 8),
			      ZX_ERR_INVALID_ARGS, "set %#lx", (unsigned long)bad[i]);
	}
	EXPECT_STATUS(zx_object_get_property(v, ZX_PROP_NAME, (void *)ro, sizeof(ro)),
		      ZX_ERR_INVALID_ARGS, "read-only buffer");
	EXPECT_STREQ(ro, "read-only");

	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "keep", "no failed call changed the name");
	EXPECT_OK(zx_handle_close(v));
}

TEST(Name, SetReadsOnlyMinOfValueSizeAnd31Bytes)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	char name[ZX_MAX_NAME_LEN];
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "keep", 4));

	/* value_size 0: nothing is read, so a pointer is not looked at (but NULL is refused) */
	const uintptr_t any[] = {KERNEL_ADDR, UNMAPPED_ADDR, PAST_USER_ADDR};
	for (unsigned i = 0; i < sizeof(any) / sizeof(any[0]); i++) {
		ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "keep", 4));
		EXPECT_OK(zx_object_set_property(v, ZX_PROP_NAME, (const void *)any[i], 0),
			  "value %#lx, size 0", (unsigned long)any[i]);
		ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
		EXPECT_STREQ(name, "", "size 0 clears the name");
	}

	/* a huge value_size reads only the first 31 bytes */
	static char tail[PAGE];
	memset(tail, 'n', sizeof(tail));
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, tail, 1ul << 40));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_EQ(strlen(name), ZX_MAX_NAME_LEN - 1);

	/* the bytes that are read must lie in user space and be readable */
	ASSERT_OK(zx_object_set_property(v, ZX_PROP_NAME, "keep", 4));
	EXPECT_STATUS(
	    zx_object_set_property(v, ZX_PROP_NAME, (const void *)(PAST_USER_ADDR - 4), 8),
	    ZX_ERR_INVALID_ARGS, "runs past the end of user space");
	EXPECT_STATUS(
	    zx_object_set_property(v, ZX_PROP_NAME, (const void *)(PAST_USER_ADDR - 4), 1ul << 40),
	    ZX_ERR_INVALID_ARGS, "runs past the end of user space, huge size");
	zx_handle_t hv;
	zx_vaddr_t a = map_before_hole(PAGE, &hv);
	ASSERT_NE(a, 0u);
	memset((void *)(a + PAGE - 4), 'x', 4);
	EXPECT_STATUS(zx_object_set_property(v, ZX_PROP_NAME, (const void *)(a + PAGE - 4), 8),
		      ZX_ERR_INVALID_ARGS, "the second half is unmapped");
	EXPECT_OK(zx_object_set_property(v, ZX_PROP_NAME, (const void *)(a + PAGE - 4), 3),
		  "the mapped part alone is fine");
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, PAGE));
	EXPECT_OK(zx_handle_close(hv));
	ASSERT_OK(zx_object_get_property(v, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "xxx", "only the successful call changed the name");
	EXPECT_OK(zx_handle_close(v));
}

/* ---- Signals ------------------------------------------------------------- */

TEST(Signal, SetAndClearObservedByWait)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_signals_t obs = 0x1234;

	ASSERT_OK(zx_object_signal(v, 0, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_5));
	EXPECT_OK(zx_object_wait_one(v, ZX_USER_SIGNAL_5, 0, &obs));
	EXPECT_EQ(obs & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_5);
	/* Any one of several wanted signals satisfies the wait. */
	EXPECT_OK(
	    zx_object_wait_one(v, ZX_USER_SIGNAL_1 | ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, &obs));

	ASSERT_OK(zx_object_signal(v, ZX_USER_SIGNAL_0, ZX_USER_SIGNAL_7));
	EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_0, 0, &obs), ZX_ERR_TIMED_OUT);
	EXPECT_EQ(obs & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_5 | ZX_USER_SIGNAL_7);
	/* Clear and set of the same bit: set wins (clear happens first). */
	ASSERT_OK(zx_object_signal(v, ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_2));
	EXPECT_OK(zx_object_wait_one(v, ZX_USER_SIGNAL_ALL, 0, &obs));
	EXPECT_EQ(obs & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_2);
	ASSERT_OK(zx_object_signal(v, ZX_USER_SIGNAL_2, ZX_USER_SIGNAL_2));
	EXPECT_OK(zx_object_wait_one(v, ZX_USER_SIGNAL_2, 0, NULL));
	ASSERT_OK(zx_object_signal(v, ZX_USER_SIGNAL_ALL, 0));
	EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_ALL, 0, &obs), ZX_ERR_TIMED_OUT);
	EXPECT_EQ(obs & ZX_USER_SIGNAL_ALL, 0u);
	/* Signals belong to the object: a duplicate sees them. */
	zx_handle_t d = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(v, ZX_RIGHT_WAIT, &d));
	ASSERT_OK(zx_object_signal(v, 0, ZX_USER_SIGNAL_3));
	EXPECT_OK(zx_object_wait_one(d, ZX_USER_SIGNAL_3, 0, &obs));
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Signal, NonUserBitsAreInvalidArgs)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_signal(v, 0, ZX_USER_SIGNAL_1));
	EXPECT_STATUS(zx_object_signal(v, 0, 1u << 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_signal(v, 0, ZX_VMO_ZERO_CHILDREN), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_signal(v, 1u << 23, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_signal(v, ZX_USER_SIGNAL_1 | 1u << 4, 0), ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(zx_object_signal(v, 0, ZX_USER_SIGNAL_2 | 0x00ffffff), ZX_ERR_INVALID_ARGS);
	zx_signals_t obs = 0;
	EXPECT_OK(zx_object_wait_one(v, ZX_USER_SIGNAL_1, 0, &obs));
	EXPECT_EQ(obs & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_1, "failed calls changed nothing");
	EXPECT_OK(zx_handle_close(v));
}

TEST(Signal, NeedsSignalRight)
{
	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_SIGNAL, &d));
	EXPECT_STATUS(zx_object_signal(d, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_0, 0, NULL), ZX_ERR_TIMED_OUT);
	/* The root VMAR handle has no SIGNAL right either. */
	EXPECT_STATUS(zx_object_signal(zx_vmar_root_self(), 0, ZX_USER_SIGNAL_0),
		      ZX_ERR_ACCESS_DENIED);
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Signal, VmarAndResourceHandlesLackTheRight)
{
	/*
	 * Neither a VMAR nor a resource lets user code change any bit, but no
	 * handle to either carries ZX_RIGHT_SIGNAL (rights can only shrink),
	 * so the rights check answers first, even for empty masks.
	 */
	zx_handle_t res = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0));
	ASSERT_NE(res, ZX_HANDLE_INVALID);
	EXPECT_EQ(rights_of(res) & ZX_RIGHT_SIGNAL, 0u);
	EXPECT_EQ(rights_of(zx_vmar_root_self()) & ZX_RIGHT_SIGNAL, 0u);
	EXPECT_STATUS(zx_object_signal(res, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_signal(res, 0, 0), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_signal(zx_vmar_root_self(), 0, 0), ZX_ERR_ACCESS_DENIED);
	zx_handle_t d = ZX_HANDLE_INVALID;
	EXPECT_STATUS(zx_handle_duplicate(res, ZX_DEFAULT_RESOURCE_RIGHTS | ZX_RIGHT_SIGNAL, &d),
		      ZX_ERR_INVALID_ARGS, "SIGNAL cannot be added");
	EXPECT_OK(zx_handle_close(res));
}

TEST(Signal, UserSignalsOnAProcess)
{
	/* Zircon: every waitable object carries the eight user signals. */
	zx_signals_t obs = 0;
	EXPECT_OK(zx_object_signal(zx_process_self(), 0, ZX_USER_SIGNAL_4));
	EXPECT_OK(zx_object_wait_one(zx_process_self(), ZX_USER_SIGNAL_4, 0, &obs));
	EXPECT_EQ(obs & ZX_USER_SIGNAL_4, ZX_USER_SIGNAL_4);
	EXPECT_OK(zx_object_signal(zx_process_self(), ZX_USER_SIGNAL_4, 0));
	EXPECT_STATUS(zx_object_signal(zx_process_self(), 0, ZX_PROCESS_TERMINATED),
		      ZX_ERR_INVALID_ARGS);
}

TEST(Signal, NewVmoAssertsZeroChildren)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_signals_t obs = 0;
	EXPECT_OK(zx_object_wait_one(v, ZX_VMO_ZERO_CHILDREN, 0, &obs),
		  "Zircon asserts ZX_VMO_ZERO_CHILDREN on every new VMO");
	EXPECT_EQ(obs, ZX_VMO_ZERO_CHILDREN);
	EXPECT_OK(zx_handle_close(v));
}

/* ---- wait_one ------------------------------------------------------------ */

TEST(Wait, SatisfiedReturnsAtOnce)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_signal(v, 0, ZX_USER_SIGNAL_6));
	zx_instant_mono_t t0 = zx_clock_get_monotonic();
	zx_signals_t obs = 0;
	EXPECT_OK(zx_object_wait_one(v, ZX_USER_SIGNAL_6, zx_deadline_after(ZX_SEC(10)), &obs));
	zx_instant_mono_t t1 = zx_clock_get_monotonic();
	EXPECT_EQ(obs & ZX_USER_SIGNAL_ALL, ZX_USER_SIGNAL_6);
	EXPECT_TRUE(t1 - t0 < ZX_SEC(2), "took %ld ns", (long)(t1 - t0));
	EXPECT_OK(zx_object_wait_one(v, ZX_USER_SIGNAL_6, ZX_TIME_INFINITE, NULL),
		  "NULL observed is allowed");
	EXPECT_OK(zx_handle_close(v));
}

TEST(Wait, TimesOutNoEarlierThanDeadline)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_signals_t obs = 0x55;
	zx_instant_mono_t deadline = zx_deadline_after(ZX_MSEC(20));
	EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_0, deadline, &obs), ZX_ERR_TIMED_OUT);
	zx_instant_mono_t now = zx_clock_get_monotonic();
	EXPECT_TRUE(now >= deadline, "woke %ld ns early", (long)(deadline - now));
	EXPECT_TRUE(now - deadline < ZX_SEC(5), "woke %ld ns late", (long)(now - deadline));
	EXPECT_EQ(obs, ZX_VMO_ZERO_CHILDREN, "observed is written on timeout too");
	/* signals = 0 can never be satisfied. */
	deadline = zx_deadline_after(ZX_MSEC(5));
	EXPECT_STATUS(zx_object_wait_one(v, 0, deadline, NULL), ZX_ERR_TIMED_OUT);
	EXPECT_TRUE(zx_clock_get_monotonic() >= deadline);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Wait, OddDeadlinesAreNeverEarly)
{
	/* Deadlines between timer ticks (100 ns on QEMU virt) must round up. */
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	int early = 0;
	zx_duration_mono_t worst = 0;
	for (int i = 0; i < 200; i++) {
		zx_instant_mono_t deadline = zx_clock_get_monotonic() + ZX_USEC(50) + 99;
		zx_status_t st = zx_object_wait_one(v, ZX_USER_SIGNAL_0, deadline, NULL);
		zx_instant_mono_t now = zx_clock_get_monotonic();
		EXPECT_STATUS(st, ZX_ERR_TIMED_OUT);
		note_early(deadline, now, &early, &worst);
	}
	EXPECT_EQ(early, 0, "%d of 200 waits returned before their deadline (up to %ld ns)", early,
		  (long)worst);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Wait, PastDeadlineTimesOutAtOnce)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	zx_instant_mono_t t0 = zx_clock_get_monotonic();
	EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_0, 0, NULL), ZX_ERR_TIMED_OUT);
	EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_0, t0 - ZX_SEC(1), NULL),
		      ZX_ERR_TIMED_OUT);
	EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_0, -5, NULL), ZX_ERR_TIMED_OUT);
	zx_instant_mono_t t1 = zx_clock_get_monotonic();
	EXPECT_TRUE(t1 - t0 < ZX_SEC(2), "took %ld ns", (long)(t1 - t0));
	EXPECT_OK(zx_handle_close(v));
}

TEST(Wait, BadObservedPointerTimingAroundTheWait)
{
	zx_handle_t v = new_vmo(PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	static zx_signals_t sig[2];

	/* misaligned or outside user space: refused before any waiting */
	const uintptr_t early[] = {(uintptr_t)sig + 1, KERNEL_ADDR, PAST_USER_ADDR};
	for (unsigned i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		zx_instant_mono_t deadline = zx_deadline_after(ZX_SEC(2));
		EXPECT_STATUS(
		    zx_object_wait_one(v, ZX_USER_SIGNAL_0, deadline, (zx_signals_t *)early[i]),
		    ZX_ERR_INVALID_ARGS, "observed %#lx", (unsigned long)early[i]);
		EXPECT_TRUE(zx_clock_get_monotonic() < deadline, "observed %#lx: it waited",
			    (unsigned long)early[i]);
	}

	/* unwritable (unmapped, read-only): noticed only once the wait is over */
	static const zx_signals_t ro = 0;
	const uintptr_t late[] = {UNMAPPED_ADDR, (uintptr_t)&ro};
	for (unsigned i = 0; i < sizeof(late) / sizeof(late[0]); i++) {
		zx_instant_mono_t deadline = zx_deadline_after(ZX_MSEC(20));
		EXPECT_STATUS(
		    zx_object_wait_one(v, ZX_USER_SIGNAL_0, deadline, (zx_signals_t *)late[i]),
		    ZX_ERR_INVALID_ARGS, "observed %#lx", (unsigned long)late[i]);
		EXPECT_TRUE(zx_clock_get_monotonic() >= deadline, "observed %#lx: no wait",
			    (unsigned long)late[i]);
	}
	EXPECT_EQ(ro, 0u);
	EXPECT_OK(zx_handle_close(v));
}

TEST(Wait, Errors)
{
	zx_handle_t v = new_vmo(PAGE), d = ZX_HANDLE_INVALID;
	ASSERT_NE(v, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_object_signal(v, 0, ZX_USER_SIGNAL_0));
	ASSERT_OK(zx_handle_duplicate(v, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WAIT, &d));
	EXPECT_STATUS(zx_object_wait_one(d, ZX_USER_SIGNAL_0, 0, NULL), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_object_wait_one(zx_vmar_root_self(), ZX_USER_SIGNAL_0, 0, NULL),
		      ZX_ERR_ACCESS_DENIED, "the root VMAR handle has no WAIT right");
	EXPECT_STATUS(zx_object_wait_one(0x12345, ZX_USER_SIGNAL_0, 0, NULL), ZX_ERR_BAD_HANDLE);

	static zx_signals_t sig[2];
	static const zx_signals_t ro = 0;
	const uintptr_t bad[] = {KERNEL_ADDR,	 OPENSBI_ADDR,	     UNMAPPED_ADDR,
				 PAST_USER_ADDR, (uintptr_t)sig + 1, (uintptr_t)&ro};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_0, 0, (zx_signals_t *)bad[i]),
			      ZX_ERR_INVALID_ARGS, "satisfied, observed %#lx",
			      (unsigned long)bad[i]);
		EXPECT_STATUS(zx_object_wait_one(v, ZX_USER_SIGNAL_1, 0, (zx_signals_t *)bad[i]),
			      ZX_ERR_INVALID_ARGS, "timed out, observed %#lx",
			      (unsigned long)bad[i]);
	}
	EXPECT_EQ(ro, 0u);
	EXPECT_OK(zx_object_wait_one(v, ZX_USER_SIGNAL_0, 0, &sig[0]), "the kernel survived");
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_handle_close(v));
}

/* Properties Zircon only reads or only writes: the other way is NOT_SUPPORTED. */
TEST(Property, OneWayProperties)
{
	uint64_t v = 0;
	EXPECT_STATUS(
	    zx_object_get_property(zx_process_self(), ZX_PROP_JOB_KILL_ON_OOM, &v, sizeof(v)),
	    ZX_ERR_NOT_SUPPORTED, "only set, never read");
	EXPECT_STATUS(
	    zx_object_set_property(zx_process_self(), ZX_PROP_JOB_KILL_ON_OOM, &v, sizeof(v)),
	    ZX_ERR_WRONG_TYPE, "a job's");
	EXPECT_STATUS(
	    zx_object_set_property(zx_process_self(), ZX_PROP_PROCESS_VDSO_BASE_ADDRESS, &v, 4),
	    ZX_ERR_NOT_SUPPORTED, "only read: not even the size is looked at");
	EXPECT_STATUS(
	    zx_object_get_property(zx_process_self(), ZX_PROP_PROCESS_VDSO_BASE_ADDRESS, &v, 4),
	    ZX_ERR_BUFFER_TOO_SMALL);
}
