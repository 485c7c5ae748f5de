/* zirv SDK: per-process state kept by the runtime (libzircon). */
#ifndef ZIRCON_PROCESS_H_
#define ZIRCON_PROCESS_H_

#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the start-up handle whose tag equals hnd_info (a PA_HND() value)
 * and removes it from the set, so a second call for the same tag returns
 * ZX_HANDLE_INVALID. The caller owns the returned handle. */
extern zx_handle_t zx_take_startup_handle(uint32_t hnd_info);

/* Borrowed handles, owned by the runtime: do not close them. */
extern zx_handle_t zx_process_self(void);
extern zx_handle_t zx_thread_self(void); /* the thread that ran main() */
extern zx_handle_t zx_vmar_root_self(void);
extern zx_handle_t zx_job_default(void);

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_PROCESS_H_ */
