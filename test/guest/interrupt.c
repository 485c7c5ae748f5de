/*
 * interrupt.c: zx_interrupt_create, _wait, _ack, _trigger, _destroy and
 * _bind. Virtual interrupts: every state and error in Zircon's order,
 * waiters on other threads woken and cancelled, packets through a port
 * one per ack. A device interrupt: QEMU virt's goldfish RTC (vector 11,
 * level-triggered) raising its alarm — taken by a wait and through a port,
 * masked from the firing until the wait or ack, the vector one owner's and
 * free again once its interrupt is gone; a storm of its interrupts, taken
 * as fast as the device raises them, with another thread keeping its
 * timing. Run with -smp 1 and -smp 4.
 */
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/port.h>
#include <zxtest/zxtest.h>

#include "guest_util.h"
#include "phys_util.h"

#define SEC	   1000000000ll
#define MS	   1000000ll
#define RTC_VECTOR 11 /* QEMU virt: rtc@101000 */

/* goldfish RTC registers (QEMU hw/rtc/goldfish_rtc.c): time in ns. */
#define RTC_TIME_LOW	    0x00
#define RTC_TIME_HIGH	    0x04
#define RTC_ALARM_LOW	    0x08
#define RTC_ALARM_HIGH	    0x0c
#define RTC_IRQ_ENABLED	    0x10
#define RTC_ALARM_STATUS    0x18
#define RTC_CLEAR_INTERRUPT 0x1c

static zx_handle_t irq_resource(void)
{
	static zx_handle_t res;
	if (!res)
		res = zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0));
	return res;
}

static zx_handle_t new_virtual(void)
{
	zx_handle_t h = ZX_HANDLE_INVALID;
	zx_interrupt_create(ZX_HANDLE_INVALID, 0, ZX_INTERRUPT_VIRTUAL, &h);
	return h;
}

static zx_handle_t new_port(uint32_t options)
{
	zx_handle_t p = ZX_HANDLE_INVALID;
	zx_port_create(options, &p);
	return p;
}

static int port_empty(zx_handle_t p)
{
	zx_port_packet_t pk;
	return zx_port_wait(p, 0, &pk) == ZX_ERR_TIMED_OUT;
}

/* ---- the startup resource ------------------------------------------------------- */

TEST(IrqResource, TheFirstProcessHasTheIrqRangedRoot)
{
	zx_handle_t r = irq_resource();
	ASSERT_NE(r, ZX_HANDLE_INVALID, "PA_HND(PA_IRQ_RESOURCE, 0)");
	zx_info_resource_t info;
	ASSERT_OK(zx_object_get_info(r, ZX_INFO_RESOURCE, &info, sizeof(info), NULL, NULL));
	EXPECT_EQ(info.kind, ZX_RSRC_KIND_IRQ);
	EXPECT_EQ(info.base, 0u);
	EXPECT_EQ(info.size, 0u);
	/* It grants sub-ranges of vectors. */
	zx_handle_t sub;
	ASSERT_OK(zx_resource_create(r, ZX_RSRC_KIND_IRQ, 10, 2, "uart-rtc", 8, &sub));
	zx_handle_t irq;
#ifndef NO_PLIC
	ASSERT_OK(zx_interrupt_create(sub, RTC_VECTOR, 0, &irq));
	EXPECT_OK(zx_handle_close(irq));
#endif
	EXPECT_STATUS(zx_interrupt_create(sub, 12, 0, &irq), ZX_ERR_ACCESS_DENIED,
		      "outside the sub-range");
	EXPECT_OK(zx_handle_close(sub));
	/* An exclusive IRQ resource: its vector is nobody else's, the ranged root's neither. */
	zx_handle_t ex;
	ASSERT_OK(zx_resource_create(r, ZX_RSRC_KIND_IRQ | ZX_RSRC_FLAG_EXCLUSIVE, RTC_VECTOR, 1,
				     "rtc", 3, &ex));
	EXPECT_STATUS(zx_interrupt_create(r, RTC_VECTOR, 0, &irq), ZX_ERR_ACCESS_DENIED);
#ifndef NO_PLIC
	ASSERT_OK(zx_interrupt_create(ex, RTC_VECTOR, 0, &irq), "its holder's");
	EXPECT_OK(zx_handle_close(irq));
#endif
	EXPECT_OK(zx_handle_close(ex));
}

/* ---- virtual interrupts ------------------------------------------------------------ */

TEST(Virtual, TriggerThenWaitGivesTheFirstTimestamp)
{
	zx_handle_t h = new_virtual();
	ASSERT_NE(h, ZX_HANDLE_INVALID);
	zx_info_handle_basic_t b = handle_basic(h);
	EXPECT_EQ(b.type, ZX_OBJ_TYPE_INTERRUPT);
	EXPECT_EQ(b.rights, ZX_DEFAULT_INTERRUPT_RIGHTS);
	ASSERT_OK(zx_interrupt_trigger(h, 0, 1234));
	ASSERT_OK(zx_interrupt_trigger(h, 0, 5678)); /* not taken yet: the first one counts */
	zx_instant_mono_t ts = 0;
	ASSERT_OK(zx_interrupt_wait(h, &ts));
	EXPECT_EQ(ts, 1234);
	ASSERT_OK(zx_interrupt_trigger(h, 0, 99));
	EXPECT_OK(zx_interrupt_wait(h, NULL), "the timestamp is optional");
	EXPECT_STATUS(zx_interrupt_ack(h), ZX_ERR_BAD_STATE, "ack is for a bound interrupt");
	EXPECT_OK(zx_handle_close(h));
}

static zx_handle_t waited;
static volatile zx_status_t wait_result = 1;
static volatile zx_instant_mono_t wait_ts;

static void waiter(uintptr_t unused1, uintptr_t unused2)
{
	(void)unused1;
	(void)unused2;
	zx_instant_mono_t ts = 0;
	wait_result = zx_interrupt_wait(waited, &ts);
	wait_ts = ts;
	zx_thread_exit();
}

TEST(Virtual, ATriggerWakesAWaiterOnAnotherThread)
{
	waited = new_virtual();
	wait_result = 1;
	zx_handle_t t = start_blocked(waiter, 0, ZX_THREAD_STATE_BLOCKED_INTERRUPT);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_interrupt_wait(waited, NULL), ZX_ERR_BAD_STATE, "one waiter at a time");
	ASSERT_OK(zx_interrupt_trigger(waited, 0, 4242));
	EXPECT_OK(join_thread(t));
	EXPECT_OK(wait_result);
	EXPECT_EQ(wait_ts, 4242);
	zx_handle_close(waited);
}

TEST(Virtual, DestroyCancelsTheWaiterAndWhatComesAfter)
{
	waited = new_virtual();
	wait_result = 1;
	zx_handle_t t = start_blocked(waiter, 0, ZX_THREAD_STATE_BLOCKED_INTERRUPT);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_interrupt_destroy(waited));
	EXPECT_OK(join_thread(t));
	EXPECT_STATUS(wait_result, ZX_ERR_CANCELED);
	EXPECT_STATUS(zx_interrupt_wait(waited, NULL), ZX_ERR_CANCELED);
	EXPECT_STATUS(zx_interrupt_trigger(waited, 0, 1), ZX_ERR_CANCELED);
	EXPECT_STATUS(zx_interrupt_ack(waited), ZX_ERR_CANCELED);
	EXPECT_STATUS(zx_interrupt_destroy(waited), ZX_ERR_CANCELED);
	zx_handle_t p = new_port(ZX_PORT_BIND_TO_INTERRUPT);
	EXPECT_STATUS(zx_interrupt_bind(waited, p, 1, ZX_INTERRUPT_BIND), ZX_ERR_CANCELED);
	zx_handle_close_many((zx_handle_t[]){waited, p}, 2);
}

TEST(Virtual, ClosingTheHandleCancelsTheWait)
{
	waited = new_virtual();
	wait_result = 1;
	zx_handle_t t = start_blocked(waiter, 0, ZX_THREAD_STATE_BLOCKED_INTERRUPT);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	ASSERT_OK(zx_handle_close(waited));
	EXPECT_OK(join_thread(t));
	EXPECT_STATUS(wait_result, ZX_ERR_CANCELED);
}

TEST(Virtual, BoundToAPortOnePacketPerAck)
{
	zx_handle_t h = new_virtual(), p = new_port(ZX_PORT_BIND_TO_INTERRUPT);
	ASSERT_OK(zx_interrupt_bind(h, p, 0xfeed, ZX_INTERRUPT_BIND));
	EXPECT_STATUS(zx_interrupt_wait(h, NULL), ZX_ERR_BAD_STATE, "bound: packets, not waits");
	ASSERT_OK(zx_interrupt_trigger(h, 0, 100));
	zx_port_packet_t pk;
	memset(&pk, 0xee, sizeof(pk));
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.key, 0xfeedu);
	EXPECT_EQ(pk.type, ZX_PKT_TYPE_INTERRUPT);
	EXPECT_OK(pk.status);
	EXPECT_EQ(pk.interrupt.timestamp, 100);
	/* Until the ack, firings are only counted: their first timestamp comes with the ack. */
	ASSERT_OK(zx_interrupt_trigger(h, 0, 200));
	ASSERT_OK(zx_interrupt_trigger(h, 0, 300));
	EXPECT_TRUE(port_empty(p));
	ASSERT_OK(zx_interrupt_ack(h));
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.interrupt.timestamp, 200);
	ASSERT_OK(zx_interrupt_ack(h));
	EXPECT_TRUE(port_empty(p), "nothing fired since");
	/* Interrupt packets come before the port's other packets. */
	zx_port_packet_t user = {.key = 1};
	ASSERT_OK(zx_port_queue(p, &user));
	ASSERT_OK(zx_interrupt_trigger(h, 0, 400));
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.type, ZX_PKT_TYPE_INTERRUPT);
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_EQ(pk.type, ZX_PKT_TYPE_USER);
	/* Unbound, it is waited for again. */
	ASSERT_OK(zx_interrupt_bind(h, p, 0, ZX_INTERRUPT_UNBIND));
	ASSERT_OK(zx_interrupt_trigger(h, 0, 500));
	zx_instant_mono_t ts;
	ASSERT_OK(zx_interrupt_wait(h, &ts));
	EXPECT_EQ(ts, 500);
	zx_handle_close_many((zx_handle_t[]){h, p}, 2);
}

TEST(Virtual, DestroyTakesTheQueuedPacketBack)
{
	zx_handle_t h = new_virtual(), p = new_port(ZX_PORT_BIND_TO_INTERRUPT);
	ASSERT_OK(zx_interrupt_bind(h, p, 7, ZX_INTERRUPT_BIND));
	ASSERT_OK(zx_interrupt_trigger(h, 0, 1));
	ASSERT_OK(zx_interrupt_destroy(h));
	EXPECT_TRUE(port_empty(p), "the packet went with it");
	zx_handle_t h2 = new_virtual();
	ASSERT_OK(zx_interrupt_bind(h2, p, 8, ZX_INTERRUPT_BIND));
	ASSERT_OK(zx_interrupt_trigger(h2, 0, 1));
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, 0, &pk));
	EXPECT_STATUS(zx_interrupt_destroy(h2), ZX_ERR_NOT_FOUND,
		      "its packet was taken and never acknowledged, as in Zircon");
	/* Closing a bound interrupt's handle with its packet queued leaves the port clean. */
	zx_handle_t h3 = new_virtual();
	ASSERT_OK(zx_interrupt_bind(h3, p, 9, ZX_INTERRUPT_BIND));
	ASSERT_OK(zx_interrupt_trigger(h3, 0, 1));
	ASSERT_OK(zx_handle_close(h3));
	EXPECT_TRUE(port_empty(p));
	zx_handle_close_many((zx_handle_t[]){h, h2, p}, 3);
}

TEST(Virtual, CreateErrors)
{
	zx_handle_t h = 0x77;
	EXPECT_STATUS(zx_interrupt_create(ZX_HANDLE_INVALID, 0, ZX_INTERRUPT_VIRTUAL | 2, &h),
		      ZX_ERR_INVALID_ARGS, "a mode on a virtual interrupt");
	EXPECT_EQ(h, 0x77u);
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_interrupt_create(ZX_HANDLE_INVALID, 0, ZX_INTERRUPT_VIRTUAL, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_STATUS(
	    zx_interrupt_create(ZX_HANDLE_INVALID, 0, ZX_INTERRUPT_VIRTUAL, (zx_handle_t *)1),
	    ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots, "a failed create left a handle");
	static zx_handle_t hs[HANDLE_TABLE_SLOTS];
	int n = fill_handle_table(hs);
	ASSERT_TRUE(n > 0);
	zx_status_t full = zx_interrupt_create(ZX_HANDLE_INVALID, 0, ZX_INTERRUPT_VIRTUAL, &h);
	EXPECT_OK(release_handle_table(hs, n));
	EXPECT_STATUS(full, ZX_ERR_NO_RESOURCES);
}

TEST(Virtual, TriggerAckDestroyAndBindErrorsInZirconsOrder)
{
	zx_handle_t h = new_virtual(), e, p = new_port(ZX_PORT_BIND_TO_INTERRUPT),
		    plain = new_port(0), nosignal, noread, nowrite, pnowrite;
	ASSERT_OK(zx_event_create(0, &e));
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_WAIT | ZX_RIGHT_READ, &nosignal));
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_WAIT | ZX_RIGHT_SIGNAL, &noread));
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_READ | ZX_RIGHT_SIGNAL, &nowrite));
	ASSERT_OK(zx_handle_duplicate(p, ZX_RIGHT_READ, &pnowrite));
	/* trigger */
	EXPECT_STATUS(zx_interrupt_trigger(0x12345, 1, 0), ZX_ERR_INVALID_ARGS, "options first");
	EXPECT_STATUS(zx_interrupt_trigger(0x12345, 0, 0), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_interrupt_trigger(e, 0, 0), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_interrupt_trigger(nosignal, 0, 0), ZX_ERR_ACCESS_DENIED);
	/* wait */
	EXPECT_STATUS(zx_interrupt_wait(0x12345, NULL), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_interrupt_wait(e, NULL), ZX_ERR_WRONG_TYPE);
	zx_handle_t nowait;
	ASSERT_OK(zx_handle_duplicate(h, ZX_RIGHT_SIGNAL, &nowait));
	EXPECT_STATUS(zx_interrupt_wait(nowait, NULL), ZX_ERR_ACCESS_DENIED);
	ASSERT_OK(zx_interrupt_trigger(h, 0, 1));
	EXPECT_STATUS(zx_interrupt_wait(h, (zx_instant_mono_t *)KERNEL_ADDR), ZX_ERR_INVALID_ARGS,
		      "the timestamp's copy, after the wait");
	/* ack */
	EXPECT_STATUS(zx_interrupt_ack(0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_interrupt_ack(e), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_interrupt_ack(nosignal), ZX_ERR_ACCESS_DENIED, "no WRITE");
	/* destroy */
	EXPECT_STATUS(zx_interrupt_destroy(0x12345), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_interrupt_destroy(e), ZX_ERR_WRONG_TYPE);
	/* bind */
	EXPECT_STATUS(zx_interrupt_bind(0x12345, 0x12345, 0, 2), ZX_ERR_INVALID_ARGS,
		      "options first");
	EXPECT_STATUS(zx_interrupt_bind(0x12345, p, 0, ZX_INTERRUPT_BIND), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_interrupt_bind(e, p, 0, ZX_INTERRUPT_BIND), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_interrupt_bind(noread, p, 0, ZX_INTERRUPT_BIND), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_interrupt_bind(h, 0x12345, 0, ZX_INTERRUPT_BIND), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_interrupt_bind(h, e, 0, ZX_INTERRUPT_BIND), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_interrupt_bind(h, pnowrite, 0, ZX_INTERRUPT_BIND), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_interrupt_bind(h, plain, 0, ZX_INTERRUPT_BIND), ZX_ERR_WRONG_TYPE,
		      "a port made without ZX_PORT_BIND_TO_INTERRUPT");
	EXPECT_STATUS(zx_interrupt_bind(h, p, 0, ZX_INTERRUPT_UNBIND), ZX_ERR_NOT_FOUND,
		      "not bound to it");
	ASSERT_OK(zx_interrupt_bind(h, p, 0, ZX_INTERRUPT_BIND));
	zx_handle_t p2 = new_port(ZX_PORT_BIND_TO_INTERRUPT);
	EXPECT_STATUS(zx_interrupt_bind(h, p2, 0, ZX_INTERRUPT_BIND), ZX_ERR_ALREADY_BOUND);
	EXPECT_STATUS(zx_interrupt_bind(h, p2, 0, ZX_INTERRUPT_UNBIND), ZX_ERR_NOT_FOUND);
	EXPECT_OK(zx_interrupt_bind(h, p, 0, ZX_INTERRUPT_UNBIND));
	/* bind while a thread waits */
	waited = h;
	wait_result = 1;
	zx_handle_t t = start_blocked(waiter, 0, ZX_THREAD_STATE_BLOCKED_INTERRUPT);
	ASSERT_NE(t, ZX_HANDLE_INVALID);
	EXPECT_STATUS(zx_interrupt_bind(h, p, 0, ZX_INTERRUPT_BIND), ZX_ERR_BAD_STATE);
	ASSERT_OK(zx_interrupt_trigger(h, 0, 1));
	EXPECT_OK(join_thread(t));
	zx_handle_close_many(
	    (zx_handle_t[]){h, e, p, plain, nosignal, noread, nowrite, pnowrite, nowait, p2}, 10);
}

#ifdef NO_PLIC
/* Booted on a machine whose interrupt controller zirv does not drive (run_guest.py --no-irqc). */
TEST(NoPlic, PhysicalInterruptsAreNotSupportedVirtualOnesWork)
{
	zx_handle_t h = 0x77;
	EXPECT_STATUS(zx_interrupt_create(irq_resource(), 1, 0, &h), ZX_ERR_NOT_SUPPORTED);
	EXPECT_EQ(h, 0x77u);
	h = new_virtual();
	ASSERT_OK(zx_interrupt_trigger(h, 0, 5));
	zx_instant_mono_t ts;
	EXPECT_OK(zx_interrupt_wait(h, &ts));
	EXPECT_EQ(ts, 5);
	zx_handle_close(h);
}
#else
/* ---- a device: the goldfish RTC's alarm ------------------------------------------ */

struct rtc {
	zx_handle_t vmo;
	zx_vaddr_t addr;
	volatile uint32_t *r;
};

static int rtc_map(struct rtc *rtc)
{
	rtc->vmo = phys(RTC_BASE, PAGE);
	if (rtc->vmo == ZX_HANDLE_INVALID ||
	    zx_vmar_map(zx_vmar_root_self(), RW, 0, rtc->vmo, 0, PAGE, &rtc->addr) != ZX_OK)
		return 0;
	rtc->r = (volatile uint32_t *)rtc->addr;
	return 1;
}

static void rtc_unmap(struct rtc *rtc)
{
	rtc->r[RTC_IRQ_ENABLED / 4] = 0;
	rtc->r[RTC_CLEAR_INTERRUPT / 4] = 1;
	zx_vmar_unmap(zx_vmar_root_self(), rtc->addr, PAGE);
	zx_handle_close(rtc->vmo);
}

/* Arm the alarm `ms` milliseconds from the RTC's now, with its interrupt enabled. */
static void rtc_alarm(struct rtc *rtc, int64_t ms)
{
	uint64_t now = rtc->r[RTC_TIME_LOW / 4]; /* reading the low word latches the high one */
	now |= (uint64_t)rtc->r[RTC_TIME_HIGH / 4] << 32;
	uint64_t at = now + (uint64_t)(ms * MS);
	rtc->r[RTC_IRQ_ENABLED / 4] = 1;
	rtc->r[RTC_ALARM_HIGH / 4] = (uint32_t)(at >> 32);
	rtc->r[RTC_ALARM_LOW / 4] = (uint32_t)at; /* arms it */
}

TEST(Device, TheRtcAlarmWakesAWaitWithATimestamp)
{
	struct rtc rtc;
	ASSERT_TRUE(rtc_map(&rtc));
	zx_handle_t irq;
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &irq));
	for (int i = 0; i < 5; i++) {
		zx_instant_mono_t before = zx_clock_get_monotonic();
		rtc_alarm(&rtc, 5);
		zx_instant_mono_t ts = 0;
		ASSERT_OK(zx_interrupt_wait(irq, &ts));
		EXPECT_TRUE(ts >= before + 4 * MS && ts <= zx_clock_get_monotonic(),
			    "alarm %d: timestamp %lld us after arming", i,
			    (long long)((ts - before) / 1000));
		EXPECT_EQ(rtc.r[RTC_ALARM_STATUS / 4], 0u, "alarm %d went off", i);
		rtc.r[RTC_CLEAR_INTERRUPT / 4] = 1; /* quiet the device before the next wait */
	}
	EXPECT_OK(zx_handle_close(irq));
	rtc_unmap(&rtc);
}

TEST(Device, ALevelInterruptStaysMaskedUntilTheAck)
{
	struct rtc rtc;
	ASSERT_TRUE(rtc_map(&rtc));
	zx_handle_t irq, p = new_port(ZX_PORT_BIND_TO_INTERRUPT);
	ASSERT_OK(
	    zx_interrupt_create(irq_resource(), RTC_VECTOR, ZX_INTERRUPT_MODE_LEVEL_HIGH, &irq));
	ASSERT_OK(zx_interrupt_bind(irq, p, 11, ZX_INTERRUPT_BIND));
	rtc_alarm(&rtc, 2);
	zx_port_packet_t pk;
	ASSERT_OK(zx_port_wait(p, zx_deadline_after(10 * SEC), &pk));
	EXPECT_EQ(pk.key, 11u);
	EXPECT_EQ(pk.type, ZX_PKT_TYPE_INTERRUPT);
	/*
	 * Masked until the ack: the device quieted and its alarm raised again
	 * meanwhile, the new interrupt waits at the PLIC and arrives with the ack.
	 */
	rtc.r[RTC_CLEAR_INTERRUPT / 4] = 1;
	rtc_alarm(&rtc, 2);
	EXPECT_STATUS(zx_port_wait(p, zx_deadline_after(30 * MS), &pk), ZX_ERR_TIMED_OUT);
	ASSERT_OK(zx_interrupt_ack(irq));
	EXPECT_OK(zx_port_wait(p, zx_deadline_after(10 * SEC), &pk), "the pending one, now");
	/* Quieted, then acknowledged: nothing more. */
	rtc.r[RTC_CLEAR_INTERRUPT / 4] = 1;
	ASSERT_OK(zx_interrupt_ack(irq));
	EXPECT_STATUS(zx_port_wait(p, zx_deadline_after(20 * MS), &pk), ZX_ERR_TIMED_OUT);
	zx_handle_close_many((zx_handle_t[]){irq, p}, 2);
	rtc_unmap(&rtc);
}

TEST(Device, AVectorHasOneOwnerAndIsFreeAgainAfterIt)
{
	zx_handle_t a, b = 0x77, v;
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &a));
	EXPECT_STATUS(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &b), ZX_ERR_ALREADY_BOUND);
	EXPECT_EQ(b, 0x77u);
	ASSERT_OK(zx_interrupt_destroy(a));
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &b),
		  "destroyed, it gave the vector up (its handle lives on)");
	zx_handle_close_many((zx_handle_t[]){a, b}, 2);
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &a));
	zx_handle_close(a);
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &b),
		  "and so does one whose last handle is closed");
	zx_handle_close(b);
	/* A virtual interrupt takes no vector. */
	v = new_virtual();
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &b));
	zx_handle_close_many((zx_handle_t[]){v, b}, 2);
}

TEST(Device, CreateErrorsInZirconsOrder)
{
	zx_handle_t h = 0x77, e, sub, mmio = mmio_resource();
	ASSERT_OK(zx_event_create(0, &e));
	EXPECT_STATUS(zx_interrupt_create(0x12345, RTC_VECTOR, 0, &h), ZX_ERR_BAD_HANDLE);
	EXPECT_STATUS(zx_interrupt_create(e, RTC_VECTOR, 0, &h), ZX_ERR_WRONG_TYPE);
	EXPECT_STATUS(zx_interrupt_create(mmio, RTC_VECTOR, 0, &h), ZX_ERR_ACCESS_DENIED,
		      "an MMIO resource grants no vector");
	ASSERT_OK(zx_resource_create(irq_resource(), ZX_RSRC_KIND_IRQ, 1, 8, "virtio", 6, &sub));
	EXPECT_STATUS(zx_interrupt_create(sub, RTC_VECTOR, 0, &h), ZX_ERR_ACCESS_DENIED);
	EXPECT_STATUS(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0x100, &h),
		      ZX_ERR_INVALID_ARGS, "an unknown option, after the resource");
	EXPECT_STATUS(zx_interrupt_create(irq_resource(), RTC_VECTOR, 6u << 1, &h),
		      ZX_ERR_INVALID_ARGS, "no such mode");
#ifdef APLIC
	EXPECT_STATUS(
	    zx_interrupt_create(irq_resource(), RTC_VECTOR, ZX_INTERRUPT_MODE_EDGE_BOTH, &h),
	    ZX_ERR_NOT_SUPPORTED, "an APLIC has no both-edges mode");
#else
	EXPECT_STATUS(
	    zx_interrupt_create(irq_resource(), RTC_VECTOR, ZX_INTERRUPT_MODE_EDGE_HIGH, &h),
	    ZX_ERR_NOT_SUPPORTED, "the PLIC cannot make a level source edge-triggered");
#endif
	EXPECT_STATUS(zx_interrupt_create(irq_resource(), 0, 0, &h), ZX_ERR_INVALID_ARGS,
		      "vector 0 is no source");
	EXPECT_STATUS(zx_interrupt_create(irq_resource(), 5000, 0, &h), ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(h, 0x77u);
	int slots = free_handle_slots();
	EXPECT_STATUS(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, NULL),
		      ZX_ERR_INVALID_ARGS);
	EXPECT_EQ(free_handle_slots(), slots);
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &h),
		  "a failed create gave the vector back");
	EXPECT_STATUS(zx_interrupt_trigger(h, 0, 1), ZX_ERR_BAD_STATE,
		      "only virtual interrupts are triggered");
	zx_handle_close_many((zx_handle_t[]){h, e, sub}, 3);
}

/*
 * The storm: a thread re-arms the alarm in the past (QEMU raises it at
 * once), takes the interrupt and does it again, as fast as the device and
 * the kernel allow, STORM_COUNT times at least. Meanwhile this thread
 * sleeps 1 ms at a time, ten times at least: on one hart too, the storm thread is preempted, the
 * timer keeps firing, and the sleeper wakes on time.
 */
#define STORM_COUNT 1000u
#define STORM_LIMIT (10 * SEC)

static struct rtc storm_rtc;
static zx_handle_t storm_irq;
static volatile int storm_stop;
static volatile unsigned storm_count;

static int storm(void *unused)
{
	(void)unused;
	while (!storm_stop) {
		storm_rtc.r[RTC_CLEAR_INTERRUPT / 4] = 1; /* quiet, then raise it anew */
		rtc_alarm(&storm_rtc, -1);
		if (zx_interrupt_wait(storm_irq, NULL) != ZX_OK)
			return 1;
		storm_count++;
	}
	return 0;
}

TEST(Device, AStormOfInterruptsLeavesTheKernelAndOtherThreadsRunning)
{
	ASSERT_TRUE(rtc_map(&storm_rtc));
	ASSERT_OK(zx_interrupt_create(irq_resource(), RTC_VECTOR, 0, &storm_irq));
	thrd_t t;
	ASSERT_EQ(thrd_create(&t, storm, NULL), thrd_success);
	zx_instant_mono_t start = zx_clock_get_monotonic(), worst = 0;
	int sleeps = 0;
	while ((storm_count < STORM_COUNT || sleeps < 10) &&
	       zx_clock_get_monotonic() - start < STORM_LIMIT) {
		zx_instant_mono_t before = zx_clock_get_monotonic();
		ASSERT_OK(zx_nanosleep(zx_deadline_after(MS)));
		zx_instant_mono_t late = zx_clock_get_monotonic() - before - MS;
		worst = late > worst ? late : worst;
		sleeps++;
	}
	storm_stop = 1;
	unsigned taken = storm_count;
	zx_duration_t took = zx_clock_get_monotonic() - start;
	/* The storm thread may be in its wait with the alarm not yet raised: raise it. */
	rtc_alarm(&storm_rtc, -1);
	int rc = -1;
	ASSERT_EQ(thrd_join(t, &rc), thrd_success);
	EXPECT_EQ(rc, 0, "every wait succeeded");
	printf("# %u interrupts in %lld ms; %d 1-ms sleeps, the latest %lld us late\n", taken,
	       (long long)(took / MS), sleeps, (long long)(worst / 1000));
	/*
	 * Loose bounds: QEMU's harts are host threads, and a loaded host takes
	 * them away for milliseconds. Without the wake granularity the sleeper
	 * never woke at all on one hart.
	 */
	EXPECT_TRUE(taken >= STORM_COUNT, "the storm happened: %u interrupts in %lld ms", taken,
		    (long long)(took / MS));
	EXPECT_TRUE(sleeps >= 10, "the sleeper ran: %d sleeps", sleeps);
	EXPECT_TRUE(worst < 500 * MS, "the sleeper woke in time: %lld ms late",
		    (long long)(worst / MS));
	zx_handle_close(storm_irq);
	rtc_unmap(&storm_rtc);
}
#ifdef APLIC
/*
 * An APLIC sets each source's trigger: the RTC's level line taken on its
 * rising edge. An edge interrupt is not masked: the next edge comes
 * whether the device was quieted or not.
 */
TEST(Aplic, TakesATriggerModeTheTreeDoesNotGive)
{
	struct rtc rtc;
	ASSERT_TRUE(rtc_map(&rtc));
	zx_handle_t irq;
	ASSERT_OK(
	    zx_interrupt_create(irq_resource(), RTC_VECTOR, ZX_INTERRUPT_MODE_EDGE_HIGH, &irq));
	for (int i = 0; i < 3; i++) {
		zx_instant_mono_t before = zx_clock_get_monotonic(), ts = 0;
		rtc_alarm(&rtc, 3);
		ASSERT_OK(zx_interrupt_wait(irq, &ts));
		EXPECT_TRUE(ts >= before + 2 * MS, "the edge of the alarm, %lld ms after arming",
			    (long long)((ts - before) / MS));
		rtc.r[RTC_CLEAR_INTERRUPT / 4] = 1; /* the falling edge: no interrupt */
	}
	zx_handle_close(irq);
	rtc_unmap(&rtc);
}
#endif
#endif
