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
		volatile uint32_t *r = kvm_map_mmio(rt, e->base, e->size);
		if (!r)
			return 1;
		kprintf("mmio: %#lx magic %#x version %u device %u\n", e->base, mmio_read32(&r[0]),
			mmio_read32(&r[1]), mmio_read32(&r[2]));
	}
	/* RAM and firmware are not device registers: the kernel must refuse. */
	for (uint32_t i = 0; i < rt->n; i++) {
		const struct rt_entry *e = &rt->e[i];
		if ((e->kind == RT_RAM || e->kind == RT_FIRMWARE) && kvm_map_mmio(rt, e->base, PAGE_SIZE)) {
			kprintf("mmio: mapped %s at %#lx as a device\n", rt_kind_name(e->kind), e->base);
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
	if (!strcmp(name, "kfault"))
		return test_kfault();
	kprintf("selftest: unknown test '%s'\n", name);
	return 2;
}
