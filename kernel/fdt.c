/*
 * Flattened device tree reader (devicetree spec v0.4, chapter 5).
 *
 * dt_open() checks the whole blob once; afterwards every accessor still
 * bounds-checks what it reads (tok_at, tok_next, valid_node, valid_prop),
 * so even a forged handle cannot make it read outside the blob.
 */
/* Hosted builds (zirv-dt, tests) get strnlen from POSIX; the kernel's own
 * <string.h> declares it unconditionally. Must precede every #include. */
#if !defined(ZIRV_KERNEL) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "fdt.h"

#include <string.h>

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u
#define FDT_END	       9u

/* A v17 header is ten 32-bit fields; v16 lacks the last but we require
 * the 40 bytes anyway (dtc always pads the header to 8 bytes). */
#define HDR_SIZE 40u
#define RSV_SIZE 16u

enum hdr_field {
	H_MAGIC,
	H_TOTALSIZE,
	H_OFF_STRUCT,
	H_OFF_STRINGS,
	H_OFF_RSVMAP,
	H_VERSION,
	H_LAST_COMP,
	H_BOOT_CPUID,
	H_SIZE_STRINGS,
	H_SIZE_STRUCT,
};

static const char *const errmsg[DT_E_COUNT] = {
    [DT_OK] = "ok",
    [DT_E_SHORT] = "blob shorter than its header or totalsize claims",
    [DT_E_MAGIC] = "bad magic (not a flattened device tree)",
    [DT_E_VERSION] = "unsupported FDT version (need version >= 16, last_comp_version <= 17)",
    [DT_E_TOTALSIZE] = "totalsize smaller than the header or too large",
    [DT_E_BLOCK_RANGE] = "a block (rsvmap, structure, strings) lies past totalsize",
    [DT_E_BLOCK_OVERLAP] = "blocks overlap each other or the header",
    [DT_E_ALIGN] = "misaligned block (structure needs 4, rsvmap 8 bytes)",
    [DT_E_TOKEN] = "bad or misplaced structure token",
    [DT_E_DEPTH] = "nodes nested too deeply",
    [DT_E_NAME] = "node name unterminated inside the structure block",
    [DT_E_STRING] = "property name offset outside the strings block or unterminated",
    [DT_E_PROPLEN] = "property value runs past the structure block",
    [DT_E_END] = "structure block does not end with FDT_END after the root node",
    [DT_E_RSVMAP] = "memory reservation map not terminated inside the blob",
    [DT_E_CELLS] = "#address-cells or #size-cells greater than 2",
    [DT_E_REG] = "reg length is not a multiple of the entry size",
    [DT_E_RANGES] = "bad ranges, or reg not covered by the parent's ranges",
    [DT_E_TOOMANY] = "too many resource-table entries",
    [DT_E_NOMMU] = "no enabled hart has an Sv39-capable MMU",
    [DT_E_NOMEM] = "no memory node",
    [DT_E_TIMEBASE] = "no timebase-frequency in /cpus or its harts",
};

const char *dt_strerror(int err)
{
	if (err < 0 || err >= DT_E_COUNT)
		return "unknown device tree error";
	return errmsg[err];
}

uint32_t dt_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* More than two cells keep only the low 64 bits; callers reject them first. */
uint64_t dt_read_cells(const void *p, uint32_t ncells)
{
	const uint8_t *b = p;
	uint64_t v = 0;
	for (uint32_t i = 0; i < ncells; i++)
		v = v << 32 | dt_be32(b + 4 * i);
	return v;
}

static uint64_t align4(uint64_t v)
{
	return (v + 3) & ~(uint64_t)3;
}

/* ------------------------------------------------------------ validation */

static uint32_t hdr(const uint8_t *b, enum hdr_field f)
{
	return dt_be32(b + 4 * f);
}

/* v16 has no size_dt_struct: assume the block runs to the strings block (or
 * the end); check_struct trims it to FDT_END. */
static uint32_t v16_struct_size(const struct dt *dt)
{
	if (dt->off_struct > dt->totalsize)
		return 0;
	if (dt->off_strings > dt->off_struct && dt->off_strings <= dt->totalsize)
		return dt->off_strings - dt->off_struct;
	return dt->totalsize - dt->off_struct;
}

static int check_header(struct dt *dt, const uint8_t *b, uint64_t avail)
{
	if (avail < 4)
		return DT_E_SHORT;
	if (hdr(b, H_MAGIC) != FDT_MAGIC)
		return DT_E_MAGIC;
	if (avail < HDR_SIZE)
		return DT_E_SHORT;
	if (hdr(b, H_VERSION) < 16 || hdr(b, H_LAST_COMP) > 17)
		return DT_E_VERSION;
	dt->totalsize = hdr(b, H_TOTALSIZE);
	/* Handles are ints: keep every offset below 2^31. */
	if (dt->totalsize < HDR_SIZE || dt->totalsize > 0x7fffffffu)
		return DT_E_TOTALSIZE;
	if (dt->totalsize > avail)
		return DT_E_SHORT;
	dt->blob = b;
	dt->off_struct = hdr(b, H_OFF_STRUCT);
	dt->off_strings = hdr(b, H_OFF_STRINGS);
	dt->off_rsvmap = hdr(b, H_OFF_RSVMAP);
	dt->size_strings = hdr(b, H_SIZE_STRINGS);
	dt->boot_cpuid = hdr(b, H_BOOT_CPUID);
	if (hdr(b, H_VERSION) >= 17)
		dt->size_struct = hdr(b, H_SIZE_STRUCT);
	else
		dt->size_struct = v16_struct_size(dt);
	return DT_OK;
}

static bool block_inside(const struct dt *dt, uint32_t off, uint32_t size)
{
	return (uint64_t)off + size <= dt->totalsize;
}

/* Finds the 0,0 terminator; the map then spans (nrsv + 1) entries. */
static int check_rsvmap(struct dt *dt)
{
	uint64_t off = dt->off_rsvmap;
	for (uint32_t i = 0; off + RSV_SIZE <= dt->totalsize; i++, off += RSV_SIZE) {
		const uint8_t *p = dt->blob + off;
		if (dt_read_cells(p, 2) == 0 && dt_read_cells(p + 8, 2) == 0) {
			dt->nrsv = i;
			return DT_OK;
		}
	}
	return DT_E_RSVMAP;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static int check_blocks(struct dt *dt)
{
	if (dt->off_rsvmap >= dt->totalsize || !block_inside(dt, dt->off_struct, dt->size_struct) ||
	    !block_inside(dt, dt->off_strings, dt->size_strings))
		return DT_E_BLOCK_RANGE;
	if (dt->off_struct % 4 || dt->off_rsvmap % 8)
		return DT_E_ALIGN;
	int err = check_rsvmap(dt);
	if (err)
		return err;
	uint64_t rsv_len = (uint64_t)(dt->nrsv + 1) * RSV_SIZE;
	uint64_t blk[3][2] = {{dt->off_rsvmap, rsv_len},
			      {dt->off_struct, dt->size_struct},
			      {dt->off_strings, dt->size_strings}};
	for (int i = 0; i < 3; i++) {
		if (overlap(0, HDR_SIZE, blk[i][0], blk[i][1]))
			return DT_E_BLOCK_OVERLAP;
		for (int j = i + 1; j < 3; j++)
			if (overlap(blk[i][0], blk[i][1], blk[j][0], blk[j][1]))
				return DT_E_BLOCK_OVERLAP;
	}
	return DT_OK;
}

/* State of the one validating pass over the structure block. */
struct scan {
	uint64_t off;
	int depth;
	bool root_seen;
	bool after_child; /* a child closed: its parent may not take properties now */
};

static const uint8_t *sblk(const struct dt *dt)
{
	return dt->blob + dt->off_struct;
}

static int scan_begin(const struct dt *dt, struct scan *s)
{
	if (s->depth == 0 && s->root_seen)
		return DT_E_TOKEN; /* a second root */
	if (++s->depth > DT_MAX_DEPTH)
		return DT_E_DEPTH;
	s->root_seen = true;
	s->after_child = false;
	uint64_t room = dt->size_struct - (s->off + 4);
	size_t n = strnlen((const char *)sblk(dt) + s->off + 4, room);
	if (n == room)
		return DT_E_NAME;
	s->off += 4 + align4(n + 1);
	return DT_OK;
}

static int scan_prop(const struct dt *dt, struct scan *s)
{
	if (s->depth == 0 || s->after_child)
		return DT_E_TOKEN;
	if (dt->size_struct - s->off < 12)
		return DT_E_PROPLEN;
	const uint8_t *p = sblk(dt) + s->off;
	uint32_t len = dt_be32(p + 4), nameoff = dt_be32(p + 8);
	if (len > dt->size_struct - s->off - 12)
		return DT_E_PROPLEN;
	if (nameoff >= dt->size_strings)
		return DT_E_STRING;
	const char *name = (const char *)dt->blob + dt->off_strings + nameoff;
	if (strnlen(name, dt->size_strings - nameoff) == dt->size_strings - nameoff)
		return DT_E_STRING;
	s->off += 12 + align4(len);
	return DT_OK;
}

/* One token at s->off; *done once FDT_END closes a complete tree. */
static int scan_token(const struct dt *dt, struct scan *s, bool *done)
{
	if (s->off + 4 > dt->size_struct)
		return DT_E_END; /* ran out of block before FDT_END */
	switch (dt_be32(sblk(dt) + s->off)) {
	case FDT_BEGIN_NODE:
		return scan_begin(dt, s);
	case FDT_END_NODE:
		if (s->depth == 0)
			return DT_E_TOKEN;
		s->depth--;
		s->after_child = true;
		s->off += 4;
		return DT_OK;
	case FDT_PROP:
		return scan_prop(dt, s);
	case FDT_NOP:
		s->off += 4;
		return DT_OK;
	case FDT_END:
		if (s->depth != 0 || !s->root_seen)
			return DT_E_END;
		s->off += 4;
		*done = true;
		return DT_OK;
	default:
		return DT_E_TOKEN;
	}
}

static int check_struct(struct dt *dt)
{
	struct scan s = {0};
	bool done = false;
	while (!done) {
		int err = scan_token(dt, &s, &done);
		if (err)
			return err;
	}
	dt->size_struct = (uint32_t)s.off; /* drop anything after FDT_END */
	return DT_OK;
}

int dt_open(struct dt *out, const void *blob, uint64_t avail)
{
	struct dt dt = {0};
	int err = check_header(&dt, blob, avail);
	if (!err)
		err = check_blocks(&dt);
	if (!err)
		err = check_struct(&dt);
	/* On failure *out stays empty: every accessor then finds nothing. */
	memset(out, 0, sizeof *out);
	if (!err)
		*out = dt;
	return err;
}

/* ------------------------------------------------------------ token access */

/* Token at structure offset off; FDT_END outside the block, so walks stop. */
static uint32_t tok_at(const struct dt *dt, uint64_t off)
{
	if (off % 4 || off + 4 > dt->size_struct)
		return FDT_END;
	return dt_be32(sblk(dt) + off);
}

/* Offset just past the token at off (>= off + 4: walks always progress). */
static uint64_t tok_next(const struct dt *dt, uint64_t off)
{
	uint32_t t = tok_at(dt, off);
	if (t == FDT_BEGIN_NODE) {
		const char *name = (const char *)sblk(dt) + off + 4;
		return off + 4 + align4(strnlen(name, dt->size_struct - off - 4) + 1);
	}
	if (t == FDT_PROP) {
		if (off + 12 > dt->size_struct)
			return dt->size_struct;
		return off + 12 + align4(dt_be32(sblk(dt) + off + 4));
	}
	return off + 4;
}

static uint64_t skip_nops(const struct dt *dt, uint64_t off)
{
	while (tok_at(dt, off) == FDT_NOP)
		off += 4;
	return off;
}

/* A BEGIN_NODE handle whose name ends inside the block. */
static bool valid_node(const struct dt *dt, int node)
{
	if (node < 0 || tok_at(dt, (uint64_t)node) != FDT_BEGIN_NODE)
		return false;
	uint64_t room = dt->size_struct - (uint64_t)node - 4;
	return strnlen((const char *)sblk(dt) + node + 4, room) < room;
}

/* A PROP handle whose value and name lie inside their blocks. */
static bool valid_prop(const struct dt *dt, int prop)
{
	if (prop < 0 || tok_at(dt, (uint64_t)prop) != FDT_PROP)
		return false;
	uint64_t off = (uint64_t)prop;
	if (off + 12 > dt->size_struct)
		return false;
	const uint8_t *p = sblk(dt) + off;
	uint32_t nameoff = dt_be32(p + 8);
	if (dt_be32(p + 4) > dt->size_struct - off - 12 || nameoff >= dt->size_strings)
		return false;
	const char *name = (const char *)dt->blob + dt->off_strings + nameoff;
	return strnlen(name, dt->size_strings - nameoff) < dt->size_strings - nameoff;
}

/* ------------------------------------------------------------ nodes */

int dt_root(const struct dt *dt)
{
	uint64_t off = skip_nops(dt, 0);
	return tok_at(dt, off) == FDT_BEGIN_NODE ? (int)off : DT_NONE;
}

int dt_first_child(const struct dt *dt, int node)
{
	if (!valid_node(dt, node))
		return DT_NONE;
	uint64_t off = tok_next(dt, (uint64_t)node);
	for (;;) {
		uint32_t t = tok_at(dt, off);
		if (t == FDT_BEGIN_NODE)
			return (int)off;
		if (t != FDT_PROP && t != FDT_NOP)
			return DT_NONE;
		off = tok_next(dt, off);
	}
}

int dt_next_sibling(const struct dt *dt, int node)
{
	if (!valid_node(dt, node))
		return DT_NONE;
	int depth = 0;
	uint64_t off = (uint64_t)node;
	do { /* skip node's whole subtree */
		uint32_t t = tok_at(dt, off);
		if (t == FDT_END)
			return DT_NONE;
		depth += t == FDT_BEGIN_NODE;
		depth -= t == FDT_END_NODE;
		off = tok_next(dt, off);
	} while (depth > 0);
	off = skip_nops(dt, off);
	return tok_at(dt, off) == FDT_BEGIN_NODE ? (int)off : DT_NONE;
}

int dt_next_node(const struct dt *dt, int node, int *depth)
{
	if (!valid_node(dt, node))
		return DT_NONE;
	uint64_t off = tok_next(dt, (uint64_t)node);
	for (;;) {
		uint32_t t = tok_at(dt, off);
		if (t == FDT_BEGIN_NODE) {
			(*depth)++;
			return (int)off;
		}
		if (t == FDT_END)
			return DT_NONE;
		if (t == FDT_END_NODE && --(*depth) < 0)
			return DT_NONE;
		off = tok_next(dt, off);
	}
}

int dt_ancestors(const struct dt *dt, int node, int *chain, int max)
{
	int depth = 0;
	for (int n = dt_root(dt); n != DT_NONE; n = dt_next_node(dt, n, &depth)) {
		if (depth < 0 || depth >= max)
			return 0;
		chain[depth] = n;
		if (n == node)
			return depth + 1;
	}
	return 0;
}

int dt_parent(const struct dt *dt, int node)
{
	int chain[DT_MAX_DEPTH + 1];
	int n = dt_ancestors(dt, node, chain, DT_MAX_DEPTH + 1);
	return n >= 2 ? chain[n - 2] : DT_NONE;
}

const char *dt_name(const struct dt *dt, int node)
{
	if (!valid_node(dt, node))
		return "";
	return (const char *)sblk(dt) + node + 4;
}

void dt_path(const struct dt *dt, int node, char *buf, size_t len)
{
	int chain[DT_MAX_DEPTH + 1];
	int n = dt_ancestors(dt, node, chain, DT_MAX_DEPTH + 1);
	size_t at = 0;
	if (len == 0)
		return;
	if (n == 1 && len > 1) /* the root */
		buf[at++] = '/';
	for (int i = 1; i < n; i++) {
		const char *s = dt_name(dt, chain[i]);
		if (at + 1 < len)
			buf[at++] = '/';
		for (; *s && at + 1 < len; s++)
			buf[at++] = *s;
	}
	buf[at] = '\0';
}

/* Component comp[0..len) names `name` exactly, or without its unit address. */
static bool name_matches(const char *name, const char *comp, size_t len)
{
	bool comp_has_unit = false;
	for (size_t i = 0; i < len; i++)
		comp_has_unit |= comp[i] == '@';
	if (strncmp(name, comp, len) != 0)
		return false;
	return name[len] == '\0' || (name[len] == '@' && !comp_has_unit);
}

static int child_named(const struct dt *dt, int node, const char *comp, size_t len)
{
	for (int c = dt_first_child(dt, node); c != DT_NONE; c = dt_next_sibling(dt, c))
		if (name_matches(dt_name(dt, c), comp, len))
			return c;
	return DT_NONE;
}

/* Follows the '/'-separated components of p[0..len) down from node. */
static int find_rel(const struct dt *dt, int node, const char *p, size_t len)
{
	size_t i = 0;
	while (i < len && node != DT_NONE) {
		if (p[i] == '/') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && p[j] != '/')
			j++;
		node = child_named(dt, node, p + i, j - i);
		i = j;
	}
	return node;
}

/* An alias's value is an absolute path; aliases never chain (no recursion). */
static int find_alias(const struct dt *dt, const char *p, size_t len)
{
	size_t n = 0;
	while (n < len && p[n] != '/')
		n++;
	int aliases = child_named(dt, dt_root(dt), "aliases", 7);
	for (int pr = dt_first_prop(dt, aliases); pr != DT_NONE; pr = dt_next_prop(dt, pr)) {
		const char *name = dt_prop_name(dt, pr);
		if (strncmp(name, p, n) != 0 || name[n] != '\0')
			continue;
		uint32_t vlen;
		const char *v = dt_prop_value(dt, pr, &vlen);
		size_t vl = strnlen(v, vlen);
		if (vl == 0 || vl == vlen || v[0] != '/')
			return DT_NONE;
		int node = find_rel(dt, dt_root(dt), v, vl);
		return node == DT_NONE ? DT_NONE : find_rel(dt, node, p + n, len - n);
	}
	return DT_NONE;
}

int dt_find_path_len(const struct dt *dt, const char *path, size_t len)
{
	if (len == 0)
		return DT_NONE;
	if (path[0] == '/')
		return find_rel(dt, dt_root(dt), path, len);
	return find_alias(dt, path, len);
}

int dt_find_path(const struct dt *dt, const char *path)
{
	return dt_find_path_len(dt, path, strlen(path));
}

/* ------------------------------------------------------------ properties */

static int prop_at_or_none(const struct dt *dt, uint64_t off)
{
	off = skip_nops(dt, off);
	return tok_at(dt, off) == FDT_PROP && valid_prop(dt, (int)off) ? (int)off : DT_NONE;
}

int dt_first_prop(const struct dt *dt, int node)
{
	if (!valid_node(dt, node))
		return DT_NONE;
	return prop_at_or_none(dt, tok_next(dt, (uint64_t)node));
}

int dt_next_prop(const struct dt *dt, int prop)
{
	if (!valid_prop(dt, prop))
		return DT_NONE;
	return prop_at_or_none(dt, tok_next(dt, (uint64_t)prop));
}

const char *dt_prop_name(const struct dt *dt, int prop)
{
	if (!valid_prop(dt, prop))
		return "";
	uint32_t nameoff = dt_be32(sblk(dt) + prop + 8);
	return (const char *)dt->blob + dt->off_strings + nameoff;
}

const void *dt_prop_value(const struct dt *dt, int prop, uint32_t *len)
{
	if (!valid_prop(dt, prop)) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = dt_be32(sblk(dt) + prop + 4);
	return sblk(dt) + prop + 12;
}

const void *dt_getprop(const struct dt *dt, int node, const char *name, uint32_t *len)
{
	for (int p = dt_first_prop(dt, node); p != DT_NONE; p = dt_next_prop(dt, p))
		if (strcmp(dt_prop_name(dt, p), name) == 0)
			return dt_prop_value(dt, p, len);
	if (len)
		*len = 0;
	return NULL;
}

bool dt_getprop_u32(const struct dt *dt, int node, const char *name, uint32_t *out)
{
	uint32_t len;
	const void *v = dt_getprop(dt, node, name, &len);
	if (!v || len != 4)
		return false;
	*out = dt_be32(v);
	return true;
}

bool dt_getprop_u64(const struct dt *dt, int node, const char *name, uint64_t *out)
{
	uint32_t len;
	const void *v = dt_getprop(dt, node, name, &len);
	if (!v || (len != 4 && len != 8))
		return false;
	*out = dt_read_cells(v, len / 4);
	return true;
}

bool dt_prop_has_string(const struct dt *dt, int node, const char *name, const char *s)
{
	uint32_t len;
	const char *v = dt_getprop(dt, node, name, &len);
	size_t want = strlen(s);
	for (uint32_t i = 0; v && i < len;) {
		size_t n = strnlen(v + i, len - i);
		if (n == want && memcmp(v + i, s, n) == 0)
			return true;
		i += (uint32_t)n + 1;
	}
	return false;
}

bool dt_prop_is_string(const struct dt *dt, int node, const char *name, const char *s)
{
	uint32_t len;
	const char *v = dt_getprop(dt, node, name, &len);
	size_t n = strlen(s);
	return v && len == n + 1 && memcmp(v, s, n + 1) == 0;
}

bool dt_node_enabled(const struct dt *dt, int node)
{
	if (!dt_getprop(dt, node, "status", NULL))
		return true;
	return dt_prop_is_string(dt, node, "status", "okay") ||
	       dt_prop_is_string(dt, node, "status", "ok");
}

bool dt_rsv_get(const struct dt *dt, uint32_t i, uint64_t *addr, uint64_t *size)
{
	if (i >= dt->nrsv)
		return false;
	const uint8_t *p = dt->blob + dt->off_rsvmap + (uint64_t)i * RSV_SIZE;
	*addr = dt_read_cells(p, 2);
	*size = dt_read_cells(p + 8, 2);
	return true;
}
