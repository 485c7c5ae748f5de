/*
 * Tiny assertion helpers shared by the host tests. Every CHECK counts;
 * a failing one prints file:line and the values, and the test keeps going
 * so one run shows every mismatch. t_done() turns the count into the exit
 * status meson reads.
 */
#ifndef ZIRV_TESTUTIL_H
#define ZIRV_TESTUTIL_H

#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_checks, t_failures;
static const char *t_ctx = ""; /* the DTB or case being checked */

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		t_checks++;                                                                        \
		if (!(cond)) {                                                                     \
			t_failures++;                                                              \
			fprintf(stderr, "%s:%d: [%s] CHECK(%s) failed: ", __FILE__, __LINE__,      \
				t_ctx, #cond);                                                     \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

#define CHECK_U64(a, b)                                                                            \
	CHECK((uint64_t)(a) == (uint64_t)(b), "%s = 0x%" PRIx64 ", expected 0x%" PRIx64, #a,       \
	      (uint64_t)(a), (uint64_t)(b))

#define CHECK_STR(a, b) CHECK(strcmp((a), (b)) == 0, "%s = \"%s\", expected \"%s\"", #a, (a), (b))

/* Whole file in a malloc'd buffer of exactly its size (so ASan sees overreads). */
static inline unsigned char *t_load(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static inline int t_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, t_checks, t_failures);
	return t_failures ? 1 : 0;
}

#endif
