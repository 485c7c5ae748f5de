#include <stdbool.h>
#include <string.h>

#include "kernel.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/pmm.h"

#define MIN_SHIFT 5  /* 32 bytes */
#define MAX_SHIFT 11 /* 2048 bytes */

struct free_obj {
	struct free_obj *next;
};

static struct free_obj *classes[MAX_SHIFT - MIN_SHIFT + 1];
static int64_t budget = -1; /* allocations left before injected failure; -1 = off */
static uint64_t heap_pages, used_bytes;

uint64_t kmem_heap_pages(void)
{
	return heap_pages;
}

uint64_t kmem_heap_used_bytes(void)
{
	return used_bytes;
}

bool kmem_may_alloc(void)
{
	if (budget == 0)
		return false;
	if (budget > 0)
		budget--;
	return true;
}

void kmem_fail_after(int64_t n)
{
	budget = n;
}

/* Cut a fresh page into objects of class c. */
static __attribute__((noinline)) bool refill(int c)
{
	paddr_t pa = pmm_alloc();
	size_t sz = 1ul << (c + MIN_SHIFT);

	if (!pa)
		return false;
	heap_pages++;
	uint8_t *page = paddr_to_kva(pa);
	for (size_t off = 0; off < PAGE_SIZE; off += sz) {
		struct free_obj *o = (struct free_obj *)(page + off);
		o->next = classes[c];
		classes[c] = o;
	}
	return true;
}

/* What kalloc_class does not do inline: the checks, failure injection, refills. */
static __attribute__((noinline)) void *kalloc_slow(int c)
{
	KASSERT(c >= 0 && c <= MAX_SHIFT - MIN_SHIFT);
	if (!kmem_may_alloc() || (!classes[c] && !refill(c)))
		return NULL;
	struct free_obj *o = classes[c];
	classes[c] = o->next;
	used_bytes += 1ul << (c + MIN_SHIFT);
	return o;
}

void *kalloc_class(int c)
{
	if ((unsigned)c > MAX_SHIFT - MIN_SHIFT || budget >= 0 || !classes[c])
		return kalloc_slow(c);
	struct free_obj *o = classes[c];
	classes[c] = o->next;
	used_bytes += 1ul << (c + MIN_SHIFT);
	return o;
}

void kfree_class(void *p, int c)
{
	if (!p)
		return;
	struct free_obj *o = p;
	o->next = classes[c];
	classes[c] = o;
	used_bytes -= 1ul << (c + MIN_SHIFT);
}
