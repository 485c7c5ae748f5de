/*
 * Resources: capabilities over ranges of an address space (MMIO, IRQ, ...).
 * The root resource (kind ROOT) can create any other; a resource with
 * base 0 and size 0 is the "ranged root" of its kind. For MMIO, the
 * resource table is the root filter: only MMIO and CARVE-OUT ranges are
 * ever grantable, whatever resource asks.
 */
#ifndef ZIRV_HANDLES_RESOURCE_H
#define ZIRV_HANDLES_RESOURCE_H

#include <zircon/syscalls/resource.h>
#include <zircon/types.h>

#include "handles/object.h"

struct resource {
	struct object obj;
	uint32_t kind;
	uint32_t flags;	  /* ZX_RSRC_FLAG_EXCLUSIVE */
	bool ranged_root; /* a kernel-made (kind, 0, 0) root: grants every range of its kind */
	uint64_t base, size;
	struct resource *next_exclusive; /* registry of live exclusive regions */
};

struct restab;
void resource_init(const struct restab *rt);
/* A new root resource or MMIO ranged root (one reference for the caller). */
struct resource *resource_root(void);
struct resource *resource_mmio_root(void);
/* The IRQ ranged root (kind IRQ, base 0, size 0): grants every vector (contract 6). */
struct resource *resource_irq_root(void);
/*
 * Zircon's checks of a child of `parent`, in its order: INVALID_ARGS
 * (kind/flags/overflow), ACCESS_DENIED (range not granted), INVALID_ARGS
 * (an exclusive child of, or any child of an exclusive, parent that is not
 * the root or a ranged root).
 */
zx_status_t resource_check(const struct resource *parent, uint32_t options, uint64_t base,
			   uint64_t size);
/*
 * Create a child of `parent` (validated by the caller to be a resource):
 * resource_check's errors, NOT_FOUND (exclusive overlap), NO_MEMORY.
 */
zx_status_t resource_create(struct resource *parent, uint32_t options, uint64_t base, uint64_t size,
			    const char *name, size_t name_len, struct resource **out);
/*
 * May `r` hand out physical range [pa, pa+size) (page-granular) of MMIO?
 * Checks the resource's own range (widened to pages), that no other
 * resource holds part of it exclusively (whatever `r` is: the root too),
 * and the root filter.
 */
bool resource_grants_mmio(const struct resource *r, uint64_t pa, uint64_t size);
/*
 * Does `r` grant the SYSTEM resource at `base` (ZX_RSRC_SYSTEM_*_BASE)?
 * The root and a SYSTEM ranged root grant all; a SYSTEM resource grants the
 * bases its range holds (OUT_OF_RANGE otherwise); any other kind is
 * WRONG_TYPE.
 */
zx_status_t resource_grants_system(const struct resource *r, uint64_t base);
/*
 * Does `r` grant interrupt vector `vector`: the root, the IRQ ranged root, or
 * an IRQ range holding it — and no other resource holds it exclusively?
 */
bool resource_grants_irq(const struct resource *r, uint32_t vector);
/* Every byte of [pa, pa+size) is MMIO or CARVE-OUT in the resource table. */
bool resource_root_filter(uint64_t pa, uint64_t size);
/* Is [pa, pa+size) RAM set aside as a carve-out (cache operations apply)? */
bool resource_is_carveout(uint64_t pa, uint64_t size);

#endif
