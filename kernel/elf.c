#include <string.h>
#include <zircon/errors.h>
#include <zirv/elf_format.h>

#include "elf.h"
#include "kernel.h"
#include "mm/layout.h"

#define MAX_PHDRS 16

static const char *check_header(const struct elf64_ehdr *eh, size_t size)
{
	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4))
		return "not an ELF file";
	if (eh->ident[4] != 2 || eh->ident[5] != 1)
		return "not ELF64 little-endian";
	if (eh->type != ET_EXEC || eh->machine != EM_RISCV)
		return "not a RISC-V static executable";
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0 || eh->phnum > MAX_PHDRS)
		return "bad program header size or count";
	if (!range_within(eh->phoff, eh->phnum * sizeof(struct elf64_phdr), size))
		return "program headers past the end of the file";
	return NULL;
}

static const char *check_segment(const struct elf64_phdr *ph, size_t size)
{
	if (!range_within(ph->offset, ph->filesz, size))
		return "segment data past the end of the file";
	if (ph->filesz > ph->memsz)
		return "segment file size larger than memory size";
	if (ph->vaddr < USER_BASE || ph->vaddr >= USER_END || ph->memsz > USER_END - ph->vaddr)
		return "segment outside user space";
	if ((ph->vaddr & PAGE_MASK) != (ph->offset & PAGE_MASK))
		return "segment offset and address not congruent";
	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return "segment both writable and executable";
	return NULL;
}

static uint32_t perms_of(uint32_t pflags)
{
	return (pflags & PF_R ? ZX_VM_PERM_READ : 0) | (pflags & PF_W ? ZX_VM_PERM_WRITE : 0) |
	       (pflags & PF_X ? ZX_VM_PERM_EXECUTE | ZX_VM_PERM_READ : 0);
}

static zx_status_t load_segment(struct vmar *vmar, const uint8_t *image,
				const struct elf64_phdr *ph)
{
	vaddr_t start = ALIGN_DOWN(ph->vaddr, PAGE_SIZE);
	size_t len = ALIGN_UP(ph->vaddr + ph->memsz, PAGE_SIZE) - start;
	struct vmo *vmo;
	vaddr_t got;

	zx_status_t st = vmo_create(len, &vmo);
	if (st != ZX_OK)
		return st;
	st = vmo_write_kernel(vmo, image + ph->offset, ph->vaddr - start, ph->filesz);
	if (st == ZX_OK) /* the first process starts with its image committed (see proc.c) */
		st = vmo_commit(vmo, 0, len);
	if (st == ZX_OK) {
		struct map_request rq = {
		    .vmo = vmo,
		    .len = len,
		    .perms = perms_of(ph->flags),
		    .max_perms = perms_of(ph->flags),
		    .at = {.specific = true, .addr = start, .align = PAGE_SIZE}};
		st = vmar_map(vmar, &rq, &got);
	}
	vmo_unref(vmo); /* the mapping keeps it */
	return st;
}

/* Program header i, copied out: the image may sit at any byte alignment. */
static struct elf64_phdr phdr(const void *image, const struct elf64_ehdr *eh, int i)
{
	struct elf64_phdr ph;
	memcpy(&ph, (const uint8_t *)image + eh->phoff + (size_t)i * sizeof(ph), sizeof(ph));
	return ph;
}

/*
 * The headers are copied out before use: the image may sit at any byte
 * alignment (a boot archive member is only 4-byte aligned).
 */
zx_status_t elf_load(struct vmar *vmar, const void *image, size_t size, vaddr_t *entry,
		     const char **why)
{
	struct elf64_ehdr eh;
	bool has_entry = false;

	if (size < sizeof(eh)) {
		*why = "not an ELF file";
		return ZX_ERR_INVALID_ARGS;
	}
	memcpy(&eh, image, sizeof(eh));
	if ((*why = check_header(&eh, size)))
		return ZX_ERR_INVALID_ARGS;
	for (int i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph = phdr(image, &eh, i);
		if (ph.type != PT_LOAD)
			continue;
		if ((*why = check_segment(&ph, size)))
			return ZX_ERR_INVALID_ARGS;
		if ((ph.flags & PF_X) && eh.entry - ph.vaddr < ph.memsz)
			has_entry = true;
	}
	if (!has_entry) {
		*why = "entry point not in an executable segment";
		return ZX_ERR_INVALID_ARGS;
	}
	for (int i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph = phdr(image, &eh, i);
		if (ph.type != PT_LOAD)
			continue;
		zx_status_t st = load_segment(vmar, image, &ph);
		if (st != ZX_OK) {
			vmar_unmap_all(vmar);
			*why = st == ZX_ERR_ALREADY_EXISTS ? "segments overlap" : "out of memory";
			return st;
		}
	}
	*entry = eh.entry;
	return ZX_OK;
}
