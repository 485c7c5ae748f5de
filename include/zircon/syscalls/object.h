/* zirv SDK: zx_object_get_info() topics and records, and object properties.
 *
 * A topic number carries a version in its top four bits. When a record
 * grows, Zircon gives the new layout a new version of the same topic and
 * keeps the old layouts under *_V<n> names, so a program built against an
 * older layout keeps working. zirv defines every version number; which
 * versions the kernel answers is documented with zx_object_get_info. */
#ifndef ZIRCON_SYSCALLS_OBJECT_H_
#define ZIRCON_SYSCALLS_OBJECT_H_

#include <stdbool.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define __ZX_INFO_TOPIC(t, v) ((zx_object_info_topic_t)((t) | ((v) << 28)))

typedef uint32_t zx_object_info_topic_t;

/* Record type and count returned for a topic, where zirv has the type. */
#define ZX_INFO_NONE			   ((zx_object_info_topic_t)0u)
#define ZX_INFO_HANDLE_VALID		   ((zx_object_info_topic_t)1u)
#define ZX_INFO_HANDLE_BASIC		   ((zx_object_info_topic_t)2u) /* zx_info_handle_basic_t[1] */
#define ZX_INFO_PROCESS			   __ZX_INFO_TOPIC(3u, 1u)	/* zx_info_process_t[1] */
#define ZX_INFO_PROCESS_THREADS		   ((zx_object_info_topic_t)4u)	 /* zx_koid_t[n] */
#define ZX_INFO_VMAR			   ((zx_object_info_topic_t)7u)	 /* zx_info_vmar_t[1] */
#define ZX_INFO_JOB_CHILDREN		   ((zx_object_info_topic_t)8u)	 /* zx_koid_t[n] */
#define ZX_INFO_JOB_PROCESSES		   ((zx_object_info_topic_t)9u)	 /* zx_koid_t[n] */
#define ZX_INFO_THREAD			   ((zx_object_info_topic_t)10u) /* zx_info_thread_t[1] */
#define ZX_INFO_THREAD_EXCEPTION_REPORT_V1 __ZX_INFO_TOPIC(11u, 0u)
#define ZX_INFO_THREAD_EXCEPTION_REPORT	   __ZX_INFO_TOPIC(11u, 1u)
#define ZX_INFO_TASK_STATS_V1		   __ZX_INFO_TOPIC(12u, 0u) /* zx_info_task_stats_v1_t[1] */
#define ZX_INFO_TASK_STATS		   __ZX_INFO_TOPIC(12u, 1u) /* zx_info_task_stats_t[1] */
#define ZX_INFO_PROCESS_MAPS_V1		   __ZX_INFO_TOPIC(13u, 0u) /* zx_info_maps_v1_t[n] */
#define ZX_INFO_PROCESS_MAPS_V2		   __ZX_INFO_TOPIC(13u, 1u) /* zx_info_maps_v2_t[n] */
#define ZX_INFO_PROCESS_MAPS		   __ZX_INFO_TOPIC(13u, 2u) /* zx_info_maps_t[n] */
#define ZX_INFO_PROCESS_VMOS_V1		   __ZX_INFO_TOPIC(14u, 0u) /* zx_info_vmo_v1_t[n] */
#define ZX_INFO_PROCESS_VMOS_V2		   __ZX_INFO_TOPIC(14u, 1u) /* zx_info_vmo_v2_t[n] */
#define ZX_INFO_PROCESS_VMOS_V3		   __ZX_INFO_TOPIC(14u, 2u) /* zx_info_vmo_v3_t[n] */
#define ZX_INFO_PROCESS_VMOS		   __ZX_INFO_TOPIC(14u, 3u) /* zx_info_vmo_t[n] */
#define ZX_INFO_THREAD_STATS		   ((zx_object_info_topic_t)15u) /* zx_info_thread_stats_t[1] */
#define ZX_INFO_CPU_STATS		   ((zx_object_info_topic_t)16u)
#define ZX_INFO_KMEM_STATS_V1		   __ZX_INFO_TOPIC(17u, 0u)
#define ZX_INFO_KMEM_STATS		   __ZX_INFO_TOPIC(17u, 1u)
#define ZX_INFO_RESOURCE		   ((zx_object_info_topic_t)18u) /* zx_info_resource_t[1] */
#define ZX_INFO_HANDLE_COUNT		   ((zx_object_info_topic_t)19u) /* zx_info_handle_count_t[1] */
#define ZX_INFO_BTI			   ((zx_object_info_topic_t)20u)
#define ZX_INFO_PROCESS_HANDLE_STATS                                                               \
	((zx_object_info_topic_t)21u) /* zx_info_process_handle_stats_t[1] */
#define ZX_INFO_SOCKET		       ((zx_object_info_topic_t)22u)
#define ZX_INFO_VMO_V1		       __ZX_INFO_TOPIC(23u, 0u) /* zx_info_vmo_v1_t[1] */
#define ZX_INFO_VMO_V2		       __ZX_INFO_TOPIC(23u, 1u) /* zx_info_vmo_v2_t[1] */
#define ZX_INFO_VMO_V3		       __ZX_INFO_TOPIC(23u, 2u) /* zx_info_vmo_v3_t[1] */
#define ZX_INFO_VMO		       __ZX_INFO_TOPIC(23u, 3u) /* zx_info_vmo_t[1] */
#define ZX_INFO_JOB		       ((zx_object_info_topic_t)24u)
#define ZX_INFO_TIMER		       ((zx_object_info_topic_t)25u)
#define ZX_INFO_STREAM		       ((zx_object_info_topic_t)26u)
#define ZX_INFO_HANDLE_TABLE	       ((zx_object_info_topic_t)27u) /* zx_info_handle_extended_t[n] */
#define ZX_INFO_MSI		       ((zx_object_info_topic_t)28u)
#define ZX_INFO_GUEST_STATS	       ((zx_object_info_topic_t)29u)
#define ZX_INFO_TASK_RUNTIME_V1	       __ZX_INFO_TOPIC(30u, 0u) /* zx_info_task_runtime_v1_t[1] */
#define ZX_INFO_TASK_RUNTIME	       __ZX_INFO_TOPIC(30u, 1u) /* zx_info_task_runtime_t[1] */
#define ZX_INFO_KMEM_STATS_EXTENDED    ((zx_object_info_topic_t)31u)
#define ZX_INFO_VCPU		       ((zx_object_info_topic_t)32u)
#define ZX_INFO_KMEM_STATS_COMPRESSION ((zx_object_info_topic_t)33u)
#define ZX_INFO_IOB		       ((zx_object_info_topic_t)34u)
#define ZX_INFO_IOB_REGIONS	       ((zx_object_info_topic_t)35u)
#define ZX_INFO_VMAR_MAPS	       ((zx_object_info_topic_t)36u) /* zx_info_maps_t[n] */
#define ZX_INFO_POWER_DOMAINS	       ((zx_object_info_topic_t)37u) /* reserved */
#define ZX_INFO_MEMORY_STALL	       ((zx_object_info_topic_t)38u)
#define ZX_INFO_INTERRUPT	       ((zx_object_info_topic_t)39u)
#define ZX_INFO_CLOCK_MAPPED_SIZE      ((zx_object_info_topic_t)40u) /* uint64_t */

/* Return codes of a task that was killed rather than exiting. */
#define ZX_TASK_RETCODE_SYSCALL_KILL	      ((int64_t)-1024)
#define ZX_TASK_RETCODE_OOM_KILL	      ((int64_t)-1025)
#define ZX_TASK_RETCODE_POLICY_KILL	      ((int64_t)-1026)
#define ZX_TASK_RETCODE_VDSO_KILL	      ((int64_t)-1027)
#define ZX_TASK_RETCODE_EXCEPTION_KILL	      ((int64_t)-1028)
#define ZX_TASK_RETCODE_CRITICAL_PROCESS_KILL ((int64_t)-1029)

#define ZX_INFO_INVALID_CPU ((uint32_t)0xFFFFFFFFu)

/* ---- Handles ----------------------------------------------------------- */

/* ZX_INFO_HANDLE_BASIC: 32 bytes. related_koid is the peer/parent object
 * where that relation exists (0 otherwise). */
typedef struct zx_info_handle_basic {
	zx_koid_t koid;
	zx_rights_t rights;
	zx_obj_type_t type;
	zx_koid_t related_koid;
	uint32_t reserved;
	uint8_t padding1[4];
} zx_info_handle_basic_t;

/* ZX_INFO_HANDLE_TABLE: one record per handle of a process. */
typedef struct zx_info_handle_extended {
	zx_obj_type_t type;
	zx_handle_t handle_value;
	zx_rights_t rights;
	uint32_t reserved;
	zx_koid_t koid;
	zx_koid_t related_koid;
	zx_koid_t peer_owner_koid;
} zx_info_handle_extended_t;

typedef struct zx_info_handle_count {
	uint32_t handle_count;
} zx_info_handle_count_t;

typedef struct zx_info_process_handle_stats {
	uint32_t handle_count[ZX_OBJ_TYPE_UPPER_BOUND];
} zx_info_process_handle_stats_t;

/* ---- Processes and tasks ----------------------------------------------- */

typedef uint32_t zx_info_process_flags_t;
#define ZX_INFO_PROCESS_FLAG_STARTED	       ((zx_info_process_flags_t)(1u << 0))
#define ZX_INFO_PROCESS_FLAG_EXITED	       ((zx_info_process_flags_t)(1u << 1))
#define ZX_INFO_PROCESS_FLAG_DEBUGGER_ATTACHED ((zx_info_process_flags_t)(1u << 2))

/* ZX_INFO_PROCESS: return_code is valid once FLAG_EXITED is set,
 * start_time once FLAG_STARTED is set. */
typedef struct zx_info_process {
	int64_t return_code;
	zx_instant_mono_t start_time;
	zx_info_process_flags_t flags;
	uint8_t padding1[4];
} zx_info_process_t;

typedef struct zx_info_job {
	int64_t return_code;
	bool exited;
	bool kill_on_oom;
	bool debugger_attached;
	uint8_t padding1[5];
} zx_info_job_t;

/* ZX_INFO_THREAD: the thread's state (ZX_THREAD_STATE_*) and the CPUs it may run on. */
#define ZX_THREAD_STATE_NEW		  ((uint32_t)0x0000u)
#define ZX_THREAD_STATE_RUNNING		  ((uint32_t)0x0001u)
#define ZX_THREAD_STATE_SUSPENDED	  ((uint32_t)0x0002u)
#define ZX_THREAD_STATE_BLOCKED		  ((uint32_t)0x0003u)
#define ZX_THREAD_STATE_DYING		  ((uint32_t)0x0004u)
#define ZX_THREAD_STATE_DEAD		  ((uint32_t)0x0005u)
#define ZX_THREAD_STATE_BLOCKED_EXCEPTION ((uint32_t)0x0103u)
#define ZX_THREAD_STATE_BLOCKED_SLEEPING  ((uint32_t)0x0203u)
#define ZX_THREAD_STATE_BLOCKED_FUTEX	  ((uint32_t)0x0303u)
#define ZX_THREAD_STATE_BLOCKED_PORT	  ((uint32_t)0x0403u)
#define ZX_THREAD_STATE_BLOCKED_CHANNEL	  ((uint32_t)0x0503u)
#define ZX_THREAD_STATE_BLOCKED_WAIT_ONE  ((uint32_t)0x0603u)
#define ZX_THREAD_STATE_BLOCKED_WAIT_MANY ((uint32_t)0x0703u)
#define ZX_THREAD_STATE_BLOCKED_INTERRUPT ((uint32_t)0x0803u)
#define ZX_THREAD_STATE_BLOCKED_PAGER	  ((uint32_t)0x0903u)

#define ZX_CPU_SET_MAX_CPUS	 512
#define ZX_CPU_SET_BITS_PER_WORD 64
typedef struct zx_cpu_set {
	uint64_t mask[ZX_CPU_SET_MAX_CPUS / ZX_CPU_SET_BITS_PER_WORD];
} zx_cpu_set_t;

typedef struct zx_info_thread {
	uint32_t state;
	uint32_t wait_exception_channel_type;
	zx_cpu_set_t cpu_affinity_mask;
} zx_info_thread_t;

typedef struct zx_info_thread_stats {
	zx_duration_mono_t total_runtime;
	uint32_t last_scheduled_cpu;
	uint8_t padding1[4];
} zx_info_thread_stats_t;

typedef struct zx_info_task_stats {
	size_t mem_mapped_bytes;
	size_t mem_private_bytes;
	size_t mem_shared_bytes;
	size_t mem_scaled_shared_bytes;
	/* Fraction truncated from mem_scaled_shared_bytes, fixed point with 63
	 * fractional bits. */
	uint64_t mem_fractional_scaled_shared_bytes;
} zx_info_task_stats_t;

typedef struct zx_info_task_stats_v1 {
	size_t mem_mapped_bytes;
	size_t mem_private_bytes;
	size_t mem_shared_bytes;
	size_t mem_scaled_shared_bytes;
} zx_info_task_stats_v1_t;

typedef struct zx_info_task_runtime {
	zx_duration_mono_t cpu_time;
	zx_duration_mono_t queue_time;
	zx_duration_mono_t page_fault_time;
	zx_duration_mono_t lock_contention_time;
} zx_info_task_runtime_t;

typedef struct zx_info_task_runtime_v1 {
	zx_duration_mono_t cpu_time;
	zx_duration_mono_t queue_time;
} zx_info_task_runtime_v1_t;

/* ---- VMARs and mappings ------------------------------------------------ */

typedef struct zx_info_vmar {
	uintptr_t base;
	size_t len;
} zx_info_vmar_t;

/* The mapping half of a zx_info_maps_t record (type MAPPING). */
typedef struct zx_info_maps_mapping {
	zx_vm_option_t mmu_flags; /* ZX_VM_PERM_* */
	uint8_t padding1[4];
	zx_koid_t vmo_koid;
	uint64_t vmo_offset;
	size_t committed_bytes;
	size_t populated_bytes;
	size_t committed_private_bytes;
	size_t populated_private_bytes;
	size_t committed_scaled_bytes;
	size_t populated_scaled_bytes;
	uint64_t committed_fractional_scaled_bytes;
	uint64_t populated_fractional_scaled_bytes;
} zx_info_maps_mapping_t;

typedef struct zx_info_maps_mapping_v2 {
	zx_vm_option_t mmu_flags;
	uint8_t padding1[4];
	zx_koid_t vmo_koid;
	uint64_t vmo_offset;
	size_t committed_pages;
	size_t populated_pages;
} zx_info_maps_mapping_v2_t;

typedef struct zx_info_maps_mapping_v1 {
	zx_vm_option_t mmu_flags;
	uint8_t padding1[4];
	zx_koid_t vmo_koid;
	uint64_t vmo_offset;
	size_t committed_pages;
} zx_info_maps_mapping_v1_t;

typedef uint32_t zx_info_maps_type_t;
#define ZX_INFO_MAPS_TYPE_NONE	  ((zx_info_maps_type_t)0u)
#define ZX_INFO_MAPS_TYPE_ASPACE  ((zx_info_maps_type_t)1u)
#define ZX_INFO_MAPS_TYPE_VMAR	  ((zx_info_maps_type_t)2u)
#define ZX_INFO_MAPS_TYPE_MAPPING ((zx_info_maps_type_t)3u)

/* One node of the address-space tree, listed depth-first in pre-order. */
typedef struct zx_info_maps {
	char name[ZX_MAX_NAME_LEN];
	zx_vaddr_t base;
	size_t size;
	size_t depth;
	zx_info_maps_type_t type;
	uint8_t padding1[4];
	union {
		zx_info_maps_mapping_t mapping;
	} u;
} zx_info_maps_t;

typedef struct zx_info_maps_v2 {
	char name[ZX_MAX_NAME_LEN];
	zx_vaddr_t base;
	size_t size;
	size_t depth;
	zx_info_maps_type_t type;
	uint8_t padding1[4];
	union {
		zx_info_maps_mapping_v2_t mapping;
	} u;
} zx_info_maps_v2_t;

typedef struct zx_info_maps_v1 {
	char name[ZX_MAX_NAME_LEN];
	zx_vaddr_t base;
	size_t size;
	size_t depth;
	zx_info_maps_type_t type;
	uint8_t padding1[4];
	union {
		zx_info_maps_mapping_v1_t mapping;
	} u;
} zx_info_maps_v1_t;

/* ---- VMOs -------------------------------------------------------------- */

/* zx_info_vmo_t.flags. Bit 0 is the type: PAGED (RAM-backed) or PHYSICAL
 * (a fixed physical range, e.g. MMIO; consumes no memory). */
#define ZX_INFO_VMO_TYPE_PAGED	   (1u << 0)
#define ZX_INFO_VMO_TYPE_PHYSICAL  (0u << 0)
#define ZX_INFO_VMO_TYPE(flags)	   ((flags) & (1u << 0))
#define ZX_INFO_VMO_RESIZABLE	   (1u << 1)
#define ZX_INFO_VMO_IS_COW_CLONE   (1u << 2)
#define ZX_INFO_VMO_VIA_HANDLE	   (1u << 3)
#define ZX_INFO_VMO_VIA_MAPPING	   (1u << 4)
#define ZX_INFO_VMO_PAGER_BACKED   (1u << 5)
#define ZX_INFO_VMO_CONTIGUOUS	   (1u << 6)
#define ZX_INFO_VMO_DISCARDABLE	   (1u << 7)
#define ZX_INFO_VMO_IMMUTABLE	   (1u << 8)
#define ZX_INFO_VMO_VIA_IOB_HANDLE (1u << 9)

/* Record of ZX_INFO_VMO / ZX_INFO_PROCESS_VMOS (topic version field 3):
 * 176 bytes. The memory counters are meaningful only for PAGED VMOs.
 * handle_rights is valid when VIA_HANDLE (or VIA_IOB_HANDLE) is set;
 * cache_policy is a ZX_CACHE_POLICY_* value. */
typedef struct zx_info_vmo {
	zx_koid_t koid;
	char name[ZX_MAX_NAME_LEN];
	uint64_t size_bytes;
	zx_koid_t parent_koid;
	size_t num_children;
	size_t num_mappings;
	size_t share_count;
	uint32_t flags;
	uint8_t padding1[4];
	uint64_t committed_bytes;
	zx_rights_t handle_rights;
	uint32_t cache_policy;
	uint64_t metadata_bytes;
	uint64_t committed_change_events;
	uint64_t populated_bytes;
	uint64_t committed_private_bytes;
	uint64_t populated_private_bytes;
	uint64_t committed_scaled_bytes;
	uint64_t populated_scaled_bytes;
	uint64_t committed_fractional_scaled_bytes;
	uint64_t populated_fractional_scaled_bytes;
} zx_info_vmo_t;

/* Record of ZX_INFO_VMO_V3 / ZX_INFO_PROCESS_VMOS_V3 (version field 2): 128 bytes. */
typedef struct zx_info_vmo_v3 {
	zx_koid_t koid;
	char name[ZX_MAX_NAME_LEN];
	uint64_t size_bytes;
	zx_koid_t parent_koid;
	size_t num_children;
	size_t num_mappings;
	size_t share_count;
	uint32_t flags;
	uint8_t padding1[4];
	uint64_t committed_bytes;
	zx_rights_t handle_rights;
	uint32_t cache_policy;
	uint64_t metadata_bytes;
	uint64_t committed_change_events;
	uint64_t populated_bytes;
} zx_info_vmo_v3_t;

/* Record of ZX_INFO_VMO_V2 / ZX_INFO_PROCESS_VMOS_V2 (version field 1): 120 bytes. */
typedef struct zx_info_vmo_v2 {
	zx_koid_t koid;
	char name[ZX_MAX_NAME_LEN];
	uint64_t size_bytes;
	zx_koid_t parent_koid;
	size_t num_children;
	size_t num_mappings;
	size_t share_count;
	uint32_t flags;
	uint8_t padding1[4];
	uint64_t committed_bytes;
	zx_rights_t handle_rights;
	uint32_t cache_policy;
	uint64_t metadata_bytes;
	uint64_t committed_change_events;
} zx_info_vmo_v2_t;

/* Record of ZX_INFO_VMO_V1 / ZX_INFO_PROCESS_VMOS_V1 (version field 0): 104 bytes. */
typedef struct zx_info_vmo_v1 {
	zx_koid_t koid;
	char name[ZX_MAX_NAME_LEN];
	uint64_t size_bytes;
	zx_koid_t parent_koid;
	size_t num_children;
	size_t num_mappings;
	size_t share_count;
	uint32_t flags;
	uint8_t padding1[4];
	uint64_t committed_bytes;
	zx_rights_t handle_rights;
	uint32_t cache_policy;
} zx_info_vmo_v1_t;

/* ---- Resources --------------------------------------------------------- */

/* ZX_INFO_RESOURCE: 56 bytes. kind is a ZX_RSRC_KIND_*, flags the
 * ZX_RSRC_FLAG_* bits the resource was created with; [base, base+size). */
typedef struct zx_info_resource {
	uint32_t kind;
	uint32_t flags;
	uint64_t base;
	size_t size;
	char name[ZX_MAX_NAME_LEN];
} zx_info_resource_t;

/*
 * ZX_INFO_CPU_STATS, on the root resource: one record per hart, counts
 * since boot. page_faults and exceptions are always 0, as in Zircon;
 * zirv counts no reschedules, syscalls or generic_ipis either (0).
 */
#define ZX_INFO_CPU_STATS_FLAG_ONLINE (1u << 0)
typedef struct zx_info_cpu_stats {
	uint32_t cpu_number;
	uint32_t flags;		   /* ZX_INFO_CPU_STATS_FLAG_* */
	zx_duration_t idle_time;   /* ns with nothing to run */
	uint64_t reschedules;	   /* 0: not counted */
	uint64_t context_switches; /* ... and switched to another thread */
	uint64_t irq_preempts;	   /* preemptions for a thread an interrupt woke */
	uint64_t preempts;	   /* preemptions at the end of a time slice */
	uint64_t yields;	   /* threads that gave the hart up */
	uint64_t ints;		   /* device interrupts */
	uint64_t timer_ints;	   /* timer interrupts */
	uint64_t timers;	   /* kernel timers fired */
	uint64_t page_faults;
	uint64_t exceptions;
	uint64_t syscalls;
	uint64_t reschedule_ipis; /* IPIs taken */
	uint64_t generic_ipis;
} zx_info_cpu_stats_t;

/*
 * ZX_INFO_KMEM_STATS_V1 (topic 17, version 0: the original layout), on the
 * root resource: where the kernel's memory is, in bytes.
 */
typedef struct zx_info_kmem_stats_v1 {
	uint64_t total_bytes;	     /* RAM the kernel manages */
	uint64_t free_bytes;	     /* of which unallocated */
	uint64_t wired_bytes;	     /* kernel image and boot page tables (not in total_bytes) */
	uint64_t total_heap_bytes;   /* pages the kernel heap holds */
	uint64_t free_heap_bytes;    /* ... not in use by any object */
	uint64_t vmo_bytes;	     /* pages committed to VMOs */
	uint64_t mmu_overhead_bytes; /* page tables of user address spaces */
	uint64_t ipc_bytes;	     /* 0: no IPC buffers yet */
	uint64_t other_bytes;	     /* allocated but none of the above */
} zx_info_kmem_stats_v1_t;

/* ZX_INFO_BTI: what a bus transaction initiator's pins look like. */
typedef struct zx_info_bti {
	uint64_t minimum_contiguity; /* the smallest run an address covers (a page) */
	uint64_t aspace_size;	     /* the device address space (all of it) */
	uint64_t pmo_count;	     /* pinned ranges with a PMT handle */
	uint64_t quarantine_count;   /* pinned ranges whose PMT handle was closed */
} zx_info_bti_t;

/* ---- Object properties ------------------------------------------------- */

/* char[ZX_MAX_NAME_LEN] */
#define ZX_PROP_NAME ((uint32_t)3u)

#if defined(__x86_64__)
/* uintptr_t; x86-64 only. */
#define ZX_PROP_REGISTER_GS ((uint32_t)2u)
#define ZX_PROP_REGISTER_FS ((uint32_t)4u)
#endif

/* uintptr_t */
#define ZX_PROP_PROCESS_DEBUG_ADDR	    ((uint32_t)5u)
#define ZX_PROP_PROCESS_VDSO_BASE_ADDRESS   ((uint32_t)6u)
#define ZX_PROP_PROCESS_BREAK_ON_LOAD	    ((uint32_t)7u)
#define ZX_PROP_PROCESS_HW_TRACE_CONTEXT_ID ((uint32_t)8u)

/* size_t */
#define ZX_PROP_SOCKET_RX_THRESHOLD 12u
#define ZX_PROP_SOCKET_TX_THRESHOLD 13u

#define ZX_PROP_JOB_KILL_ON_OOM 15u
#define ZX_PROP_EXCEPTION_STATE 16u

/* uint64_t: the VMO's content size, which may differ from its size. */
#define ZX_PROP_VMO_CONTENT_SIZE 17u

#define ZX_PROP_EXCEPTION_STRATEGY 18u

/* uint8_t */
#define ZX_PROP_STREAM_MODE_APPEND 19u

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_OBJECT_H_ */
