#ifndef ZIRV_TRAP_H
#define ZIRV_TRAP_H

#include <stdint.h>

/* Saved by trapvec.S; x[0] holds nothing, x[2] is the interrupted sp. */
struct trap_frame {
	uint64_t x[32];
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
};

#define TRAP_FRAME_SIZE (36 * 8)

void trap_init(void);
void trap_handler(struct trap_frame *tf);
const char *trap_cause_name(uint64_t scause);

#endif
