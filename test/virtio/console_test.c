/*
 * virtio-console: port 0 of a virtio-serial device whose other end is
 * run_console.py's socket. The guest writes a greeting, the host answers a
 * line, the guest sends it back in upper case, and the host checks both.
 * The driver takes its device's interrupts; the rings live in the carve-out.
 */
#include <ctype.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zirv/virtio/console.h>
#include <zirv/virtio/probe.h>
#include <zxtest/zxtest.h>

#include "vtest.h"

TEST(Console, TalksToTheHost)
{
	static struct vcons c;
	struct vtest *t = vtest_setup();
	ASSERT_NOT_NULL(t, "no carve-out");
	struct vmmio *d = probe_find(t->devs, t->ndevs, VIRTIO_ID_CONSOLE);
	ASSERT_NOT_NULL(d, "no virtio-console device");
	ASSERT_OK(vcons_init(&c, d, &t->dma), "%s", d->err);
	ASSERT_OK(vmmio_use_interrupt(d, zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0))), "%s",
		  d->err);
	static const char hello[] = "hello from zirv's virtio-console\n";
	ASSERT_OK(vcons_write(&c, hello, sizeof(hello) - 1), "%s", d->err);

	/* The host's line may come in pieces: gather it up to its newline. */
	char line[128];
	size_t have = 0;
	while (have == 0 || line[have - 1] != '\n') {
		size_t n;
		ASSERT_OK(vcons_read(&c, line + have, sizeof(line) - 1 - have, &n,
				     zx_deadline_after(ZX_SEC(10))),
			  "%s", d->err);
		have += n;
		ASSERT_TRUE(have < sizeof(line) - 1, "line too long");
	}
	line[have] = 0;
	EXPECT_STREQ(line, "ping from the host\n");
	for (size_t i = 0; i < have; i++)
		line[i] = (char)toupper((unsigned char)line[i]);
	ASSERT_OK(vcons_write(&c, line, have), "%s", d->err);
}
