/*
 * failalloc.c: kernel allocation failure, injected with the boot argument
 * zirv.failalloc=N (meson.build boots this program with several N). Once
 * the budget is spent every kernel allocation fails: each call that needs
 * memory must then answer exactly ZX_ERR_NO_MEMORY, leave no handle and no
 * mapping behind, and leave every object made earlier fully working.
 */
#include <stdio.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"

#define MAX_OBJS	200
#define HANDLE_SENTINEL 0x5a5a5a5au
#define ADDR_SENTINEL	0xa5a5a5a5a5a5a5a5ul

struct obj {
	zx_handle_t vmo; /* two pages, both mapped; only the first is committed */
	zx_vaddr_t addr;
};

static struct obj objs[MAX_OBJS];
static int nobjs;
static bool exhausted;

static uint32_t pattern(int i)
{
	return 0xc0de0000u + (uint32_t)i;
}

static zx_handle_t ch[2] = {ZX_HANDLE_INVALID, ZX_HANDLE_INVALID};
static zx_handle_t port = ZX_HANDLE_INVALID;
static zx_handle_t iommu = ZX_HANDLE_INVALID, bti = ZX_HANDLE_INVALID, root;

/* A channel and a port made while memory lasts (the budget may be 0): kept for the tests below. */
TEST(FailAlloc, AChannelFirst)
{
	zx_status_t st = zx_channel_create(0, &ch[0], &ch[1]);
	if (st != ZX_OK) {
		EXPECT_STATUS(st, ZX_ERR_NO_MEMORY);
		ch[0] = ch[1] = ZX_HANDLE_INVALID;
	}
	if ((st = zx_port_create(0, &port)) != ZX_OK) {
		EXPECT_STATUS(st, ZX_ERR_NO_MEMORY);
		port = ZX_HANDLE_INVALID;
	}
	zx_iommu_desc_dummy_t desc = {0};
	root = zx_take_startup_handle(PA_HND(PA_RESOURCE, 0));
	if ((st = zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu)) ==
		ZX_OK &&
	    (st = zx_bti_create(iommu, 0, 0, &bti)) != ZX_OK)
		bti = ZX_HANDLE_INVALID;
	if (st != ZX_OK)
		EXPECT_STATUS(st, ZX_ERR_NO_MEMORY);
}

/*
 * vmo_create + vmo_write + vmar_map, until something runs out of memory. A
 * mapping commits nothing (an access would fault a page in, and a fault
 * with no memory left ends the process), so the page is committed by the
 * write first; the map then shows it and needs only its record and tables.
 */
TEST(FailAlloc, CreateWriteMapUntilNoMemory)
{
	for (int i = 0; i < MAX_OBJS && !exhausted; i++) {
		int slots = free_handle_slots();
		ASSERT_TRUE(slots > 0);
		zx_handle_t h = HANDLE_SENTINEL;
		zx_status_t st = zx_vmo_create(2 * PAGE, 0, &h);
		if (st != ZX_OK) {
			EXPECT_STATUS(st, ZX_ERR_NO_MEMORY, "vmo_create #%d", i);
			EXPECT_EQ(h, HANDLE_SENTINEL, "out written by a failed vmo_create");
			EXPECT_EQ(free_handle_slots(), slots, "a failed vmo_create left a handle");
			printf("# vmo_create failed after %d objects\n", i);
			exhausted = true;
			break;
		}
		uint32_t v = pattern(i);
		if ((st = zx_vmo_write(h, &v, 0, sizeof(v))) != ZX_OK) {
			EXPECT_STATUS(st, ZX_ERR_NO_MEMORY, "vmo_write #%d", i);
			EXPECT_EQ(vmo_info(h).committed_bytes, 0u,
				  "a failed write committed a page");
			EXPECT_OK(zx_handle_close(h));
			printf("# vmo_write failed after %d objects\n", i);
			exhausted = true;
			break;
		}
		zx_vaddr_t a = ADDR_SENTINEL;
		st = zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, h, 0,
				 2 * PAGE, &a);
		if (st != ZX_OK) {
			EXPECT_STATUS(st, ZX_ERR_NO_MEMORY, "vmar_map #%d", i);
			EXPECT_EQ(a, ADDR_SENTINEL, "mapped_addr written by a failed map");
			EXPECT_EQ(vmo_info(h).num_mappings, 0u, "a failed map left a mapping");
			EXPECT_OK(handle_valid(h), "the VMO handle survives a failed map");
			EXPECT_OK(zx_handle_close(h));
			printf("# vmar_map failed after %d objects\n", i);
			exhausted = true;
			break;
		}
		EXPECT_EQ(*(volatile uint32_t *)a, pattern(i), "the map shows the committed page");
		objs[nobjs++] = (struct obj){h, a};
	}
	EXPECT_TRUE(exhausted, "no allocation failed in %d rounds: is zirv.failalloc set?",
		    MAX_OBJS);
}

TEST(FailAlloc, EarlierObjectsStillWork)
{
	for (int i = 0; i < nobjs; i++) {
		struct obj *o = &objs[i];
		EXPECT_EQ(*(volatile uint32_t *)o->addr, pattern(i), "mapping %d", i);
		uint32_t v = 0;
		EXPECT_OK(zx_vmo_read(o->vmo, &v, 0, sizeof(v)), "vmo %d", i);
		EXPECT_EQ(v, pattern(i));
		/* Committed pages need no memory: writes both ways keep working. */
		v = ~pattern(i);
		EXPECT_OK(zx_vmo_write(o->vmo, &v, 0, sizeof(v)), "vmo %d", i);
		EXPECT_EQ(*(volatile uint32_t *)o->addr, ~pattern(i));
		*(volatile uint32_t *)(o->addr + 8) = 0x1234;
		EXPECT_OK(zx_vmo_read(o->vmo, &v, 8, sizeof(v)));
		EXPECT_EQ(v, 0x1234u);
		zx_info_vmo_t info = vmo_info(o->vmo);
		EXPECT_EQ(info.num_mappings, 1u);
		EXPECT_EQ(info.size_bytes, 2 * PAGE);
	}
}

TEST(FailAlloc, LaterAllocationsFailCleanly)
{
	ASSERT_TRUE(exhausted);
	for (int i = 0; i < 5; i++) {
		int slots = free_handle_slots();
		zx_handle_t h = HANDLE_SENTINEL;
		EXPECT_STATUS(zx_vmo_create(PAGE, 0, &h), ZX_ERR_NO_MEMORY);
		EXPECT_EQ(h, HANDLE_SENTINEL);
		EXPECT_EQ(free_handle_slots(), slots);
	}
	if (nobjs > 0) {
		/* The second page of each VMO was never committed. */
		uint32_t v = 7;
		EXPECT_STATUS(zx_vmo_write(objs[0].vmo, &v, PAGE, sizeof(v)), ZX_ERR_NO_MEMORY);
		zx_vaddr_t a = ADDR_SENTINEL;
		EXPECT_STATUS(zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, objs[0].vmo,
					  PAGE, PAGE, &a),
			      ZX_ERR_NO_MEMORY);
		EXPECT_EQ(a, ADDR_SENTINEL);
		EXPECT_EQ(vmo_info(objs[0].vmo).num_mappings, 1u);

		/* Reading the uncommitted page needs a page too. */
		uint32_t r = 0x5a5a5a5a;
		EXPECT_STATUS(zx_vmo_read(objs[0].vmo, &r, PAGE, sizeof(r)), ZX_ERR_NO_MEMORY);
		/* So does committing it. */
		EXPECT_STATUS(zx_vmo_op_range(objs[0].vmo, ZX_VMO_OP_COMMIT, PAGE, PAGE, NULL, 0),
			      ZX_ERR_NO_MEMORY);
		EXPECT_EQ(vmo_info(objs[0].vmo).committed_bytes, PAGE, "nothing was committed");
		/* Nor through the mapping, which shows the page uncommitted. */
		EXPECT_STATUS(zx_vmar_op_range(zx_vmar_root_self(), ZX_VMAR_OP_COMMIT,
					       objs[0].addr + PAGE, PAGE, NULL, 0),
			      ZX_ERR_NO_MEMORY);
		EXPECT_EQ(vmo_info(objs[0].vmo).committed_bytes, PAGE);
		/* The committed page is shown already: MAP_RANGE needs nothing. */
		EXPECT_OK(zx_vmar_op_range(zx_vmar_root_self(), ZX_VMAR_OP_MAP_RANGE, objs[0].addr,
					   2 * PAGE, NULL, 0));
		/* Mapping the committed page again needs no VMO page, only the record. */
		a = ADDR_SENTINEL;
		EXPECT_STATUS(
		    zx_vmar_map(zx_vmar_root_self(), ZX_VM_PERM_READ, 0, objs[0].vmo, 0, PAGE, &a),
		    ZX_ERR_NO_MEMORY);
		EXPECT_EQ(a, ADDR_SENTINEL);
		EXPECT_EQ(vmo_info(objs[0].vmo).num_mappings, 1u);
		/* Committing what is committed already needs nothing. */
		EXPECT_OK(zx_vmo_op_range(objs[0].vmo, ZX_VMO_OP_COMMIT, 0, PAGE, NULL, 0));
	}
	/* Channels need memory for their ends and for each message. */
	zx_handle_t c0 = HANDLE_SENTINEL, c1 = HANDLE_SENTINEL;
	EXPECT_STATUS(zx_channel_create(0, &c0, &c1), ZX_ERR_NO_MEMORY);
	EXPECT_EQ(c0, HANDLE_SENTINEL);
	if (ch[0] != ZX_HANDLE_INVALID) {
		EXPECT_STATUS(zx_channel_write(ch[0], 0, "x", 1, NULL, 0), ZX_ERR_NO_MEMORY);
		EXPECT_STATUS(zx_channel_read(ch[1], 0, NULL, NULL, 0, 0, NULL, NULL),
			      ZX_ERR_SHOULD_WAIT, "nothing was queued");
	}
	/* A call needs its message. */
	if (ch[0] != ZX_HANDLE_INVALID) {
		uint32_t word = 0, nb, nh;
		zx_channel_call_args_t a = {.wr_bytes = &word, .wr_num_bytes = sizeof(word)};
		EXPECT_STATUS(zx_channel_call(ch[0], 0, ZX_TIME_INFINITE, &a, &nb, &nh),
			      ZX_ERR_NO_MEMORY);
	}
	/* A port needs its record, a user packet its own, an asynchronous wait its record. */
	zx_handle_t p = HANDLE_SENTINEL;
	EXPECT_STATUS(zx_port_create(0, &p), ZX_ERR_NO_MEMORY);
	EXPECT_EQ(p, HANDLE_SENTINEL);
	if (port != ZX_HANDLE_INVALID) {
		zx_port_packet_t pk = {.key = 1};
		EXPECT_STATUS(zx_port_queue(port, &pk), ZX_ERR_NO_MEMORY);
		EXPECT_STATUS(
		    zx_object_wait_async(zx_process_self(), port, 2, ZX_PROCESS_TERMINATED, 0),
		    ZX_ERR_NO_MEMORY);
		EXPECT_STATUS(zx_port_wait(port, 0, &pk), ZX_ERR_TIMED_OUT, "nothing was queued");
	}
	/* DMA objects need their records; a pin its own, a contiguous VMO its run. */
	if (bti != ZX_HANDLE_INVALID) {
		zx_handle_t o = HANDLE_SENTINEL;
		zx_iommu_desc_dummy_t desc = {0};
		zx_paddr_t pa;
		EXPECT_STATUS(zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &o),
			      ZX_ERR_NO_MEMORY);
		EXPECT_STATUS(zx_bti_create(iommu, 0, 0, &o), ZX_ERR_NO_MEMORY);
		EXPECT_STATUS(zx_vmo_create_contiguous(bti, PAGE, 0, &o), ZX_ERR_NO_MEMORY);
		if (nobjs > 0)
			EXPECT_STATUS(
			    zx_bti_pin(bti, ZX_BTI_PERM_READ, objs[0].vmo, 0, PAGE, &pa, 1, &o),
			    ZX_ERR_NO_MEMORY);
		EXPECT_EQ(o, HANDLE_SENTINEL);
	}
	/* An interrupt object needs its record (a physical one gives its vector back). */
	zx_handle_t irq = HANDLE_SENTINEL;
	EXPECT_STATUS(zx_interrupt_create(ZX_HANDLE_INVALID, 0, ZX_INTERRUPT_VIRTUAL, &irq),
		      ZX_ERR_NO_MEMORY);
	EXPECT_EQ(irq, HANDLE_SENTINEL);
	/* So do events, eventpairs and timers. */
	zx_handle_t e0 = HANDLE_SENTINEL, e1 = HANDLE_SENTINEL;
	EXPECT_STATUS(zx_event_create(0, &e0), ZX_ERR_NO_MEMORY);
	EXPECT_STATUS(zx_eventpair_create(0, &e0, &e1), ZX_ERR_NO_MEMORY);
	EXPECT_STATUS(zx_timer_create(0, ZX_CLOCK_MONOTONIC, &e0), ZX_ERR_NO_MEMORY);
	/* zx_object_wait_many takes a page for its waiters. */
	EXPECT_STATUS(zx_object_wait_many(NULL, 0, 0), ZX_ERR_NO_MEMORY);
	EXPECT_EQ(e0, HANDLE_SENTINEL);
	EXPECT_EQ(e1, HANDLE_SENTINEL);
	/* Jobs and processes need memory too. */
	zx_handle_t pj = HANDLE_SENTINEL, pv = HANDLE_SENTINEL;
	EXPECT_STATUS(zx_job_create(zx_job_default(), 0, &pj), ZX_ERR_NO_MEMORY);
	EXPECT_STATUS(zx_process_create(zx_job_default(), "p", 1, 0, &pj, &pv), ZX_ERR_NO_MEMORY);
	EXPECT_EQ(pj, HANDLE_SENTINEL);
	EXPECT_EQ(pv, HANDLE_SENTINEL);
	/* A sub-VMAR needs its record; the failure leaves no handle and no region. */
	int slots = free_handle_slots();
	zx_handle_t c = HANDLE_SENTINEL;
	zx_vaddr_t base = ADDR_SENTINEL;
	EXPECT_STATUS(zx_vmar_allocate(zx_vmar_root_self(), ZX_VM_CAN_MAP_READ, 0, PAGE, &c, &base),
		      ZX_ERR_NO_MEMORY);
	EXPECT_EQ(c, HANDLE_SENTINEL);
	EXPECT_EQ(base, ADDR_SENTINEL);
	EXPECT_EQ(free_handle_slots(), slots);
}

TEST(FailAlloc, CallsThatNeedNoMemoryStillWork)
{
	zx_handle_t d = ZX_HANDLE_INVALID;
	ASSERT_OK(zx_handle_duplicate(zx_process_self(), ZX_RIGHT_SAME_RIGHTS, &d));
	EXPECT_EQ(koid_of(d), koid_of(zx_process_self()));
	EXPECT_OK(zx_handle_close(d));
	EXPECT_OK(zx_object_set_property(zx_process_self(), ZX_PROP_NAME, "oom", 3));
	char name[ZX_MAX_NAME_LEN];
	EXPECT_OK(zx_object_get_property(zx_process_self(), ZX_PROP_NAME, name, sizeof(name)));
	EXPECT_STREQ(name, "oom");
	EXPECT_OK(zx_nanosleep(zx_deadline_after(ZX_USEC(100))));
	if (nobjs > 0) {
		EXPECT_OK(zx_object_signal(objs[0].vmo, 0, ZX_USER_SIGNAL_0));
		EXPECT_OK(zx_object_wait_one(objs[0].vmo, ZX_USER_SIGNAL_0, 0, NULL));
	}
}

TEST(FailAlloc, TeardownUnderPressure)
{
	/* Removing a whole mapping splits nothing, so it must not need memory. */
	for (int i = 0; i < nobjs; i++) {
		struct obj *o = &objs[i];
		EXPECT_OK(zx_vmar_unmap(zx_vmar_root_self(), o->addr, 2 * PAGE), "mapping %d", i);
		EXPECT_EQ(vmo_info(o->vmo).num_mappings, 0u, "mapping %d", i);
		uint32_t v = 0;
		EXPECT_OK(zx_vmo_read(o->vmo, &v, 8, sizeof(v)), "vmo %d", i);
		EXPECT_EQ(v, 0x1234u, "contents outlive the mapping");
		EXPECT_OK(zx_handle_close(o->vmo), "vmo %d", i);
	}
}
