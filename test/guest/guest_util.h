/*
 * guest_util.h: small helpers shared by the in-guest syscall tests. Each
 * one answers a question about kernel state through the ABI alone (is a
 * handle live, what are its koid and rights, how many handle slots are
 * free), so the tests can check outcomes rather than just status codes.
 */
#ifndef ZIRV_TEST_GUEST_UTIL_H
#define ZIRV_TEST_GUEST_UTIL_H

#include <stdint.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>

#define PAGE		   4096ul
#define MIB		   (1ul << 20)
#define GIB		   (1ul << 30)
#define RW		   (ZX_VM_PERM_READ | ZX_VM_PERM_WRITE)
#define HANDLE_TABLE_SLOTS 256 /* zirv's per-process handle table */

/* Addresses no out-parameter may name. */
#define KERNEL_ADDR    0xffffffc000000000ul /* the kernel's direct map */
#define OPENSBI_ADDR   0x80000000ul	    /* firmware, never mapped for users */
#define UNMAPPED_ADDR  0x3000000000ul	    /* user space, nothing mapped there */
#define PAST_USER_ADDR 0x4000000000ul	    /* first address above user space */

static inline zx_status_t handle_valid(zx_handle_t h)
{
	return zx_object_get_info(h, ZX_INFO_HANDLE_VALID, NULL, 0, NULL, NULL);
}

static inline zx_info_handle_basic_t handle_basic(zx_handle_t h)
{
	zx_info_handle_basic_t b = {0};
	if (zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL, NULL) != ZX_OK)
		b.koid = 0;
	return b;
}

static inline zx_koid_t koid_of(zx_handle_t h)
{
	return handle_basic(h).koid;
}

static inline zx_rights_t rights_of(zx_handle_t h)
{
	return handle_basic(h).rights;
}

/* The object's whole signal state now (a wait that never blocks). */
static inline zx_signals_t signals_of(zx_handle_t h)
{
	zx_signals_t s = 0;
	zx_object_wait_one(h, ~0u, 0, &s);
	return s;
}

/*
 * Free slots in this process's handle table, measured by duplicating the
 * process handle until the table is full and closing the duplicates again.
 * -1 if anything other than NO_RESOURCES stops the filling or a close fails.
 */
static inline int free_handle_slots(void)
{
	zx_handle_t dups[HANDLE_TABLE_SLOTS];
	int n = 0, result;
	zx_status_t st = ZX_OK;

	while (n < HANDLE_TABLE_SLOTS &&
	       (st = zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &dups[n])) ==
		   ZX_OK)
		n++;
	result = (n == HANDLE_TABLE_SLOTS || st == ZX_ERR_NO_RESOURCES) ? n : -1;
	for (int i = 0; i < n; i++)
		if (zx_handle_close(dups[i]) != ZX_OK)
			result = -1;
	return result;
}

/*
 * Fill this process's handle table with duplicates of the process handle:
 * their values go to hs (HANDLE_TABLE_SLOTS entries), the count is returned
 * (-1 if anything other than NO_RESOURCES stopped the filling). Release
 * them with release_handle_table(hs, n).
 */
static inline int fill_handle_table(zx_handle_t *hs)
{
	int n = 0;
	zx_status_t st = ZX_OK;
	while (n < HANDLE_TABLE_SLOTS &&
	       (st = zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &hs[n])) == ZX_OK)
		n++;
	return st == ZX_ERR_NO_RESOURCES ? n : -1;
}

static inline zx_status_t release_handle_table(const zx_handle_t *hs, int n)
{
	return n > 0 ? zx_handle_close_many(hs, (size_t)n) : ZX_OK;
}

/*
 * A user page whose next page is unmapped: `len` bytes mapped read-write
 * (a multiple of PAGE) followed by one page that was mapped and then
 * unmapped again, so nothing else can sit there. 0 on failure. Undo with
 * zx_vmar_unmap(root, addr, len) and close *vmo.
 */
static inline zx_vaddr_t map_before_hole(size_t len, zx_handle_t *vmo)
{
	zx_vaddr_t a = 0;
	*vmo = ZX_HANDLE_INVALID;
	if (zx_vmo_create(len + PAGE, 0, vmo) != ZX_OK)
		return 0;
	if (zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, *vmo, 0,
			len + PAGE, &a) != ZX_OK ||
	    zx_vmar_unmap(zx_vmar_root_self(), a + len, PAGE) != ZX_OK)
		return 0;
	return a;
}

/* A raw ecall with an arbitrary number in a7: what the kernel answers in a0. */
static inline int64_t raw_syscall(uint64_t nr, uint64_t arg0)
{
	register uint64_t a0 __asm__("a0") = arg0;
	register uint64_t a7 __asm__("a7") = nr;
	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
	return (int64_t)a0;
}

/* A fresh VMO of `size` bytes (ZX_HANDLE_INVALID on failure). */
static inline zx_handle_t new_vmo(uint64_t size)
{
	zx_handle_t h = ZX_HANDLE_INVALID;
	if (zx_vmo_create(size, 0, &h) != ZX_OK)
		return ZX_HANDLE_INVALID;
	return h;
}

/*
 * A paged VMO of `size` bytes made with `options`, every byte `fill` (written
 * through zx_vmo_write, so every page is committed); ZX_HANDLE_INVALID on failure.
 */
static inline zx_handle_t filled_vmo(uint64_t size, uint32_t options, uint8_t fill)
{
	static uint8_t page[PAGE];
	zx_handle_t v = ZX_HANDLE_INVALID;
	if (zx_vmo_create(size, options, &v) != ZX_OK)
		return ZX_HANDLE_INVALID;
	for (unsigned i = 0; i < PAGE; i++)
		page[i] = fill;
	for (uint64_t off = 0; off < size; off += PAGE)
		if (zx_vmo_write(v, page, off, PAGE) != ZX_OK)
			return ZX_HANDLE_INVALID;
	return v;
}

static inline zx_info_vmo_t vmo_info(zx_handle_t h)
{
	zx_info_vmo_t info = {0};
	if (zx_object_get_info(h, ZX_INFO_VMO, &info, sizeof(info), NULL, NULL) != ZX_OK)
		info.koid = 0;
	return info;
}

/*
 * Map len bytes of v, from offset off, at exactly the user address `at`
 * (ZX_VM_SPECIFIC in the root VMAR). ZX_ERR_INTERNAL if it landed elsewhere.
 */
static inline zx_status_t map_fixed(zx_handle_t v, uint32_t perms, zx_vaddr_t at, uint64_t off,
				    size_t len)
{
	zx_info_vmar_t root;
	zx_vaddr_t got = 0;
	zx_status_t st =
	    zx_object_get_info(zx_vmar_root_self(), ZX_INFO_VMAR, &root, sizeof(root), NULL, NULL);
	if (st != ZX_OK)
		return st;
	st = zx_vmar_map(zx_vmar_root_self(), perms | ZX_VM_SPECIFIC, at - root.base, v, off, len,
			 &got);
	return st != ZX_OK ? st : got == at ? ZX_OK : ZX_ERR_INTERNAL;
}

/*
 * Deadline bookkeeping for the sleep and wait tests: count a return at
 * `now` that came before `deadline`, and keep the earliest such return.
 */
static inline void note_early(zx_instant_mono_t deadline, zx_instant_mono_t now, int *early,
			      zx_duration_mono_t *worst)
{
	if (now < deadline) {
		(*early)++;
		if (deadline - now > *worst)
			*worst = deadline - now;
	}
}

/* A task's info record, filled with 0xee where the call wrote nothing (a test then sees it). */
#define GUEST_INFO_GETTER(name, type, topic)                                                       \
	static inline type name(zx_handle_t h)                                                     \
	{                                                                                          \
		type i;                                                                            \
		memset(&i, 0xee, sizeof(i));                                                       \
		zx_object_get_info(h, topic, &i, sizeof(i), NULL, NULL);                           \
		return i;                                                                          \
	}
GUEST_INFO_GETTER(proc_info, zx_info_process_t, ZX_INFO_PROCESS)
GUEST_INFO_GETTER(job_info, zx_info_job_t, ZX_INFO_JOB)
GUEST_INFO_GETTER(thread_info, zx_info_thread_t, ZX_INFO_THREAD)
GUEST_INFO_GETTER(thread_stats, zx_info_thread_stats_t, ZX_INFO_THREAD_STATS)

/*
 * Start fn(arg, 0) on a new thread of this process, on a 64 KiB stack that
 * stays mapped until the process ends; fn must end in zx_thread_exit().
 * The thread's handle, or ZX_HANDLE_INVALID.
 */
static inline zx_handle_t start_thread(void (*fn)(uintptr_t, uintptr_t), uintptr_t arg)
{
	zx_handle_t v, t = ZX_HANDLE_INVALID;
	zx_vaddr_t stack = 0;
	if (zx_vmo_create(16 * PAGE, 0, &v) != ZX_OK)
		return ZX_HANDLE_INVALID;
	zx_status_t st = zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, 16 * PAGE, &stack);
	zx_handle_close(v);
	if (st != ZX_OK || zx_thread_create(zx_process_self(), "helper", 6, 0, &t) != ZX_OK)
		return ZX_HANDLE_INVALID;
	if (zx_thread_start(t, (zx_vaddr_t)fn, stack + 16 * PAGE, arg, 0) != ZX_OK) {
		zx_handle_close(t);
		return ZX_HANDLE_INVALID;
	}
	return t;
}

/* Did thread t reach `state` (ZX_THREAD_STATE_*) within 5 seconds? */
static inline int reached_state(zx_handle_t t, uint32_t state)
{
	zx_info_thread_t i;
	zx_instant_mono_t end = zx_deadline_after(5000000000ll);
	while (zx_object_get_info(t, ZX_INFO_THREAD, &i, sizeof(i), NULL, NULL) == ZX_OK &&
	       i.state != state && zx_clock_get_monotonic() < end)
		zx_nanosleep(zx_deadline_after(1000000));
	return i.state == state;
}

/*
 * start_thread, then wait until the thread is in `state` (a blocking call):
 * its handle, or ZX_HANDLE_INVALID if it did not start or get there.
 */
static inline zx_handle_t start_blocked(void (*fn)(uintptr_t, uintptr_t), uintptr_t arg,
					uint32_t state)
{
	zx_handle_t t = start_thread(fn, arg);
	if (t != ZX_HANDLE_INVALID && !reached_state(t, state)) {
		zx_handle_close(t); /* the caller's ASSERT fails; the thread runs on */
		return ZX_HANDLE_INVALID;
	}
	return t;
}

/* Wait up to 10 seconds for thread t to end; ZX_OK if it did. */
static inline zx_status_t join_thread(zx_handle_t t)
{
	zx_status_t st =
	    zx_object_wait_one(t, ZX_THREAD_TERMINATED, zx_deadline_after(10000000000ll), NULL);
	zx_handle_close(t);
	return st;
}

#endif
