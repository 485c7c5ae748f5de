/*
 * Address spaces and VMARs. Each process has one Sv39 root table (kernel
 * half shared), an ASID, and a root VMAR covering user space; a VMAR keeps
 * its mappings in a list sorted by address. A mapping holds a reference to
 * its VMO, so the VMO outlives its handles while mapped.
 */
#ifndef ZIRV_MM_VMAR_H
#define ZIRV_MM_VMAR_H

#include <zircon/types.h>

#include "arch.h"
#include "handles/object.h"
#include "mm/vmo.h"

struct aspace {
	paddr_t root;
	uint16_t asid;
};

void aspace_probe_asids(void);
zx_status_t aspace_init(struct aspace *as);
void aspace_destroy(struct aspace *as);
void aspace_activate(const struct aspace *as);
/* After this returns, no translation of [va, va+len) in `as` is cached. */
void aspace_flush(const struct aspace *as, vaddr_t va, size_t len);
uint32_t aspace_asid_bits(void);

struct mapping {
	vaddr_t base;
	size_t len;
	struct vmo *vmo;
	uint64_t vmo_off;
	uint32_t perms; /* ZX_VM_PERM_* */
	struct mapping *next;
};

struct vmar {
	struct object obj;
	struct aspace *as;
	vaddr_t base;
	size_t size;
	struct mapping *maps;
};

zx_status_t vmar_create_root(struct aspace *as, struct vmar **out);
/*
 * Map [vmo_off, vmo_off+len) of vmo. `specific`: at exactly `addr`
 * (ALREADY_EXISTS if that overlaps a mapping... see docs/syscalls/zx_vmar_map.md),
 * otherwise at the lowest free address aligned to `align`. Arguments are
 * validated by the caller; errors here: NO_RESOURCES (no room),
 * ALREADY_EXISTS, NO_MEMORY.
 */
zx_status_t vmar_map(struct vmar *vmar, uint32_t perms, bool specific, vaddr_t addr, size_t align,
		     struct vmo *vmo, uint64_t vmo_off, size_t len, vaddr_t *out);
/* Unmap every mapping page in [addr, addr+len); NOT_FOUND if there is none. */
zx_status_t vmar_unmap(struct vmar *vmar, vaddr_t addr, size_t len);
/* Tear down every mapping (process exit). */
void vmar_unmap_all(struct vmar *vmar);

#endif
