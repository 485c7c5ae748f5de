#include <string.h>
#include <zircon/errors.h>
#include <zircon/processargs.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

#include "elf.h"
#include "handles/process.h"
#include "handles/resource.h"
#include "handles/thread.h"
#include "handles/vmo.h"
#include "kernel.h"
#include "main.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "proc.h"
#include "timer.h"

#define USER_STACK_SIZE (256ul << 10)

struct startup_handle {
	uint32_t handle;
	uint32_t info;
};

/* Its end powers the machine off. */
static struct process *first_process;

/* A VMO holding a copy of [src, src+size), named `name` (the device tree, the boot archive). */
static struct vmo_obj *copy_vmo(const void *src, size_t size, const char *name)
{
	struct vmo *v;
	struct vmo_obj *vo;
	if (size > VMO_MAX_SIZE)
		panic("proc_start_first: the %s is larger than a VMO can be (1 GiB)", name);
	if (vmo_create(size, &v) != ZX_OK || vmo_write_kernel(v, src, 0, size) != ZX_OK)
		panic("proc_start_first: no memory for the %s VMO", name);
	vo = vmo_obj_create(v);
	object_set_name(&vo->obj, name, strlen(name));
	return vo;
}

static void add_startup(struct process *p, struct object *o, zx_rights_t rights, uint32_t info,
			struct startup_handle *tab, size_t *n)
{
	zx_handle_t h;
	object_ref(o);
	if (handle_add(&p->handles, o, rights, &h) != ZX_OK)
		panic("proc_start_first: handle table full at start-up");
	tab[(*n)++] = (struct startup_handle){h, info};
}

/* Map the stack, put the start-up handle table on it; returns the initial sp. */
static vaddr_t setup_stack(struct process *p, struct startup_handle *tab, size_t n,
			   vaddr_t *tab_user)
{
	struct vmo *stack;
	vaddr_t base;
	vaddr_t top_wanted = USER_END - PAGE_SIZE - USER_STACK_SIZE;

	/*
	 * Committed up front, as the image is (elf.c): the first process's own
	 * memory never faults in, so an allocation failure it meets
	 * (zirv.failalloc, a full PMM) is always the answer to a call it made.
	 */
	if (vmo_create(USER_STACK_SIZE, &stack) != ZX_OK ||
	    vmo_commit(stack, 0, USER_STACK_SIZE) != ZX_OK)
		panic("proc_start_first: no memory for the user stack");
	struct map_request rq = {.vmo = stack,
				 .len = USER_STACK_SIZE,
				 .perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
				 .max_perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
				 .at = {.specific = true, .addr = top_wanted, .align = PAGE_SIZE}};
	if (vmar_map(p->root_vmar->vmar, &rq, &base) != ZX_OK)
		panic("proc_start_first: no memory for the user stack");
	vmo_unref(stack); /* the mapping keeps it */
	vaddr_t sp = base + USER_STACK_SIZE - ALIGN_UP(n * sizeof(*tab), 16);
	if (vmo_write_kernel(stack, tab, sp - base, n * sizeof(*tab)) != ZX_OK)
		panic("proc_start_first: writing the start-up handles");
	*tab_user = sp;
	return sp;
}

void proc_start_first(const void *elf, size_t size, const char *name, const void *archive,
		      size_t archive_size)
{
	struct process *p;
	struct job *root_job;
	if (job_create_root(&root_job) != ZX_OK || process_create(root_job, name, &p) != ZX_OK)
		panic("proc_start_first: out of memory creating the first process");
	struct startup_handle tab[10];
	size_t n = 0;
	const char *why;
	vaddr_t entry, tab_user;
	struct thread *t;

	if (elf_load(p->root_vmar->vmar, elf, size, &entry, &why) != ZX_OK)
		panic("proc_start_first: %s: refusing ELF: %s", name, why);
	if (thread_create(p, name, &t) != ZX_OK)
		panic("proc_start_first: no memory for the first thread");
	add_startup(p, &p->obj, ZX_DEFAULT_PROCESS_RIGHTS, PA_HND(PA_PROC_SELF, 0), tab, &n);
	add_startup(p, &t->obj, ZX_DEFAULT_THREAD_RIGHTS, PA_HND(PA_THREAD_SELF, 0), tab, &n);
	add_startup(p, &p->root_vmar->obj,
		    ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE,
		    PA_HND(PA_VMAR_ROOT, 0), tab, &n);
	add_startup(p, &root_job->obj, ZX_DEFAULT_JOB_RIGHTS, PA_HND(PA_JOB_DEFAULT, 0), tab, &n);
	object_unref(&root_job->obj); /* the process and its handle hold it */
	/* The device tree and the boot archive, read-only (contracts 3 and 6 of DESIGN.md). */
	zx_rights_t ro = ZX_DEFAULT_VMO_RIGHTS & ~(ZX_RIGHT_WRITE | ZX_RIGHT_SET_PROPERTY);
	struct vmo_obj *dtv = copy_vmo(boot.dt->blob, boot.dt->totalsize, "devicetree");
	add_startup(p, &dtv->obj, ro, PA_HND(PA_VMO_BOOTDATA, 0), tab, &n);
	object_unref(&dtv->obj);
	if (archive) {
		struct vmo_obj *fs = copy_vmo(archive, archive_size, "bootfs");
		add_startup(p, &fs->obj, ro, PA_HND(PA_VMO_BOOTFS, 0), tab, &n);
		object_unref(&fs->obj);
	}
	struct resource *root = resource_root(), *mmio = resource_mmio_root(),
			*irq = resource_irq_root();
	if (!root || !mmio || !irq)
		panic("proc_start_first: no memory for the root resources");
	add_startup(p, &root->obj, ZX_DEFAULT_RESOURCE_RIGHTS, PA_HND(PA_RESOURCE, 0), tab, &n);
	add_startup(p, &mmio->obj, ZX_DEFAULT_RESOURCE_RIGHTS, PA_HND(PA_MMIO_RESOURCE, 0), tab,
		    &n);
	add_startup(p, &irq->obj, ZX_DEFAULT_RESOURCE_RIGHTS, PA_HND(PA_IRQ_RESOURCE, 0), tab, &n);
	object_unref(&root->obj);
	object_unref(&mmio->obj);
	object_unref(&irq->obj);
	vaddr_t sp = setup_stack(p, tab, n, &tab_user);

	first_process = p;
	kprintf("zirv: starting %s (entry %#lx, %zu start-up handles)\n", name, entry, n);
	if (process_start(p, t, entry, sp, NULL, 0, 0) != ZX_OK)
		panic("proc_start_first: no memory to start the first thread");
	/* a0 = the start-up handle table, a1 = its length (docs/sdk.md) */
	struct trap_frame *tf = (struct trap_frame *)(t->kt.kstack_top - 16) - 1;
	tf->x[10] = tab_user;
	tf->x[11] = n;
	object_unref(&t->obj); /* the process lists it; it holds itself while it runs */
	if (boot.failalloc >= 0) {
		kprintf("zirv: kernel allocations fail after %ld more\n", boot.failalloc);
		kmem_fail_after(boot.failalloc);
	}
}

void proc_thread_exit(void)
{
	struct thread *t = thread_current();
	struct process *p = t->proc;

	if (thread_finish(t)) { /* the last thread: the process ends */
		int64_t code = p->state == PROC_DYING ? p->return_code : 0;
		csr_write_satp(SATP_MODE_SV39 | (kvm_root() >> PAGE_SHIFT));
		process_end(p, code);
		if (p == first_process) {
			kprintf("zirv: process %s exited with %ld\n", p->obj.name, code);
			kprintf("zirv: powering off (exit %d)\n", (int)(code & 0xff));
			power_off((int)(code & 0xff));
		}
	}
	sched_exit();
}

void proc_exit_if_killed(void)
{
	if (this_thread()->killed)
		proc_thread_exit();
}

void proc_exit(int64_t code)
{
	process_kill(current, code);
	proc_thread_exit();
}

void proc_fault(struct trap_frame *tf, zx_status_t why)
{
	struct thread *t = thread_current();
	kprintf("zirv: process %s thread %s killed: %s (scause %#lx) at pc %#lx, address %#lx%s\n",
		current->obj.name, t->obj.name, trap_cause_name(tf->scause), tf->scause, tf->sepc,
		tf->stval, why == ZX_ERR_NO_MEMORY ? ": no memory for the page" : "");
	proc_exit(ZX_TASK_RETCODE_EXCEPTION_KILL);
}
