/* zirv SDK: start-up handle tags (the processargs protocol).
 *
 * Each handle a process receives at start-up comes with a 32-bit tag:
 * a type in bits 0..7 and a type-specific argument in bits 16..31. Build
 * tags with PA_HND() and look handles up with zx_take_startup_handle()
 * (<zircon/process.h>). zirv's first process finds, for example, the root
 * resource at PA_HND(PA_RESOURCE, 0) and the MMIO resource at
 * PA_HND(PA_MMIO_RESOURCE, 0). */
#ifndef ZIRCON_PROCESSARGS_H_
#define ZIRCON_PROCESSARGS_H_

#include <stdint.h>
#include <zircon/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Header of the start-up message (Zircon's bootstrap channel protocol). */
#define ZX_PROCARGS_PROTOCOL ((uint32_t)0x4150585du)
#define ZX_PROCARGS_VERSION  ((uint32_t)0x0001000u)

typedef struct zx_proc_args zx_proc_args_t;

struct zx_proc_args {
	uint32_t protocol;
	uint32_t version;
	/* Offsets are from the start of the message. */
	uint32_t handle_info_off; /* uint32_t tag per handle */
	uint32_t args_off;	  /* NUL-terminated UTF-8 strings */
	uint32_t args_num;
	uint32_t environ_off; /* "NAME=VALUE" strings */
	uint32_t environ_num;
	uint32_t names_off; /* namespace paths for PA_NS_DIR */
	uint32_t names_num;
};

#define PA_HND(type, arg) (((type)&0xFF) | (((arg)&0xFFFF) << 16))
#define PA_HND_TYPE(n)	  ((n)&0xFF)
#define PA_HND_ARG(n)	  (((n) >> 16) & 0xFFFF)

/* Core runtime handles. */
#define PA_PROC_SELF   0x01u
#define PA_THREAD_SELF 0x02u
#define PA_JOB_DEFAULT 0x03u
#define PA_VMAR_ROOT   0x04u
#define PA_VMAR_LOADED 0x05u

/* Loader service and VMOs. */
#define PA_LDSVC_LOADER		0x10u
#define PA_VMO_VDSO		0x11u
#define PA_VMO_STACK		0x13u
#define PA_VMO_EXECUTABLE	0x14u
#define PA_VMO_BOOTDATA		0x1Au
#define PA_VMO_BOOTFS		0x1Bu
#define PA_VMO_KERNEL_FILE	0x1Cu
#define PA_VMO_COMPONENT_CONFIG 0x1Du

/* Namespace directories; the argument indexes the names table. */
#define PA_NS_DIR 0x20u

/* File descriptors; the argument is the fd number. */
#define PA_FD 0x30u

#define PA_LIFECYCLE	       0x3Au
#define PA_DIRECTORY_REQUEST   0x3Bu
#define PA_ESCROWED_DICTIONARY 0x3Cu
#define PA_LOG_SINK	       0x3Du

/* The root resource. */
#define PA_RESOURCE 0x3Fu

#define PA_CLOCK_UTC 0x40u

/* Kind-specific resources. */
#define PA_MMIO_RESOURCE   0x50
#define PA_IRQ_RESOURCE	   0x51
#define PA_IOPORT_RESOURCE 0x52
#define PA_SMC_RESOURCE	   0x53
#define PA_SYSTEM_RESOURCE 0x54

/* Free for one-off use. */
#define PA_USER0 0xF0u
#define PA_USER1 0xF1u
#define PA_USER2 0xF2u

#ifdef __cplusplus
}
#endif

#endif /* ZIRCON_PROCESSARGS_H_ */
