/* zirv SDK: the types picolibc's <threads.h> leaves to the system.
 *
 * C11 threads on Zircon threads and futexes (sdk/threads.c). A thrd_t
 * names a block holding the thread's stack, TLS and state; the lock types
 * are futex words. */
#ifndef _MACHINE__THREADS_H_
#define _MACHINE__THREADS_H_

#include <stdint.h>

struct __zirv_thrd;
typedef struct __zirv_thrd *thrd_t;

/* state: 0 free, 1 held, 2 held with waiters; owner and depth for mtx_recursive. */
typedef struct {
	int32_t __state;
	int32_t __type;
	thrd_t __owner;
	uint32_t __depth;
} mtx_t;

/* A sequence number every signal advances: waiters sleep on its last value. */
typedef struct {
	int32_t __seq;
} cnd_t;

typedef struct {
	int32_t __state; /* 0 never, 1 running, 2 done */
} once_flag;
#define ONCE_FLAG_INIT                                                                             \
	{                                                                                          \
		0                                                                                  \
	}

typedef uint32_t tss_t;
#define TSS_DTOR_ITERATIONS 4

#endif
