/*
 * Secondary harts. After start-up the boot hart starts every other usable
 * hart through SBI HSM; each switches to the kernel's page tables on its
 * own guarded stack and, for now, idles (wfi): the scheduler that will run
 * threads on them is not there yet.
 */
#ifndef ZIRV_SMP_H
#define ZIRV_SMP_H

#include <stdint.h>

#include "arch.h"
#include "restab.h"

/* Start the usable harts other than `boot_hartid`; prints how many came up. */
void smp_start(const struct restab *rt, uint64_t boot_hartid, paddr_t load_pa);
/* Harts running the kernel, the boot hart included. */
uint32_t smp_harts_online(void);

#endif
