/*
 * bootfs.c: booted as bin/init of a boot archive (meson.build builds it
 * with zx-bootfs, with data/motd beside it). The process gets the whole
 * archive as a read-only VMO at PA_HND(PA_VMO_BOOTFS, 0); the SDK keeps
 * it and hands out duplicates; the archive holds this program and the
 * file, byte for byte.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/processargs.h>

#include "phys_util.h"

/*
 * 41 bytes, and first in the archive: bin/init's bytes then start 4 bytes
 * off an 8-byte boundary. The kernel's ELF reader copies its headers out
 * rather than load 8-byte fields there (QEMU would not mind the misaligned
 * loads; cores that trap them would).
 */
static const char motd[] = "zirv boot archive: data/motd, 4-aligned.\n";

/* A newc member's bytes, or NULL (a minimal reader: the kernel's is tested on the host). */
static const uint8_t *find(const uint8_t *a, size_t len, const char *name, size_t *size)
{
	for (size_t off = 0; off + 110 <= len;) {
		char f[9] = {0};
		memcpy(f, a + off + 54, 8);
		size_t filesize = strtoul(f, NULL, 16);
		memcpy(f, a + off + 94, 8);
		size_t namesize = strtoul(f, NULL, 16);
		const char *n = (const char *)a + off + 110;
		size_t data = (off + 110 + namesize + 3) & ~(size_t)3;
		if (strcmp(n, name) == 0) {
			*size = filesize;
			return a + data;
		}
		if (strcmp(n, "TRAILER!!!") == 0)
			return NULL;
		off = (data + filesize + 3) & ~(size_t)3;
	}
	return NULL;
}

TEST(Bootfs, TheArchiveAsAReadOnlyVmo)
{
	zx_handle_t fs = zx_take_startup_handle(PA_HND(PA_VMO_BOOTFS, 0));
	zx_handle_t fs2 = zx_take_startup_handle(PA_HND(PA_VMO_BOOTFS, 0));
	ASSERT_NE(fs, ZX_HANDLE_INVALID);
	ASSERT_NE(fs2, ZX_HANDLE_INVALID, "the runtime keeps it: every take is a duplicate");
	EXPECT_NE(fs, fs2);
	EXPECT_EQ(koid_of(fs), koid_of(fs2));
	EXPECT_EQ(rights_of(fs) & (ZX_RIGHT_WRITE | ZX_RIGHT_SET_PROPERTY), 0u, "read-only");
	EXPECT_EQ(rights_of(fs) & (ZX_RIGHT_READ | ZX_RIGHT_MAP), ZX_RIGHT_READ | ZX_RIGHT_MAP);
	char name[ZX_MAX_NAME_LEN] = {0};
	EXPECT_OK(zx_object_get_property(fs, ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "bootfs");
	uint8_t b = 0;
	EXPECT_STATUS(zx_vmo_write(fs, &b, 0, 1), ZX_ERR_ACCESS_DENIED);

	uint64_t size = 0;
	ASSERT_OK(zx_vmo_get_size(fs, &size));
	zx_vaddr_t a = 0;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, fs, 0, size, &a));
	const uint8_t *archive = (const uint8_t *)a;
	EXPECT_EQ(memcmp(archive, "070701", 6), 0);
	size_t n = 0;
	const uint8_t *m = find(archive, size, "data/motd", &n);
	ASSERT_NOT_NULL(m, "data/motd is in the archive");
	EXPECT_EQ(n, sizeof(motd) - 1);
	EXPECT_EQ(memcmp(m, motd, n), 0);
	const uint8_t *init = find(archive, size, "bin/init", &n);
	ASSERT_NOT_NULL(init);
	EXPECT_EQ(memcmp(init,
			 "\x7f"
			 "ELF",
			 4),
		  0, "bin/init is this program");
	EXPECT_EQ((init - archive) % 8, 4, "at an offset no 8-byte load may touch directly");
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), a, size));
	EXPECT_OK(zx_handle_close(fs));
	EXPECT_OK(zx_handle_close(fs2));
}

TEST(Bootfs, TheProcessIsNamedAfterIt)
{
	char name[ZX_MAX_NAME_LEN] = {0};
	EXPECT_OK(zx_object_get_property(zx_process_self(), ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "bin/init");
	EXPECT_OK(handle_valid(root_resource()), "the other start-up handles are there too");
	EXPECT_OK(handle_valid(mmio_resource()));
}
