#include <string.h>

#include "kernel.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "mm/pte.h"
#include "mm/vmo.h"

/* Tables the direct map needs before the PMM's pages are reachable. */
#define BOOT_POOL_PAGES	  48
#define BOOT_L0_MAX_PAGES 2048 /* the image is at most 8 MiB (boot/early.c) */

extern uint64_t boot_root[512];
extern char _kernel_start[], _kernel_end[];

static uint8_t boot_pool[BOOT_POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
paddr_t kvm_image_pa;	 /* where the image was loaded */
uint64_t kvm_image_size; /* including bss */
static paddr_t root_pa;
static bool dmap_ready;
static vaddr_t mmio_next = KMMIO_BASE;
/* The last page of the MMIO window's first GiB is the scratch page. */
#define SCRATCH_VA (KMMIO_BASE + GB_1 - PAGE_SIZE)
static uint64_t *scratch_pte;

/* Names of the stacks in the stack window, by slot. */
#define KSTACK_MAX 256
static const char *stack_names[KSTACK_MAX];
static uint32_t nstacks;
extern char boot_stack[], overflow_stack[];

/* Physical ranges the kernel mapped in its window, for the alias guard. */
struct kmap {
	paddr_t pa;
	size_t len;
	int memtype;
};
static struct kmap kmaps[32];
static uint32_t nkmaps;
/* The physical span from the lowest to the highest kmap of each memory type (hi 0: none). */
static struct {
	paddr_t lo, hi;
} kspan[MEMTYPES];

bool kvm_alias_conflict(paddr_t pa, size_t len, int memtype)
{
	bool near = false;
#pragma GCC unroll 3
	for (int t = 0; t < MEMTYPES; t++)
		near |= t != memtype && pa < kspan[t].hi && kspan[t].lo < pa + len;
	for (uint32_t i = 0; near && i < nkmaps; i++)
		if (pa < kmaps[i].pa + kmaps[i].len && kmaps[i].pa < pa + len &&
		    kmaps[i].memtype != memtype)
			return true;
	return false;
}
struct kvm_stats kvm_stats;

paddr_t kva_to_paddr(const void *p)
{
	vaddr_t va = (vaddr_t)p;
	if (va >= KERNEL_VBASE)
		return kvm_image_pa + (va - KERNEL_VBASE);
	KASSERT(va >= DMAP_BASE && va < DMAP_BASE + DMAP_SIZE);
	return va - DMAP_BASE;
}

paddr_t kvm_root(void)
{
	return root_pa;
}

static paddr_t kvm_alloc_table(void)
{
	if (dmap_ready)
		return pmm_alloc();
	if (kvm_stats.boot_pool_used == BOOT_POOL_PAGES)
		return 0;
	return kva_to_paddr(boot_pool[kvm_stats.boot_pool_used++]);
}

static void kvm_free_table(paddr_t pa)
{
	if (pmm_owns(pa))
		pmm_free(pa);
	/* boot-pool pages are only taken while nothing can fail back */
}

const struct pt_ops kvm_pt_ops = {kvm_alloc_table, kvm_free_table};

/*
 * Live-entry counts of the page tables in the image (boot/early.c's and
 * the boot pool). The boot tables were filled before counting began, so
 * these are not exact; nothing unmaps kernel tables through pt_unmap.
 */
static uint16_t image_counts[BOOT_L0_MAX_PAGES];

uint16_t *pt_count(paddr_t table)
{
	if (table - kvm_image_pa < kvm_image_size) {
		KASSERT(((table - kvm_image_pa) >> PAGE_SHIFT) < ARRAY_SIZE(image_counts));
		return &image_counts[(table - kvm_image_pa) >> PAGE_SHIFT];
	}
	return pmm_page_word(table);
}

/*
 * The boot tables mapped the image before the encoder was known: add the
 * normal-memory bits (only XTheadMae has any: C|B|SH).
 */
static void retype_image(void)
{
	uint64_t mt = pte_memtype(MT_CACHED);
	int level;

	if (!mt)
		return;
	for (vaddr_t va = KERNEL_VBASE; va < (vaddr_t)_kernel_end; va += PAGE_SIZE) {
		uint64_t *pte = pt_lookup(root_pa, va, &level);
		if (pte)
			*pte |= mt;
	}
	sfence_vma_all();
}

static void map_direct(const struct restab *rt)
{
	uint64_t attr = pte_leaf_attrs(pte_encoding(), PTE_R | PTE_W, false, MT_CACHED);

	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		paddr_t base = ALIGN_UP(e->base, PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(e->base + e->size, PAGE_SIZE);
		if (e->kind != RT_RAM)
			continue;
		if (end > DMAP_SIZE) {
			kprintf("kvm: RAM above %#lx is beyond the direct map, not used\n",
				DMAP_SIZE);
			end = DMAP_SIZE;
		}
		if (base >= end)
			continue;
		if (pt_map(root_pa, DMAP_BASE + base, base, end - base, attr, true, &kvm_pt_ops))
			panic("kvm_init: boot page-table pool exhausted mapping %#lx-%#lx", base,
			      end);
		kvm_stats.dmap_bytes += end - base;
	}
}

void kvm_init(const struct restab *rt, paddr_t load_pa)
{
	kvm_image_pa = load_pa;
	kvm_image_size = (uint64_t)(_kernel_end - _kernel_start);
	root_pa = kva_to_paddr(boot_root);
	boot_root[SV39_VPN(load_pa, 2)] = 0; /* the identity map boot used */
	sfence_vma_all();
	retype_image();
	map_direct(rt);
	dmap_ready = true;
	/* One L1 table per window now, so every address space shares them. */
	paddr_t l1 = pmm_alloc_zeroed(), l1_stacks = pmm_alloc_zeroed();
	if (!l1 || !l1_stacks)
		panic("kvm_init: no memory for the MMIO and stack window tables");
	boot_root[SV39_VPN(KMMIO_BASE, 2)] = PA_TO_PTE(l1) | PTE_V;
	boot_root[SV39_VPN(KSTACK_BASE, 2)] = PA_TO_PTE(l1_stacks) | PTE_V;
	/* Build the scratch page's tables now, so using it never allocates. */
	int level;
	if (pt_map(root_pa, SCRATCH_VA, kva_to_paddr(boot_pool[0]), PAGE_SIZE, PTE_R | PTE_G, false,
		   &kvm_pt_ops))
		panic("kvm_init: no memory for the scratch page table");
	scratch_pte = pt_lookup(root_pa, SCRATCH_VA, &level);
	*scratch_pte = 0;
	sfence_vma_all();
}

/*
 * Stacks given back, by top, linked through their top word. A slot keeps
 * its pages: reusing it needs no mapping and no TLB flush on any hart.
 */
static vaddr_t free_stacks;

void kvm_stack_free(vaddr_t top)
{
	*(vaddr_t *)(top - sizeof(vaddr_t)) = free_stacks;
	free_stacks = top;
	stack_names[(top - 1 - KSTACK_BASE) / KSTACK_SLOT] = "a free stack";
}

vaddr_t kvm_stack_alloc(const char *name)
{
	uint64_t attr = pte_leaf_attrs(pte_encoding(), PTE_R | PTE_W, false, MT_CACHED);
	paddr_t pages[KSTACK_SIZE / PAGE_SIZE];
	struct pt_reserve res = {0};
	size_t n = 0;

	if (free_stacks) {
		vaddr_t top = free_stacks;
		free_stacks = *(vaddr_t *)(top - sizeof(vaddr_t));
		stack_names[(top - 1 - KSTACK_BASE) / KSTACK_SLOT] = name;
		return top;
	}
	if (nstacks == KSTACK_MAX)
		return 0;
	vaddr_t base = KSTACK_BASE + nstacks * KSTACK_SLOT + KSTACK_SIZE; /* above its guard */
	while (n < ARRAY_SIZE(pages) && (pages[n] = pmm_alloc()))
		n++;
	if (n < ARRAY_SIZE(pages) ||
	    pt_reserve(root_pa, base, 0, KSTACK_SIZE, false, &kvm_pt_ops, &res)) {
		while (n)
			pmm_free(pages[--n]);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		pt_write(root_pa, base + i * PAGE_SIZE, pages[i], PAGE_SIZE, attr, false, &res);
	pt_unreserve(&res, &kvm_pt_ops);
	stack_names[nstacks++] = name;
	return base + KSTACK_SIZE;
}

const char *kvm_stack_owner(vaddr_t sp, vaddr_t *base)
{
	vaddr_t slot = ALIGN_DOWN(sp, KSTACK_SLOT);

	*base = slot + KSTACK_SIZE;
	if (slot == ALIGN_DOWN((vaddr_t)boot_stack, KSTACK_SLOT))
		return "the boot stack";
	if (slot == ALIGN_DOWN((vaddr_t)overflow_stack, KSTACK_SLOT))
		return "the overflow-report stack";
	if (sp >= KSTACK_BASE && (sp - KSTACK_BASE) / KSTACK_SLOT < nstacks)
		return stack_names[(sp - KSTACK_BASE) / KSTACK_SLOT];
	return "an unknown stack";
}

void *kvm_scratch_map(paddr_t pa, uint32_t policy)
{
	KASSERT(*scratch_pte == 0);
	*scratch_pte =
	    PA_TO_PTE(pa) | pte_leaf_attrs(pte_encoding(), PTE_R | PTE_W, false, policy) | PTE_V;
	sfence_vma_va(SCRATCH_VA);
	return (void *)SCRATCH_VA;
}

void kvm_scratch_unmap(void)
{
	*scratch_pte = 0;
	sfence_vma_va(SCRATCH_VA);
}

void *kvm_map(paddr_t pa, size_t size, uint32_t policy, uint64_t perms)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	paddr_t end = ALIGN_UP(pa + size, PAGE_SIZE);
	uint64_t attr = pte_leaf_attrs(pte_encoding(), perms, false, policy);

	if (size == 0 || end < base || mmio_next + (end - base) > SCRATCH_VA ||
	    nkmaps == ARRAY_SIZE(kmaps))
		return NULL;
	vaddr_t va = mmio_next;
	if (pt_map(root_pa, va, base, end - base, attr, false, &kvm_pt_ops))
		return NULL;
	mmio_next += end - base;
	int type = vmo_memtype(policy);
	kmaps[nkmaps++] = (struct kmap){base, end - base, type};
	if (!kspan[type].hi || base < kspan[type].lo)
		kspan[type].lo = base;
	if (end > kspan[type].hi)
		kspan[type].hi = end;
	return (void *)(va + (pa - base));
}
