/*
 * Instruction counts of zirv syscalls, read with rdinstret around each
 * operation. Only meaningful under QEMU -icount shift=0 (otherwise
 * rdinstret counts host time): ./zirv bench runs it that way. Each figure
 * is the minimum over RUNS repetitions, minus the cost of the empty
 * measurement itself. Prints a table; asserts nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/object.h>
#include <zircon/syscalls/port.h>
#include <zirv/spawn.h>

#include <zircon/syscalls/iommu.h>
#include <zirv/virtio/blk.h>
#include <zirv/virtio/probe.h>
#include <zirv/virtio/rng.h>
#include <zirv/virtio/virtio_mmio.h>

#define RUNS 50

static inline uint64_t instret(void)
{
	uint64_t n;
	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

static uint64_t overhead;

#define MEASURE(result, stmt)                                                                      \
	do {                                                                                       \
		uint64_t best_ = UINT64_MAX;                                                       \
		for (int i_ = 0; i_ < RUNS; i_++) {                                                \
			uint64_t t0_ = instret();                                                  \
			stmt;                                                                      \
			uint64_t d_ = instret() - t0_;                                             \
			if (d_ < best_)                                                            \
				best_ = d_;                                                        \
		}                                                                                  \
		(result) = best_ - overhead;                                                       \
	} while (0)

static void row(const char *what, uint64_t n, const char *target)
{
	printf("| %-44s | %6llu | %-18s |\n", what, (unsigned long long)n, target);
}

static zx_handle_t mmio, irq_root;

/* A stack for the helper threads and the echo process: one at a time uses it. */
static uint8_t thread_stack[16384] __attribute__((aligned(4096)));
#define STACK_TOP ((zx_vaddr_t)(thread_stack + sizeof(thread_stack)))

static void just_exit(uintptr_t a1, uintptr_t a2)
{
	(void)a1, (void)a2;
	zx_thread_exit();
}

/* thread create + start + its exit + the wait for it + close, on one hart. */
static uint64_t thread_cycle_cost(void)
{
	uint64_t n;
	MEASURE(n, ({
			zx_handle_t t;
			zx_thread_create(zx_process_self(), "t", 1, 0, &t);
			zx_thread_start(t, (zx_vaddr_t)just_exit, STACK_TOP, 0, 0);
			zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
			zx_handle_close(t);
		}));
	return n;
}

/* 0: the measuring thread's turn, 1: the partner's, 2: the partner should leave. */
static zx_futex_t turn;

static void partner(uintptr_t a1, uintptr_t a2)
{
	(void)a1, (void)a2;
	for (;;) {
		int32_t t;
		while ((t = __atomic_load_n(&turn, __ATOMIC_ACQUIRE)) == 0)
			zx_futex_wait(&turn, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
		if (t == 2)
			zx_thread_exit();
		__atomic_store_n(&turn, 0, __ATOMIC_RELEASE);
		zx_futex_wake(&turn, 1);
	}
}

/* Hand the turn to a second thread and wait for it back, through futexes, on one hart. */
static uint64_t futex_pingpong_cost(void)
{
	zx_handle_t t;
	uint64_t n;
	turn = 0;
	if (zx_thread_create(zx_process_self(), "partner", 7, 0, &t) != ZX_OK ||
	    zx_thread_start(t, (zx_vaddr_t)partner, STACK_TOP, 0, 0) != ZX_OK)
		return 0;
	MEASURE(n, ({
			__atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
			zx_futex_wake(&turn, 1);
			while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) == 1)
				zx_futex_wait(&turn, 1, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
		}));
	__atomic_store_n(&turn, 2, __ATOMIC_RELEASE);
	zx_futex_wake(&turn, 1);
	zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
	zx_handle_close(t);
	return n;
}

/* The port partner: each user packet on ports[1] goes back on ports[0]; key 1 ends it. */
static zx_handle_t ports[2];

static void port_partner(uintptr_t a1, uintptr_t a2)
{
	zx_port_packet_t pk;
	(void)a1, (void)a2;
	while (zx_port_wait(ports[1], ZX_TIME_INFINITE, &pk) == ZX_OK && pk.key == 0)
		zx_port_queue(ports[0], &pk);
	zx_thread_exit();
}

/* A user packet to a second thread blocked in zx_port_wait and one back, on one hart. */
static uint64_t port_roundtrip_cost(void)
{
	zx_handle_t t;
	zx_port_packet_t pk = {.key = 0}, back;
	uint64_t n;
	if (zx_port_create(0, &ports[0]) != ZX_OK || zx_port_create(0, &ports[1]) != ZX_OK ||
	    zx_thread_create(zx_process_self(), "partner", 7, 0, &t) != ZX_OK ||
	    zx_thread_start(t, (zx_vaddr_t)port_partner, STACK_TOP, 0, 0) != ZX_OK)
		return 0;
	MEASURE(n, ({
			zx_port_queue(ports[1], &pk);
			zx_port_wait(ports[0], ZX_TIME_INFINITE, &back);
		}));
	pk.key = 1;
	zx_port_queue(ports[1], &pk);
	zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
	zx_handle_close_many((zx_handle_t[]){t, ports[0], ports[1]}, 3);
	return n;
}

/*
 * The same through asynchronous waits, as an event loop runs them: each side
 * signals the other's event and takes the packet of the wait on its own,
 * then clears its event and arms the wait again.
 */
static zx_handle_t events[2];

static void wait_async_partner(uintptr_t a1, uintptr_t a2)
{
	zx_port_packet_t pk;
	(void)a1, (void)a2;
	zx_object_wait_async(events[1], ports[1], 0, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1, 0);
	while (zx_port_wait(ports[1], ZX_TIME_INFINITE, &pk) == ZX_OK &&
	       !(pk.signal.observed & ZX_USER_SIGNAL_1)) {
		zx_object_signal(events[1], ZX_USER_SIGNAL_0, 0);
		zx_object_wait_async(events[1], ports[1], 0, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1,
				     0);
		zx_object_signal(events[0], 0, ZX_USER_SIGNAL_0);
	}
	zx_thread_exit();
}

static uint64_t wait_async_roundtrip_cost(void)
{
	zx_handle_t t;
	zx_port_packet_t pk;
	uint64_t n;
	if (zx_port_create(0, &ports[0]) != ZX_OK || zx_port_create(0, &ports[1]) != ZX_OK ||
	    zx_event_create(0, &events[0]) != ZX_OK || zx_event_create(0, &events[1]) != ZX_OK ||
	    zx_object_wait_async(events[0], ports[0], 0, ZX_USER_SIGNAL_0, 0) != ZX_OK ||
	    zx_thread_create(zx_process_self(), "partner", 7, 0, &t) != ZX_OK ||
	    zx_thread_start(t, (zx_vaddr_t)wait_async_partner, STACK_TOP, 0, 0) != ZX_OK)
		return 0;
	MEASURE(n, ({
			zx_object_signal(events[1], 0, ZX_USER_SIGNAL_0);
			zx_port_wait(ports[0], ZX_TIME_INFINITE, &pk);
			zx_object_signal(events[0], ZX_USER_SIGNAL_0, 0);
			zx_object_wait_async(events[0], ports[0], 0, ZX_USER_SIGNAL_0, 0);
		}));
	zx_object_signal(events[1], 0, ZX_USER_SIGNAL_1);
	zx_object_wait_one(t, ZX_THREAD_TERMINATED, ZX_TIME_INFINITE, NULL);
	zx_handle_close_many((zx_handle_t[]){t, ports[0], ports[1], events[0], events[1]}, 5);
	return n;
}

/*
 * The echo process: a copy of this program's code mapped where it is here,
 * running echo() on its own stack. It touches no data and no read-only
 * constant of this program, so the code is all it needs.
 */
__attribute__((noreturn)) static void echo(uintptr_t ch, uintptr_t unused)
{
	uint64_t buf;
	uint32_t n;
	(void)unused;
	while (zx_object_wait_one(ch, ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED,
				  ZX_TIME_INFINITE, NULL) == ZX_OK &&
	       zx_channel_read(ch, 0, &buf, NULL, sizeof(buf), 0, &n, NULL) == ZX_OK)
		zx_channel_write(ch, 0, &buf, n, NULL, 0);
	zx_process_exit(0);
}

/* zirv_spawn of the archive's bin/true (test/bench/true.c) and the wait for its exit. */
static uint64_t spawn_cost(void)
{
	uint64_t n;
	zx_status_t st = ZX_OK;
	MEASURE(
	    n, ({
		    zx_handle_t p;
		    if ((st = zirv_spawn(zx_job_default(), "bin/true", NULL, 0, NULL, NULL, &p)) ==
			ZX_OK) {
			    zx_object_wait_one(p, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
			    zx_handle_close(p);
		    }
	    }));
	return st == ZX_OK ? n : 0;
}

extern char __executable_start[], __etext[]; /* sdk/zirv-user.ld */

/*
 * Start the echo process on channel end c1 (consumed); its process handle,
 * or ZX_HANDLE_INVALID. Closing the other end makes it exit.
 */
static zx_handle_t start_echo(zx_handle_t c1)
{
	zx_handle_t proc, vmar, thread, text, textx, stack;
	zx_vaddr_t base = (zx_vaddr_t)__executable_start, got;
	size_t len = ((zx_vaddr_t)__etext - base + 4095) & ~4095ul;
	zx_info_vmar_t vi;
	if (zx_process_create(zx_job_default(), "echo", 4, 0, &proc, &vmar) != ZX_OK ||
	    zx_object_get_info(vmar, ZX_INFO_VMAR, &vi, sizeof(vi), NULL, NULL) != ZX_OK ||
	    zx_vmo_create(len, 0, &text) != ZX_OK ||
	    zx_vmo_write(text, __executable_start, 0, len) != ZX_OK ||
	    zx_vmo_replace_as_executable(text, ZX_HANDLE_INVALID, &textx) != ZX_OK ||
	    zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE | ZX_VM_SPECIFIC, base - vi.base,
			textx, 0, len, &got) != ZX_OK ||
	    zx_vmo_create(sizeof(thread_stack), 0, &stack) != ZX_OK ||
	    zx_vmar_map(vmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC,
			(zx_vaddr_t)thread_stack - vi.base, stack, 0, sizeof(thread_stack),
			&got) != ZX_OK ||
	    zx_thread_create(proc, "echo", 4, 0, &thread) != ZX_OK ||
	    zx_process_start(proc, thread, (zx_vaddr_t)echo, STACK_TOP, c1, 0) != ZX_OK)
		return ZX_HANDLE_INVALID;
	zx_handle_close_many((zx_handle_t[]){vmar, thread, textx, stack}, 4);
	return proc;
}

static void stop_echo(zx_handle_t proc, zx_handle_t c0)
{
	zx_handle_close(c0); /* PEER_CLOSED: the echo process exits */
	zx_object_wait_one(proc, ZX_PROCESS_TERMINATED, ZX_TIME_INFINITE, NULL);
	zx_handle_close(proc);
}

/* An 8-byte message to the echo process and back: write, wait, read, on one hart. */
static uint64_t channel_roundtrip_cost(void)
{
	zx_handle_t c0, c1, proc;
	uint64_t msg = 1, n;
	if (zx_channel_create(0, &c0, &c1) != ZX_OK || (proc = start_echo(c1)) == ZX_HANDLE_INVALID)
		return 0;
	MEASURE(n, ({
			zx_channel_write(c0, 0, &msg, sizeof(msg), NULL, 0);
			zx_object_wait_one(c0, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, NULL);
			zx_channel_read(c0, 0, &msg, NULL, sizeof(msg), 0, NULL, NULL);
		}));
	stop_echo(proc, c0);
	return n;
}

/* The same 8 bytes as one zx_channel_call: the echo's reply carries the call's txid back. */
static uint64_t channel_call_cost(void)
{
	zx_handle_t c0, c1, proc;
	uint64_t out = 1, in = 0, n;
	uint32_t nb, nh;
	zx_channel_call_args_t a = {
	    .wr_bytes = &out, .rd_bytes = &in, .wr_num_bytes = 8, .rd_num_bytes = 8};
	if (zx_channel_create(0, &c0, &c1) != ZX_OK || (proc = start_echo(c1)) == ZX_HANDLE_INVALID)
		return 0;
	MEASURE(n, zx_channel_call(c0, 0, ZX_TIME_INFINITE, &a, &nb, &nh));
	stop_echo(proc, c0);
	return n;
}

/*
 * How late a timer's waiter runs: a timer set 1 ms ahead, a port wait on it,
 * and the clock read on waking, minus the deadline. Under -icount shift=0
 * the clock advances one nanosecond per instruction, so this is the path
 * from the timer interrupt to the waiter, in instructions. Min and max of RUNS.
 */
static void timer_lateness(uint64_t *lo, uint64_t *hi)
{
	zx_handle_t port, timer;
	zx_port_packet_t pk;
	*lo = UINT64_MAX;
	*hi = 0;
	if (zx_port_create(0, &port) != ZX_OK ||
	    zx_timer_create(0, ZX_CLOCK_MONOTONIC, &timer) != ZX_OK)
		return;
	for (int i = 0; i < RUNS; i++) {
		zx_instant_mono_t deadline = zx_deadline_after(1000000);
		zx_timer_set(timer, deadline, 0);
		zx_object_wait_async(timer, port, 0, ZX_TIMER_SIGNALED, 0);
		if (zx_port_wait(port, ZX_TIME_INFINITE, &pk) != ZX_OK)
			break;
		uint64_t late = (uint64_t)(zx_clock_get_monotonic() - deadline);
		*lo = late < *lo ? late : *lo;
		*hi = late > *hi ? late : *hi;
	}
	zx_handle_close_many((zx_handle_t[]){port, timer}, 2);
}

/*
 * Interrupt latency: a 64-byte virtio-rng request, from the doorbell write
 * (the device completes it and raises its interrupt) to zx_interrupt_wait
 * returning in this thread, which was blocked there (its hart idle). Needs
 * QEMU's -device virtio-rng-device and a carve-out for the DMA pool (the
 * first carve-out: run after the map rows, which map it CACHED).
 */
/* The devices and one DMA pool (the first carve-out) for every device row. */
static struct restab rt;
static struct vmmio devs[8];
static unsigned ndevs;
static struct dma_pool dma;

static bool probe_devices(void)
{
	const struct rt_entry *pool;

	if (!ndevs && probe_restab(&rt) == DT_OK && probe_dma(mmio, &rt, &dma, &pool) == ZX_OK)
		ndevs = probe_virtio(mmio, &rt, NULL, devs, 8);
	return ndevs > 0;
}

static uint64_t rng_interrupt_latency(void)
{
	static struct vrng r;
	zx_handle_t irq;
	uint64_t best = UINT64_MAX;

	if (!probe_devices())
		return 0;
	struct vmmio *d = probe_find(devs, ndevs, VIRTIO_ID_RNG);
	if (!d || vrng_init(&r, d, &dma) != ZX_OK ||
	    zx_interrupt_create(irq_root, d->vector, 0, &irq) != ZX_OK)
		return 0;
	for (int i = 0; i < RUNS; i++) {
		struct virtq_buf buf = {r.buf_pa, 64, true};
		uint16_t head;
		uint32_t len;
		if (virtq_submit(&r.q, &buf, 1, &head) != ZX_OK)
			return 0;
		uint64_t t0 = instret();
		d->regs[VMMIO_QUEUE_NOTIFY / 4] = 0;
		zx_interrupt_wait(irq, NULL); /* the next wait unmasks the level vector */
		uint64_t t = instret() - t0 - overhead;
		best = t < best ? t : best;
		d->regs[VMMIO_INTERRUPT_ACK / 4] = d->regs[VMMIO_INTERRUPT_STATUS / 4];
		while (virtq_poll(&r.q, &head, &len) == ZX_ERR_SHOULD_WAIT)
			;
	}
	zx_handle_close(irq);
	return best;
}

/* One 4 KiB read into DMA memory at `pa`, waited for as the device is set up to be waited for. */
static zx_status_t blk_read_4k(struct vblk *b, uint64_t pa)
{
	struct virtq_buf seg = {pa, 4096, false};
	uint64_t cookie;
	zx_status_t result, st = vblk_queue(b, VBLK_READ, 0, &seg, 1, 0);

	while (st == ZX_OK && (st = vblk_reap(b, &cookie, &result)) == ZX_ERR_SHOULD_WAIT)
		st = vmmio_wait(b->dev, ZX_TIME_INFINITE);
	return st == ZX_OK ? result : st;
}

/*
 * A 4 KiB virtio-blk read as a driver process does it (vblk_queue, then
 * vblk_reap until it is back; the data lands in DMA memory, no copy),
 * first waiting by polling the used ring (20 us sleeps between looks),
 * then by the device's interrupt on a port. Instructions this hart
 * retires from the queueing to the reap: the device's own work happens in
 * QEMU, off the count. Needs a virtio-blk device.
 */
static void blk_read_cost(uint64_t *polled, uint64_t *irq)
{
	static struct vblk b;
	uint64_t pa;

	*polled = *irq = 0;
	struct vmmio *d = probe_devices() ? probe_find(devs, ndevs, VIRTIO_ID_BLOCK) : NULL;
	if (!d || vblk_init(&b, d, &dma) != ZX_OK || !dma_alloc(&dma, 4096, 4096, &pa))
		return;
	MEASURE(*polled, blk_read_4k(&b, pa));
	zx_handle_t irq_res;
	if (zx_handle_duplicate(irq_root, ZX_RIGHT_SAME_RIGHTS, &irq_res) != ZX_OK ||
	    vmmio_use_interrupt(d, irq_res) != ZX_OK)
		return;
	MEASURE(*irq, blk_read_4k(&b, pa));
	zx_handle_close(irq_res);
}

/* zx_bti_pin + zx_pmt_unpin of `pages` committed pages of a paged VMO. */
static uint64_t pin_cost(zx_handle_t bti, uint32_t pages)
{
	static zx_paddr_t pa[256];
	zx_handle_t vmo, pmt;
	uint64_t n = 0;

	if (zx_vmo_create(pages * 4096ull, 0, &vmo) != ZX_OK)
		return 0;
	if (zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, pages * 4096ull, NULL, 0) == ZX_OK)
		MEASURE(n, ({
				zx_bti_pin(bti, ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE, vmo, 0,
					   pages * 4096ull, pa, pages, &pmt);
				zx_pmt_unpin(pmt);
			}));
	zx_handle_close(vmo);
	return n;
}

static uint64_t map_cost(zx_paddr_t pa, size_t len)
{
	zx_handle_t vmo;
	zx_vaddr_t va;
	uint64_t n;
	if (zx_vmo_create_physical(mmio, pa, len, &vmo) != ZX_OK ||
	    zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_CACHED) != ZX_OK)
		return 0;
	MEASURE(n, ({
			zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo,
				    0, len, &va);
			zx_vmar_unmap(zx_vmar_root_self(), va, len);
		}));
	zx_handle_close(vmo);
	return n;
}

/*
 * A store through a writable mapping to a page its VMO shares with a
 * fresh snapshot: the fault, the copy, the remapping. Only the store is
 * inside the measurement; the snapshot is made and closed around it.
 */
static uint64_t cow_fault_cost(void)
{
	zx_handle_t v, child;
	zx_vaddr_t a;
	uint64_t best = UINT64_MAX;
	if (zx_vmo_create(4096, 0, &v) != ZX_OK ||
	    zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, v, 0, 4096,
			&a) != ZX_OK)
		return 0;
	for (int i = 0; i < RUNS; i++) {
		if (zx_vmo_create_child(v, ZX_VMO_CHILD_SNAPSHOT, 0, 4096, &child) != ZX_OK)
			return 0;
		uint64_t t0 = instret();
		*(volatile uint8_t *)a = (uint8_t)i;
		uint64_t d = instret() - t0;
		best = d < best ? d : best;
		zx_handle_close(child);
	}
	zx_vmar_unmap(zx_vmar_root_self(), a, 4096);
	zx_handle_close(v);
	return best - overhead;
}

int main(void)
{
	zx_handle_t self = zx_process_self(), dup;
	zx_info_handle_basic_t basic;
	uint64_t n;

	mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	irq_root = zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0));
	MEASURE(overhead, ({}));
	overhead = 0;
	MEASURE(overhead, ({}));
	printf(
	    "zirv syscall instruction counts (rdinstret, min of %d runs, QEMU -icount shift=0)\n",
	    RUNS);
	printf("| %-44s | %6s | %-18s |\n", "operation", "instr", "target");
	printf("|%s|%s|%s|\n", "----------------------------------------------", "--------",
	       "--------------------");
	MEASURE(n, zx_handle_close(ZX_HANDLE_INVALID));
	row("null syscall: zx_handle_close(INVALID)", n, "<= 54 (goal 40)");
	MEASURE(n, ({
			zx_handle_duplicate(self, ZX_RIGHT_SAME_RIGHTS, &dup);
			zx_handle_close(dup);
		}));
	row("zx_handle_duplicate + zx_handle_close", n, "");
	MEASURE(n,
		zx_object_get_info(self, ZX_INFO_HANDLE_BASIC, &basic, sizeof(basic), NULL, NULL));
	row("zx_object_get_info(HANDLE_BASIC)", n, "");
	MEASURE(n, ({
			zx_handle_t vmo;
			zx_vaddr_t va;
			zx_vmo_create_physical(mmio, 0x10001000, 4096, &vmo);
			zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, vmo, 0, 4096, &va);
			zx_vmar_unmap(zx_vmar_root_self(), va, 4096);
			zx_handle_close(vmo);
		}));
	row("create_physical + map 4K + unmap + close", n, "<= 1500");
	zx_handle_t page;
	if (zx_vmo_create(4096, 0, &page) == ZX_OK &&
	    zx_vmo_op_range(page, ZX_VMO_OP_COMMIT, 0, 4096, NULL, 0) == ZX_OK) {
		MEASURE(n, ({
				zx_handle_t sub;
				zx_vaddr_t base, va;
				zx_vmar_allocate(zx_vmar_root_self(),
						 ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE, 0,
						 16 * 4096, &sub, &base);
				zx_vmar_map(sub, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, page, 0,
					    4096, &va);
				zx_vmar_destroy(sub);
				zx_handle_close(sub);
			}));
		row("vmar_allocate + map 4K + destroy + close", n, "");
		zx_handle_close(page);
	}
	row("copy-on-write fault (store to a shared page)", cow_fault_cost(), "");
	zx_handle_t c0, c1;
	if (zx_channel_create(0, &c0, &c1) == ZX_OK) {
		uint64_t msg = 0;
		MEASURE(n, ({
				zx_channel_write(c0, 0, &msg, sizeof(msg), NULL, 0);
				zx_channel_read(c1, 0, &msg, NULL, sizeof(msg), 0, NULL, NULL);
			}));
		row("channel write + read, 8 bytes, one process", n, "");
		zx_handle_close(c0);
		zx_handle_close(c1);
	}
	row("futex ping-pong round trip, 2 threads", futex_pingpong_cost(), "<= 1500");
	row("thread create + start + exit + wait + close", thread_cycle_cost(), "<= 5000");
	row("channel write + wait + read, echo process", channel_roundtrip_cost(), "<= 2000");
	row("zx_channel_call, echo process", channel_call_cost(), "<= 2000");
	row("port_queue + port_wait round trip, 2 threads", port_roundtrip_cost(), "<= 2500");
	row("wait_async + signal + port_wait, 2 threads", wait_async_roundtrip_cost(), "");
	row("zirv_spawn a small ELF + wait for its exit", spawn_cost(), "<= 50000");
	uint64_t late_lo, late_hi;
	timer_lateness(&late_lo, &late_hi);
	row("timer 1 ms ahead, port waiter: ns late, min", late_lo, "");
	row("timer 1 ms ahead, port waiter: ns late, max", late_hi, "");
	uint64_t m4k = map_cost(0x90000000, 4096);
	uint64_t m2m = map_cost(0x90200000, 2 << 20);
	uint64_t m1g = map_cost(0x100000000, 1 << 30);
	row("map+unmap 4 KiB carve-out (CACHED)", m4k, "");
	row("map+unmap 2 MiB aligned carve-out", m2m, "");
	row("map+unmap 1 GiB aligned carve-out", m1g, "<= 2 x 4 KiB");
	row("virtio-rng 64 B: doorbell to interrupt_wait", rng_interrupt_latency(), "<= 2000");
	zx_handle_t root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0)), iommu, bti;
	zx_iommu_desc_dummy_t desc = {0};
	if (zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu) == ZX_OK &&
	    zx_bti_create(iommu, 0, 0, &bti) == ZX_OK) {
		row("zx_bti_pin + zx_pmt_unpin, 1 page", pin_cost(bti, 1), "");
		row("zx_bti_pin + zx_pmt_unpin, 256 pages", pin_cost(bti, 256), "");
	}
	uint64_t polled, by_irq;
	blk_read_cost(&polled, &by_irq);
	row("virtio-blk 4 KiB read: by interrupt", by_irq, "");
	row("virtio-blk 4 KiB read: polling", polled, "");
	if (!m4k || !m2m || !m1g)
		printf("(carve-outs missing: boot with -m 4G -append \"zirv.carveout=4M@0x90000000 "
		       "zirv.carveout=1G@0x100000000\")\n");
	return 0;
}
