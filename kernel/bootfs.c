#include <stdint.h>

#include "bootfs.h"

#define HEADER	  110
#define FIELD(i)  (6 + 8 * (i)) /* offset of the i-th 8-digit field */
#define FILESIZE  6		/* field numbers: c_filesize, c_namesize */
#define NAMESIZE  11
#define ALIGN4(x) (((x) + 3) & ~(size_t)3)

static bool magic_at(const uint8_t *p)
{
	static const char m[] = "07070";
	for (int i = 0; i < 5; i++)
		if (p[i] != (uint8_t)m[i])
			return false;
	return p[5] == '1' || p[5] == '2';
}

bool bootfs_is_archive(const void *buf, size_t len)
{
	return len >= 6 && magic_at(buf);
}

/* An 8-digit hex field; false if a digit is not hex. */
static bool hex8(const uint8_t *p, size_t *out)
{
	size_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return false;
		v = v << 4 | (size_t)d;
	}
	*out = v;
	return true;
}

/* Does the member name (n bytes, no NUL) name `path`, with or without "./" or "/"? */
static bool same_path(const uint8_t *name, size_t n, const char *path)
{
	if (n >= 2 && name[0] == '.' && name[1] == '/') {
		name += 2;
		n -= 2;
	} else if (n >= 1 && name[0] == '/') {
		name++;
		n--;
	}
	size_t i = 0;
	for (; i < n && path[i]; i++)
		if (name[i] != (uint8_t)path[i])
			return false;
	return i == n && !path[i];
}

static bool is_trailer(const uint8_t *name, size_t n)
{
	static const char t[] = "TRAILER!!!";
	if (n != sizeof(t) - 1)
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] != (uint8_t)t[i])
			return false;
	return true;
}

enum bootfs_result bootfs_find(const void *buf, size_t len, const char *path, const void **data,
			       size_t *size, const char **why)
{
	const uint8_t *a = buf;

	for (size_t off = 0;;) {
		size_t namesize, filesize;
		if (len - off < HEADER) {
			*why = "it ends without a TRAILER!!! member";
			return BOOTFS_MALFORMED;
		}
		const uint8_t *h = a + off;
		if (!magic_at(h)) {
			*why = "a member header lacks the 070701 magic";
			return BOOTFS_MALFORMED;
		}
		if (!hex8(h + FIELD(FILESIZE), &filesize) ||
		    !hex8(h + FIELD(NAMESIZE), &namesize)) {
			*why = "a member header has a field that is not hexadecimal";
			return BOOTFS_MALFORMED;
		}
		size_t name = off + HEADER;
		if (namesize == 0 || namesize > len - name || a[name + namesize - 1] != 0) {
			*why = "a member name is empty, unterminated or runs past the end";
			return BOOTFS_MALFORMED;
		}
		size_t start = ALIGN4(name + namesize);
		if (start > len || filesize > len - start) {
			*why = "a member's data runs past the end";
			return BOOTFS_MALFORMED;
		}
		if (is_trailer(a + name, namesize - 1))
			return BOOTFS_MISSING;
		if (same_path(a + name, namesize - 1, path)) {
			*data = a + start;
			*size = filesize;
			return BOOTFS_FOUND;
		}
		off = ALIGN4(start + filesize);
		if (off > len) {
			*why = "it ends without a TRAILER!!! member";
			return BOOTFS_MALFORMED;
		}
	}
}
