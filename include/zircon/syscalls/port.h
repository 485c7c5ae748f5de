/*
 * Ports: the packets zx_port_wait() returns, and the options of
 * zx_port_create() and zx_object_wait_async(). The layout is Zircon's ABI:
 * a 16-byte header (key, type, status) and a 32-byte body whose meaning
 * the type gives. zirv delivers user, signal and interrupt packets; the
 * other Zircon types (guest and pager packets) have no source here.
 */
#ifndef ZIRCON_SYSCALLS_PORT_H_
#define ZIRCON_SYSCALLS_PORT_H_

#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* zx_object_wait_async() options. ONCE is 0: every wait fires at most once. */
#define ZX_WAIT_ASYNC_ONCE	     ((uint32_t)0u)
#define ZX_WAIT_ASYNC_TIMESTAMP	     ((uint32_t)1u)
#define ZX_WAIT_ASYNC_EDGE	     ((uint32_t)2u)
#define ZX_WAIT_ASYNC_BOOT_TIMESTAMP ((uint32_t)4u)

typedef uint32_t zx_packet_type_t;

/* zx_port_packet_t.type */
#define ZX_PKT_TYPE_USER	 ((zx_packet_type_t)0x00u)
#define ZX_PKT_TYPE_SIGNAL_ONE	 ((zx_packet_type_t)0x01u)
#define ZX_PKT_TYPE_GUEST_BELL	 ((zx_packet_type_t)0x03u)
#define ZX_PKT_TYPE_GUEST_MEM	 ((zx_packet_type_t)0x04u)
#define ZX_PKT_TYPE_GUEST_IO	 ((zx_packet_type_t)0x05u)
#define ZX_PKT_TYPE_GUEST_VCPU	 ((zx_packet_type_t)0x06u)
#define ZX_PKT_TYPE_INTERRUPT	 ((zx_packet_type_t)0x07u)
#define ZX_PKT_TYPE_PAGE_REQUEST ((zx_packet_type_t)0x09u)

#define ZX_PKT_IS_USER(type)	     ((type) == ZX_PKT_TYPE_USER)
#define ZX_PKT_IS_SIGNAL_ONE(type)   ((type) == ZX_PKT_TYPE_SIGNAL_ONE)
#define ZX_PKT_IS_INTERRUPT(type)    ((type) == ZX_PKT_TYPE_INTERRUPT)
#define ZX_PKT_IS_PAGE_REQUEST(type) ((type) == ZX_PKT_TYPE_PAGE_REQUEST)

/* zx_port_create() options: the port may be bound to interrupt objects. */
#define ZX_PORT_BIND_TO_INTERRUPT ((uint32_t)(1u << 0))

/* ZX_PKT_TYPE_USER: whatever zx_port_queue() was given. */
typedef union zx_packet_user {
	uint64_t u64[4];
	uint32_t u32[8];
	uint16_t u16[16];
	uint8_t c8[32];
} zx_packet_user_t;

/* ZX_PKT_TYPE_SIGNAL_ONE: an asynchronous wait fired. */
typedef struct zx_packet_signal {
	zx_signals_t trigger;  /* the signals the wait was for */
	zx_signals_t observed; /* the object's signals when it fired */
	uint64_t count;	       /* always 1 */
	uint64_t timestamp;    /* with ZX_WAIT_ASYNC_(BOOT_)TIMESTAMP: when it fired, else 0 */
	uint64_t reserved1;
} zx_packet_signal_t;

/* ZX_PKT_TYPE_INTERRUPT: a bound interrupt fired. */
typedef struct zx_packet_interrupt {
	zx_time_t timestamp;
	uint64_t reserved0;
	uint64_t reserved1;
	uint64_t reserved2;
} zx_packet_interrupt_t;

typedef struct zx_port_packet {
	uint64_t key;
	zx_packet_type_t type;
	zx_status_t status;
	union {
		zx_packet_user_t user;
		zx_packet_signal_t signal;
		zx_packet_interrupt_t interrupt;
	};
} zx_port_packet_t;

#ifndef __cplusplus
_Static_assert(sizeof(zx_port_packet_t) == 48, "Zircon's packet is 48 bytes");
#endif

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_SYSCALLS_PORT_H_ */
