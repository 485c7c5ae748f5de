/*
 * zx_iommu_create(): the IOMMU types and their descriptors. zirv knows the
 * dummy one only: a device address is the CPU physical address.
 */
#ifndef ZIRCON_SYSCALLS_IOMMU_H_
#define ZIRCON_SYSCALLS_IOMMU_H_

#include <stdint.h>

#define ZX_IOMMU_MAX_DESC_LEN 4096

#define ZX_IOMMU_TYPE_DUMMY 0
#define ZX_IOMMU_TYPE_INTEL 1

typedef struct zx_iommu_desc_dummy {
	uint8_t reserved;
} zx_iommu_desc_dummy_t;

#endif /* ZIRCON_SYSCALLS_IOMMU_H_ */
