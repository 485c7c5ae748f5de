/*
 * stdio.c: picolibc's standard streams on top of zx_debug_write, and the
 * _exit() that picolibc's exit() and abort() end in.
 *
 * stdout and stderr are tinystdio FILEs whose put function collects bytes
 * in a per-stream buffer and hands whole lines to the kernel: a line is
 * written when it ends, when the buffer fills, on fflush() and at exit.
 * Writing stderr first flushes stdout so the console keeps program order.
 * stdin has no device behind it and always reads EOF.
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/unistd.h>
#include <zircon/syscalls.h>

#define CONSOLE_BUFFER_SIZE 256

struct console_stream {
	FILE file; /* first, so a FILE * converts back to its stream */
	size_t len;
	char buf[CONSOLE_BUFFER_SIZE];
};

static int console_put(char c, FILE *file);
static int console_flush(FILE *file);
static int console_get_eof(FILE *file);

static struct console_stream console_out = {
    .file = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE),
};
static struct console_stream console_err = {
    .file = FDEV_SETUP_STREAM(console_put, NULL, console_flush, _FDEV_SETUP_WRITE),
};
static FILE console_in = FDEV_SETUP_STREAM(NULL, console_get_eof, NULL, _FDEV_SETUP_READ);

FILE *const stdin = &console_in;
FILE *const stdout = &console_out.file;
FILE *const stderr = &console_err.file;

/* Writes out what the stream holds. A failed write drops the bytes: there
 * is nowhere else to report it. */
static void console_drain(struct console_stream *s)
{
	if (s->len == 0)
		return;
	(void)zx_debug_write(s->buf, s->len);
	s->len = 0;
}

static int console_put(char c, FILE *file)
{
	struct console_stream *s = (struct console_stream *)file;
	if (s == &console_err)
		console_drain(&console_out);
	s->buf[s->len++] = c;
	if (c == '\n' || s->len == sizeof(s->buf))
		console_drain(s);
	return 0;
}

static int console_flush(FILE *file)
{
	console_drain((struct console_stream *)file);
	return 0;
}

static int console_get_eof(FILE *file)
{
	(void)file;
	return _FDEV_EOF;
}

/* picolibc's exit() runs atexit handlers and destructors, then calls this;
 * abort() and _Exit() call it directly. Buffered console output is written
 * in every case so a dying program's last words are not lost. QEMU's exit
 * status becomes status & 0xff. */
void _exit(int status)
{
	console_drain(&console_out);
	console_drain(&console_err);
	zx_process_exit(status);
}
