/* zirv SDK: basic types and constants of the Zircon ABI.
 *
 * As in Zircon, this header also brings in the status codes (errors.h), the
 * rights (rights.h), the time types (time.h) and the page-size limits
 * (limits.h), so a program that includes only <zircon/types.h> sees them. */
#ifndef ZIRCON_TYPES_H_
#define ZIRCON_TYPES_H_

#include <stddef.h>
#include <stdint.h>
#include <zircon/errors.h>
#include <zircon/limits.h>
#include <zircon/rights.h>
#include <zircon/time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Handles and status ---------------------------------------------- */

typedef uint32_t zx_handle_t;

/* 0 is never a valid handle. The low two bits of every valid handle value
 * are 1; user code may borrow them but must set them back before passing
 * the value to a syscall. */
#define ZX_HANDLE_INVALID	  ((zx_handle_t)0)
#define ZX_HANDLE_FIXED_BITS_MASK ((zx_handle_t)0x3)

/* ZX_OK (0) or a negative ZX_ERR_* value from errors.h. */
typedef int32_t zx_status_t;

/* ---- Clocks ------------------------------------------------------------ */

typedef uint32_t zx_clock_t;
#define ZX_CLOCK_MONOTONIC ((zx_clock_t)0)
#define ZX_CLOCK_BOOT	   ((zx_clock_t)1)

/* ---- Signals ----------------------------------------------------------- */

typedef uint32_t zx_signals_t;

#define ZX_SIGNAL_NONE	   ((zx_signals_t)0u)
#define ZX_USER_SIGNAL_ALL ((zx_signals_t)0xff000000u)

/* The low 24 bits are object signals whose meaning depends on the object
 * type; the names below are the generic slots the typed names alias. The
 * __ZX_ prefix marks them as not meant for direct use. */
#define __ZX_OBJECT_SIGNAL_ALL	  ((zx_signals_t)0x00ffffffu)
#define __ZX_OBJECT_READABLE	  ((zx_signals_t)1u << 0)
#define __ZX_OBJECT_WRITABLE	  ((zx_signals_t)1u << 1)
#define __ZX_OBJECT_PEER_CLOSED	  ((zx_signals_t)1u << 2)
#define __ZX_OBJECT_SIGNALED	  ((zx_signals_t)1u << 3)
#define __ZX_OBJECT_SIGNAL_4	  ((zx_signals_t)1u << 4)
#define __ZX_OBJECT_SIGNAL_5	  ((zx_signals_t)1u << 5)
#define __ZX_OBJECT_SIGNAL_6	  ((zx_signals_t)1u << 6)
#define __ZX_OBJECT_SIGNAL_7	  ((zx_signals_t)1u << 7)
#define __ZX_OBJECT_SIGNAL_8	  ((zx_signals_t)1u << 8)
#define __ZX_OBJECT_SIGNAL_9	  ((zx_signals_t)1u << 9)
#define __ZX_OBJECT_SIGNAL_10	  ((zx_signals_t)1u << 10)
#define __ZX_OBJECT_SIGNAL_11	  ((zx_signals_t)1u << 11)
#define __ZX_OBJECT_SIGNAL_12	  ((zx_signals_t)1u << 12)
#define __ZX_OBJECT_SIGNAL_13	  ((zx_signals_t)1u << 13)
#define __ZX_OBJECT_SIGNAL_14	  ((zx_signals_t)1u << 14)
#define __ZX_OBJECT_SIGNAL_15	  ((zx_signals_t)1u << 15)
#define __ZX_OBJECT_SIGNAL_16	  ((zx_signals_t)1u << 16)
#define __ZX_OBJECT_SIGNAL_17	  ((zx_signals_t)1u << 17)
#define __ZX_OBJECT_SIGNAL_18	  ((zx_signals_t)1u << 18)
#define __ZX_OBJECT_SIGNAL_19	  ((zx_signals_t)1u << 19)
#define __ZX_OBJECT_SIGNAL_20	  ((zx_signals_t)1u << 20)
#define __ZX_OBJECT_SIGNAL_21	  ((zx_signals_t)1u << 21)
#define __ZX_OBJECT_SIGNAL_22	  ((zx_signals_t)1u << 22)
#define __ZX_OBJECT_HANDLE_CLOSED ((zx_signals_t)1u << 23)

/* Bits 24..31 belong to the user (zx_object_signal, zx_object_signal_peer). */
#define ZX_USER_SIGNAL_0 ((zx_signals_t)1u << 24)
#define ZX_USER_SIGNAL_1 ((zx_signals_t)1u << 25)
#define ZX_USER_SIGNAL_2 ((zx_signals_t)1u << 26)
#define ZX_USER_SIGNAL_3 ((zx_signals_t)1u << 27)
#define ZX_USER_SIGNAL_4 ((zx_signals_t)1u << 28)
#define ZX_USER_SIGNAL_5 ((zx_signals_t)1u << 29)
#define ZX_USER_SIGNAL_6 ((zx_signals_t)1u << 30)
#define ZX_USER_SIGNAL_7 ((zx_signals_t)1u << 31)

/* A wait ended because the handle waited on was closed. */
#define ZX_SIGNAL_HANDLE_CLOSED __ZX_OBJECT_HANDLE_CLOSED

#define ZX_EVENT_SIGNALED    __ZX_OBJECT_SIGNALED
#define ZX_EVENT_SIGNAL_MASK (ZX_USER_SIGNAL_ALL | __ZX_OBJECT_SIGNALED)

#define ZX_EVENTPAIR_SIGNALED	 __ZX_OBJECT_SIGNALED
#define ZX_EVENTPAIR_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED
#define ZX_EVENTPAIR_SIGNAL_MASK                                                                   \
	(ZX_USER_SIGNAL_ALL | __ZX_OBJECT_SIGNALED | __ZX_OBJECT_PEER_CLOSED)

#define ZX_CHANNEL_READABLE    __ZX_OBJECT_READABLE
#define ZX_CHANNEL_WRITABLE    __ZX_OBJECT_WRITABLE
#define ZX_CHANNEL_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED

#define ZX_CLOCK_STARTED __ZX_OBJECT_SIGNAL_4
#define ZX_CLOCK_UPDATED __ZX_OBJECT_SIGNAL_5

#define ZX_SOCKET_READABLE	      __ZX_OBJECT_READABLE
#define ZX_SOCKET_WRITABLE	      __ZX_OBJECT_WRITABLE
#define ZX_SOCKET_PEER_CLOSED	      __ZX_OBJECT_PEER_CLOSED
#define ZX_SOCKET_PEER_WRITE_DISABLED __ZX_OBJECT_SIGNAL_4
#define ZX_SOCKET_WRITE_DISABLED      __ZX_OBJECT_SIGNAL_5
#define ZX_SOCKET_READ_THRESHOLD      __ZX_OBJECT_SIGNAL_10
#define ZX_SOCKET_WRITE_THRESHOLD     __ZX_OBJECT_SIGNAL_11

#define ZX_FIFO_READABLE    __ZX_OBJECT_READABLE
#define ZX_FIFO_WRITABLE    __ZX_OBJECT_WRITABLE
#define ZX_FIFO_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED

/* Tasks (process, thread, job). */
#define ZX_TASK_TERMINATED __ZX_OBJECT_SIGNALED

#define ZX_JOB_TERMINATED   __ZX_OBJECT_SIGNALED
#define ZX_JOB_NO_JOBS	    __ZX_OBJECT_SIGNAL_4
#define ZX_JOB_NO_PROCESSES __ZX_OBJECT_SIGNAL_5

#define ZX_PROCESS_TERMINATED __ZX_OBJECT_SIGNALED

#define ZX_THREAD_TERMINATED __ZX_OBJECT_SIGNALED
#define ZX_THREAD_RUNNING    __ZX_OBJECT_SIGNAL_4
#define ZX_THREAD_SUSPENDED  __ZX_OBJECT_SIGNAL_5

#define ZX_LOG_READABLE __ZX_OBJECT_READABLE
#define ZX_LOG_WRITABLE __ZX_OBJECT_WRITABLE

#define ZX_TIMER_SIGNALED __ZX_OBJECT_SIGNALED

/* Asserted while a VMO has no children (0x8). */
#define ZX_VMO_ZERO_CHILDREN __ZX_OBJECT_SIGNALED

#define ZX_IOB_PEER_CLOSED __ZX_OBJECT_PEER_CLOSED

#define ZX_COUNTER_SIGNALED	__ZX_OBJECT_SIGNALED
#define ZX_COUNTER_POSITIVE	__ZX_OBJECT_SIGNAL_4
#define ZX_COUNTER_NON_POSITIVE __ZX_OBJECT_SIGNAL_5

#define ZX_VIRTUAL_INTERRUPT_UNTRIGGERED __ZX_OBJECT_SIGNAL_4

/* ---- Kernel object ids ------------------------------------------------- */

/* Kernel koids use 63 bits; values with the top bit set are free for
 * programs that need ids for synthetic objects. */
typedef uint64_t zx_koid_t;
typedef int32_t zx_futex_t;
#define ZX_KOID_INVALID ((uint64_t)0)
#define ZX_KOID_KERNEL	((uint64_t)1)
/* The first 1024 koids are reserved. */
#define ZX_KOID_FIRST ((uint64_t)1024)

/* ---- Waiting ----------------------------------------------------------- */

#define ZX_WAIT_MANY_MAX_ITEMS ((size_t)64)

typedef struct zx_wait_item {
	zx_handle_t handle;
	zx_signals_t waitfor;
	zx_signals_t pending;
} zx_wait_item_t;

/* ---- VMOs -------------------------------------------------------------- */

/* zx_vmo_create() options. */
#define ZX_VMO_RESIZABLE   ((uint32_t)1u << 1)
#define ZX_VMO_DISCARDABLE ((uint32_t)1u << 2)
#define ZX_VMO_TRAP_DIRTY  ((uint32_t)1u << 3)
#define ZX_VMO_UNBOUNDED   ((uint32_t)1u << 4)

/* zx_vmo_op_range() operations. 5 is retired (it was LOOKUP). */
#define ZX_VMO_OP_COMMIT		 ((uint32_t)1u)
#define ZX_VMO_OP_DECOMMIT		 ((uint32_t)2u)
#define ZX_VMO_OP_LOCK			 ((uint32_t)3u)
#define ZX_VMO_OP_UNLOCK		 ((uint32_t)4u)
#define ZX_VMO_OP_CACHE_SYNC		 ((uint32_t)6u)
#define ZX_VMO_OP_CACHE_INVALIDATE	 ((uint32_t)7u)
#define ZX_VMO_OP_CACHE_CLEAN		 ((uint32_t)8u)
#define ZX_VMO_OP_CACHE_CLEAN_INVALIDATE ((uint32_t)9u)
#define ZX_VMO_OP_ZERO			 ((uint32_t)10u)
#define ZX_VMO_OP_TRY_LOCK		 ((uint32_t)11u)
#define ZX_VMO_OP_DONT_NEED		 ((uint32_t)12u)
#define ZX_VMO_OP_ALWAYS_NEED		 ((uint32_t)13u)
#define ZX_VMO_OP_PREFETCH		 ((uint32_t)14u)

/* Out-buffer of zx_vmo_op_range(ZX_VMO_OP_LOCK / TRY_LOCK). */
typedef struct zx_vmo_lock_state {
	uint64_t offset;
	uint64_t size;
	uint64_t discarded_offset;
	uint64_t discarded_size;
} zx_vmo_lock_state_t;

/* zx_vmar_op_range() operations; shared numbers match the VMO ops. */
#define ZX_VMAR_OP_COMMIT      ((uint32_t)1u)
#define ZX_VMAR_OP_DECOMMIT    ((uint32_t)2u)
#define ZX_VMAR_OP_MAP_RANGE   ((uint32_t)3u)
#define ZX_VMAR_OP_ZERO	       ((uint32_t)10u)
#define ZX_VMAR_OP_DONT_NEED   ((uint32_t)12u)
#define ZX_VMAR_OP_ALWAYS_NEED ((uint32_t)13u)
#define ZX_VMAR_OP_PREFETCH    ((uint32_t)14u)

/* zx_vmo_create_child() options. */
#define ZX_VMO_CHILD_SNAPSHOT			((uint32_t)1u << 0)
#define ZX_VMO_CHILD_RESIZABLE			((uint32_t)1u << 2)
#define ZX_VMO_CHILD_SLICE			((uint32_t)1u << 3)
#define ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE ((uint32_t)1u << 4)
#define ZX_VMO_CHILD_NO_WRITE			((uint32_t)1u << 5)
#define ZX_VMO_CHILD_REFERENCE			((uint32_t)1u << 6)
#define ZX_VMO_CHILD_SNAPSHOT_MODIFIED		((uint32_t)1u << 7)

/* Cache policies (zx_vmo_set_cache_policy, zx_info_vmo_t.cache_policy). */
#define ZX_CACHE_POLICY_CACHED		((uint32_t)0u)
#define ZX_CACHE_POLICY_UNCACHED	((uint32_t)1u)
#define ZX_CACHE_POLICY_UNCACHED_DEVICE ((uint32_t)2u)
#define ZX_CACHE_POLICY_WRITE_COMBINING ((uint32_t)3u)
#define ZX_CACHE_POLICY_MASK		((uint32_t)3u)

/* zx_cache_flush() options. */
#define ZX_CACHE_FLUSH_INSN	  ((uint32_t)1u << 0)
#define ZX_CACHE_FLUSH_DATA	  ((uint32_t)1u << 1)
#define ZX_CACHE_FLUSH_INVALIDATE ((uint32_t)1u << 2)

/* ---- VMARs and mappings ------------------------------------------------ */

typedef uint32_t zx_vm_option_t;

#define ZX_VM_PERM_READ			   ((zx_vm_option_t)(1u << 0))
#define ZX_VM_PERM_WRITE		   ((zx_vm_option_t)(1u << 1))
#define ZX_VM_PERM_EXECUTE		   ((zx_vm_option_t)(1u << 2))
#define ZX_VM_COMPACT			   ((zx_vm_option_t)(1u << 3))
#define ZX_VM_SPECIFIC			   ((zx_vm_option_t)(1u << 4))
#define ZX_VM_SPECIFIC_OVERWRITE	   ((zx_vm_option_t)(1u << 5))
#define ZX_VM_CAN_MAP_SPECIFIC		   ((zx_vm_option_t)(1u << 6))
#define ZX_VM_CAN_MAP_READ		   ((zx_vm_option_t)(1u << 7))
#define ZX_VM_CAN_MAP_WRITE		   ((zx_vm_option_t)(1u << 8))
#define ZX_VM_CAN_MAP_EXECUTE		   ((zx_vm_option_t)(1u << 9))
#define ZX_VM_MAP_RANGE			   ((zx_vm_option_t)(1u << 10))
#define ZX_VM_REQUIRE_NON_RESIZABLE	   ((zx_vm_option_t)(1u << 11))
#define ZX_VM_ALLOW_FAULTS		   ((zx_vm_option_t)(1u << 12))
#define ZX_VM_OFFSET_IS_UPPER_LIMIT	   ((zx_vm_option_t)(1u << 13))
#define ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED ((zx_vm_option_t)(1u << 14))
#define ZX_VM_FAULT_BEYOND_STREAM_SIZE	   ((zx_vm_option_t)(1u << 15))

/* Alignment requests: log2 of the wanted alignment, shifted to bit 24. */
#define ZX_VM_ALIGN_BASE  24
#define ZX_VM_ALIGN_1KB	  ((zx_vm_option_t)(10u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_2KB	  ((zx_vm_option_t)(11u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_4KB	  ((zx_vm_option_t)(12u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_8KB	  ((zx_vm_option_t)(13u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_16KB  ((zx_vm_option_t)(14u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_32KB  ((zx_vm_option_t)(15u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_64KB  ((zx_vm_option_t)(16u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_128KB ((zx_vm_option_t)(17u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_256KB ((zx_vm_option_t)(18u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_512KB ((zx_vm_option_t)(19u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_1MB	  ((zx_vm_option_t)(20u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_2MB	  ((zx_vm_option_t)(21u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_4MB	  ((zx_vm_option_t)(22u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_8MB	  ((zx_vm_option_t)(23u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_16MB  ((zx_vm_option_t)(24u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_32MB  ((zx_vm_option_t)(25u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_64MB  ((zx_vm_option_t)(26u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_128MB ((zx_vm_option_t)(27u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_256MB ((zx_vm_option_t)(28u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_512MB ((zx_vm_option_t)(29u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_1GB	  ((zx_vm_option_t)(30u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_2GB	  ((zx_vm_option_t)(31u << ZX_VM_ALIGN_BASE))
#define ZX_VM_ALIGN_4GB	  ((zx_vm_option_t)(32u << ZX_VM_ALIGN_BASE))

/* Older spellings of the mapping flags, still accepted by Zircon code. */
#define ZX_VM_FLAG_PERM_READ		 ((uint32_t)1u << 0)
#define ZX_VM_FLAG_PERM_WRITE		 ((uint32_t)1u << 1)
#define ZX_VM_FLAG_PERM_EXECUTE		 ((uint32_t)1u << 2)
#define ZX_VM_FLAG_COMPACT		 ((uint32_t)1u << 3)
#define ZX_VM_FLAG_SPECIFIC		 ((uint32_t)1u << 4)
#define ZX_VM_FLAG_SPECIFIC_OVERWRITE	 ((uint32_t)1u << 5)
#define ZX_VM_FLAG_CAN_MAP_SPECIFIC	 ((uint32_t)1u << 6)
#define ZX_VM_FLAG_CAN_MAP_READ		 ((uint32_t)1u << 7)
#define ZX_VM_FLAG_CAN_MAP_WRITE	 ((uint32_t)1u << 8)
#define ZX_VM_FLAG_CAN_MAP_EXECUTE	 ((uint32_t)1u << 9)
#define ZX_VM_FLAG_MAP_RANGE		 ((uint32_t)1u << 10)
#define ZX_VM_FLAG_REQUIRE_NON_RESIZABLE ((uint32_t)1u << 11)

/* ---- Addresses and offsets --------------------------------------------- */

typedef uintptr_t zx_vaddr_t;
typedef uintptr_t zx_paddr_t;
typedef uintptr_t zx_gpaddr_t; /* guest-physical (hypervisor) */
typedef uint64_t zx_off_t;

typedef struct zx_iovec {
	void *buffer;
	size_t capacity;
} zx_iovec_t;

/* ---- Names and limits -------------------------------------------------- */

/* Object names (ZX_PROP_NAME) hold at most ZX_MAX_NAME_LEN - 1 bytes plus
 * a terminating NUL. */
#define ZX_MAX_NAME_LEN ((size_t)32u)

#define ZX_CPRNG_DRAW_MAX_LEN	     ((size_t)256u)
#define ZX_CPRNG_ADD_ENTROPY_MAX_LEN ((size_t)256u)

#define ZX_CHANNEL_READ_MAY_DISCARD ((uint32_t)1u)
#define ZX_CHANNEL_WRITE_USE_IOVEC  ((uint32_t)2u)
#define ZX_CHANNEL_MAX_MSG_BYTES    ((uint32_t)65536u)
#define ZX_CHANNEL_MAX_MSG_HANDLES  ((uint32_t)64u)
#define ZX_CHANNEL_MAX_MSG_IOVECS   ((uint32_t)8192u)

/*
 * zx_channel_call(): a message's first four bytes are its transaction id.
 * The kernel writes one of its own (0x80000000 and up) into each call, and
 * hands the caller the reply whose first four bytes match it.
 */
typedef uint32_t zx_txid_t;

typedef struct zx_channel_call_args {
	const void *wr_bytes;
	const zx_handle_t *wr_handles;
	void *rd_bytes;
	zx_handle_t *rd_handles;
	uint32_t wr_num_bytes;
	uint32_t wr_num_handles;
	uint32_t rd_num_bytes;
	uint32_t rd_num_handles;
} zx_channel_call_args_t;

#define ZX_FIFO_MAX_SIZE_BYTES ((uint32_t)4096u)

/* ---- Interrupts -------------------------------------------------------- */

#define ZX_INTERRUPT_REMAP_IRQ	     ((uint32_t)0x1u)
#define ZX_INTERRUPT_MODE_DEFAULT    ((uint32_t)0u << 1)
#define ZX_INTERRUPT_MODE_EDGE_LOW   ((uint32_t)1u << 1)
#define ZX_INTERRUPT_MODE_EDGE_HIGH  ((uint32_t)2u << 1)
#define ZX_INTERRUPT_MODE_LEVEL_LOW  ((uint32_t)3u << 1)
#define ZX_INTERRUPT_MODE_LEVEL_HIGH ((uint32_t)4u << 1)
#define ZX_INTERRUPT_MODE_EDGE_BOTH  ((uint32_t)5u << 1)
#define ZX_INTERRUPT_MODE_MASK	     ((uint32_t)0xe)
#define ZX_INTERRUPT_VIRTUAL	     ((uint32_t)0x10)
#define ZX_INTERRUPT_TIMESTAMP_MONO  ((uint32_t)1u << 6)
#define ZX_INTERRUPT_BIND	     ((uint32_t)0x0u)
#define ZX_INTERRUPT_UNBIND	     ((uint32_t)0x1u)
#define ZX_INTERRUPT_SLOT_USER	     ((uint32_t)62u)
#define ZX_INTERRUPT_MAX_SLOTS	     ((uint32_t)62u)

/* ---- Timers, BTIs, jobs, processes --------------------------------------- */

#define ZX_TIMER_SLACK_CENTER ((uint32_t)0u)
#define ZX_TIMER_SLACK_EARLY  ((uint32_t)1u)
#define ZX_TIMER_SLACK_LATE   ((uint32_t)2u)

#define ZX_BTI_PERM_READ    ((uint32_t)1u << 0)
#define ZX_BTI_PERM_WRITE   ((uint32_t)1u << 1)
#define ZX_BTI_PERM_EXECUTE ((uint32_t)1u << 2)
#define ZX_BTI_COMPRESS	    ((uint32_t)1u << 3)
#define ZX_BTI_CONTIGUOUS   ((uint32_t)1u << 4)

#define ZX_JOB_CRITICAL_PROCESS_RETCODE_NONZERO ((uint32_t)1u << 0)

#define ZX_PROCESS_SHARED ((uint32_t)1u << 0)

/* ---- Object types ------------------------------------------------------ */

typedef uint32_t zx_obj_type_t;

#define ZX_OBJ_TYPE_NONE	      ((zx_obj_type_t)0u)
#define ZX_OBJ_TYPE_PROCESS	      ((zx_obj_type_t)1u)
#define ZX_OBJ_TYPE_THREAD	      ((zx_obj_type_t)2u)
#define ZX_OBJ_TYPE_VMO		      ((zx_obj_type_t)3u)
#define ZX_OBJ_TYPE_CHANNEL	      ((zx_obj_type_t)4u)
#define ZX_OBJ_TYPE_EVENT	      ((zx_obj_type_t)5u)
#define ZX_OBJ_TYPE_PORT	      ((zx_obj_type_t)6u)
#define ZX_OBJ_TYPE_INTERRUPT	      ((zx_obj_type_t)9u)
#define ZX_OBJ_TYPE_PCI_DEVICE	      ((zx_obj_type_t)11u)
#define ZX_OBJ_TYPE_DEBUGLOG	      ((zx_obj_type_t)12u)
#define ZX_OBJ_TYPE_SOCKET	      ((zx_obj_type_t)14u)
#define ZX_OBJ_TYPE_RESOURCE	      ((zx_obj_type_t)15u)
#define ZX_OBJ_TYPE_EVENTPAIR	      ((zx_obj_type_t)16u)
#define ZX_OBJ_TYPE_JOB		      ((zx_obj_type_t)17u)
#define ZX_OBJ_TYPE_VMAR	      ((zx_obj_type_t)18u)
#define ZX_OBJ_TYPE_FIFO	      ((zx_obj_type_t)19u)
#define ZX_OBJ_TYPE_GUEST	      ((zx_obj_type_t)20u)
#define ZX_OBJ_TYPE_VCPU	      ((zx_obj_type_t)21u)
#define ZX_OBJ_TYPE_TIMER	      ((zx_obj_type_t)22u)
#define ZX_OBJ_TYPE_IOMMU	      ((zx_obj_type_t)23u)
#define ZX_OBJ_TYPE_BTI		      ((zx_obj_type_t)24u)
#define ZX_OBJ_TYPE_PROFILE	      ((zx_obj_type_t)25u)
#define ZX_OBJ_TYPE_PMT		      ((zx_obj_type_t)26u)
#define ZX_OBJ_TYPE_SUSPEND_TOKEN     ((zx_obj_type_t)27u)
#define ZX_OBJ_TYPE_PAGER	      ((zx_obj_type_t)28u)
#define ZX_OBJ_TYPE_EXCEPTION	      ((zx_obj_type_t)29u)
#define ZX_OBJ_TYPE_CLOCK	      ((zx_obj_type_t)30u)
#define ZX_OBJ_TYPE_STREAM	      ((zx_obj_type_t)31u)
#define ZX_OBJ_TYPE_MSI		      ((zx_obj_type_t)32u)
#define ZX_OBJ_TYPE_IOB		      ((zx_obj_type_t)33u)
#define ZX_OBJ_TYPE_COUNTER	      ((zx_obj_type_t)34u)
#define ZX_OBJ_TYPE_IOB_SHARED_REGION ((zx_obj_type_t)35u)
#define ZX_OBJ_TYPE_SAMPLER	      ((zx_obj_type_t)36u)

#define ZX_OBJ_TYPE_LOG ZX_OBJ_TYPE_DEBUGLOG

/* The ABI promises fewer than 64 object types (arrays are sized by it). */
#define ZX_OBJ_TYPE_UPPER_BOUND ((zx_obj_type_t)64u)

/* ---- Handle transfer descriptors ---------------------------------------- */

typedef struct zx_handle_info {
	zx_handle_t handle;
	zx_obj_type_t type;
	zx_rights_t rights;
	uint32_t unused;
} zx_handle_info_t;

typedef uint32_t zx_handle_op_t;
#define ZX_HANDLE_OP_MOVE      ((zx_handle_op_t)0u)
#define ZX_HANDLE_OP_DUPLICATE ((zx_handle_op_t)1u)

typedef struct zx_handle_disposition {
	zx_handle_op_t operation;
	zx_handle_t handle;
	zx_obj_type_t type;
	zx_rights_t rights;
	zx_status_t result;
} zx_handle_disposition_t;

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_TYPES_H_ */
