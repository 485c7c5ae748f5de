/*
 * killwait_child.c: bin/child of the killwait test. argv[1] names a kind
 * of wait; the child sends a handle to its own thread over the channel at
 * PA_HND(PA_USER0, 0), then blocks in that wait with no deadline, to be
 * killed there. Returning at all is a failure (exit code 1). "driver"
 * pins memory and takes an interrupt vector first (driver_setup).
 */
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zircon/syscalls/iommu.h>
#include <zircon/syscalls/port.h>

/*
 * "driver": what a driver holds when it is killed — pinned pages of a VMO
 * it has no handle to (PA_USER2: the root resource, for the IOMMU) and the
 * goldfish RTC's vector 11 (PA_USER1: the IRQ resource), which it then
 * waits on. ZX_HANDLE_INVALID if any step fails.
 */
static zx_handle_t driver_setup(void)
{
	zx_handle_t irq_res = zx_take_startup_handle(PA_HND(PA_USER1, 0)),
		    root = zx_take_startup_handle(PA_HND(PA_USER2, 0)), iommu, bti, vmo, pmt, irq;
	zx_iommu_desc_dummy_t desc = {0};
	zx_paddr_t pa[4];
	if (zx_iommu_create(root, ZX_IOMMU_TYPE_DUMMY, &desc, sizeof(desc), &iommu) != ZX_OK ||
	    zx_bti_create(iommu, 0, 0, &bti) != ZX_OK ||
	    zx_vmo_create(4 * 4096, 0, &vmo) != ZX_OK ||
	    zx_bti_pin(bti, ZX_BTI_PERM_WRITE, vmo, 0, 4 * 4096, pa, 4, &pmt) != ZX_OK ||
	    zx_interrupt_create(irq_res, 11, 0, &irq) != ZX_OK)
		return ZX_HANDLE_INVALID;
	zx_handle_close(vmo); /* the pin keeps its pages */
	return irq;
}

int main(int argc, char **argv)
{
	zx_handle_t ch = zx_take_startup_handle(PA_HND(PA_USER0, 0)), self, ev, port, irq = 0;
	if (argc == 2 && strcmp(argv[1], "driver") == 0 &&
	    (irq = driver_setup()) == ZX_HANDLE_INVALID)
		return 3;
	if (argc != 2 ||
	    zx_handle_duplicate(zx_thread_self(), ZX_RIGHT_SAME_RIGHTS, &self) != ZX_OK ||
	    zx_event_create(0, &ev) != ZX_OK || zx_port_create(0, &port) != ZX_OK ||
	    zx_channel_write(ch, 0, "t", 1, &self, 1) != ZX_OK)
		return 2;
	const char *kind = argv[1];
	if (strcmp(kind, "one") == 0) {
		zx_object_wait_one(ev, ZX_EVENT_SIGNALED, ZX_TIME_INFINITE, NULL);
	} else if (strcmp(kind, "many") == 0) {
		zx_wait_item_t items[2] = {{ev, ZX_EVENT_SIGNALED, 0}, {ch, ZX_USER_SIGNAL_0, 0}};
		zx_object_wait_many(items, 2, ZX_TIME_INFINITE);
	} else if (strcmp(kind, "port") == 0) {
		zx_port_packet_t pk;
		zx_object_wait_async(ev, port, 1, ZX_EVENT_SIGNALED, 0);
		zx_port_wait(port, ZX_TIME_INFINITE, &pk);
	} else if (strcmp(kind, "call") == 0) {
		uint32_t m[4] = {0}, r[4], nb, nh;
		zx_channel_call_args_t a = {.wr_bytes = m,
					    .rd_bytes = r,
					    .wr_num_bytes = sizeof(m),
					    .rd_num_bytes = sizeof(r)};
		zx_channel_call(ch, 0, ZX_TIME_INFINITE, &a, &nb, &nh);
	} else if (strcmp(kind, "futex") == 0) {
		static zx_futex_t word;
		zx_futex_wait(&word, 0, ZX_HANDLE_INVALID, ZX_TIME_INFINITE);
	} else if (strcmp(kind, "interrupt") == 0) {
		zx_handle_t irq;
		zx_interrupt_create(ZX_HANDLE_INVALID, 0, ZX_INTERRUPT_VIRTUAL, &irq);
		zx_interrupt_wait(irq, NULL);
	} else if (strcmp(kind, "driver") == 0) {
		zx_interrupt_wait(irq, NULL);
	} else if (strcmp(kind, "sleep") == 0) {
		zx_nanosleep(ZX_TIME_INFINITE);
	}
	return 1;
}
