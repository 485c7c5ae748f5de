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

/* Memory for an object of `size` bytes (<= 2048), contents undefined, or NULL. */
void *kalloc(size_t size);
/*
 * Zeroed memory for an object of `size` bytes, or NULL. Inline, zeroing in
 * 8-byte words: with `size` a constant at every call site the compiler
 * writes plain stores (a memset call costs several times more for the
 * 50-150 byte objects the kernel allocates). Objects are 8-byte aligned.
 */
static inline void *kzalloc(size_t size)
{
	uint64_t *p = kalloc(size);
	if (p) {
		for (size_t i = 0; i < size / 8; i++)
			p[i] = 0;
		for (size_t i = size & ~(size_t)7; i < size; i++)
			((uint8_t *)p)[i] = 0;
	}
	return p;
}
void kfree(void *p, size_t size);
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
