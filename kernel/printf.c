/*
 * A small vsnprintf: %c %s %d %i %u %x %X %p %%, with the l/ll/z length
 * modifiers, a field width, and the '0', '-' and '#' (0x prefix) flags. Enough for every
 * message the kernel prints; anything else prints as-is.
 */
#include <string.h>

#include "kernel.h"

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;
	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool neg, int base, bool upper, int width,
		       bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v % base];
		v /= base;
	} while (v);
	if (neg) {
		if (pad == '0') {
			put(o, '-');
			width--;
		} else {
			tmp[--i] = '-';
		}
	}
	put_padded(o, tmp + i, sizeof(tmp) - i, width, left, pad);
}

static uint64_t arg_unsigned(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
}

static int64_t arg_signed(va_list *ap, int lng)
{
	return lng ? va_arg(*ap, long) : va_arg(*ap, int);
}

static const char *conversion(struct out *o, const char *f, va_list *ap)
{
	bool left = false, alt = false;
	char pad = ' ';
	int width = 0, lng = 0;

	for (; *f == '-' || *f == '0' || *f == '#'; f++) {
		if (*f == '-')
			left = true;
		else if (*f == '#')
			alt = true;
		else
			pad = '0';
	}
	for (; *f >= '0' && *f <= '9'; f++)
		width = width * 10 + (*f - '0');
	for (; *f == 'l' || *f == 'z'; f++)
		lng = 1; /* long, long long and size_t are all 64-bit on lp64 */
	switch (*f) {
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		put_padded(o, s, strlen(s), width, left, ' ');
		break;
	}
	case 'd':
	case 'i': {
		int64_t v = arg_signed(ap, lng);
		put_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, width, left,
			   pad);
		break;
	}
	case 'u':
		put_number(o, arg_unsigned(ap, lng), false, 10, false, width, left, pad);
		break;
	case 'x':
	case 'X':
		if (alt) {
			put(o, '0');
			put(o, 'x');
		}
		put_number(o, arg_unsigned(ap, lng), false, 16, *f == 'X', width, left, pad);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_number(o, (uint64_t)va_arg(*ap, void *), false, 16, false, 16, false, '0');
		break;
	case '\0':
		return f;
	default:
		put(o, *f);
		break;
	}
	return f + 1;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = conversion(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void kprintf(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	int n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void kputs(const char *line)
{
	console_write(line, strlen(line));
	console_putc('\n');
}
