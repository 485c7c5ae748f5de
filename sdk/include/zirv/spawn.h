/* zirv SDK: launching programs from the boot archive (DESIGN contract 7).
 *
 * zirv_spawn() starts the archive's ELF `path` as a new process in `job`,
 * entirely in user space: the kernel loads no ELF but the first process.
 * `argv` (NULL-terminated; NULL means {path, NULL}) arrives as main(argc,
 * argv); each of the `nhandles` handles arrives at its info word
 * (PA_HND(...)) through zx_take_startup_handle(). The handles are consumed,
 * also on failure. On success *process_out is the new process, with
 * ZX_DEFAULT_PROCESS_RIGHTS, already running.
 *
 * Errors: ZX_ERR_INVALID_ARGS (no path or process_out, handles or infos
 * missing, more than 60 handles), ZX_ERR_NOT_FOUND (not booted from an
 * archive, or no such member), ZX_ERR_NOT_SUPPORTED (not a RISC-V ET_EXEC
 * ELF), ZX_ERR_IO_DATA_INTEGRITY (a malformed archive or segment),
 * ZX_ERR_OUT_OF_RANGE (argv longer than 64 KiB), and what the system calls
 * it makes return (e.g. ZX_ERR_BAD_HANDLE or ZX_ERR_ACCESS_DENIED for job). */
#ifndef ZIRV_SPAWN_H_
#define ZIRV_SPAWN_H_

#include <stddef.h>
#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

zx_status_t zirv_spawn(zx_handle_t job, const char *path, const char *const *argv, size_t nhandles,
		       const zx_handle_t *handles, const uint32_t *handle_info,
		       zx_handle_t *process_out);

#ifdef __cplusplus
}
#endif

#endif
