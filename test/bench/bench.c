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
	printf("| %-44s | %6llu | %-14s |\n", what, (unsigned long long)n, target);
}

static zx_handle_t mmio;

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
	MEASURE(overhead, ({}));
	overhead = 0;
	MEASURE(overhead, ({}));
	printf(
	    "zirv syscall instruction counts (rdinstret, min of %d runs, QEMU -icount shift=0)\n",
	    RUNS);
	printf("| %-44s | %6s | %-14s |\n", "operation", "instr", "target");
	printf("|%s|%s|%s|\n", "----------------------------------------------", "--------",
	       "----------------");
	MEASURE(n, zx_handle_close(ZX_HANDLE_INVALID));
	row("null syscall: zx_handle_close(INVALID)", n, "<= 80");
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
	uint64_t m4k = map_cost(0x90000000, 4096);
	uint64_t m2m = map_cost(0x90200000, 2 << 20);
	uint64_t m1g = map_cost(0x100000000, 1 << 30);
	row("map+unmap 4 KiB carve-out (CACHED)", m4k, "");
	row("map+unmap 2 MiB aligned carve-out", m2m, "");
	row("map+unmap 1 GiB aligned carve-out", m1g, "<= 2 x 4 KiB");
	if (!m4k || !m2m || !m1g)
		printf("(carve-outs missing: boot with -m 4G -append \"zirv.carveout=4M@0x90000000 "
		       "zirv.carveout=1G@0x100000000\")\n");
	return 0;
}
