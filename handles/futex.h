/*
 * Futexes: queues of threads waiting on a 32-bit word of their process's
 * memory, keyed by (process, user address); no object of their own.
 * Waiters queue in arrival order and are woken oldest first. The word
 * itself is read by the caller (syscall/), which decides whether to wait.
 */
#ifndef ZIRV_HANDLES_FUTEX_H
#define ZIRV_HANDLES_FUTEX_H

#include <zircon/types.h>

#include "arch.h"

struct process;
struct kthread;

/* Block the caller on (p, addr) until woken (ZX_OK), the deadline (TIMED_OUT) or a kill. */
zx_status_t futex_wait(struct process *p, vaddr_t addr, zx_time_t deadline);
/* Wake up to `count` waiters on (p, addr). */
void futex_wake(struct process *p, vaddr_t addr, uint32_t count);
/* Wake up to `count` waiters on (p, addr), then move up to `move` more to (p, to). */
void futex_requeue(struct process *p, vaddr_t addr, uint32_t count, vaddr_t to, uint32_t move);
/* Is thread kt waiting on (p, addr)? */
bool futex_is_waiting(struct process *p, vaddr_t addr, const struct kthread *kt);

#endif
