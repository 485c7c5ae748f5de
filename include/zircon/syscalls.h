/* zirv SDK: the system calls.
 *
 * Each function below is defined by zirv's libzircon (a thin stub that
 * enters the kernel with ecall, or a few lines of C for the calls Zircon
 * implements in its vDSO such as zx_deadline_after). Names, parameter
 * types, their order and const-ness are those of Zircon, so code written
 * for Fuchsia compiles unchanged. */
#ifndef ZIRCON_SYSCALLS_H_
#define ZIRCON_SYSCALLS_H_

#include <stddef.h>
#include <stdint.h>
#include <zircon/errors.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zircon/syscalls/resource.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Handles ----------------------------------------------------------- */

extern zx_status_t zx_handle_close(zx_handle_t handle);
extern zx_status_t zx_handle_close_many(const zx_handle_t *handles, size_t num_handles);
extern zx_status_t zx_handle_duplicate(zx_handle_t handle, zx_rights_t rights, zx_handle_t *out);
extern zx_status_t zx_handle_replace(zx_handle_t handle, zx_rights_t rights, zx_handle_t *out);

/* ---- Objects ----------------------------------------------------------- */

extern zx_status_t zx_object_get_info(zx_handle_t handle, uint32_t topic, void *buffer,
				      size_t buffer_size, size_t *actual, size_t *avail);
extern zx_status_t zx_object_get_property(zx_handle_t handle, uint32_t property, void *value,
					  size_t value_size);
extern zx_status_t zx_object_set_property(zx_handle_t handle, uint32_t property, const void *value,
					  size_t value_size);
extern zx_status_t zx_object_wait_one(zx_handle_t handle, zx_signals_t signals,
				      zx_instant_mono_t deadline, zx_signals_t *observed);
extern zx_status_t zx_object_wait_many(zx_wait_item_t *items, size_t num_items,
				       zx_instant_mono_t deadline);
extern zx_status_t zx_object_signal(zx_handle_t handle, uint32_t clear_mask, uint32_t set_mask);
extern zx_status_t zx_object_signal_peer(zx_handle_t handle, uint32_t clear_mask,
					 uint32_t set_mask);

/* ---- Events ------------------------------------------------------------ */

extern zx_status_t zx_event_create(uint32_t options, zx_handle_t *out);
extern zx_status_t zx_eventpair_create(uint32_t options, zx_handle_t *out0, zx_handle_t *out1);

/* ---- Timers ------------------------------------------------------------ */

extern zx_status_t zx_timer_create(uint32_t options, zx_clock_t clock_id, zx_handle_t *out);
extern zx_status_t zx_timer_set(zx_handle_t handle, zx_instant_mono_t deadline,
				zx_duration_mono_t slack);
extern zx_status_t zx_timer_cancel(zx_handle_t handle);

/* ---- Time -------------------------------------------------------------- */

extern zx_instant_mono_t zx_clock_get_monotonic(void);
extern zx_instant_boot_t zx_clock_get_boot(void);
/* The hart's time counter (rdtime; a vDSO call in Zircon, read in libzircon here). */
extern zx_instant_mono_ticks_t zx_ticks_get(void);
extern zx_ticks_t zx_ticks_per_second(void);
/* Now + nanoseconds, saturating at ZX_TIME_INFINITE (a vDSO call in
 * Zircon; computed in libzircon here). */
extern zx_instant_mono_t zx_deadline_after(zx_duration_mono_t nanoseconds);
extern zx_status_t zx_nanosleep(zx_instant_mono_t deadline);

/* ---- Debug, process, system -------------------------------------------- */

extern zx_status_t zx_debug_write(const char *buffer, size_t buffer_size);
extern __attribute__((noreturn)) void zx_process_exit(int64_t retcode);
extern __attribute__((const)) uint32_t zx_system_get_page_size(void);
extern __attribute__((const)) uint32_t zx_system_get_num_cpus(void);

/* ---- VMOs -------------------------------------------------------------- */

extern zx_status_t zx_vmo_create(uint64_t size, uint32_t options, zx_handle_t *out);
extern zx_status_t zx_vmo_read(zx_handle_t handle, void *buffer, uint64_t offset,
			       size_t buffer_size);
extern zx_status_t zx_vmo_write(zx_handle_t handle, const void *buffer, uint64_t offset,
				size_t buffer_size);
extern zx_status_t zx_vmo_get_size(zx_handle_t handle, uint64_t *size);
extern zx_status_t zx_vmo_set_size(zx_handle_t handle, uint64_t size);
extern zx_status_t zx_vmo_create_child(zx_handle_t handle, uint32_t options, uint64_t offset,
				       uint64_t size, zx_handle_t *out);
extern zx_status_t zx_vmo_set_cache_policy(zx_handle_t handle, uint32_t cache_policy);
extern zx_status_t zx_vmo_op_range(zx_handle_t handle, uint32_t op, uint64_t offset, uint64_t size,
				   void *buffer, size_t buffer_size);
extern zx_status_t zx_vmo_create_physical(zx_handle_t resource, zx_paddr_t paddr, size_t size,
					  zx_handle_t *out);
extern zx_status_t zx_vmo_replace_as_executable(zx_handle_t handle, zx_handle_t vmex,
						zx_handle_t *out);

/* ---- VMARs ------------------------------------------------------------- */

extern zx_status_t zx_vmar_map(zx_handle_t handle, zx_vm_option_t options, size_t vmar_offset,
			       zx_handle_t vmo, uint64_t vmo_offset, size_t len,
			       zx_vaddr_t *mapped_addr);
extern zx_status_t zx_vmar_unmap(zx_handle_t handle, zx_vaddr_t addr, size_t len);
extern zx_status_t zx_vmar_protect(zx_handle_t handle, zx_vm_option_t options, zx_vaddr_t addr,
				   size_t len);
extern zx_status_t zx_vmar_op_range(zx_handle_t handle, uint32_t op, zx_vaddr_t address,
				    size_t size, void *buffer, size_t buffer_size);
extern zx_status_t zx_vmar_allocate(zx_handle_t parent_vmar, zx_vm_option_t options, size_t offset,
				    size_t size, zx_handle_t *child_vmar, zx_vaddr_t *child_addr);
extern zx_status_t zx_vmar_destroy(zx_handle_t handle);

/* ---- Channels ---------------------------------------------------------- */

extern zx_status_t zx_channel_create(uint32_t options, zx_handle_t *out0, zx_handle_t *out1);
extern zx_status_t zx_channel_write(zx_handle_t handle, uint32_t options, const void *bytes,
				    uint32_t num_bytes, const zx_handle_t *handles,
				    uint32_t num_handles);
extern zx_status_t zx_channel_read(zx_handle_t handle, uint32_t options, void *bytes,
				   zx_handle_t *handles, uint32_t num_bytes, uint32_t num_handles,
				   uint32_t *actual_bytes, uint32_t *actual_handles);

extern zx_status_t zx_channel_call(zx_handle_t handle, uint32_t options, zx_instant_mono_t deadline,
				   const zx_channel_call_args_t *args, uint32_t *actual_bytes,
				   uint32_t *actual_handles);

/* ---- Ports ------------------------------------------------------------- */

extern zx_status_t zx_port_create(uint32_t options, zx_handle_t *out);
extern zx_status_t zx_port_queue(zx_handle_t handle, const zx_port_packet_t *packet);
extern zx_status_t zx_port_wait(zx_handle_t handle, zx_instant_mono_t deadline,
				zx_port_packet_t *packet);
extern zx_status_t zx_port_cancel(zx_handle_t handle, zx_handle_t source, uint64_t key);
extern zx_status_t zx_object_wait_async(zx_handle_t handle, zx_handle_t port, uint64_t key,
					zx_signals_t signals, uint32_t options);

/* ---- Interrupts -------------------------------------------------------- */

extern zx_status_t zx_interrupt_create(zx_handle_t src_obj, uint32_t src_num, uint32_t options,
				       zx_handle_t *out_handle);
extern zx_status_t zx_interrupt_wait(zx_handle_t handle, zx_instant_mono_t *out_timestamp);
extern zx_status_t zx_interrupt_ack(zx_handle_t handle);
extern zx_status_t zx_interrupt_trigger(zx_handle_t handle, uint32_t options,
					zx_instant_mono_t timestamp);
extern zx_status_t zx_interrupt_destroy(zx_handle_t handle);
extern zx_status_t zx_interrupt_bind(zx_handle_t handle, zx_handle_t port_handle, uint64_t key,
				     uint32_t options);

/* ---- DMA --------------------------------------------------------------- */

extern zx_status_t zx_iommu_create(zx_handle_t resource, uint32_t type, const void *desc,
				   size_t desc_size, zx_handle_t *out);
extern zx_status_t zx_bti_create(zx_handle_t iommu, uint32_t options, uint64_t bti_id,
				 zx_handle_t *out);
extern zx_status_t zx_bti_pin(zx_handle_t handle, uint32_t options, zx_handle_t vmo,
			      uint64_t offset, uint64_t size, zx_paddr_t *addrs, size_t num_addrs,
			      zx_handle_t *pmt);
extern zx_status_t zx_pmt_unpin(zx_handle_t handle);
extern zx_status_t zx_bti_release_quarantine(zx_handle_t handle);
extern zx_status_t zx_vmo_create_contiguous(zx_handle_t bti, size_t size, uint32_t alignment_log2,
					    zx_handle_t *out);

/* ---- Jobs and processes ------------------------------------------------ */

extern zx_status_t zx_job_create(zx_handle_t parent_job, uint32_t options, zx_handle_t *out);
extern zx_status_t zx_process_create(zx_handle_t job, const char *name, size_t name_size,
				     uint32_t options, zx_handle_t *proc_handle,
				     zx_handle_t *vmar_handle);
extern zx_status_t zx_task_kill(zx_handle_t handle);
extern zx_status_t zx_process_start(zx_handle_t handle, zx_handle_t thread, zx_vaddr_t entry,
				    zx_vaddr_t stack, zx_handle_t arg1, uintptr_t arg2);

/* ---- Threads and futexes ----------------------------------------------- */

extern zx_status_t zx_thread_create(zx_handle_t process, const char *name, size_t name_size,
				    uint32_t options, zx_handle_t *out);
extern zx_status_t zx_thread_start(zx_handle_t handle, zx_vaddr_t thread_entry, zx_vaddr_t stack,
				   uintptr_t arg1, uintptr_t arg2);
extern __attribute__((noreturn)) void zx_thread_exit(void);
extern zx_status_t zx_futex_wait(const zx_futex_t *value_ptr, zx_futex_t current_value,
				 zx_handle_t new_futex_owner, zx_instant_mono_t deadline);
extern zx_status_t zx_futex_wake(const zx_futex_t *value_ptr, uint32_t wake_count);
extern zx_status_t zx_futex_requeue(const zx_futex_t *value_ptr, uint32_t wake_count,
				    zx_futex_t current_value, const zx_futex_t *requeue_ptr,
				    uint32_t requeue_count, zx_handle_t new_requeue_owner);

/* ---- Resources --------------------------------------------------------- */

extern zx_status_t zx_resource_create(zx_handle_t parent_rsrc, uint32_t options, uint64_t base,
				      size_t size, const char *name, size_t name_size,
				      zx_handle_t *resource_out);

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_H_ */
