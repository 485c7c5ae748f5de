/*
 * The ELF64 structures and constants a static RISC-V executable needs
 * (System V gABI; RISC-V psABI for EM_RISCV). Shared by the kernel's loader
 * (kernel/elf.c) and the SDK's zirv_spawn() (sdk/spawn.c); the SDK ships it
 * as <zirv/elf_format.h>. Nothing here depends on either.
 */
#ifndef ZIRV_ELF_FORMAT_H
#define ZIRV_ELF_FORMAT_H

#include <stdint.h>

#define EM_RISCV 243
#define ET_EXEC	 2
#define PT_LOAD	 1
#define PF_X	 1
#define PF_W	 2
#define PF_R	 4

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#endif
