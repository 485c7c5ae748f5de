/*
 * The object layer (handles/) and the VM mechanism under it (mm/vmo.c,
 * mm/vmar.c, mm/pt.c) on the host, with the fake arch: physical addresses
 * are host pointers and page allocations come from the C heap. Checks
 * handle generations and retired slots, the root filter and kernel-owned
 * devices, resource exclusivity, the alias guard, cutting mappings on
 * protect and unmap, and that a slice chain of 100,000 is released without
 * recursion (a recursive release would overrun the host's own stack).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/rights.h>
#include <zircon/syscalls/object.h>

#include "arch.h"
#include "handles/handle.h"
#include "handles/process.h"
#include "handles/resource.h"
#include "handles/thread.h"
#include "handles/vmar.h"
#include "handles/vmo.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "mm/pte.h"

unsigned long fake_fences, fake_tlb_flushes, fake_cbos, fake_thead_ops;
uint64_t kvm_image_size = 1 << 20;
static int failures;
static long pages_out; /* fake PMM pages handed out and not freed */

/* The optional message of a failed CHECK (a plain vprintf: it may be empty). */
static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			printf("FAIL %s:%d: %s ", __FILE__, __LINE__, #cond);                      \
			note("" __VA_ARGS__);                                                      \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* ---- the environment mm/ and handles/ expect ---------------------------- */

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void *paddr_to_kva(paddr_t pa)
{
	return (void *)pa;
}

paddr_t kva_to_paddr(const void *va)
{
	return (paddr_t)va;
}

/* A page, and after it the page-table count word pt.c keeps for it. */
paddr_t pmm_alloc(void)
{
	if (!kmem_may_alloc())
		return 0;
	void *p = aligned_alloc(PAGE_SIZE, 2 * PAGE_SIZE);
	memset(p, 0xa5, 2 * PAGE_SIZE);
	pages_out++;
	return (paddr_t)p;
}

paddr_t pmm_alloc_zeroed(void)
{
	paddr_t pa = pmm_alloc();
	if (pa)
		memset((void *)pa, 0, PAGE_SIZE);
	return pa;
}

/* Contiguous runs: none here (each fake page carries its own count word after it). */
paddr_t pmm_alloc_contiguous(uint64_t n, uint64_t align)
{
	(void)n, (void)align;
	return 0;
}

void pmm_free(paddr_t pa)
{
	pages_out--;
	free((void *)pa);
}

uint64_t pmm_free_pages(void)
{
	return 1000000 - (uint64_t)pages_out;
}

uint64_t pmm_total_pages(void)
{
	return 1000000;
}

uint16_t *pt_count(paddr_t table)
{
	return (uint16_t *)(table + PAGE_SIZE);
}

/* The same spare page holds a VMO page's holder count (a page is a table or a VMO page). */
uint16_t *pmm_page_word(paddr_t pa)
{
	return (uint16_t *)(pa + PAGE_SIZE);
}

static uint64_t kernel_root[512] __attribute__((aligned(PAGE_SIZE)));

paddr_t kvm_root(void)
{
	return (paddr_t)kernel_root;
}

static bool kernel_maps_uncached; /* a pretend kernel device mapping of KERNEL_MAPPED */
#define KERNEL_MAPPED 0x10000000ul

bool kvm_alias_conflict(paddr_t pa, size_t len, int memtype)
{
	return kernel_maps_uncached && pa < KERNEL_MAPPED + PAGE_SIZE && KERNEL_MAPPED < pa + len &&
	       memtype != MEMTYPE_IO;
}

void *kvm_scratch_map(paddr_t pa, uint32_t policy)
{
	(void)policy;
	return (void *)pa;
}

void kvm_scratch_unmap(void) {}

/*
 * The scheduler, as far as handles/ sees it: one hart whose only thread is
 * its idle one; a started thread is only marked ready, a killed one only
 * marked killed (the test then ends it as its hart would).
 */
struct cpu cpus[CPU_MAX];
static long stacks_out;

struct kthread *this_thread(void)
{
	cpus[0].idle.cpu = &cpus[0];
	return &cpus[0].idle;
}

uint32_t sched_num_cpus(void)
{
	return 1;
}

void kthread_init_user(struct kthread *t, vaddr_t kstack_top, uint64_t pc, uint64_t sp,
		       uint64_t arg0, uint64_t arg1)
{
	(void)pc, (void)sp, (void)arg0, (void)arg1;
	t->kstack_top = kstack_top;
	t->state = KT_NEW;
}

void sched_ready(struct kthread *t)
{
	t->state = KT_READY;
}

void sched_kill(struct kthread *t)
{
	t->killed = true;
}

zx_status_t sched_block(zx_time_t deadline)
{
	(void)deadline;
	return ZX_ERR_TIMED_OUT;
}

bool sched_wake(struct kthread *t, zx_status_t status)
{
	(void)t, (void)status;
	return false;
}

void smp_remote_sfence(uint64_t harts, vaddr_t va, size_t len, uint16_t asid)
{
	(void)harts, (void)va, (void)len, (void)asid;
	panic("a remote flush with one hart");
}

vaddr_t kvm_stack_alloc(const char *name)
{
	(void)name;
	stacks_out++;
	return (vaddr_t)malloc(64) + 64;
}

void kvm_stack_free(vaddr_t top)
{
	stacks_out--;
	free((void *)(top - 64));
}

zx_time_t timer_now(void)
{
	return 42;
}

void smp_rfence_counts(uint64_t *calls, uint64_t *harts)
{
	*calls = *harts = 0;
}

uint64_t timer_ticks(void)
{
	return 420;
}

zx_duration_t timer_ticks_to_ns(uint64_t ticks)
{
	return (zx_duration_t)ticks * 100;
}

/* ---- handle generations -------------------------------------------------- */

static void test_generations(void)
{
	struct handle_table ht;
	struct vmo *v;
	struct vmo_obj *vo;
	CHECK(handle_table_init(&ht) == ZX_OK);
	CHECK(vmo_create(PAGE_SIZE, &v) == ZX_OK);
	vo = vmo_obj_create(v);
	handle_set_generation_bits(3);
	zx_handle_t seen[64];
	int n = 0;
	uint32_t before = handle_free_slots(&ht);
	/* LIFO reuse: one slot lives through its 8 generations, then is retired */
	for (int i = 0; i < 8; i++) {
		zx_handle_t h;
		struct object *o;
		object_ref(&vo->obj);
		CHECK(handle_add(&ht, &vo->obj, ZX_DEFAULT_VMO_RIGHTS, &h) == ZX_OK);
		for (int j = 0; j < n; j++)
			CHECK(h != seen[j], "value %#x came back", h);
		seen[n++] = h;
		CHECK(handle_take(&ht, h, &o, NULL) == ZX_OK && o == &vo->obj);
		object_unref(o);
	}
	CHECK(handle_free_slots(&ht) == before - 1, "the worn slot is retired");
	for (int j = 0; j < n; j++)
		CHECK(handle_get(&ht, seen[j], ZX_OBJ_TYPE_NONE, 0, NULL, NULL) ==
		      ZX_ERR_BAD_HANDLE);
	handle_set_generation_bits(22);
	object_unref(&vo->obj);
	handle_table_destroy(&ht);
}

/* ---- the root filter and exclusive resources ------------------------------ */

static struct restab rt;

static void entry(uint64_t base, uint64_t size, int kind, uint8_t flags)
{
	rt.e[rt.n++] = (struct rt_entry){
	    .base = base, .size = size, .kind = (uint8_t)kind, .flags = flags, .node = DT_NONE};
}

static void test_root_filter(void)
{
	rt.n = 0;
	entry(0x100000, 0x1000, RT_MMIO, RT_F_KERNEL);	/* the finisher */
	entry(0x101000, 0x1000, RT_MMIO, 0);		/* an RTC */
	entry(0x10000000, 0x100, RT_MMIO, RT_F_KERNEL); /* the console */
	entry(0x10001000, 0x1000, RT_MMIO, 0);
	entry(0x10100000, 0x18, RT_MMIO, 0); /* fw_cfg: 24 bytes */
	entry(0x80000000, 0x80000, RT_FIRMWARE, 0);
	entry(0x80080000, 0x7f80000, RT_RAM, 0);
	entry(0x88000000, 0x400000, RT_CARVEOUT, 0);
	entry(0x88400000, 0x1000, RT_RAM, 0);
	resource_init(&rt);
	CHECK(resource_root_filter(0x101000, 0x1000), "plain MMIO");
	CHECK(!resource_root_filter(0x100000, 0x1000), "the kernel's finisher");
	CHECK(!resource_root_filter(0x10000000, 0x1000), "the kernel's console");
	CHECK(!resource_root_filter(0x100000, 0x2000), "a range reaching into it");
	CHECK(resource_root_filter(0x10100000, 0x1000), "a sub-page device grants its page");
	CHECK(resource_root_filter(0x10001000, 0x1000));
	CHECK(!resource_root_filter(0x10002000, 0x1000), "an address hole");
	CHECK(!resource_root_filter(0x80080000, 0x1000), "RAM");
	CHECK(!resource_root_filter(0x80000000, 0x1000), "firmware");
	CHECK(resource_root_filter(0x88000000, 0x400000), "a carve-out");
	CHECK(!resource_root_filter(0x88000000, 0x401000), "a carve-out and the RAM after it");
	CHECK(resource_is_carveout(0x88001000, 0x1000) && !resource_is_carveout(0x101000, 0x1000));
}

static void test_exclusive(void)
{
	struct resource *root = resource_root(), *a, *b, *c;
	CHECK(resource_create(root, ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE, 0x10001000, 0x1000,
			      "a", 1, &a) == ZX_OK);
	CHECK(resource_create(root, ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE, 0x10001800, 0x10,
			      "b", 1, &b) == ZX_ERR_NOT_FOUND,
	      "an exclusive region overlapping another");
	CHECK(resource_create(root, ZX_RSRC_KIND_MMIO, 0x10001000, 0x100, "c", 1, &c) ==
		  ZX_ERR_NOT_FOUND,
	      "any resource over an exclusive region");
	CHECK(resource_create(a, ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE, 0x10001000, 0x10, "d",
			      1, &c) == ZX_ERR_INVALID_ARGS,
	      "exclusive from a non-root parent");
	CHECK(resource_create(root, ZX_RSRC_KIND_MMIO, 0x100000, 0x1000, "k", 1, &c) ==
		  ZX_ERR_ACCESS_DENIED,
	      "the kernel's devices");
	object_unref(&a->obj); /* the region is free again */
	struct resource *mmio = resource_mmio_root(), *m = NULL;
	CHECK(resource_create(mmio, ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE, 0x10001000, 0x1000,
			      "m", 1, &m) == ZX_OK,
	      "a ranged root may hand out exclusive resources");
	if (m)
		object_unref(&m->obj);
	object_unref(&mmio->obj);
	CHECK(resource_create(root, ZX_RSRC_KIND_MMIO, 0x10001000, 0x100, "c", 1, &c) == ZX_OK);
	object_unref(&c->obj);
	object_unref(&root->obj);
}

/* ---- VMARs: the alias guard and cutting mappings ---------------------------- */

static struct vmo *phys_vmo(paddr_t pa, size_t len, uint32_t policy)
{
	struct vmo *v;
	CHECK(vmo_create_physical(pa, len, &v) == ZX_OK);
	CHECK(vmo_set_cache_policy(v, policy) == ZX_OK);
	return v;
}

static zx_status_t map(struct vmar *vmar, struct vmo *v, size_t len, vaddr_t at, vaddr_t *out)
{
	struct map_request rq = {.vmo = v,
				 .len = len,
				 .perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
				 .max_perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
				 .at = {.specific = at != 0, .addr = at, .align = PAGE_SIZE}};
	return vmar_map(vmar, &rq, out);
}

static void test_vmar(void)
{
	struct aspace as;
	struct vmar_obj *vo;
	vaddr_t a, b;
	int level;
	long pages = pages_out - (long)kmem_heap_pages(); /* heap pages are never given back */
	CHECK(aspace_init(&as) == ZX_OK && vmar_obj_create_root(&as, &vo) == ZX_OK);
	struct vmar *vmar = vo->vmar;

	/* the alias guard: one frame, one memory type, user and kernel mappings alike */
	struct vmo *cached = phys_vmo(0x88000000, 4 * PAGE_SIZE, ZX_CACHE_POLICY_CACHED);
	struct vmo *device = phys_vmo(0x88002000, PAGE_SIZE, ZX_CACHE_POLICY_UNCACHED_DEVICE);
	CHECK(map(vmar, cached, 4 * PAGE_SIZE, 0, &a) == ZX_OK);
	CHECK(vmar_alias_conflict(0x88003000, PAGE_SIZE, MEMTYPE_IO));
	CHECK(!vmar_alias_conflict(0x88003000, PAGE_SIZE, MEMTYPE_PMA));
	CHECK(map(vmar, device, PAGE_SIZE, 0, &b) == ZX_ERR_BAD_STATE);
	kernel_maps_uncached = true;
	struct vmo *uart = phys_vmo(KERNEL_MAPPED, PAGE_SIZE, ZX_CACHE_POLICY_CACHED);
	CHECK(map(vmar, uart, PAGE_SIZE, 0, &b) == ZX_ERR_BAD_STATE, "against a kernel mapping");
	kernel_maps_uncached = false;
	vmo_unref(uart);

	/* protect one page in the middle: three records, the middle one read-only */
	CHECK(vmar_protect(vmar, ZX_VM_PERM_READ, a + PAGE_SIZE, PAGE_SIZE, false) == ZX_OK);
	CHECK(cached->mappings == 3, "%u records", cached->mappings);
	uint64_t *pte = pt_lookup(as.root, a + PAGE_SIZE, &level);
	CHECK(pte && (*pte & (PTE_R | PTE_W)) == PTE_R && level == 0);
	CHECK((*pt_lookup(as.root, a, &level) & PTE_W) &&
	      (*pt_lookup(as.root, a + 2 * PAGE_SIZE, &level) & PTE_W));
	CHECK(vmar_protect(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, a, 4 * PAGE_SIZE, false) ==
	      ZX_OK);
	/* unmap one page: the guard forgets it, the rest stays */
	CHECK(vmar_unmap(vmar, a + 2 * PAGE_SIZE, PAGE_SIZE, false) == ZX_OK);
	CHECK(pt_lookup(as.root, a + 2 * PAGE_SIZE, &level) == NULL);
	CHECK(!vmar_alias_conflict(0x88002000, PAGE_SIZE, MEMTYPE_IO));
	CHECK(map(vmar, device, PAGE_SIZE, 0, &b) == ZX_OK, "the unmapped frame may change type");
	CHECK(b == a + 2 * PAGE_SIZE, "the lowest gap is the page just unmapped");
	CHECK(pt_leaf_pa(*pt_lookup(as.root, a + 3 * PAGE_SIZE, &level), level,
			 a + 3 * PAGE_SIZE) == 0x88003000);
	CHECK(vmar_unmap(vmar, a + 5 * PAGE_SIZE, PAGE_SIZE, false) == ZX_ERR_NOT_FOUND);
	CHECK(vmar_unmap(vmar, a, 2 * PAGE_SIZE, false) == ZX_OK);
	CHECK(vmar_unmap(vmar, a + 3 * PAGE_SIZE, PAGE_SIZE, false) == ZX_OK &&
	      cached->mappings == 0);
	vmo_unref(cached);
	vmo_unref(device); /* still mapped at b: the mapping keeps it */
	CHECK(device->refs == 1, "%u", device->refs);
	object_unref(&vo->obj); /* the VMAR and its last mapping go */
	aspace_destroy(&as);
	CHECK(pages_out - (long)kmem_heap_pages() == pages, "%ld pages left behind",
	      pages_out - (long)kmem_heap_pages() - pages);
}

/*
 * A VMO's object lives in the VMO's own heap block: when the last handle
 * goes while a mapping still holds the VMO, the block stays until the
 * mapping goes, and nothing reaches the dead object meanwhile.
 */
static void test_vmo_outlives_object(void)
{
	struct aspace as;
	struct vmar_obj *root;
	vaddr_t a;
	uint64_t used = kmem_heap_used_bytes();
	CHECK(aspace_init(&as) == ZX_OK && vmar_obj_create_root(&as, &root) == ZX_OK);
	uint64_t with_root = kmem_heap_used_bytes();
	struct vmo *p = phys_vmo(0x88000000, 2 * PAGE_SIZE, ZX_CACHE_POLICY_CACHED), *c;
	struct vmo_obj *po = vmo_obj_create(p);
	CHECK((void *)po == (void *)(p + 1), "the object is in the VMO's room");
	CHECK(kmem_heap_used_bytes() - with_root == 256, "one block for both: %lu bytes",
	      (unsigned long)(kmem_heap_used_bytes() - with_root));
	CHECK(map(root->vmar, p, 2 * PAGE_SIZE, 0, &a) == ZX_OK && p->refs == 2);
	object_unref(&po->obj); /* the object is destroyed; the mapping keeps the block */
	CHECK(p->refs == 1 && p->owner == NULL);
	CHECK(vmo_create_slice(p, 0, PAGE_SIZE, &c) == ZX_OK, "children change with no object");
	vmo_unref(c);
	CHECK(vmar_unmap(root->vmar, a, 2 * PAGE_SIZE, false) == ZX_OK);
	CHECK(kmem_heap_used_bytes() == with_root, "%lu bytes left",
	      (unsigned long)(kmem_heap_used_bytes() - with_root));
	object_unref(&root->obj);
	aspace_destroy(&as);
	CHECK(kmem_heap_used_bytes() == used);
}

/* ---- sub-VMARs: placement, the flat mapping list, destroy ------------------ */

static void test_subvmar(void)
{
	struct aspace as;
	struct vmar_obj *vo, *co;
	vaddr_t a, b;
	uint64_t used = kmem_heap_used_bytes();
	CHECK(aspace_init(&as) == ZX_OK && vmar_obj_create_root(&as, &vo) == ZX_OK);
	struct vmar *root = vo->vmar;
	struct placement anywhere = {.align = PAGE_SIZE};
	struct placement at = {
	    .specific = true, .addr = root->base + 64 * PAGE_SIZE, .align = PAGE_SIZE};

	CHECK(vmar_obj_allocate(root, VMAR_CAN_MAP_ALL, 16 * PAGE_SIZE, &at, &co) == ZX_OK);
	struct vmar *c = co->vmar;
	CHECK(c->base == at.addr && c->refs == 2 && root->subs == c && c->parent == root);
	CHECK(vmar_allocate(root, 0, PAGE_SIZE, &at, &c) == ZX_ERR_ALREADY_EXISTS);
	c = co->vmar;
	/* nested: a grandchild at the sub-VMAR's start, a mapping in it and one in c */
	struct vmar *g;
	CHECK(vmar_allocate(c, VMAR_CAN_MAP_ALL, 4 * PAGE_SIZE, &anywhere, &g) == ZX_OK);
	CHECK(g->base == c->base);
	struct vmo *v = phys_vmo(0x88000000, 8 * PAGE_SIZE, ZX_CACHE_POLICY_CACHED);
	CHECK(map(g, v, PAGE_SIZE, 0, &a) == ZX_OK && a == g->base);
	CHECK(map(c, v, 2 * PAGE_SIZE, 0, &b) == ZX_OK && b == g->base + 4 * PAGE_SIZE,
	      "placed past the grandchild");
	CHECK(as.maps->owner == g && as.maps->next->owner == c, "one list, tagged by owner");
	/* through the root: a sub-VMAR must lie wholly inside, with OP_CHILDREN */
	CHECK(vmar_unmap(root, a, PAGE_SIZE, true) == ZX_ERR_INVALID_ARGS);
	CHECK(vmar_unmap(root, c->base, 16 * PAGE_SIZE, false) == ZX_ERR_INVALID_ARGS);
	CHECK(v->mappings == 2, "nothing changed");
	CHECK(vmar_protect(root, ZX_VM_PERM_READ, a, PAGE_SIZE, false) == ZX_ERR_INVALID_ARGS);
	CHECK(vmar_protect(root, ZX_VM_PERM_READ, a, PAGE_SIZE, true) == ZX_OK);
	CHECK(vmar_protect(root, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, a, PAGE_SIZE, true) ==
	      ZX_ERR_ACCESS_DENIED);
	CHECK(vmar_protect(g, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, a, PAGE_SIZE, false) == ZX_OK);
	/* destroy c: both mappings, the grandchild, and the parents' references go (we keep g's) */
	CHECK(vmar_destroy(c) == ZX_OK && c->dead && g->dead && !root->subs);
	CHECK(v->mappings == 0 && as.maps == NULL);
	CHECK(vmar_destroy(c) == ZX_ERR_BAD_STATE && g->refs == 1 && c->refs == 1);
	CHECK(map(c, v, PAGE_SIZE, 0, &a) == ZX_ERR_BAD_STATE);
	vmar_unref(g);
	object_unref(&co->obj);
	/* the range is free again, and the root's teardown takes live sub-VMARs with it */
	CHECK(vmar_allocate(root, 0, 16 * PAGE_SIZE, &at, &c) == ZX_OK);
	vmar_unref(c); /* no handle: it lives in the root */
	CHECK(map(c, v, PAGE_SIZE, 0, &a) == ZX_OK);
	vmo_unref(v);
	object_unref(&vo->obj);
	aspace_destroy(&as);
	CHECK(kmem_heap_used_bytes() == used, "%lu heap bytes left behind",
	      (unsigned long)(kmem_heap_used_bytes() - used));
}

/* ---- releasing a slice chain ------------------------------------------------ */

static void test_slice_chain(void)
{
	uint64_t used = kmem_heap_used_bytes();
	struct vmo *root = phys_vmo(0x88000000, PAGE_SIZE, ZX_CACHE_POLICY_CACHED), *cur = root;
	struct vmo_obj *top;
	for (int i = 0; i < 100000; i++) {
		struct vmo *child;
		CHECK(vmo_create_slice(cur, 0, PAGE_SIZE, &child) == ZX_OK);
		vmo_unref(cur); /* the child holds its parent */
		cur = child;
	}
	CHECK(root->children == 1 && root->refs == 1);
	top = vmo_obj_create(cur);
	CHECK(top->obj.signals & ZX_VMO_ZERO_CHILDREN, "a leaf has no children");
	object_unref(&top->obj);
	CHECK(kmem_heap_used_bytes() == used, "%lu bytes of VMOs left",
	      (unsigned long)(kmem_heap_used_bytes() - used));
}

/* ZX_VMO_ZERO_CHILDREN follows the children, also through a dead parent object. */
static void test_zero_children(void)
{
	struct vmo *p = phys_vmo(0x88000000, 2 * PAGE_SIZE, ZX_CACHE_POLICY_CACHED), *c;
	struct vmo_obj *po, *co;
	po = vmo_obj_create(p);
	CHECK(po->obj.signals & ZX_VMO_ZERO_CHILDREN);
	CHECK(vmo_create_slice(p, PAGE_SIZE, PAGE_SIZE, &c) == ZX_OK);
	co = vmo_obj_create(c);
	CHECK(!(po->obj.signals & ZX_VMO_ZERO_CHILDREN));
	CHECK(c->parent->user_id == po->obj.koid, "parent_koid");
	object_unref(&co->obj);
	CHECK(po->obj.signals & ZX_VMO_ZERO_CHILDREN);
	object_unref(&po->obj);
}

/* vmo_resize: pages past the end freed, never below a mapping, the maximum enforced. */
static void test_vmo_resize(void)
{
	struct aspace as;
	struct vmar_obj *vo;
	struct vmo *v;
	vaddr_t a;
	CHECK(aspace_init(&as) == ZX_OK && vmar_obj_create_root(&as, &vo) == ZX_OK);
	CHECK(vmo_create(4 * PAGE_SIZE, &v) == ZX_OK && vmo_commit(v, 0, 4 * PAGE_SIZE) == ZX_OK);
	CHECK(map(vo->vmar, v, 2 * PAGE_SIZE, 0, &a) == ZX_OK);
	CHECK(vmo_resize(v, PAGE_SIZE) == ZX_ERR_BAD_STATE && v->size == 4 * PAGE_SIZE,
	      "the mapping shows page 1");
	CHECK(vmo_resize(v, 2 * PAGE_SIZE) == ZX_OK && v->committed == 2);
	CHECK(vmar_unmap(vo->vmar, a, 2 * PAGE_SIZE, false) == ZX_OK);
	uint64_t free1 = pmm_free_pages();
	CHECK(vmo_resize(v, 0) == ZX_OK && v->committed == 0 && pmm_free_pages() == free1 + 2);
	CHECK(vmo_resize(v, VMO_MAX_SIZE + PAGE_SIZE) == ZX_ERR_OUT_OF_RANGE && v->size == 0);
	CHECK(vmo_resize(v, VMO_MAX_SIZE) == ZX_OK && v->committed == 0);
	CHECK(vmo_resize(v, 0) == ZX_OK);
	vmo_unref(v);
	object_unref(&vo->obj);
	aspace_destroy(&as);
}

/* Cache operations with each kind of cache maintenance the boot tree may leave the kernel. */
static void test_cache_ops(void)
{
	struct vmo *v;
	CHECK(vmo_create(2 * PAGE_SIZE, &v) == ZX_OK);
	vmo_set_cache_maint(CACHE_MAINT_NONE, 0);
	CHECK(vmo_cache_op(v, ZX_VMO_OP_CACHE_CLEAN, 0, PAGE_SIZE) == ZX_ERR_NOT_SUPPORTED,
	      "non-coherent DMA and no way to clean: refused, not a silent ZX_OK");
	CHECK(vmo_cache_op(v, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE_SIZE) == ZX_ERR_NOT_SUPPORTED);
	CHECK(vmo_cache_op(v, ZX_VMO_OP_CACHE_SYNC, 0, PAGE_SIZE) == ZX_OK, "fence.i still works");
	CHECK(v->committed == 0, "nothing committed by a refused operation");
	vmo_set_cache_maint(CACHE_MAINT_XTHEAD, 64);
	unsigned long before = fake_thead_ops;
	CHECK(vmo_cache_op(v, ZX_VMO_OP_CACHE_CLEAN_INVALIDATE, 100, PAGE_SIZE) == ZX_OK);
	CHECK(fake_thead_ops - before == PAGE_SIZE / 64 + 1,
	      "%lu lines: the range's, partial ones whole", fake_thead_ops - before);
	vmo_set_cache_maint(CACHE_MAINT_ZICBOM, 64);
	before = fake_cbos;
	CHECK(vmo_cache_op(v, ZX_VMO_OP_CACHE_CLEAN, 0, 2 * PAGE_SIZE) == ZX_OK);
	CHECK(fake_cbos - before == 2 * PAGE_SIZE / 64, "%lu blocks", fake_cbos - before);
	vmo_set_cache_maint(CACHE_MAINT_COHERENT, 0);
	before = fake_cbos + fake_thead_ops;
	CHECK(vmo_cache_op(v, ZX_VMO_OP_CACHE_INVALIDATE, 0, PAGE_SIZE) == ZX_OK);
	CHECK(fake_cbos + fake_thead_ops == before, "coherent: fences only");
	vmo_unref(v);
}

/* Which resources grant the VMEX system resource (zx_vmo_replace_as_executable). */
static void test_grants_system(void)
{
	struct resource *root = resource_root(), *mmio = resource_mmio_root(), *vmex, *debug,
			*sysroot, *wide;
	CHECK(resource_create(root, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE, 1, "v", 1,
			      &vmex) == ZX_OK &&
	      resource_create(root, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_DEBUG_BASE, 1, "d", 1,
			      &debug) == ZX_OK &&
	      resource_create(root, ZX_RSRC_KIND_SYSTEM, 0, 0, "s", 1, &sysroot) == ZX_OK &&
	      resource_create(root, ZX_RSRC_KIND_SYSTEM, 0, 2, "w", 1, &wide) == ZX_OK);
	CHECK(resource_grants_system(root, ZX_RSRC_SYSTEM_VMEX_BASE) == ZX_OK);
	CHECK(resource_grants_system(sysroot, ZX_RSRC_SYSTEM_VMEX_BASE) == ZX_OK, "ranged root");
	CHECK(resource_grants_system(vmex, ZX_RSRC_SYSTEM_VMEX_BASE) == ZX_OK);
	CHECK(resource_grants_system(wide, ZX_RSRC_SYSTEM_VMEX_BASE) == ZX_OK, "[0, 2) holds 1");
	CHECK(resource_grants_system(wide, ZX_RSRC_SYSTEM_DEBUG_BASE) == ZX_ERR_OUT_OF_RANGE);
	CHECK(resource_grants_system(debug, ZX_RSRC_SYSTEM_VMEX_BASE) == ZX_ERR_OUT_OF_RANGE);
	CHECK(resource_grants_system(mmio, ZX_RSRC_SYSTEM_VMEX_BASE) == ZX_ERR_WRONG_TYPE);
	object_unref(&vmex->obj);
	object_unref(&debug->obj);
	object_unref(&sysroot->obj);
	object_unref(&wide->obj);
	object_unref(&mmio->obj);
	object_unref(&root->obj);
}

/* Snapshots: pages shared and counted, copied on write, mappings write-protected and retargeted. */
static void test_snapshot(void)
{
	struct vmo *p, *c, *full;
	struct aspace as;
	struct vmar_obj *vo;
	vaddr_t a;
	int level;
	long pages = pages_out;

	CHECK(vmo_create(2 * PAGE_SIZE, &p) == ZX_OK);
	paddr_t p0 = vmo_commit_page(p, 0), p1 = vmo_commit_page(p, PAGE_SIZE);
	memset(paddr_to_kva(p1), 0x5a, PAGE_SIZE);
	CHECK(aspace_init(&as) == ZX_OK && vmar_obj_create_root(&as, &vo) == ZX_OK);
	CHECK(map(vo->vmar, p, 2 * PAGE_SIZE, 0, &a) == ZX_OK);
	CHECK(*pt_lookup(as.root, a, &level) & PTE_W);

	CHECK(vmo_create_snapshot(p, 0, 2 * PAGE_SIZE, &c) == ZX_OK);
	CHECK(*pmm_page_word(p0) == 2 && *pmm_page_word(p1) == 2 && c->committed == 2);
	CHECK(!(*pt_lookup(as.root, a, &level) & PTE_W), "the parent's mapping is write-protected");
	CHECK(p->children == 1 && c->cow_parent == p && p->cow_kids == c);
	/* a write fault in the parent's mapping: a private copy, mapped writable */
	CHECK(vmar_fault(&as, a + PAGE_SIZE + 8, ZX_VM_PERM_WRITE) == ZX_OK);
	uint64_t *pte = pt_lookup(as.root, a + PAGE_SIZE, &level);
	paddr_t copy = pt_leaf_pa(*pte, level, a + PAGE_SIZE);
	CHECK((*pte & PTE_W) && copy != p1 && *pmm_page_word(p1) == 1 && *pmm_page_word(copy) == 1);
	CHECK(((uint8_t *)paddr_to_kva(copy))[77] == 0x5a, "the copy has the content");
	/* A fault the leaf now allows raced a change on another hart: retried, nothing changed. */
	unsigned long flushes = fake_tlb_flushes;
	CHECK(vmar_fault(&as, a + PAGE_SIZE, ZX_VM_PERM_WRITE) == ZX_OK &&
		  pt_leaf_pa(*pt_lookup(as.root, a + PAGE_SIZE, &level), level, a + PAGE_SIZE) ==
		      copy,
	      "writable already: retried");
	CHECK(vmar_fault(&as, a, ZX_VM_PERM_READ) == ZX_OK && fake_tlb_flushes == flushes + 2,
	      "a read of a mapped page: retried after a local flush");
	CHECK(vmar_fault(&as, a, ZX_VM_PERM_EXECUTE) == ZX_ERR_NOT_FOUND, "not executable");
	/* the child's own page 1 is now its alone: written in place */
	CHECK(vmo_page_for_write(c, PAGE_SIZE) == p1);
	/* a holder count at its limit: the next snapshot copies that page instead */
	*pmm_page_word(p0) = UINT16_MAX;
	CHECK(vmo_create_snapshot(c, 0, PAGE_SIZE, &full) == ZX_OK);
	paddr_t f0 = vmo_commit_page(full, 0);
	CHECK(f0 != p0 && *pmm_page_word(p0) == UINT16_MAX && *pmm_page_word(f0) == 1);
	*pmm_page_word(p0) = 2;
	vmo_unref(full);
	/* the parent goes first: the child keeps its pages and loses its parent */
	object_unref(&vo->obj);
	aspace_destroy(&as);
	vmo_unref(p);
	CHECK(c->cow_parent == NULL && *pmm_page_word(p0) == 1);
	vmo_unref(c);
	CHECK(pages_out == pages, "%ld pages left behind", pages_out - pages);
}

/* A process ends: its mappings, sub-VMARs, handles and tables go; the object stays readable. */
static void test_process(void)
{
	struct process *p;
	struct vmo *v;
	struct vmar_obj *sub;
	vaddr_t a;
	zx_handle_t h;
	long pages = pages_out - (long)kmem_heap_pages(); /* heap pages are never given back */
	uint64_t heap = kmem_heap_used_bytes();
	struct placement anywhere = {.align = PAGE_SIZE};

	struct job *root;
	CHECK(job_create_root(&root) == ZX_OK);
	CHECK(process_create(root, "p", &p) == ZX_OK && strcmp(p->obj.name, "p") == 0);
	CHECK(!(root->obj.signals & ZX_JOB_NO_PROCESSES) && root->procs == p);
	CHECK(vmo_create(PAGE_SIZE, &v) == ZX_OK &&
	      map(p->root_vmar->vmar, v, PAGE_SIZE, 0, &a) == ZX_OK);
	CHECK(vmar_obj_allocate(p->root_vmar->vmar, VMAR_CAN_MAP_ALL, 4 * PAGE_SIZE, &anywhere,
				&sub) == ZX_OK);
	CHECK(handle_add(&p->handles, &sub->obj, ZX_DEFAULT_VMAR_RIGHTS, &h) == ZX_OK);
	vmo_unref(v); /* the mapping holds it */
	/* started with a thread, killed: dying until that thread has left */
	struct thread *t, *t2;
	CHECK(thread_create(p, "t", &t) == ZX_OK && thread_create(p, "t2", &t2) == ZX_OK);
	CHECK(process_start(p, t2, USER_BASE, 0, NULL, 0, 0) == ZX_OK,
	      "the first thread need not be the first made");
	CHECK(process_start(p, t, USER_BASE, 0, NULL, 0, 0) == ZX_ERR_BAD_STATE, "only once");
	CHECK(p->state == PROC_RUNNING && t2->state == THREAD_STARTED && t2->kt.state == KT_READY &&
	      p->start_time == 42 && stacks_out == 1);
	CHECK(!process_kill(p, -3) && p->state == PROC_DYING && t2->kt.killed);
	CHECK(t->state == THREAD_DEAD && (t->obj.signals & ZX_THREAD_TERMINATED),
	      "the thread that never started is dead at once");
	CHECK(thread_finish(t2), "the last running thread leaves");
	process_end(p, p->return_code);
	t2->kt.reap(&t2->kt); /* as its hart does once off its stack */
	CHECK(stacks_out == 0);
	object_unref(&t->obj);
	object_unref(&t2->obj);
	CHECK(p->return_code == -3 &&
	      p->flags == (ZX_INFO_PROCESS_FLAG_STARTED | ZX_INFO_PROCESS_FLAG_EXITED));
	CHECK(p->obj.signals & ZX_PROCESS_TERMINATED);
	CHECK((root->obj.signals & ZX_JOB_NO_PROCESSES) && !root->procs, "it left its job");
	object_unref(&p->obj);
	/* a job tree killed: every process and job in it, dead bottom up */
	struct job *mid, *leaf;
	struct process *pa, *pb;
	CHECK(job_create(root, &mid) == ZX_OK && job_create(mid, &leaf) == ZX_OK);
	CHECK(process_create(mid, "a", &pa) == ZX_OK && process_create(leaf, "b", &pb) == ZX_OK);
	object_unref(&leaf->obj); /* only its process and the tree hold it now */
	job_kill(mid, ZX_TASK_RETCODE_SYSCALL_KILL);
	CHECK(pa->state == PROC_DEAD && pb->state == PROC_DEAD &&
	      pa->return_code == ZX_TASK_RETCODE_SYSCALL_KILL);
	CHECK(mid->state == JOB_DEAD && (mid->obj.signals & ZX_JOB_TERMINATED) && !root->jobs,
	      "dead, and out of the root");
	CHECK(job_create(mid, &leaf) == ZX_ERR_BAD_STATE &&
	      process_create(mid, "c", &p) == ZX_ERR_BAD_STATE);
	object_unref(&pa->obj);
	object_unref(&pb->obj); /* the last reference to leaf goes with it */
	object_unref(&mid->obj);
	/* a height limit: 32 levels below the root */
	struct job *chain[33];
	int depth = 0;
	for (struct job *j = root; depth < 33 && job_create(j, &chain[depth]) == ZX_OK; depth++)
		j = chain[depth];
	CHECK(depth == 32, "%d levels", depth);
	for (int i = depth - 1; i >= 0; i--)
		object_unref(&chain[i]->obj);
	CHECK(!root->jobs);
	object_unref(&root->obj);
	CHECK(pages_out - (long)kmem_heap_pages() == pages, "%ld pages left behind",
	      pages_out - (long)kmem_heap_pages() - pages);
	CHECK(kmem_heap_used_bytes() == heap, "%lu heap bytes left behind",
	      (unsigned long)(kmem_heap_used_bytes() - heap));
}

/* vmo_zero: partial pages zeroed, whole ones freed — out of the mappings, which fault them back. */
static void test_vmo_zero(void)
{
	static uint8_t fill[3 * PAGE_SIZE];
	struct vmo *v;
	memset(fill, 0x3c, sizeof(fill));
	CHECK(vmo_create(3 * PAGE_SIZE, &v) == ZX_OK &&
	      vmo_write_kernel(v, fill, 0, sizeof(fill)) == ZX_OK);
	uint64_t free0 = pmm_free_pages();
	uint8_t *p0 = paddr_to_kva(vmo_commit_page(v, 0));
	CHECK(v->committed == 3 && p0[10] == 0x3c);
	CHECK(vmo_zero(v, 10, 20) == ZX_OK && p0[9] == 0x3c && p0[10] == 0 && p0[29] == 0 &&
		  p0[30] == 0x3c && v->committed == 3,
	      "partial page zeroed in place");
	struct aspace as;
	struct vmar_obj *vo;
	vaddr_t a;
	int level;
	CHECK(aspace_init(&as) == ZX_OK && vmar_obj_create_root(&as, &vo) == ZX_OK);
	CHECK(map(vo->vmar, v, 3 * PAGE_SIZE, 0, &a) == ZX_OK && v->mappings == 1);
	uint64_t tables = pmm_free_pages();
	CHECK(vmo_zero(v, PAGE_SIZE, PAGE_SIZE) == ZX_OK && v->committed == 2 &&
		  pmm_free_pages() == tables + 1 && !pt_lookup(as.root, a + PAGE_SIZE, &level) &&
		  pt_lookup(as.root, a, &level),
	      "mapped: freed, and out of the mapping");
	CHECK(vmar_fault(&as, a + PAGE_SIZE + 5, ZX_VM_PERM_READ) == ZX_OK && v->committed == 3);
	uint64_t *pte = pt_lookup(as.root, a + PAGE_SIZE, &level);
	CHECK(pte && ((uint8_t *)paddr_to_kva(pt_leaf_pa(*pte, level, a + PAGE_SIZE)))[5] == 0 &&
		  (*pte & PTE_W),
	      "a fault brings a zero page back, mapped as the mapping allows");
	CHECK(vmar_fault(&as, a + PAGE_SIZE, ZX_VM_PERM_READ) == ZX_OK && v->committed == 3,
	      "again: a race with another hart, retried without a new page");
	CHECK(vmar_fault(&as, a + PAGE_SIZE, ZX_VM_PERM_EXECUTE) == ZX_ERR_NOT_FOUND, "real");
	CHECK(vmar_unmap(vo->vmar, a, 3 * PAGE_SIZE, false) == ZX_OK && v->mappings == 0);
	object_unref(&vo->obj);
	aspace_destroy(&as);
	CHECK(vmo_zero(v, PAGE_SIZE, 2 * PAGE_SIZE) == ZX_OK && v->committed == 1 &&
		  pmm_free_pages() == free0 + 2 && vmo_committed_pages() == 1,
	      "unmapped: freed");
	CHECK(vmo_zero(v, PAGE_SIZE, 2 * PAGE_SIZE) == ZX_OK && v->committed == 1,
	      "decommitted pages stay uncommitted");
	vmo_unref(v);
	CHECK(vmo_committed_pages() == 0);
}

int main(void)
{
	vmo_obj_init();
	test_generations();
	test_root_filter();
	test_exclusive();
	test_vmar();
	test_vmo_outlives_object();
	test_subvmar();
	test_slice_chain();
	test_zero_children();
	test_vmo_zero();
	test_snapshot();
	test_process();
	test_grants_system();
	test_vmo_resize();
	test_cache_ops();
	printf("handles: %s\n", failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}
