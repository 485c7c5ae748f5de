/*
 * threads.c: C11 <threads.h> on Zircon threads and futexes.
 *
 * Each thread gets one VMO, mapped read-write, holding its control block,
 * its TLS block (a copy of the program's initial thread-local values,
 * zirv-user.ld) and its stack. The thread's first code sets tp to its TLS
 * block, so errno and the rest of libc's per-thread state are its own. A
 * joined thread's block is unmapped by the joiner once the kernel says the
 * thread has terminated; a detached one's by a later thrd_create.
 *
 * tss_* keys index a table of TSS_KEYS slots; each thread's values live in
 * its TLS, tagged with the key's generation, so a value set under a
 * deleted key never shows through a new key in the same slot. thrd_exit
 * runs the destructors (TSS_DTOR_ITERATIONS rounds at most).
 *
 * Mutexes and condition variables are futex words. The timespec of
 * mtx_timedlock and cnd_timedwait is a deadline on the monotonic clock
 * (zx_clock_get_monotonic: zirv has no UTC). picolibc's malloc and stdio
 * take no locks: use them from one thread at a time.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>

#define STACK_SIZE (64ul << 10)
#define PAGE	   4096ul

struct __zirv_thrd {
	zx_handle_t handle;
	zx_vaddr_t base; /* the mapping holding this block, its TLS and its stack */
	size_t size;
	thrd_start_t func;
	void *arg;
	int result;
	bool detached;
	struct __zirv_thrd *next_detached;
};

extern char __tls_base[], __tdata_image[], __tdata_size[], __tls_size[]; /* zirv-user.ld */

static thread_local struct __zirv_thrd *self;
static struct __zirv_thrd main_thread;
static mtx_t detached_lock;
static struct __zirv_thrd *detached; /* ended or not: freed once terminated */

static void free_block(struct __zirv_thrd *t)
{
	zx_handle_close(t->handle);
	zx_vmar_unmap(zx_vmar_root_self(), t->base, t->size);
}

static bool terminated(const struct __zirv_thrd *t)
{
	return zx_object_wait_one(t->handle, ZX_THREAD_TERMINATED, 0, NULL) == ZX_OK;
}

/* Free the blocks of detached threads that have ended. */
static void reap_detached(void)
{
	mtx_lock(&detached_lock);
	for (struct __zirv_thrd **pp = &detached; *pp;) {
		struct __zirv_thrd *t = *pp;
		if (terminated(t)) {
			*pp = t->next_detached;
			free_block(t);
		} else {
			pp = &t->next_detached;
		}
	}
	mtx_unlock(&detached_lock);
}

/* Where a new thread begins: its own TLS, then the C11 function. */
static _Noreturn void trampoline(uintptr_t block, uintptr_t tls)
{
	__asm__ volatile("mv tp, %0" ::"r"(tls) : "memory");
	self = (struct __zirv_thrd *)block;
	thrd_exit(self->func(self->arg));
}

int thrd_create(thrd_t *thr, thrd_start_t func, void *arg)
{
	size_t tls = ((size_t)__tls_size + 63) & ~63ul;
	size_t meta = (sizeof(struct __zirv_thrd) + 63) & ~63ul;
	size_t size = (meta + tls + STACK_SIZE + PAGE - 1) & ~(PAGE - 1);
	zx_handle_t vmo;
	zx_vaddr_t base;

	reap_detached();
	if (zx_vmo_create(size, 0, &vmo) != ZX_OK)
		return thrd_nomem;
	zx_status_t st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0,
				     vmo, 0, size, &base);
	zx_handle_close(vmo);
	if (st != ZX_OK)
		return thrd_nomem;
	struct __zirv_thrd *t = (struct __zirv_thrd *)base;
	char *block = (char *)base + meta;
	memcpy(block, __tdata_image, (size_t)__tdata_size); /* .tbss stays zero: a fresh VMO */
	*t = (struct __zirv_thrd){.base = base, .size = size, .func = func, .arg = arg};
	if (zx_thread_create(zx_process_self(), "thrd", 4, 0, &t->handle) != ZX_OK ||
	    zx_thread_start(t->handle, (zx_vaddr_t)trampoline, base + size, base,
			    (uintptr_t)block) != ZX_OK) {
		free_block(t);
		return thrd_error;
	}
	*thr = t;
	return thrd_success;
}

thrd_t thrd_current(void)
{
	return self ? self : &main_thread;
}

int thrd_equal(thrd_t a, thrd_t b)
{
	return a == b;
}

/* ------------------------------------------------------------ tss */

#define TSS_KEYS 64

static struct {
	bool used;
	uint32_t gen; /* advanced by each tss_create of the slot */
	tss_dtor_t dtor;
} keys[TSS_KEYS];
static mtx_t keys_lock;

static thread_local struct {
	void *value;
	uint32_t gen;
} tss_values[TSS_KEYS];

/* A tss_t is (generation << 8) | slot: stale keys name nothing. */
static int key_slot(tss_t key)
{
	uint32_t slot = key & 0xff, gen = key >> 8;
	return slot < TSS_KEYS && keys[slot].used && keys[slot].gen == gen ? (int)slot : -1;
}

int tss_create(tss_t *key, tss_dtor_t dtor)
{
	int result = thrd_error;
	mtx_lock(&keys_lock);
	for (uint32_t i = 0; i < TSS_KEYS; i++)
		if (!keys[i].used) {
			keys[i].used = true;
			keys[i].gen = (keys[i].gen + 1) & 0xffffff;
			keys[i].dtor = dtor;
			*key = keys[i].gen << 8 | i;
			result = thrd_success;
			break;
		}
	mtx_unlock(&keys_lock);
	return result;
}

void tss_delete(tss_t key)
{
	mtx_lock(&keys_lock);
	int slot = key_slot(key);
	if (slot >= 0)
		keys[slot].used = false; /* no destructor runs: C11 */
	mtx_unlock(&keys_lock);
}

void *tss_get(tss_t key)
{
	int slot = key_slot(key);
	return slot >= 0 && tss_values[slot].gen == keys[slot].gen ? tss_values[slot].value : NULL;
}

int tss_set(tss_t key, void *value)
{
	int slot = key_slot(key);
	if (slot < 0)
		return thrd_error;
	tss_values[slot].value = value;
	tss_values[slot].gen = keys[slot].gen;
	return thrd_success;
}

/* The ending thread's destructors, for every value still set, a few rounds. */
static void run_tss_dtors(void)
{
	for (int round = 0; round < TSS_DTOR_ITERATIONS; round++) {
		bool ran = false;
		for (uint32_t i = 0; i < TSS_KEYS; i++) {
			void *v = tss_values[i].value;
			if (!v || !keys[i].used || !keys[i].dtor ||
			    tss_values[i].gen != keys[i].gen)
				continue;
			tss_values[i].value = NULL;
			keys[i].dtor(v);
			ran = true;
		}
		if (!ran)
			return;
	}
}

_Noreturn void thrd_exit(int result)
{
	if (!self) /* the first thread: C11 says the program goes on; zirv ends it */
		exit(result);
	run_tss_dtors();
	self->result = result;
	zx_thread_exit();
}

int thrd_join(thrd_t t, int *result)
{
	if (!t || t == &main_thread || t == thrd_current() || t->detached)
		return thrd_error;
	if (zx_object_wait_one(t->handle, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL) != ZX_OK)
		return thrd_error;
	if (result)
		*result = t->result;
	free_block(t);
	return thrd_success;
}

int thrd_detach(thrd_t t)
{
	if (!t || t == &main_thread || t->detached)
		return thrd_error;
	t->detached = true;
	mtx_lock(&detached_lock);
	t->next_detached = detached;
	detached = t;
	mtx_unlock(&detached_lock);
	return thrd_success;
}

static zx_instant_mono_t deadline_of(const struct timespec *ts)
{
	if (ts->tv_sec > INT64_MAX / 1000000000 - 1)
		return ZX_TIME_INFINITE;
	return (zx_instant_mono_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

int thrd_sleep(const struct timespec *duration, struct timespec *remaining)
{
	if (duration->tv_sec < 0 || duration->tv_nsec < 0 || duration->tv_nsec >= 1000000000)
		return -2;
	zx_nanosleep(zx_deadline_after(deadline_of(duration)));
	if (remaining)
		*remaining = (struct timespec){0, 0};
	return 0;
}

void thrd_yield(void)
{
	zx_nanosleep(0);
}

/* ---- mutexes: 0 free, 1 held, 2 held with waiters --------------------- */

int mtx_init(mtx_t *m, int type)
{
	if (type & ~(mtx_plain | mtx_recursive | mtx_timed))
		return thrd_error;
	*m = (mtx_t){.__type = type};
	return thrd_success;
}

void mtx_destroy(mtx_t *m)
{
	(void)m;
}

static bool owned_again(mtx_t *m)
{
	if ((m->__type & mtx_recursive) && m->__owner == thrd_current()) {
		m->__depth++;
		return true;
	}
	return false;
}

static int lock_until(mtx_t *m, zx_instant_mono_t deadline)
{
	if (owned_again(m))
		return thrd_success;
	int32_t c = 0;
	if (!__atomic_compare_exchange_n(&m->__state, &c, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED)) {
		if (c != 2)
			c = __atomic_exchange_n(&m->__state, 2, __ATOMIC_ACQUIRE);
		while (c != 0) {
			if (zx_futex_wait(&m->__state, 2, ZX_HANDLE_INVALID, deadline) ==
			    ZX_ERR_TIMED_OUT)
				return thrd_timedout;
			c = __atomic_exchange_n(&m->__state, 2, __ATOMIC_ACQUIRE);
		}
	}
	m->__owner = thrd_current();
	m->__depth = 1;
	return thrd_success;
}

int mtx_lock(mtx_t *m)
{
	return lock_until(m, ZX_TIME_INFINITE);
}

int mtx_timedlock(mtx_t *restrict m, const struct timespec *restrict ts)
{
	return lock_until(m, deadline_of(ts));
}

int mtx_trylock(mtx_t *m)
{
	if (owned_again(m))
		return thrd_success;
	int32_t c = 0;
	if (!__atomic_compare_exchange_n(&m->__state, &c, 1, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return thrd_busy;
	m->__owner = thrd_current();
	m->__depth = 1;
	return thrd_success;
}

int mtx_unlock(mtx_t *m)
{
	if (m->__owner != thrd_current())
		return thrd_error;
	if (--m->__depth)
		return thrd_success;
	m->__owner = NULL;
	if (__atomic_exchange_n(&m->__state, 0, __ATOMIC_RELEASE) == 2)
		zx_futex_wake(&m->__state, 1);
	return thrd_success;
}

/* ---- condition variables: waiters sleep on the sequence they saw ------ */

int cnd_init(cnd_t *c)
{
	c->__seq = 0;
	return thrd_success;
}

void cnd_destroy(cnd_t *c)
{
	(void)c;
}

int cnd_signal(cnd_t *c)
{
	__atomic_add_fetch(&c->__seq, 1, __ATOMIC_RELEASE);
	zx_futex_wake(&c->__seq, 1);
	return thrd_success;
}

int cnd_broadcast(cnd_t *c)
{
	__atomic_add_fetch(&c->__seq, 1, __ATOMIC_RELEASE);
	zx_futex_wake(&c->__seq, UINT32_MAX);
	return thrd_success;
}

static int wait_until(cnd_t *c, mtx_t *m, zx_instant_mono_t deadline)
{
	int32_t seq = __atomic_load_n(&c->__seq, __ATOMIC_ACQUIRE);
	uint32_t depth = m->__depth;
	m->__depth = 1;
	if (mtx_unlock(m) != thrd_success)
		return thrd_error;
	zx_status_t st = zx_futex_wait(&c->__seq, seq, ZX_HANDLE_INVALID, deadline);
	lock_until(m, ZX_TIME_INFINITE);
	m->__depth = depth;
	return st == ZX_ERR_TIMED_OUT ? thrd_timedout : thrd_success;
}

int cnd_wait(cnd_t *c, mtx_t *m)
{
	return wait_until(c, m, ZX_TIME_INFINITE);
}

int cnd_timedwait(cnd_t *restrict c, mtx_t *restrict m, const struct timespec *restrict ts)
{
	return wait_until(c, m, deadline_of(ts));
}

/* ---- call_once --------------------------------------------------------- */

void call_once(once_flag *flag, void (*func)(void))
{
	int32_t s = 0;
	if (__atomic_compare_exchange_n(&flag->__state, &s, 1, false, __ATOMIC_ACQUIRE,
					__ATOMIC_ACQUIRE)) {
		func();
		__atomic_store_n(&flag->__state, 2, __ATOMIC_RELEASE);
		zx_futex_wake(&flag->__state, UINT32_MAX);
		return;
	}
	while ((s = __atomic_load_n(&flag->__state, __ATOMIC_ACQUIRE)) != 2)
		zx_futex_wait(&flag->__state, s, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
}
