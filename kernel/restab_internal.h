/*
 * Internals shared by the resource-table builder's files (restab.c builds,
 * restab_cpu.c reads the harts, restab_print.c formats): a bounded text
 * builder and the build context. Not part of the restab.h interface.
 */
#ifndef ZIRV_RESTAB_INTERNAL_H
#define ZIRV_RESTAB_INTERNAL_H

/* Hosted builds (zirv-dt, tests) get strnlen from POSIX; the kernel's own
 * <string.h> declares it unconditionally. Must precede every #include. */
#if !defined(ZIRV_KERNEL) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include <string.h>

#include "restab.h"

#define RT_PAGE	    4096u
#define RAM_RAW_MAX 64 /* memory reg entries kept for the carve-out check */
#define POOL_MAX    16 /* shared-dma-pool ranges, added once everything else is known */

/* Bounded text builder: never overflows, always NUL-terminated. */
struct sb {
	char *buf;
	size_t cap, n;
};

static inline void sb_ch(struct sb *s, char c)
{
	if (s->n + 1 < s->cap) {
		s->buf[s->n++] = c;
		s->buf[s->n] = '\0';
	}
}

static inline void sb_str(struct sb *s, const char *str)
{
	while (*str)
		sb_ch(s, *str++);
}

static inline void sb_hex(struct sb *s, uint64_t v, int digits)
{
	sb_str(s, "0x");
	for (int i = digits - 1; i >= 0; i--)
		sb_ch(s, "0123456789abcdef"[(v >> (4 * i)) & 0xf]);
}

/* Hex with no leading zeros. */
static inline void sb_xhex(struct sb *s, uint64_t v)
{
	int d = 1;
	while (d < 16 && (v >> (4 * d)) != 0)
		d++;
	sb_hex(s, v, d);
}

static inline void sb_dec(struct sb *s, uint64_t v)
{
	char tmp[24];
	int i = 0;
	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		sb_ch(s, tmp[--i]);
}

static inline void sb_pad(struct sb *s, size_t col)
{
	while (s->n < col && s->n + 1 < s->cap)
		sb_ch(s, ' ');
}

/* Copies at most srclen bytes of src, stopping at a NUL, truncating to cap. */
static inline void copy_str(char *dst, size_t cap, const char *src, size_t srclen)
{
	size_t n = strnlen(src, srclen);
	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* --------------------------------------------------------- build context */

/* One ancestor on the walk: the cells its children's reg/ranges use. */
struct level {
	int node;
	uint32_t ac, sc; /* this node's #address-cells/#size-cells (defaults 2/1) */
	uint8_t mode;	 /* M_*: how the walk treats this node's children */
	bool visit;	 /* the walk records this node's reg */
};

enum { M_NORMAL, M_SKIP, M_RESV_BUS, M_PCI };

struct build {
	struct restab *rt; /* NULL for restab_node_reg */
	const struct dt *dt;
	char *err;
	size_t errcap;
	struct level lv[DT_MAX_DEPTH + 1];
	uint64_t ram[RAM_RAW_MAX][2]; /* base, end of each memory reg entry */
	uint32_t nram;
	struct {
		uint64_t base, size;
		int node;
		uint8_t flags;
	} pool[POOL_MAX];
	uint32_t npool;
};

/* Sets the error message "<path>: <what>" (path omitted for node < 0); returns code. */
int restab_fail(struct build *b, int code, int node, const char *what);
/* Adds the refusal "<path>: <what>" to rt->warn (path omitted for node < 0). */
void restab_warn(struct build *b, int node, const char *what);
/* The node whose phandle (or linux,phandle) is `phandle`, or DT_NONE. */
int restab_find_phandle(const struct dt *dt, uint32_t phandle);
/* The ISA extensions zirv looks for, by name (restab_cpu.c). */
struct restab_ext {
	const char *name;
	uint32_t bit;
};
#define RESTAB_NEXTS 7
extern const struct restab_ext restab_cpu_exts[RESTAB_NEXTS];

/* CPU facts of every hart under /cpus into b->rt->cpu (restab_cpu.c). */
int restab_cpu_facts(struct build *b);
/* The usable-hart index of the cpu node (under `cpus`) that holds interrupt controller `intc`, or
 * -1. */
int restab_hart_of_intc(const struct build *b, int cpus, int intc);
/* Does a compatible string of `node` contain `sub`? */
bool restab_compat_contains(const struct dt *dt, int node, const char *sub);
/* The PLIC and every device interrupt it takes into b->rt (restab_irq.c; after the CPU facts). */
void restab_irqs(struct build *b);

#endif
