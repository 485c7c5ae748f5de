/*
 * Flattened device tree reader (devicetree spec v0.4, chapter 5).
 *
 * Freestanding and shared by the kernel, the host tool zirv-dt and the
 * host tests. dt_open() validates the whole blob once (header, block
 * placement, every token, every name and property, every string offset,
 * nesting depth); every accessor afterwards still stays inside the blob,
 * so a malformed tree yields an error code, never an out-of-bounds read.
 *
 * Node and property handles are byte offsets into the structure block
 * (>= 0); DT_NONE means "no such node/property".
 */
#ifndef ZIRV_FDT_H
#define ZIRV_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_NONE	     (-1)
#define DT_MAX_DEPTH 32

enum dt_err {
	DT_OK = 0,
	DT_E_SHORT,	    /* fewer bytes available than the header or totalsize claims */
	DT_E_MAGIC,	    /* magic is not 0xd00dfeed */
	DT_E_VERSION,	    /* version < 16 or last_comp_version > 17 */
	DT_E_TOTALSIZE,	    /* totalsize smaller than the header */
	DT_E_BLOCK_RANGE,   /* a block (rsvmap, struct, strings) lies past totalsize */
	DT_E_BLOCK_OVERLAP, /* two blocks overlap */
	DT_E_ALIGN,	    /* misaligned block offset */
	DT_E_TOKEN,	    /* unknown token, or token out of place */
	DT_E_DEPTH,	    /* nesting deeper than DT_MAX_DEPTH */
	DT_E_NAME,	    /* node name unterminated or runs past the block */
	DT_E_STRING,	    /* property name offset outside the strings block */
	DT_E_PROPLEN,	    /* property value runs past the structure block */
	DT_E_END,	    /* structure block does not end with FDT_END after the root */
	DT_E_RSVMAP,	    /* memory reservation map unterminated */
	DT_E_CELLS,	    /* #address-cells/#size-cells > 2 where reg/ranges are read */
	DT_E_REG,	    /* reg length not a multiple of the entry size */
	DT_E_RANGES,	    /* malformed ranges, or reg not covered by parent ranges */
	DT_E_TOOMANY,	    /* resource table full */
	DT_E_NOMMU,	    /* no enabled hart has an Sv39-capable MMU */
	DT_E_NOMEM,	    /* no memory node */
	DT_E_TIMEBASE,	    /* no timebase-frequency for the harts */
	DT_E_COUNT
};

const char *dt_strerror(int err);

struct dt {
	const uint8_t *blob;
	uint32_t totalsize;
	uint32_t off_struct, size_struct;
	uint32_t off_strings, size_strings;
	uint32_t off_rsvmap;
	uint32_t nrsv; /* entries in the memory reservation map */
	uint32_t boot_cpuid;
};

/* Validate and open a blob of which `avail` bytes are readable. */
int dt_open(struct dt *dt, const void *blob, uint64_t avail);

int dt_root(const struct dt *dt);
int dt_first_child(const struct dt *dt, int node);
int dt_next_sibling(const struct dt *dt, int node);
/* Parent by re-walking from the root: O(size); DT_NONE for the root. */
int dt_parent(const struct dt *dt, int node);
/* Full name with unit address, e.g. "virtio_mmio@10001000"; "" for root. */
const char *dt_name(const struct dt *dt, int node);
/* Absolute path ("/soc/serial@10000000") or alias name; DT_NONE if absent. */
int dt_find_path(const struct dt *dt, const char *path);
/* Same for the first len bytes of path (e.g. a stdout-path before ':'). */
int dt_find_path_len(const struct dt *dt, const char *path, size_t len);
/*
 * Next node in document order; *depth is updated (+1 for a child, 0 for a
 * sibling, negative steps when climbing). DT_NONE once *depth would drop
 * below 0, i.e. after the subtree of the node the walk started at.
 */
int dt_next_node(const struct dt *dt, int node, int *depth);
/*
 * chain[0] = root ... chain[n-1] = node; returns n, or 0 if node is not a
 * node of the tree or is deeper than max - 1. O(size of the tree).
 */
int dt_ancestors(const struct dt *dt, int node, int *chain, int max);
/* Writes the absolute path of node into buf (truncated, NUL-terminated). */
void dt_path(const struct dt *dt, int node, char *buf, size_t len);

int dt_first_prop(const struct dt *dt, int node);
int dt_next_prop(const struct dt *dt, int prop);
const char *dt_prop_name(const struct dt *dt, int prop);
const void *dt_prop_value(const struct dt *dt, int prop, uint32_t *len);
/* Value of property `name` of `node`, or NULL. */
const void *dt_getprop(const struct dt *dt, int node, const char *name, uint32_t *len);
bool dt_getprop_u32(const struct dt *dt, int node, const char *name, uint32_t *out);
/* A 1- or 2-cell property (e.g. linux,initrd-start). */
bool dt_getprop_u64(const struct dt *dt, int node, const char *name, uint64_t *out);
/* Property is a NUL-terminated string list containing `s`. */
bool dt_prop_has_string(const struct dt *dt, int node, const char *name, const char *s);
/* Property is exactly the one string `s` (with its NUL). */
bool dt_prop_is_string(const struct dt *dt, int node, const char *name, const char *s);
/* status absent, "okay" or "ok" */
bool dt_node_enabled(const struct dt *dt, int node);

/* Big-endian cell helpers; p must have been bounds-checked by the caller. */
uint32_t dt_be32(const void *p);
uint64_t dt_read_cells(const void *p, uint32_t ncells);

bool dt_rsv_get(const struct dt *dt, uint32_t i, uint64_t *addr, uint64_t *size);

#endif
