/*
 * The console: SBI until the UART is mapped, then the 16550 named by
 * /chosen/stdout-path (else the first ns16550a). SBI's debug console
 * (DBCN, SBI >= 2.0) is used when present, the legacy putchar otherwise.
 */
#include "arch.h"
#include "kernel.h"

#define UART_THR      0 /* transmit holding register */
#define UART_LSR      5 /* line status register */
#define UART_LSR_THRE 0x20

static struct {
	volatile uint8_t *base; /* NULL: use SBI */
	uint32_t shift;		/* reg-shift */
	uint32_t width;		/* reg-io-width: 1 or 4 */
	bool dbcn;
} con;

void console_init_sbi(void)
{
	con.dbcn = sbi_has_ext(SBI_EXT_DBCN);
}

static uint32_t uart_read(int reg)
{
	volatile uint8_t *p = con.base + ((uint32_t)reg << con.shift);
	return con.width == 4 ? mmio_read32(p) : mmio_read8(p);
}

static void uart_write(int reg, uint32_t v)
{
	volatile uint8_t *p = con.base + ((uint32_t)reg << con.shift);
	if (con.width == 4)
		mmio_write32(p, v);
	else
		mmio_write8(p, (uint8_t)v);
}

static void raw_putc(char c)
{
	if (con.base) {
		while (!(uart_read(UART_LSR) & UART_LSR_THRE))
			;
		uart_write(UART_THR, (uint8_t)c);
	} else if (con.dbcn) {
		sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (unsigned char)c, 0, 0);
	} else {
		sbi_legacy_putchar(c);
	}
}

void console_putc(char c)
{
	if (c == '\n')
		raw_putc('\r');
	raw_putc(c);
}

void console_write(const char *s, size_t n)
{
	while (n--)
		console_putc(*s++);
}

void console_use_uart(volatile void *base, uint32_t shift, uint32_t width)
{
	con.shift = shift;
	con.width = width;
	con.base = base;
}
