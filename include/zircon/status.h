/* zirv SDK: names of status codes. */
#ifndef ZIRCON_STATUS_H_
#define ZIRCON_STATUS_H_

#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the symbolic name of status ("ZX_OK", "ZX_ERR_BAD_HANDLE", ...),
 * or "(UNKNOWN)" for a value that is not a defined status. The string is
 * static; never free it. */
extern const char *zx_status_get_string(zx_status_t status);

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_STATUS_H_ */
