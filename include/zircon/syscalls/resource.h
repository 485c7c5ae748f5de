/* zirv SDK: resource kinds and flags (zx_resource_create options).
 *
 * The options word of zx_resource_create() carries the kind in its low 16
 * bits and flags in its high 16 bits. Kinds below ZX_RSRC_KIND_COUNT name
 * address-like ranges the kernel tracks (and can hand out exclusively);
 * SYSTEM resources are abstract and are told apart by their base, one of
 * the ZX_RSRC_SYSTEM_*_BASE values, with size 1. */
#ifndef ZIRCON_SYSCALLS_RESOURCE_H_
#define ZIRCON_SYSCALLS_RESOURCE_H_

#include <stdint.h>

typedef uint32_t zx_rsrc_kind_t;
#define ZX_RSRC_KIND_MMIO   ((zx_rsrc_kind_t)0u)
#define ZX_RSRC_KIND_IRQ    ((zx_rsrc_kind_t)1u)
#define ZX_RSRC_KIND_IOPORT ((zx_rsrc_kind_t)2u)
#define ZX_RSRC_KIND_ROOT   ((zx_rsrc_kind_t)3u)
#define ZX_RSRC_KIND_SMC    ((zx_rsrc_kind_t)4u)
#define ZX_RSRC_KIND_SYSTEM ((zx_rsrc_kind_t)5u)
#define ZX_RSRC_KIND_COUNT  ((zx_rsrc_kind_t)6u)

typedef uint32_t zx_rsrc_flags_t;
#define ZX_RSRC_FLAG_EXCLUSIVE ((zx_rsrc_flags_t)0x00010000u)
#define ZX_RSRC_FLAGS_MASK     ((zx_rsrc_flags_t)ZX_RSRC_FLAG_EXCLUSIVE)

#define ZX_RSRC_EXTRACT_KIND(x)	 ((x)&0x0000FFFF)
#define ZX_RSRC_EXTRACT_FLAGS(x) ((x)&0xFFFF0000)

typedef uint64_t zx_rsrc_system_base_t;
#define ZX_RSRC_SYSTEM_HYPERVISOR_BASE	((zx_rsrc_system_base_t)0u)
#define ZX_RSRC_SYSTEM_VMEX_BASE	((zx_rsrc_system_base_t)1u)
#define ZX_RSRC_SYSTEM_DEBUG_BASE	((zx_rsrc_system_base_t)2u)
#define ZX_RSRC_SYSTEM_INFO_BASE	((zx_rsrc_system_base_t)3u)
#define ZX_RSRC_SYSTEM_CPU_BASE		((zx_rsrc_system_base_t)4u)
#define ZX_RSRC_SYSTEM_POWER_BASE	((zx_rsrc_system_base_t)5u)
#define ZX_RSRC_SYSTEM_MEXEC_BASE	((zx_rsrc_system_base_t)6u)
#define ZX_RSRC_SYSTEM_ENERGY_INFO_BASE ((zx_rsrc_system_base_t)7u)
#define ZX_RSRC_SYSTEM_IOMMU_BASE	((zx_rsrc_system_base_t)8u)
#define ZX_RSRC_SYSTEM_FRAMEBUFFER_BASE ((zx_rsrc_system_base_t)9u)
#define ZX_RSRC_SYSTEM_PROFILE_BASE	((zx_rsrc_system_base_t)10u)
#define ZX_RSRC_SYSTEM_MSI_BASE		((zx_rsrc_system_base_t)11u)
#define ZX_RSRC_SYSTEM_DEBUGLOG_BASE	((zx_rsrc_system_base_t)12u)
#define ZX_RSRC_SYSTEM_STALL_BASE	((zx_rsrc_system_base_t)13u)
#define ZX_RSRC_SYSTEM_COUNT		((zx_rsrc_system_base_t)14u)

#endif /* ZIRCON_SYSCALLS_RESOURCE_H_ */
