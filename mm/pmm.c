#include <string.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"

struct pmm_range {
	paddr_t base, end; /* page-aligned, end exclusive */
	paddr_t next;	   /* bump pointer: pages below it have been handed out */
	paddr_t meta;	   /* first page of the range: a uint16_t per page of [meta, end) */
};

static struct pmm_range ranges[RT_MAX];
static uint32_t nranges, cur;
static paddr_t free_list; /* 0 = empty; RAM at physical 0 is never on it */
static uint64_t total, nfree;

void pmm_init(const struct restab *rt)
{
	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		paddr_t base = ALIGN_UP(e->base, PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(e->base + e->size, PAGE_SIZE);

		if (e->kind != RT_RAM)
			continue;
		if (base == 0)
			base = PAGE_SIZE; /* keep 0 free to mean "no page" */
		if (end > DMAP_SIZE)
			end = DMAP_SIZE; /* beyond the direct map: not usable */
		if (base >= end)
			continue;
		/* The range's first pages hold its per-page words (never zeroed: a user sets its
		 * own). */
		uint64_t meta_pages =
		    ALIGN_UP((end - base) >> PAGE_SHIFT, PAGE_SIZE / 2) / (PAGE_SIZE / 2);
		if (end - base <= meta_pages << PAGE_SHIFT)
			continue;
		paddr_t first = base + (meta_pages << PAGE_SHIFT);
		ranges[nranges++] = (struct pmm_range){first, end, first, base};
		total += (end - first) >> PAGE_SHIFT;
	}
	nfree = total;
}

static paddr_t bump(void)
{
	for (; cur < nranges; cur++) {
		struct pmm_range *r = &ranges[cur];
		if (r->next < r->end) {
			paddr_t pa = r->next;
			r->next += PAGE_SIZE;
			return pa;
		}
	}
	return 0;
}

paddr_t pmm_alloc(void)
{
	paddr_t pa;

	if (!kmem_may_alloc())
		return 0;
	if (free_list) {
		pa = free_list;
		free_list = *(paddr_t *)paddr_to_kva(pa);
	} else {
		pa = bump();
		if (!pa)
			return 0;
	}
	nfree--;
	return pa;
}

paddr_t pmm_alloc_zeroed(void)
{
	paddr_t pa = pmm_alloc();
	if (pa)
		memset(paddr_to_kva(pa), 0, PAGE_SIZE);
	return pa;
}

uint16_t *pmm_page_word(paddr_t pa)
{
	static uint32_t hint; /* consecutive lookups mostly land in one range */
	const struct pmm_range *r = &ranges[hint];

	if (pa - r->base >= r->end - r->base) {
		for (hint = 0; hint < nranges; hint++)
			if (pa - ranges[hint].base < ranges[hint].end - ranges[hint].base)
				break;
		if (hint == nranges)
			panic("pmm_page_word: %#lx is not a PMM page", pa);
		r = &ranges[hint];
	}
	return (uint16_t *)paddr_to_kva(r->meta) + ((pa - r->meta) >> PAGE_SHIFT);
}

bool pmm_owns(paddr_t pa)
{
	for (uint32_t i = 0; i < nranges; i++)
		if (pa >= ranges[i].base && pa < ranges[i].end)
			return true;
	return false;
}

void pmm_free(paddr_t pa)
{
	KASSERT(IS_ALIGNED(pa, PAGE_SIZE) && pa != 0);
	*(paddr_t *)paddr_to_kva(pa) = free_list;
	free_list = pa;
	nfree++;
}

uint64_t pmm_free_pages(void)
{
	return nfree;
}

uint64_t pmm_total_pages(void)
{
	return total;
}
