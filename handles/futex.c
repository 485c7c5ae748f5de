#include <zircon/errors.h>

#include "handles/futex.h"
#include "kernel.h"
#include "sched.h"

struct futex_waiter {
	struct kthread *thread;
	struct process *proc;
	vaddr_t addr;
	struct futex_waiter *next;
};

/* Every waiter of every futex, oldest first (a thread waits on one at a time). */
static struct futex_waiter *head, **tail = &head;

static void unlink_waiter(struct futex_waiter **pp)
{
	struct futex_waiter *w = *pp;
	*pp = w->next;
	if (tail == &w->next)
		tail = pp;
}

zx_status_t futex_wait(struct process *p, vaddr_t addr, zx_time_t deadline)
{
	KLOCK_HELD();
	struct futex_waiter w = {.thread = this_thread(), .proc = p, .addr = addr};

	*tail = &w;
	tail = &w.next;
	zx_status_t st = sched_block(deadline);
	for (struct futex_waiter **pp = &head; *pp; pp = &(*pp)->next)
		if (*pp == &w) { /* not woken through the futex: still queued */
			unlink_waiter(pp);
			break;
		}
	return st;
}

void futex_requeue(struct process *p, vaddr_t addr, uint32_t count, vaddr_t to, uint32_t move)
{
	for (struct futex_waiter **pp = &head; *pp && (count || move);) {
		struct futex_waiter *w = *pp;
		if (w->proc != p || w->addr != addr) {
			pp = &w->next;
		} else if (count) {
			unlink_waiter(pp);
			sched_wake(w->thread, ZX_OK);
			count--;
		} else {
			w->addr = to; /* keeps its place in the queue */
			pp = &w->next;
			move--;
		}
	}
}

void futex_wake(struct process *p, vaddr_t addr, uint32_t count)
{
	futex_requeue(p, addr, count, 0, 0);
}

bool futex_is_waiting(struct process *p, vaddr_t addr, const struct kthread *kt)
{
	for (struct futex_waiter *w = head; w; w = w->next)
		if (w->thread == kt)
			return w->proc == p && w->addr == addr;
	return false;
}
