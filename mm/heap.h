/*
 * Small kernel objects: power-of-two size classes from 32 to 2048 bytes,
 * carved from PMM pages. kfree takes the size the caller allocated with
 * (every object knows its own type and size), so no headers are needed.
 * Pages of a class are never returned to the PMM.
 */
#ifndef ZIRV_MM_HEAP_H
#define ZIRV_MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The class of a `size`-byte object: 32 << class bytes, -1 past 2048.
 * Inline so that the constant sizes at call sites fold to a constant.
 */
static inline int heap_class(size_t size)
{
	return size <= 32     ? 0
	       : size <= 64   ? 1
	       : size <= 128  ? 2
	       : size <= 256  ? 3
	       : size <= 512  ? 4
	       : size <= 1024 ? 5
	       : size <= 2048 ? 6
			      : -1;
}
void *kalloc_class(int c);
void kfree_class(void *p, int c);

/* Memory for an object of `size` bytes (<= 2048), contents undefined, or NULL. */
static inline void *kalloc(size_t size)
{
	return kalloc_class(heap_class(size));
}
/*
 * Zero `size` bytes of an object (8-byte aligned) inline, in 8-byte words:
 * with `size` a constant at every call site and the loop unrolled, the
 * compiler writes one store per word (a loop costs three instructions a
 * word, a memset call more than that for the 50-250 byte objects the
 * kernel allocates; a compound literal of that size becomes a memset).
 */
static inline void kzero(void *p, size_t size)
{
#pragma GCC unroll 32
	for (size_t i = 0; i < size / 8; i++)
		((uint64_t *)p)[i] = 0;
	for (size_t i = size & ~(size_t)7; i < size; i++)
		((uint8_t *)p)[i] = 0;
}

/* Zeroed memory for an object of `size` bytes, or NULL. */
static inline void *kzalloc(size_t size)
{
	void *p = kalloc(size);
	if (p)
		kzero(p, size);
	return p;
}
/* Give back an object of `size` bytes (the size it was allocated with); NULL is ignored. */
static inline void kfree(void *p, size_t size)
{
	kfree_class(p, heap_class(size));
}
/* Pages the heap took from the PMM, and bytes of them handed out now. */
uint64_t kmem_heap_pages(void);
uint64_t kmem_heap_used_bytes(void);

/*
 * Failure injection (boot argument zirv.failalloc=N): after N more
 * successful kernel allocations of any kind, every allocation fails.
 * Returns false when the current allocation must fail.
 */
bool kmem_may_alloc(void);
void kmem_fail_after(int64_t n);

#endif
