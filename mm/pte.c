#include "mm/pte.h"

#define SVPBMT_NC    (1ul << 61)
#define SVPBMT_IO    (2ul << 61)
#define THEAD_SO     (1ul << 63)
#define THEAD_C_B_SH (7ul << 60)

const uint64_t pte_memtypes[3][4] = {
    [PTE_ENC_NONE] = {0, 0, 0, 0},
    [PTE_ENC_SVPBMT] =
	{
	    [MT_CACHED] = 0,
	    [MT_UNCACHED] = SVPBMT_NC,
	    [MT_DEVICE] = SVPBMT_IO,
	    [MT_WRITE_COMBINING] = SVPBMT_NC,
	},
    [PTE_ENC_XTHEADMAE] =
	{
	    [MT_CACHED] = THEAD_C_B_SH,
	    [MT_UNCACHED] = 0,
	    [MT_DEVICE] = THEAD_SO,
	    [MT_WRITE_COMBINING] = 0,
	},
};

enum pte_enc pte_active = PTE_ENC_NONE;

void pte_set_encoding(enum pte_enc enc)
{
	pte_active = enc;
}
