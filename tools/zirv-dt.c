/*
 * zirv-dt FILE.dtb: print the resource table, the CPU facts and the PTE
 * memory-type encoding the kernel would choose from this device tree,
 * using the very code the kernel runs (kernel/fdt.c, kernel/restab.c).
 * Exit 0 on success; on any error one line "zirv-dt: FILE: message" on
 * stderr and exit 1.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdt.h"
#include "restab.h"

/* A DTB is at most a few hundred KiB; refuse anything absurd before reading. */
#define MAX_DTB (16u << 20)

static struct restab rt; /* large: static, like in the kernel */

static void put_line(const char *line)
{
	puts(line);
}

static int die(const char *file, const char *msg)
{
	fprintf(stderr, "zirv-dt: %s: %s\n", file, msg);
	return 1;
}

/* Reads the whole file into a malloc'd buffer; NULL with errno/msg set. */
static unsigned char *read_file(const char *path, size_t *len, const char **msg)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*msg = strerror(errno);
		return NULL;
	}
	unsigned char *buf = malloc(MAX_DTB + 1);
	size_t n = buf ? fread(buf, 1, MAX_DTB + 1, f) : 0;
	int bad = !buf || ferror(f);
	fclose(f);
	if (bad || n > MAX_DTB) {
		*msg = bad ? "cannot read file" : "file larger than 16 MiB: not a device tree";
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: zirv-dt FILE.dtb\n");
		return 2;
	}
	const char *file = argv[1], *msg = NULL;
	size_t len = 0;
	unsigned char *blob = read_file(file, &len, &msg);
	if (!blob)
		return die(file, msg);
	struct dt dt;
	int err = dt_open(&dt, blob, len);
	if (err) {
		free(blob);
		return die(file, dt_strerror(err));
	}
	err = restab_build(&rt, &dt, NULL);
	if (err) {
		/* rt.err names the node or field at fault; the code's text is the fallback. */
		free(blob);
		return die(file, rt.err[0] ? rt.err : dt_strerror(err));
	}
	restab_print(&rt, put_line);
	free(blob);
	return 0;
}
