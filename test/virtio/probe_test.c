/*
 * The probe on its own: one line per virtio-mmio window of the device tree,
 * then the number of devices. meson.build checks every line exactly.
 */
#include <stdio.h>

#include "vtest.h"

int main(void)
{
	struct vtest *t = vtest_setup();

	if (!t) {
		printf("probe: no device tree or carve-out\n");
		return 1;
	}
	printf("probe: %u devices\n", t->ndevs);
	return 0;
}
