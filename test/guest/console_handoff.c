/*
 * console_handoff.c: booted with zirv.console=sbi, the kernel hands the
 * console UART to user space and writes through SBI itself: the UART is
 * grantable, this program drives it directly (run_guest.py checks the line
 * it writes), and the kernel's own output (this TAP) still arrives.
 */
#include <zircon/syscalls.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"
#include "phys_util.h"

#define UART_BASE 0x10000000ul /* QEMU virt's ns16550a, reg-shift 0 */
#define UART_THR  0
#define UART_LSR  5
#define LSR_THRE  0x20

TEST(ConsoleHandoff, TheUartIsUserSpacesToDrive)
{
	zx_handle_t v = phys(UART_BASE, PAGE);
	ASSERT_NE(v, ZX_HANDLE_INVALID, "the UART is grantable once handed off");
	ASSERT_OK(zx_vmo_set_cache_policy(v, ZX_CACHE_POLICY_UNCACHED_DEVICE));
	zx_vaddr_t va;
	ASSERT_OK(zx_vmar_map(zx_vmar_root_self(), RW, 0, v, 0, PAGE, &va));
	volatile uint8_t *uart = (volatile uint8_t *)va;
	for (const char *p = "uart: written by the process\n"; *p; p++) {
		while (!(uart[UART_LSR] & LSR_THRE))
			;
		uart[UART_THR] = (uint8_t)*p;
	}
	EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), va, PAGE));
	EXPECT_OK(zx_handle_close(v));
}
