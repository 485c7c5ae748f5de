/*
 * In-kernel checks selected with zirv.test=NAME on the command line. The
 * in-QEMU tests (test/qemu) boot with them and read what they print; each
 * returns the QEMU exit status it wants (0 = pass).
 */
#include <string.h>

#include "arch.h"
#include "kernel.h"
#include "main.h"
#include "mm/heap.h"
#include "mm/kvm.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/pt.h"
#include "mm/pte.h"
#include "mm/vmar.h"
#include "mm/vmo.h"
#include "sched.h"

/*
 * Take every free page, write its own address into it through the direct
 * map, check each is RAM in the resource table and none came twice (the
 * marker survives), give them all back and take them again.
 */
static int test_pmm(const struct restab *rt)
{
	uint64_t expect = pmm_free_pages(), got = 0, again = 0;
	paddr_t list = 0, pa;

	while ((pa = pmm_alloc())) {
		const struct rt_entry *e = restab_lookup(rt, pa);
		if (!e || e->kind != RT_RAM || pa + PAGE_SIZE > e->base + e->size) {
			kprintf("pmm: page %#lx is not inside RAM\n", pa);
			return 1;
		}
		uint64_t *p = paddr_to_kva(pa);
		p[0] = list;
		p[1] = pa ^ 0x5a5a5a5a5a5a5a5aul;
		list = pa;
		got++;
	}
	for (pa = list; pa;) {
		uint64_t *p = paddr_to_kva(pa);
		if (p[1] != (pa ^ 0x5a5a5a5a5a5a5a5aul)) {
			kprintf("pmm: page %#lx handed out twice\n", pa);
			return 1;
		}
		paddr_t next = p[0];
		pmm_free(pa);
		pa = next;
	}
	while ((pa = pmm_alloc()))
		again++;
	kprintf("pmm: free %lu, allocated %lu, after free-all %lu\n", expect, got, again);
	return got == expect && again == expect ? 0 : 1;
}

/* The alloc-fail switch: exactly n allocations succeed, then none. */
static int test_pmm_fail(void)
{
	kmem_fail_after(3);
	int ok = pmm_alloc() && pmm_alloc() && pmm_alloc() && !pmm_alloc();
	kmem_fail_after(-1);
	kprintf("pmm-fail: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

/* Map a device window through the table and read its identification. */
static int test_mmio(const struct restab *rt)
{
	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		if (e->kind != RT_MMIO || strcmp(e->compat, "virtio,mmio"))
			continue;
		volatile uint32_t *r =
		    kmap_checked(rt, e->base, e->size, RT_MMIO, MT_DEVICE, PTE_R | PTE_W);
		if (!r)
			return 1;
		kprintf("mmio: %#lx magic %#x version %u device %u\n", e->base, mmio_read32(&r[0]),
			mmio_read32(&r[1]), mmio_read32(&r[2]));
		/* The alias guard's kernel half: the window now clashes with every other type. */
		if (!kvm_alias_conflict(e->base + 4, 8, MEMTYPE_NC) ||
		    !kvm_alias_conflict(e->base, PAGE_SIZE, MEMTYPE_PMA) ||
		    kvm_alias_conflict(e->base, PAGE_SIZE, MEMTYPE_IO)) {
			kprintf("mmio: the alias guard misjudges %#lx\n", e->base);
			return 1;
		}
	}
	/* RAM and firmware are not device registers: the kernel must refuse. */
	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		if ((e->kind == RT_RAM || e->kind == RT_FIRMWARE) &&
		    kmap_checked(rt, e->base, PAGE_SIZE, RT_MMIO, MT_DEVICE, PTE_R | PTE_W)) {
			kprintf("mmio: mapped %s at %#lx as a device\n", rt_kind_name(e->kind),
				e->base);
			return 1;
		}
	}
	kprintf("mmio: RAM and firmware refused\n");
	return 0;
}

/* A deliberate kernel fault: the trap handler must report it and panic. */
static int test_kfault(void)
{
	volatile uint64_t *bad = (volatile uint64_t *)(KMMIO_BASE + GB_1 - PAGE_SIZE);
	kprintf("kfault: reading unmapped %p\n", (void *)bad);
	return (int)*bad;
}

/* Deep enough to overflow any kernel stack; the bound only keeps -Winfinite-recursion quiet. */
static __attribute__((noinline)) uint64_t recurse(uint64_t depth)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	if (depth > (1ul << 40))
		return 0;
	return recurse(depth + 1) + frame[0]; /* not a tail call: each level keeps its frame */
}

static void recurse_entry(void *arg)
{
	(void)arg;
	recurse(0);
}

/*
 * A deliberate kernel stack overflow, on the boot stack or on a stack from
 * the stack window: the guard page must turn it into a panic naming it.
 */
static int test_kstack(bool boot_stack)
{
	kprintf("kstack: recursing on %s\n", boot_stack ? "the boot stack" : "a window stack");
	if (boot_stack) {
		recurse(0);
		return 1;
	}
	vaddr_t top = kvm_stack_alloc("the self-test stack");
	if (!top)
		return 1;
	arch_call_on_stack(recurse_entry, NULL, top);
	return 1;
}

/* Expected Svpbmt field (bits 62:61) per policy; XTheadMae and none are host-tested. */
static const uint64_t svpbmt_field[4] = {0, 1, 2, 1};

/* Map [pa, pa+len) through a fresh address space as `policy`; return the leaf and its level. */
static uint64_t map_and_look(struct vmar *vmar, paddr_t pa, size_t len, uint32_t policy, int *level,
			     vaddr_t *va)
{
	struct vmo *v;
	if (vmo_create_physical(pa, len, &v) != ZX_OK)
		return 0;
	vmo_set_cache_policy(v, policy);
	struct map_request rq = {.vmo = v,
				 .len = len,
				 .perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
				 .max_perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
				 .at.align = vmar_large_align(pa, len)};
	zx_status_t st = vmar_map(vmar, &rq, va);
	vmo_unref(v);
	if (st != ZX_OK)
		return 0;
	uint64_t *pte = pt_lookup(vmar->as->root, *va, level);
	return pte ? *pte : 0;
}

/*
 * 64 KiB of the first carve-out, mapped CACHED: with Svnapot sixteen
 * identical NAPOT PTEs (N, ppn[3:0] = 1000), without it sixteen plain
 * leaves with bit 63 clear. Returns the number of wrong entries.
 */
static int test_pte_napot(const struct restab *rt, struct vmar *vmar)
{
	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		if (e->kind != RT_CARVEOUT || e->size < NAPOT_SIZE ||
		    !IS_ALIGNED(e->base, NAPOT_SIZE))
			continue;
		int level, bad = 0;
		vaddr_t va;
		uint64_t pte = map_and_look(vmar, e->base, NAPOT_SIZE, MT_CACHED, &level, &va);
		uint64_t *leaf = pt_lookup(vmar->as->root, va, &level);
		uint64_t attr =
		    PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D | pte_memtype(MT_CACHED);
		for (int k = 0; k < 16; k++) {
			uint64_t want = pt_napot()
					    ? PA_TO_PTE(e->base) | PTE_NAPOT_64K | PTE_N | attr
					    : PA_TO_PTE(e->base + (uint64_t)k * PAGE_SIZE) | attr;
			bad += !leaf || leaf[k] != want || level != 0;
		}
		kprintf("pte: 64K of carve-out %#lx at %#lx: %s leaves, first %#lx, %s\n", e->base,
			va, pt_napot() ? "NAPOT" : "4 KiB", pte, bad ? "WRONG" : "ok");
		return bad;
	}
	return 0;
}

/*
 * The leaf PTEs zirv writes for physical mappings, bit for bit, under the
 * encoder this boot chose; and 1 GiB / 2 MiB leaves for aligned carve-outs.
 */
static int test_pte(const struct restab *rt)
{
	struct aspace as;
	struct vmar *vmar;
	int level, bad = 0;
	vaddr_t va;

	if (aspace_init(&as) != ZX_OK || vmar_create_root(&as, &vmar) != ZX_OK)
		return 1;
	for (uint32_t pol = 0; pol < 4; pol++) {
		paddr_t pa = 0x10001000 + pol * PAGE_SIZE; /* virtio windows: free of kernel maps */
		uint64_t pte = map_and_look(vmar, pa, PAGE_SIZE, pol, &level, &va);
		uint64_t want = PA_TO_PTE(pa) | PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D |
				pte_memtype(pol);
		if (pte_encoding() == PTE_ENC_SVPBMT && ((pte >> 61) & 3) != svpbmt_field[pol])
			bad++;
		if (pte_encoding() == PTE_ENC_NONE && (pte >> 54))
			bad++;
		kprintf("pte: policy %u leaf %#lx level %d %s\n", pol, pte, level,
			pte == want && level == 0 ? "ok" : "WRONG");
		bad += pte != want || level != 0;
	}
	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		if (e->kind != RT_CARVEOUT)
			continue;
		uint64_t before = pmm_free_pages();
		uint64_t pte = map_and_look(vmar, e->base, e->size, MT_CACHED, &level, &va);
		uint64_t tables = before - pmm_free_pages();
		int want_level = e->size >= GB_1 && IS_ALIGNED(e->base, GB_1)	? 2
				 : e->size >= MB_2 && IS_ALIGNED(e->base, MB_2) ? 1
										: 0;
		kprintf(
		    "pte: carve-out %#lx+%#lx leaf level %d, %lu page(s) for tables and records\n",
		    e->base, e->size, level, tables);
		bad += !pte || level != want_level;
	}
	bad += test_pte_napot(rt, vmar);
	vmar_destroy(vmar);
	vmar_unref(vmar);
	aspace_destroy(&as);
	kprintf("pte: %s\n", bad ? "FAILED" : "ok");
	return bad ? 1 : 0;
}

/*
 * The lock checks of kernel-lockcheck.bin (kernel/sched.h) must fire: the
 * boot hart holds the kernel lock here, so taking it again ("twice") or
 * calling into mm/ without it ("missing") panics there. Other kernels
 * have no checks; they refuse the test rather than hang or pass.
 */
static int test_lockcheck(bool twice)
{
#ifdef ZIRV_LOCK_CHECK
	struct vmo *v;
	KASSERT(klock_mine());
	if (twice) {
		kprintf("lockcheck: taking the kernel lock a second time\n");
		klock_acquire();
	} else {
		kprintf("lockcheck: creating a VMO without the kernel lock\n");
		klock_release();
		if (vmo_create(PAGE_SIZE, &v) == ZX_OK)
			vmo_unref(v);
	}
	kprintf("lockcheck: not caught\n");
	return 1;
#else
	(void)twice;
	kprintf("selftest: lockcheck needs kernel-lockcheck.bin\n");
	return 2;
#endif
}

int boot_selftest(const struct boot_info *b)
{
	char name[32];

	if (!bootarg(b->dt, "zirv.test", name, sizeof(name)))
		return 0;
	kprintf("selftest: %s\n", name);
	if (!strcmp(name, "pmm"))
		return test_pmm(b->rt);
	if (!strcmp(name, "pmm-fail"))
		return test_pmm_fail();
	if (!strcmp(name, "mmio"))
		return test_mmio(b->rt);
	if (!strcmp(name, "pte"))
		return test_pte(b->rt);
	if (!strcmp(name, "kfault"))
		return test_kfault();
	if (!strcmp(name, "kstack") || !strcmp(name, "kstack-boot"))
		return test_kstack(name[6] == '-');
	if (!strcmp(name, "lockcheck-twice") || !strcmp(name, "lockcheck-missing"))
		return test_lockcheck(name[10] == 't');
	kprintf("selftest: unknown test '%s'\n", name);
	return 2;
}
