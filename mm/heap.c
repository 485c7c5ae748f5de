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

static int class_of(size_t size)
{
	int shift = MIN_SHIFT;
	while ((1ul << shift) < size)
		shift++;
	KASSERT(shift <= MAX_SHIFT);
	return shift - MIN_SHIFT;
}

/* Cut a fresh page into objects of class c. */
static bool refill(int c)
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

void *kalloc(size_t size)
{
	int c = class_of(size ? size : 1);

	if (!kmem_may_alloc())
		return NULL;
	if (!classes[c] && !refill(c))
		return NULL;
	struct free_obj *o = classes[c];
	classes[c] = o->next;
	used_bytes += 1ul << (c + MIN_SHIFT);
	return o;
}

void kfree(void *p, size_t size)
{
	if (!p)
		return;
	int c = class_of(size ? size : 1);
	struct free_obj *o = p;
	o->next = classes[c];
	classes[c] = o;
	used_bytes -= 1ul << (c + MIN_SHIFT);
}
