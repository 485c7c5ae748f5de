/*
 * zirv's additions to the Zircon ABI. Everything here is zirv-only: a
 * program that uses it will not build against Fuchsia's SDK.
 */
#ifndef ZIRCON_SYSCALLS_ZIRV_H_
#define ZIRCON_SYSCALLS_ZIRV_H_

#include <stdint.h>
#include <zircon/syscalls/object.h>

/*
 * zx_object_get_info topic on any resource handle (needs ZX_RIGHT_INSPECT):
 * which leaf-PTE memory-type encoding the kernel chose at boot, i.e. how
 * ZX_CACHE_POLICY_* values reach the hardware (docs/cacheability.md).
 */
#define ZX_INFO_ZIRV_MEMTYPE ((zx_object_info_topic_t)0x7a690001u)

#define ZX_ZIRV_MEMTYPE_NONE	  ((uint32_t)0u) /* no PTE bits: the platform's PMAs decide */
#define ZX_ZIRV_MEMTYPE_SVPBMT	  ((uint32_t)1u) /* Svpbmt, PTE bits 62:61 */
#define ZX_ZIRV_MEMTYPE_XTHEADMAE ((uint32_t)2u) /* T-Head MAE, PTE bits 63:59 */

typedef struct zx_info_zirv_memtype {
	uint32_t encoding; /* ZX_ZIRV_MEMTYPE_* */
	uint32_t reserved;
} zx_info_zirv_memtype_t;

/*
 * zx_object_get_info topic on any resource handle (needs ZX_RIGHT_INSPECT):
 * how zx_vmo_op_range's cache operations reach the hardware. method is a
 * ZX_ZIRV_CACHE_*; cbom_block is the Zicbom cache-block size every hart
 * shares (0: no Zicbom); cbo_blocks counts the cache-block instructions
 * (cbo.clean / cbo.inval / cbo.flush, or th.dcache.cva / iva / civa) the
 * kernel has executed since boot.
 */
#define ZX_INFO_ZIRV_CACHE_OPS ((zx_object_info_topic_t)0x7a690002u)

#define ZX_ZIRV_CACHE_COHERENT ((uint32_t)0u) /* coherent DMA: fences only */
#define ZX_ZIRV_CACHE_ZICBOM   ((uint32_t)1u) /* Zicbom cache-block operations */
#define ZX_ZIRV_CACHE_XTHEAD   ((uint32_t)2u) /* T-Head's XTheadCmo */
#define ZX_ZIRV_CACHE_NONE     ((uint32_t)3u) /* non-coherent DMA, no way to maintain caches */

typedef struct zx_info_zirv_cache_ops {
	uint32_t cbom_block;
	uint32_t method;
	uint64_t cbo_blocks;
} zx_info_zirv_cache_ops_t;

/*
 * zx_object_get_info topic on any resource handle (needs ZX_RIGHT_INSPECT):
 * the TLB shootdowns since boot. rfence_calls counts the SBI RFENCE calls
 * the kernel made (one per unmap, protect or overwriting map that another
 * hart running the address space had to see, whatever the page count),
 * rfence_harts the harts those calls named, deferred the flushes left to
 * a hart waiting for the kernel lock (it flushes when it gets the lock),
 * asid_generations the ASID generations that ended (each one a full flush
 * on every hart at its next switch), asid_bits the ASID bits in use (0:
 * every address space runs under ASID 0).
 */
#define ZX_INFO_ZIRV_TLB ((zx_object_info_topic_t)0x7a690003u)

typedef struct zx_info_zirv_tlb {
	uint64_t rfence_calls;
	uint64_t rfence_harts;
	uint64_t deferred;
	uint64_t asid_generations;
	uint32_t asid_bits;
	uint32_t reserved;
} zx_info_zirv_tlb_t;

#endif
