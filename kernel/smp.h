/*
 * Secondary harts. After start-up the boot hart starts every other usable
 * hart through SBI HSM; each switches to the kernel's page tables on its
 * own guarded stack and joins the scheduler (kernel/sched.h).
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

#define SMP_FLUSH_ALL (~(size_t)0) /* as len: every translation of the ASID */
/*
 * Flush [va, va+len) of ASID `asid` on the harts whose index bits are set
 * in `harts` (SBI RFENCE; each returns once the hart has flushed).
 */
void smp_remote_sfence(uint64_t harts, vaddr_t va, size_t len, uint16_t asid);
/* The SBI RFENCE calls smp_remote_sfence made since boot, and the harts they named. */
void smp_rfence_counts(uint64_t *calls, uint64_t *harts);

#endif
