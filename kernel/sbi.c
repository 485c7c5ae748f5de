/* SBI base-extension queries (SBI spec chapter 4). */
#include "arch.h"
#include "kernel.h"

unsigned long sbi_spec_version;

void sbi_init(void)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_SPEC_VERSION, 0, 0, 0);
	sbi_spec_version = r.error ? 0 : (unsigned long)r.value;
}

/* probe_extension returns 0 for absent, non-zero (usually 1) for present. */
bool sbi_has_ext(unsigned long eid)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, eid, 0, 0);
	return r.error == 0 && r.value != 0;
}

uint64_t sbi_mvendorid(void)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, SBI_BASE_MVENDORID, 0, 0, 0);
	return r.error ? 0 : (uint64_t)r.value;
}
