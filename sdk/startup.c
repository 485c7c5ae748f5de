/*
 * startup.c: the start-up handle table and the libzircon calls that Zircon
 * implements in user space (its vDSO) rather than in the kernel.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>

/* One entry of the table the kernel passes the first process's _start in a0 (count in a1). */
struct zx_startup_entry {
	uint32_t handle;
	uint32_t info; /* PA_HND(type, arg) */
};

/* More start-up handles than this are dropped (never closed). The first
 * process receives five; Fuchsia's processargs carry at most 64 handles. */
#define STARTUP_HANDLES_MAX 64

static struct zx_startup_entry startup_table[STARTUP_HANDLES_MAX];
static size_t startup_count;
static zx_handle_t proc_self = ZX_HANDLE_INVALID;
static zx_handle_t vmar_root = ZX_HANDLE_INVALID;
static zx_handle_t bootfs = ZX_HANDLE_INVALID; /* the boot archive, when booted from one */
static zx_handle_t job_default = ZX_HANDLE_INVALID;
static zx_handle_t thread_self = ZX_HANDLE_INVALID;

/* What crt0 hands main(). The first process gets argc 0 and an empty argv. */
int __zx_argc;
char **__zx_argv;
static char *empty_argv[1];

void __zx_startup_init(const struct zx_startup_entry *table, size_t count);
static zx_handle_t take(uint32_t hnd_info);

/*
 * A process started by zirv_spawn() (sdk/spawn.c): a0 is the bootstrap
 * channel, whose one message (Zircon's processargs: zx_proc_args_t, an
 * info word per handle, argv's strings) fills the handle table and argv.
 * The message is read into the heap and argv stays there, in one block.
 */
static void read_bootstrap(zx_handle_t ch)
{
	zx_handle_t handles[STARTUP_HANDLES_MAX];
	uint32_t nbytes = 0, nhandles = 0;
	uint8_t *msg = NULL;

	/* The sizes first: a read with no room says how much there is. */
	if (zx_channel_read(ch, 0, NULL, NULL, 0, 0, &nbytes, &nhandles) ==
		ZX_ERR_BUFFER_TOO_SMALL &&
	    nhandles <= STARTUP_HANDLES_MAX && (msg = malloc(nbytes + 1)) != NULL &&
	    zx_channel_read(ch, 0, msg, handles, nbytes, nhandles, &nbytes, &nhandles) != ZX_OK)
		nbytes = nhandles = 0;
	zx_handle_close(ch);
	const zx_proc_args_t *pa = (const zx_proc_args_t *)msg;
	if (!msg || nbytes < sizeof(*pa) || pa->protocol != ZX_PROCARGS_PROTOCOL ||
	    pa->handle_info_off > nbytes || (nbytes - pa->handle_info_off) / 4 < nhandles ||
	    pa->args_off > nbytes) {
		zx_handle_close_many(handles, msg ? nhandles : 0);
		free(msg);
		return;
	}
	for (uint32_t i = 0; i < nhandles; i++) {
		uint32_t info;
		memcpy(&info, msg + pa->handle_info_off + 4 * i, sizeof(info));
		startup_table[i] = (struct zx_startup_entry){handles[i], info};
	}
	startup_count = nhandles;
	/* argv: the pointers, then the strings, moved to the front of one block. */
	uint32_t argc = 0;
	msg[nbytes] = 0; /* an unterminated last string ends at the message's end */
	for (size_t off = pa->args_off; argc < pa->args_num && off < nbytes; argc++)
		off += strlen((const char *)msg + off) + 1;
	size_t strings = nbytes - pa->args_off + 1;
	char **argv = malloc((argc + 1) * sizeof(char *) + strings);
	if (argv) {
		char *p = (char *)(argv + argc + 1);
		memcpy(p, msg + pa->args_off, strings);
		for (uint32_t i = 0; i < argc; i++) {
			argv[i] = p;
			p += strlen(p) + 1;
		}
		argv[argc] = NULL;
		__zx_argc = (int)argc;
		__zx_argv = argv;
	}
	free(msg);
}

/* Called by crt0 before any constructor. The kernel's table may live
 * anywhere in user memory (typically just above the initial sp), so it is
 * copied before anything else can overwrite it. The runtime keeps the
 * process, root-VMAR and job handles for itself, as Fuchsia's libc does:
 * they are reached through zx_process_self(), zx_vmar_root_self() and
 * zx_job_default(), and
 * zx_take_startup_handle() does not hand them out. It keeps the boot
 * archive's VMO too (for launching programs from it), and
 * zx_take_startup_handle(PA_HND(PA_VMO_BOOTFS, 0)) gives out duplicates. */
extern char __tls_base[], __tdata_image[], __tdata_size[]; /* zirv-user.ld */

void __zx_startup_init(const struct zx_startup_entry *table, size_t count)
{
	/* Before anything writes thread-local data: new threads start from these values. */
	memcpy(__tdata_image, __tls_base, (size_t)__tdata_size);
	__zx_argv = empty_argv;
	if (count == ZX_PROCARGS_PROTOCOL) { /* zirv_spawn's mark in a1: a0 is the channel */
		read_bootstrap((zx_handle_t)(uintptr_t)table);
		count = 0;
	} else if (table == NULL) {
		count = 0;
	}
	if (count > STARTUP_HANDLES_MAX)
		count = STARTUP_HANDLES_MAX;
	for (size_t i = 0; i < count; i++)
		startup_table[i] = table[i];
	if (count)
		startup_count = count;
	proc_self = take(PA_HND(PA_PROC_SELF, 0));
	vmar_root = take(PA_HND(PA_VMAR_ROOT, 0));
	job_default = take(PA_HND(PA_JOB_DEFAULT, 0));
	thread_self = take(PA_HND(PA_THREAD_SELF, 0));
	bootfs = take(PA_HND(PA_VMO_BOOTFS, 0));
}

zx_handle_t zx_take_startup_handle(uint32_t hnd_info)
{
	zx_handle_t dup = ZX_HANDLE_INVALID;
	if (hnd_info == PA_HND(PA_VMO_BOOTFS, 0)) {
		if (bootfs != ZX_HANDLE_INVALID &&
		    zx_handle_duplicate(bootfs, ZX_RIGHT_SAME_RIGHTS, &dup) != ZX_OK)
			dup = ZX_HANDLE_INVALID;
		return dup;
	}
	return take(hnd_info);
}

/* Take a start-up handle out of the table: it is the caller's, and gone from there. */
static zx_handle_t take(uint32_t hnd_info)
{
	for (size_t i = 0; i < startup_count; i++) {
		struct zx_startup_entry *e = &startup_table[i];
		if (e->handle != ZX_HANDLE_INVALID && e->info == hnd_info) {
			zx_handle_t h = e->handle;
			e->handle = ZX_HANDLE_INVALID;
			return h;
		}
	}
	return ZX_HANDLE_INVALID;
}

zx_handle_t zx_process_self(void)
{
	return proc_self;
}

zx_handle_t zx_vmar_root_self(void)
{
	return vmar_root;
}

zx_handle_t zx_job_default(void)
{
	return job_default;
}

zx_handle_t zx_thread_self(void)
{
	return thread_self;
}

zx_handle_t __zx_bootfs(void)
{
	return bootfs;
}

zx_instant_mono_ticks_t zx_ticks_get(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t)); /* the kernel lets user mode read time */
	return (zx_instant_mono_ticks_t)t;
}

zx_instant_mono_t zx_deadline_after(zx_duration_mono_t nanoseconds)
{
	return zx_time_add_duration(zx_clock_get_monotonic(), nanoseconds);
}

uint32_t zx_system_get_page_size(void)
{
	return (uint32_t)ZX_PAGE_SIZE;
}
