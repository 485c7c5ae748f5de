/* Kernel command line: whitespace-separated key=value words in /chosen/bootargs. */
#include <string.h>

#include "kernel.h"
#include "main.h"

bool bootarg(const struct dt *dt, const char *key, char *buf, size_t len)
{
	int chosen = dt_find_path(dt, "/chosen");
	uint32_t n;
	const char *args = chosen == DT_NONE ? NULL : dt_getprop(dt, chosen, "bootargs", &n);
	size_t klen = strlen(key);

	if (!args || n == 0)
		return false;
	for (size_t i = 0; i < n && args[i];) {
		size_t end = i;
		while (end < n && args[end] && args[end] != ' ')
			end++;
		if (end - i > klen && !strncmp(args + i, key, klen) && args[i + klen] == '=') {
			size_t vlen = end - i - klen - 1;
			if (vlen + 1 > len)
				return false;
			memcpy(buf, args + i + klen + 1, vlen);
			buf[vlen] = '\0';
			return true;
		}
		i = end + 1;
	}
	return false;
}
