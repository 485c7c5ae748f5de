/*
 * Leaf-PTE memory types. The encoder is chosen once at boot from what every
 * hart supports (docs/cacheability.md):
 *
 *   policy            Svpbmt (62:61)  XTheadMae (63:59)   none
 *   CACHED            0 (PMA)         C|B|SH = 0x7 << 60  0
 *   UNCACHED          1 << 61 (NC)    0                   0
 *   WRITE_COMBINING   1 << 61 (NC)    0                   0
 *   UNCACHED_DEVICE   2 << 61 (IO)    SO = 1 << 63        0
 */
#ifndef ZIRV_MM_PTE_H
#define ZIRV_MM_PTE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "restab.h"

/* Zircon's ZX_CACHE_POLICY_* values. */
enum { MT_CACHED = 0, MT_UNCACHED = 1, MT_DEVICE = 2, MT_WRITE_COMBINING = 3 };

/* The memory-type bits of each policy under each encoder (the table above). */
extern const uint64_t pte_memtypes[3][4];
/* The encoder chosen at boot; only pte_set_encoding writes it. */
extern enum pte_enc pte_active;

void pte_set_encoding(enum pte_enc enc);

static inline enum pte_enc pte_encoding(void)
{
	return pte_active;
}

/* Bits to OR into a leaf PTE for `policy` under encoder `enc`. */
static inline uint64_t pte_memtype_for(enum pte_enc enc, uint32_t policy)
{
	return pte_memtypes[enc][policy & 3];
}

/* The same under the encoder chosen at boot. */
static inline uint64_t pte_memtype(uint32_t policy)
{
	return pte_memtype_for(pte_active, policy);
}

/*
 * Every bit of a leaf but V and the PPN: `rwx` (PTE_R/W/X), U for user
 * leaves and G for kernel ones, A and D preset (Svade harts fault rather
 * than set them), and the memory type of `policy` under `enc`.
 */
static inline uint64_t pte_leaf_attrs(enum pte_enc enc, uint64_t rwx, bool user, uint32_t policy)
{
	return (rwx & (PTE_R | PTE_W | PTE_X)) | (user ? PTE_U : PTE_G) | PTE_A | PTE_D |
	       pte_memtype_for(enc, policy);
}

#endif
