/*
 * The boot archive: `-initrd` may be a cpio archive in the "newc" format
 * (`cpio -o -H newc`, or the SDK's zx-bootfs). Each member is a 110-byte
 * ASCII header (magic 070701 or 070702, then thirteen 8-digit hex fields),
 * its NUL-terminated name, padding to 4 bytes, its data, padding to 4; a
 * member named TRAILER!!! ends the archive. Pure code: the kernel and the
 * host tests build it.
 */
#ifndef ZIRV_BOOTFS_H
#define ZIRV_BOOTFS_H

#include <stdbool.h>
#include <stddef.h>

/* Does [buf, buf+len) begin like a newc archive (rather than an ELF)? */
bool bootfs_is_archive(const void *buf, size_t len);

enum bootfs_result { BOOTFS_FOUND, BOOTFS_MISSING, BOOTFS_MALFORMED };

/*
 * Look `path` up in the archive (a member named "path", "./path" or
 * "/path"). FOUND: *data and *size give its bytes, inside the archive.
 * MISSING: the archive is whole and has no such member. MALFORMED: *why
 * says what is wrong (a header, a name or a size reaching past the end, no
 * trailer); nothing outside [buf, buf+len) is ever read.
 */
enum bootfs_result bootfs_find(const void *buf, size_t len, const char *path, const void **data,
			       size_t *size, const char **why);

#endif
