/*
 * Physical page allocator over the RAM the resource table leaves to the
 * kernel (RT_RAM entries, trimmed inward to whole pages).
 *
 * Freed pages go on a LIFO list linked through their first word (via the
 * direct map); fresh pages are handed out by a bump pointer that walks the
 * RAM ranges in order. Both alloc and free are O(1), and start-up costs
 * O(number of ranges), not O(RAM size): the one per-page array, a 16-bit
 * word per page of the whole span of RAM taken from the largest range, is
 * never initialised (whoever uses a page's word sets it first).
 */
#ifndef ZIRV_MM_PMM_H
#define ZIRV_MM_PMM_H

#include <stdint.h>

#include "arch.h"
#include "kernel.h"
#include "restab.h"

void pmm_init(const struct restab *rt);
/* One 4 KiB page (contents undefined), or 0 when memory is exhausted. */
paddr_t pmm_alloc(void);
/* One zeroed page, or 0. */
paddr_t pmm_alloc_zeroed(void);
/*
 * `n` physically contiguous pages starting at a multiple of `align` bytes
 * (a power of two, at least a page), contents undefined, or 0. They come
 * from RAM never handed out yet (the pages skipped to align go to the free
 * list), so memory that has been freed once is not reused for them.
 */
paddr_t pmm_alloc_contiguous(uint64_t n, uint64_t align);
void pmm_free(paddr_t pa);
uint64_t pmm_free_pages(void);
uint64_t pmm_total_pages(void);
extern uint16_t *pmm_words;
extern paddr_t pmm_words_base;
extern uint64_t pmm_words_n;

/*
 * The 16-bit word of PMM page pa, for its current user (the page-table
 * code keeps a table's live-entry count there, mm/vmo.c a page's number of
 * VMO holders). Contents undefined until set. pa must be a page the PMM
 * manages. (The host tests' fake PMM provides its own.)
 */
#ifndef ZIRV_FAKE_ARCH
static inline uint16_t *pmm_page_word(paddr_t pa)
{
	uint64_t i = (pa - pmm_words_base) >> PAGE_SHIFT;
	KASSERT(i < pmm_words_n);
	return &pmm_words[i];
}
#else
uint16_t *pmm_page_word(paddr_t pa);
#endif
/* True if pa is a page the PMM manages (allocated or not). */
bool pmm_owns(paddr_t pa);

#endif
