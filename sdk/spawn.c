/*
 * spawn.c: zirv_spawn(), launching a program from the boot archive in
 * user space with public system calls only: the archive's ELF is mapped
 * segment by segment into a new process's root VMAR, a stack beside it,
 * and a bootstrap channel carries argv and the handles in Zircon's
 * processargs format; startup.c reads it on the other side.
 */
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zirv/elf_format.h>
#include <zirv/spawn.h>

#define PAGE		4096ul
#define STACK_SIZE	(256ul << 10)
#define MSG_MAX		65536
#define MSG_HANDLES	64
#define BUILTIN_HANDLES 4 /* process, thread, root VMAR, job */

zx_handle_t __zx_bootfs(void); /* startup.c: the archive the runtime keeps */

static size_t hex8(const uint8_t *p)
{
	char f[9];
	memcpy(f, p, 8);
	f[8] = 0;
	return strtoul(f, NULL, 16);
}

/* The archive member `path` (a leading "/" or "./" is ignored), or NOT_FOUND. */
static zx_status_t find_member(const uint8_t *a, size_t len, const char *path, const uint8_t **data,
			       size_t *size)
{
	while (*path == '/' || (path[0] == '.' && path[1] == '/'))
		path += *path == '/' ? 1 : 2;
	for (size_t off = 0; off + 110 <= len;) {
		if (memcmp(a + off, "07070", 5) != 0)
			return ZX_ERR_IO_DATA_INTEGRITY;
		size_t filesize = hex8(a + off + 54), namesize = hex8(a + off + 94);
		size_t name_off = off + 110, data_off = (name_off + namesize + 3) & ~3ul;
		if (namesize == 0 || data_off > len || filesize > len - data_off)
			return ZX_ERR_IO_DATA_INTEGRITY;
		const char *name = (const char *)a + name_off;
		while (*name == '/' || (name[0] == '.' && name[1] == '/'))
			name += *name == '/' ? 1 : 2;
		if (strcmp(name, "TRAILER!!!") == 0)
			break;
		if (strcmp(name, path) == 0) {
			*data = a + data_off;
			*size = filesize;
			return ZX_OK;
		}
		off = (data_off + filesize + 3) & ~3ul;
	}
	return ZX_ERR_NOT_FOUND;
}

/* Map one PT_LOAD segment of the ELF image into `vmar` (whose base is `base`). */
static zx_status_t load_segment(zx_handle_t vmar, zx_vaddr_t base, const uint8_t *elf,
				size_t elf_size, const struct elf64_phdr *ph)
{
	zx_vaddr_t start = ph->vaddr & ~(PAGE - 1), got;
	size_t len = ((ph->vaddr + ph->memsz + PAGE - 1) & ~(PAGE - 1)) - start;
	zx_handle_t vmo;
	zx_status_t st;

	if (ph->filesz > ph->memsz || ph->offset > elf_size || ph->filesz > elf_size - ph->offset ||
	    start < base)
		return ZX_ERR_IO_DATA_INTEGRITY;
	if ((st = zx_vmo_create(len, 0, &vmo)) != ZX_OK)
		return st;
	if ((st = zx_vmo_write(vmo, elf + ph->offset, ph->vaddr - start, ph->filesz)) == ZX_OK &&
	    (ph->flags & PF_X))
		st = zx_vmo_replace_as_executable(vmo, ZX_HANDLE_INVALID, &vmo);
	if (st == ZX_OK) {
		zx_vm_option_t perms = (ph->flags & PF_R ? ZX_VM_PERM_READ : 0) |
				       (ph->flags & PF_W ? ZX_VM_PERM_WRITE : 0) |
				       (ph->flags & PF_X ? ZX_VM_PERM_EXECUTE : 0);
		st = zx_vmar_map(vmar, perms | ZX_VM_SPECIFIC, start - base, vmo, 0, len, &got);
	}
	zx_handle_close(vmo);
	return st;
}

/* Every PT_LOAD of the image; *entry is where the program starts. */
static zx_status_t load_elf(zx_handle_t vmar, const uint8_t *elf, size_t size, zx_vaddr_t *entry)
{
	struct elf64_ehdr eh;
	zx_info_vmar_t vi;
	zx_status_t st;

	if (size < sizeof(eh))
		return ZX_ERR_NOT_SUPPORTED; /* too short to be an ELF */
	memcpy(&eh, elf, sizeof(eh));	     /* members are only 4-byte aligned in the archive */
	if (memcmp(eh.ident, "\177ELF\2\1", 6) != 0 || eh.type != ET_EXEC ||
	    eh.machine != EM_RISCV || eh.phentsize != sizeof(struct elf64_phdr) ||
	    eh.phoff > size || (size - eh.phoff) / sizeof(struct elf64_phdr) < eh.phnum)
		return ZX_ERR_NOT_SUPPORTED;
	if ((st = zx_object_get_info(vmar, ZX_INFO_VMAR, &vi, sizeof(vi), NULL, NULL)) != ZX_OK)
		return st;
	for (uint16_t i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, elf + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_LOAD && ph.memsz &&
		    (st = load_segment(vmar, vi.base, elf, size, &ph)) != ZX_OK)
			return st;
	}
	*entry = eh.entry;
	return ZX_OK;
}

/* The processargs message: header, one info word per handle, then argv's strings. */
static zx_status_t build_message(uint8_t *msg, size_t *len, const char *const *argv,
				 const uint32_t *info, size_t nhandles)
{
	zx_proc_args_t *pa = (zx_proc_args_t *)msg;
	size_t off = sizeof(*pa) + nhandles * sizeof(uint32_t);
	uint32_t argc = 0;

	memset(pa, 0, sizeof(*pa));
	pa->protocol = ZX_PROCARGS_PROTOCOL;
	pa->version = ZX_PROCARGS_VERSION;
	pa->handle_info_off = sizeof(*pa);
	memcpy(msg + sizeof(*pa), info, nhandles * sizeof(uint32_t));
	pa->args_off = (uint32_t)off;
	for (; argv[argc]; argc++) {
		size_t n = strlen(argv[argc]) + 1;
		if (n > MSG_MAX - off)
			return ZX_ERR_OUT_OF_RANGE;
		memcpy(msg + off, argv[argc], n);
		off += n;
	}
	pa->args_num = argc;
	*len = off;
	return ZX_OK;
}

/* Start the loaded process: stack, thread, and the bootstrap channel holding `msg`. */
static zx_status_t start(zx_handle_t proc, zx_handle_t vmar, zx_handle_t job, zx_vaddr_t entry,
			 const char *const *argv, size_t nhandles, const zx_handle_t *handles,
			 const uint32_t *handle_info)
{
	static uint8_t msg[MSG_MAX];
	zx_handle_t all[MSG_HANDLES], thread, stack, c0, c1;
	uint32_t info[MSG_HANDLES];
	zx_vaddr_t sp;
	size_t len, n = 0;
	zx_status_t st;

	const char *name = argv[0] ? argv[0] : "main";
	if ((st = zx_vmo_create(STACK_SIZE, 0, &stack)) == ZX_OK) {
		st = zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, stack, 0, STACK_SIZE,
				 &sp);
		zx_handle_close(stack);
	}
	if (st == ZX_OK)
		st = zx_thread_create(proc, name, strlen(name), 0, &thread);
	if (st != ZX_OK) {
		zx_handle_close_many(handles, nhandles); /* consumed, also on failure */
		return st;
	}
	/* The child's own handles first, as processargs lists them, then the caller's. */
	zx_handle_t self[BUILTIN_HANDLES] = {proc, thread, vmar, job};
	const uint32_t self_info[BUILTIN_HANDLES] = {
	    PA_HND(PA_PROC_SELF, 0), PA_HND(PA_THREAD_SELF, 0), PA_HND(PA_VMAR_ROOT, 0),
	    PA_HND(PA_JOB_DEFAULT, 0)};
	for (size_t i = 0; i < BUILTIN_HANDLES; i++) {
		if (zx_handle_duplicate(self[i], ZX_RIGHT_SAME_RIGHTS, &all[n]) != ZX_OK)
			continue;
		info[n++] = self_info[i];
	}
	for (size_t i = 0; i < nhandles; i++) {
		all[n] = handles[i];
		info[n++] = handle_info[i];
	}
	if ((st = build_message(msg, &len, argv, info, n)) == ZX_OK &&
	    (st = zx_channel_create(0, &c0, &c1)) == ZX_OK) {
		st = zx_channel_write(c0, 0, msg, (uint32_t)len, all, (uint32_t)n); /* takes them */
		n = 0;
		zx_handle_close(c0); /* the message stays queued for c1 */
		if (st == ZX_OK)
			st = zx_process_start(proc, thread, entry, sp + STACK_SIZE, c1,
					      ZX_PROCARGS_PROTOCOL);
		else
			zx_handle_close(c1);
	}
	zx_handle_close_many(all, n);
	zx_handle_close(thread);
	return st;
}

/*
 * The archive, mapped read-only by the first launch and kept for the
 * next: mapping it writes an entry per page, which costs more than the
 * rest of a launch. Two threads racing here keep one mapping.
 */
static zx_status_t archive_view(zx_handle_t archive, uint64_t size, const uint8_t **out)
{
	static const uint8_t *kept;
	const uint8_t *view = __atomic_load_n(&kept, __ATOMIC_ACQUIRE), *none = NULL;
	zx_vaddr_t va;
	zx_status_t st;

	if (!view) {
		if ((st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, archive, 0, size,
				      &va)) != ZX_OK)
			return st;
		view = (const uint8_t *)va;
		if (!__atomic_compare_exchange_n(&kept, &none, view, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE)) {
			zx_vmar_unmap(zx_vmar_root_self(), va, size);
			view = none; /* the other thread's */
		}
	}
	*out = view;
	return ZX_OK;
}

zx_status_t zirv_spawn(zx_handle_t job, const char *path, const char *const *argv, size_t nhandles,
		       const zx_handle_t *handles, const uint32_t *handle_info,
		       zx_handle_t *process_out)
{
	const char *const default_argv[] = {path, NULL};
	zx_handle_t archive = __zx_bootfs(), proc = ZX_HANDLE_INVALID, vmar = ZX_HANDLE_INVALID;
	zx_vaddr_t entry;
	uint64_t size = 0;
	const uint8_t *map = NULL, *elf;
	size_t elf_size;
	zx_status_t st;

	if (!path || (nhandles && (!handles || !handle_info)) || !process_out ||
	    nhandles > MSG_HANDLES - BUILTIN_HANDLES)
		st = ZX_ERR_INVALID_ARGS;
	else if (archive == ZX_HANDLE_INVALID)
		st = ZX_ERR_NOT_FOUND; /* not booted from an archive */
	else if ((st = zx_vmo_get_size(archive, &size)) == ZX_OK)
		st = archive_view(archive, size, &map);
	if (st == ZX_OK && (st = find_member(map, size, path, &elf, &elf_size)) == ZX_OK) {
		const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		if ((st = zx_process_create(job, name, strlen(name), 0, &proc, &vmar)) == ZX_OK &&
		    (st = load_elf(vmar, elf, elf_size, &entry)) == ZX_OK) {
			st = start(proc, vmar, job, entry, argv ? argv : default_argv, nhandles,
				   handles, handle_info);
			nhandles = 0; /* start() took them */
		}
	}
	if (nhandles && handles)
		zx_handle_close_many(handles, nhandles);
	zx_handle_close(vmar);
	if (st != ZX_OK) {
		if (proc != ZX_HANDLE_INVALID)
			zx_task_kill(proc);
		zx_handle_close(proc);
		return st;
	}
	*process_out = proc;
	return ZX_OK;
}
