/*
 * libFuzzer target for the device-tree reader and the resource-table
 * builder (kernel/fdt.c, kernel/restab*.c), built with clang
 * -fsanitize=fuzzer,address,undefined. Every input is opened; a blob that
 * opens is walked node by node, built into a table and printed, as the
 * kernel and zirv-dt do. run_fuzz_dt.py runs it for a bounded count in
 * the test command; docs/boot.md says how to run it longer.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../kernel/fdt.h"
#include "../../kernel/restab.h"

static size_t printed;

static void sink(const char *line)
{
	printed += strlen(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dt dt;
	static struct restab rt;
	if (dt_open(&dt, data, size) != DT_OK)
		return 0;
	int depth = 0;
	char path[128];
	for (int n = dt_root(&dt); n != DT_NONE; n = dt_next_node(&dt, n, &depth)) {
		dt_path(&dt, n, path, sizeof path);
		for (int p = dt_first_prop(&dt, n); p != DT_NONE; p = dt_next_prop(&dt, p)) {
			uint32_t len;
			(void)dt_prop_name(&dt, p);
			(void)dt_prop_value(&dt, p, &len);
		}
	}
	struct rt_extra extra = {.kernel_base = 0x80200000,
				 .kernel_size = 0x100000,
				 .dtb_base = 0x87e00000,
				 .dtb_size = 0x2000};
	restab_build(&rt, &dt, &extra);
	restab_print(&rt, sink);
	for (uint32_t i = 0; i < rt.n; i++) {
		uint64_t base, sz;
		if (rt.e[i].node != DT_NONE)
			restab_node_reg(&dt, rt.e[i].node, &base, &sz);
	}
	return 0;
}
