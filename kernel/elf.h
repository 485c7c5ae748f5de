/* Validating loader for static RISC-V ELF64 executables (the first process). */
#ifndef ZIRV_ELF_H
#define ZIRV_ELF_H

#include <stddef.h>
#include <zircon/types.h>

#include "mm/vmar.h"

/*
 * Check every header field against `size` before touching anything, then
 * map each PT_LOAD segment into `vmar` from a fresh VMO. On error nothing
 * stays mapped and *why names the problem.
 */
zx_status_t elf_load(struct vmar *vmar, const void *image, size_t size, vaddr_t *entry,
		     const char **why);

#endif
