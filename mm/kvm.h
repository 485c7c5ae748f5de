/*
 * The kernel's address space: the image (mapped by boot/early.c), the
 * direct map of PMM-owned RAM, and a window for device registers. Every
 * process's root table shares the kernel half (root entries 256..511).
 */
#ifndef ZIRV_MM_KVM_H
#define ZIRV_MM_KVM_H

#include <stddef.h>

#include "arch.h"
#include "mm/layout.h"
#include "restab.h"

void kvm_init(const struct restab *rt, paddr_t load_pa);
/* The kernel's root page table. */
paddr_t kvm_root(void);
/* Kernel VA of a page-table page, a PMM page or a kernel-image address. */
#ifdef ZIRV_FAKE_ARCH
void *paddr_to_kva(paddr_t pa); /* host tests: physical addresses are host pointers */
extern uint64_t kvm_image_size;
#else
extern paddr_t kvm_image_pa;
extern uint64_t kvm_image_size;
static inline void *paddr_to_kva(paddr_t pa)
{
	if (pa - kvm_image_pa < kvm_image_size)
		return (void *)(KERNEL_VBASE + (pa - kvm_image_pa));
	return (void *)(DMAP_BASE + pa);
}
#endif
paddr_t kva_to_paddr(const void *va);
/* Zero one page at kernel VA `page`, eight stores a step (memset does one). */
static inline void kva_zero_page(void *page)
{
	uint64_t *w = page;
	for (size_t i = 0; i < PAGE_SIZE / 8; i += 8) {
		w[i] = 0;
		w[i + 1] = 0;
		w[i + 2] = 0;
		w[i + 3] = 0;
		w[i + 4] = 0;
		w[i + 5] = 0;
		w[i + 6] = 0;
		w[i + 7] = 0;
	}
}
/*
 * Map [pa, pa+size) (widened to pages) into the kernel window with memory
 * type `policy` (ZX_CACHE_POLICY_*) and PTE_R/W `perms`; the caller has
 * checked what the range is (kmain: kmap_checked). NULL when the window or
 * its table memory runs out.
 */
void *kvm_map(paddr_t pa, size_t size, uint32_t policy, uint64_t perms);
/*
 * One page of kernel VA for short-lived access to a physical page that is
 * not in the direct map (cache maintenance on carve-outs), with memory
 * type `policy`. Not reentrant; unmap before the next map.
 */
void *kvm_scratch_map(paddr_t pa, uint32_t policy);
void kvm_scratch_unmap(void);
/*
 * A kernel stack of KSTACK_SIZE in the stack window, with an unmapped
 * guard below it; returns its top, or 0 without memory. `name` (static)
 * is what a stack-overflow panic calls it.
 */
vaddr_t kvm_stack_alloc(const char *name);
/* Give back a stack from kvm_stack_alloc (by its top); no hart may be running on it. */
void kvm_stack_free(vaddr_t top);
/* The stack whose slot holds sp, and its lowest address; "an unknown stack" if none. */
const char *kvm_stack_owner(vaddr_t sp, vaddr_t *base);
/* Does a kernel mapping of [pa, pa+len) exist with a memory type other than `memtype`? */
bool kvm_alias_conflict(paddr_t pa, size_t len, int memtype);
/* Page-table pages for kernel mappings: a boot pool, then the PMM. */
extern const struct pt_ops kvm_pt_ops;

struct kvm_stats {
	uint64_t dmap_bytes;	 /* RAM covered by the direct map */
	uint32_t boot_pool_used; /* tables taken from the boot pool */
};
extern struct kvm_stats kvm_stats;

#endif
