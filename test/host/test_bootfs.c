/*
 * test_bootfs.c: kernel/bootfs.c, the boot-archive reader, on the host
 * under ASan/UBSan. Each archive is built in a heap buffer of exactly its
 * size, so a read past the end is caught; every way a header, name or
 * size can be wrong must come back MALFORMED with a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootfs.h"

static int failures;
#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			printf("FAIL %s:%d: %s ", __FILE__, __LINE__, #c);                         \
			printf(" " __VA_ARGS__);                                                   \
			printf("\n");                                                              \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static size_t put(char *out, const char *name, const char *data, size_t size, size_t name_field)
{
	size_t n = strlen(name) + 1, off;
	off =
	    (size_t)sprintf(out, "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", 1,
			    0100644, 0, 0, 1, 0, size, 0, 0, 0, 0, name_field ? name_field : n, 0);
	memcpy(out + off, name, n);
	off += n;
	while (off % 4)
		out[off++] = 0;
	memcpy(out + off, data, size);
	off += size;
	while (off % 4)
		out[off++] = 0;
	return off;
}

/* An archive of `names` (each with data "<name>!"), in a buffer of exactly its size. */
static char *build(const char *const *names, int count, bool trailer, size_t *len)
{
	static char tmp[4096];
	size_t off = 0;
	for (int i = 0; i < count; i++) {
		char data[64];
		snprintf(data, sizeof(data), "%s!", names[i]);
		off += put(tmp + off, names[i], data, strlen(data), 0);
	}
	if (trailer)
		off += put(tmp + off, "TRAILER!!!", "", 0, 0);
	char *a = malloc(off);
	memcpy(a, tmp, off);
	*len = off;
	return a;
}

static enum bootfs_result find(const char *a, size_t len, const char *path, const char **data,
			       size_t *size, const char **why)
{
	const void *d = NULL;
	*why = "";
	enum bootfs_result r = bootfs_find(a, len, path, &d, size, why);
	*data = d;
	return r;
}

int main(void)
{
	const char *why, *data;
	size_t len, size;

	static const char *const names[] = {"data/motd", "./bin/init", "/etc/x"};
	char *a = build(names, 3, true, &len);
	CHECK(bootfs_is_archive(a, len), "newc magic");
	CHECK(!bootfs_is_archive("\x7f"
				 "ELF",
				 4) &&
		  !bootfs_is_archive("0707", 4),
	      "not newc");
	CHECK(find(a, len, "bin/init", &data, &size, &why) == BOOTFS_FOUND && size == 11 &&
		  memcmp(data, "./bin/init!", 11) == 0,
	      "a ./ prefix is ignored");
	CHECK(find(a, len, "etc/x", &data, &size, &why) == BOOTFS_FOUND, "so is a / prefix");
	CHECK(find(a, len, "data/motd", &data, &size, &why) == BOOTFS_FOUND && size == 10);
	CHECK(find(a, len, "data/mot", &data, &size, &why) == BOOTFS_MISSING, "no prefix match");
	CHECK(find(a, len, "bin/init/x", &data, &size, &why) == BOOTFS_MISSING);
	free(a);

	/* every truncation of a whole archive is MALFORMED, never a read past the end */
	a = build(names, 3, true, &len);
	for (size_t cut = 0; cut < len; cut++) {
		char *t = malloc(cut ? cut : 1);
		memcpy(t, a, cut);
		enum bootfs_result r = find(t, cut, "no/such", &data, &size, &why);
		CHECK(r == BOOTFS_MALFORMED && *why, "cut at %zu: %d", cut, r);
		free(t);
	}
	free(a);

	a = build(names, 2, false, &len);
	CHECK(find(a, len, "x", &data, &size, &why) == BOOTFS_MALFORMED && strstr(why, "TRAILER"),
	      "no trailer: %s", why);
	CHECK(find(a, len, "data/motd", &data, &size, &why) == BOOTFS_FOUND,
	      "what comes before the missing trailer is found");
	a[0] = 'X';
	CHECK(find(a, len, "x", &data, &size, &why) == BOOTFS_MALFORMED && strstr(why, "magic"),
	      "%s", why);
	a[0] = '0';
	a[6 + 8 * 6] = 'g'; /* c_filesize */
	CHECK(find(a, len, "x", &data, &size, &why) == BOOTFS_MALFORMED && strstr(why, "hex"), "%s",
	      why);
	memcpy(a + 6 + 8 * 6, "ffffffff", 8);
	CHECK(find(a, len, "x", &data, &size, &why) == BOOTFS_MALFORMED && strstr(why, "data"),
	      "a huge file size: %s", why);
	free(a);

	/* name sizes: 0, unterminated, past the end */
	static char buf[256];
	size_t n = put(buf, "abc", "1", 1, 0);
	memcpy(buf + 6 + 8 * 11, "00000000", 8);
	a = malloc(n);
	memcpy(a, buf, n);
	CHECK(find(a, n, "abc", &data, &size, &why) == BOOTFS_MALFORMED && strstr(why, "name"),
	      "empty name: %s", why);
	memcpy(a + 6 + 8 * 11, "00000003", 8); /* "abc" without its NUL */
	CHECK(find(a, n, "abc", &data, &size, &why) == BOOTFS_MALFORMED && strstr(why, "name"),
	      "unterminated: %s", why);
	memcpy(a + 6 + 8 * 11, "ffffffff", 8);
	CHECK(find(a, n, "abc", &data, &size, &why) == BOOTFS_MALFORMED && strstr(why, "name"),
	      "past the end: %s", why);
	free(a);

	printf("bootfs: %s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
