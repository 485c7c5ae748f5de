/*
 * zirv's Sv39 virtual memory layout (see docs/boot.md).
 *
 *   0x0000000000000000 - 0x0000003fffffffff  user space (256 GiB, per process)
 *   0xffffffc000000000 - 0xffffffdfffffffff  direct map of PMM-owned RAM (PA + DMAP_BASE)
 *   0xffffffe000000000 - 0xffffffefffffffff  kernel MMIO window (device memory type)
 *   0xfffffff000000000 - 0xfffffff03fffffff  kernel stacks, each with a guard below it
 *   0xffffffffb0000000 - 0xffffffffb01fffff  the device tree blob, read-only
 *   0xffffffff80200000 - ...                 kernel image (text RX, rodata R, data/bss RW)
 */
#ifndef ZIRV_MM_LAYOUT_H
#define ZIRV_MM_LAYOUT_H

#define USER_BASE     0x0000000000010000ul
#define USER_END      0x0000004000000000ul
#define DMAP_BASE     0xffffffc000000000ul
#define DMAP_SIZE     0x0000002000000000ul /* physical addresses below 128 GiB */
#define KMMIO_BASE    0xffffffe000000000ul
#define KMMIO_SIZE    0x0000001000000000ul
#define KSTACK_BASE   0xfffffff000000000ul
#define KSTACK_WINDOW (1ul << 30)
/*
 * Every kernel stack (the boot hart's in the image, the rest in the stack
 * window) sits in the upper half of a KSTACK_SLOT-aligned slot whose lower
 * half is never mapped: an overflow faults in the guard, and the trap
 * vector recognises it from sp alone (bit KSTACK_SHIFT clear).
 */
#define KSTACK_SHIFT 14
#define KSTACK_SIZE  (1 << KSTACK_SHIFT) /* 16 KiB (no ul: entry.S uses these) */
#define KSTACK_SLOT  (2 << KSTACK_SHIFT) /* guard + stack */
#define KDTB_BASE    0xffffffffb0000000ul
#define KDTB_MAX     (2ul << 20)
#define KERNEL_VBASE 0xffffffff80200000ul

#endif
