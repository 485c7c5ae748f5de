#include <string.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"

struct pmm_range {
	paddr_t base, end; /* page-aligned, end exclusive */
	paddr_t next;	   /* bump pointer: pages below it have been handed out */
};

static struct pmm_range ranges[RT_MAX];
static uint32_t nranges, cur;
static paddr_t free_list; /* 0 = empty; RAM at physical 0 is never on it */
static uint64_t total, nfree;
uint16_t *pmm_words;
paddr_t pmm_words_base;
uint64_t pmm_words_n;

/* Pages of the word array for the span [lo, hi). */
static uint64_t word_pages(paddr_t lo, paddr_t hi)
{
	return ALIGN_UP((hi - lo) >> PAGE_SHIFT, PAGE_SIZE / 2) / (PAGE_SIZE / 2);
}

/*
 * Take the word array (a uint16_t per page of the span from the lowest
 * range's base to the highest one's end, so finding a page's word is one
 * subtraction) from the start of the largest range. A span too sparse for
 * that drops its highest ranges, with a line each.
 */
static void place_words(void)
{
	while (nranges > 0) {
		paddr_t lo = ranges[0].base, hi = ranges[nranges - 1].end;
		uint32_t big = 0;
		for (uint32_t i = 1; i < nranges; i++)
			if (ranges[i].end - ranges[i].base > ranges[big].end - ranges[big].base)
				big = i;
		uint64_t need = word_pages(lo, hi) << PAGE_SHIFT;
		if (ranges[big].end - ranges[big].base > 2 * need) {
			pmm_words = paddr_to_kva(ranges[big].base);
			pmm_words_base = lo;
			pmm_words_n = (hi - lo) >> PAGE_SHIFT;
			ranges[big].base += need;
			ranges[big].next = ranges[big].base;
			return;
		}
		nranges--;
		kprintf("PMM: RAM %#lx-%#lx not used: too far from the rest for the page array\n",
			ranges[nranges].base, ranges[nranges].end);
	}
}

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
		if (base < end)
			ranges[nranges++] = (struct pmm_range){base, end, base};
	}
	place_words();
	for (uint32_t i = 0; i < nranges; i++)
		total += (ranges[i].end - ranges[i].base) >> PAGE_SHIFT;
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

paddr_t pmm_alloc_contiguous(uint64_t n, uint64_t align)
{
	if (!kmem_may_alloc() || n == 0)
		return 0;
	for (uint32_t i = cur; i < nranges; i++) {
		struct pmm_range *r = &ranges[i];
		paddr_t pa = ALIGN_UP(r->next, align);
		if (pa < r->next || pa > r->end || n > (r->end - pa) >> PAGE_SHIFT)
			continue;
		for (paddr_t skip = r->next; skip < pa; skip += PAGE_SIZE) {
			nfree--; /* pmm_free counts it back */
			pmm_free(skip);
		}
		r->next = pa + (n << PAGE_SHIFT);
		nfree -= n;
		return pa;
	}
	return 0;
}

paddr_t pmm_alloc_zeroed(void)
{
	paddr_t pa = pmm_alloc();
	if (pa)
		kva_zero_page(paddr_to_kva(pa));
	return pa;
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
