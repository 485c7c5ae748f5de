/*
 * virtio-net against QEMU's user network (slirp: the guest is 10.0.2.15,
 * the gateway 10.0.2.2): ARP for the gateway, an ICMP echo it answers, and
 * UDP datagrams to a host port (run_net.py's echo server, which slirp
 * reaches through the gateway's address), answered in upper case. The
 * port comes from the command line (udp_echo=PORT in /chosen/bootargs).
 * The driver takes its device's interrupts; the rings live in the
 * carve-out.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zircon/process.h>
#include <zircon/processargs.h>
#include <zircon/syscalls.h>
#include <zirv/dt.h>
#include <zirv/virtio/net.h>
#include <zirv/virtio/probe.h>
#include <zxtest/zxtest.h>

#define ETH_ARP	 0x0806
#define ETH_IPV4 0x0800

static const uint8_t our_ip[4] = {10, 0, 2, 15}, gw_ip[4] = {10, 0, 2, 2};
static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static struct vnet net;
static struct vmmio dev;
static uint8_t gw_mac[6];
static unsigned udp_port;
static bool ready;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The Internet checksum (RFC 1071) of p[0..n). */
static uint16_t checksum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Find the device and the port, bring the driver up once. */
static bool setup(void)
{
	if (ready)
		return true;
	zx_handle_t vmo = zx_take_startup_handle(PA_HND(PA_VMO_BOOTDATA, 0));
	zx_handle_t mmio = zx_take_startup_handle(PA_HND(PA_MMIO_RESOURCE, 0));
	zx_handle_t irqs = zx_take_startup_handle(PA_HND(PA_IRQ_RESOURCE, 0));
	struct zirv_dt *dt;
	struct zirv_dt_device d;
	struct dma_pool dma;
	const struct rt_entry *pool;
	int cursor = 0;
	if (zirv_dt_open(vmo, &dt) != ZX_OK ||
	    probe_dma(mmio, zirv_dt_restab(dt), &dma, &pool) != ZX_OK)
		return false;
	uint32_t len;
	const char *args = dt_getprop(zirv_dt_tree(dt), dt_find_path(zirv_dt_tree(dt), "/chosen"),
				      "bootargs", &len);
	const char *p = args ? strstr(args, "udp_echo=") : NULL;
	udp_port = p ? (unsigned)strtoul(p + 9, NULL, 10) : 0;
	while (zirv_dt_next(dt, "virtio,mmio", &cursor, &d)) {
		volatile void *regs;
		if (zirv_dt_map_reg(mmio, &d, 0, ZX_CACHE_POLICY_UNCACHED_DEVICE, NULL, &regs) ==
			ZX_OK &&
		    vmmio_open(&dev, regs, d.reg[0].base) == ZX_OK &&
		    dev.device_id == VIRTIO_ID_NET) {
			dev.vector = d.irq[0].vector;
			ready = vnet_init(&net, &dev, &dma) == ZX_OK &&
				vmmio_use_interrupt(&dev, irqs) == ZX_OK;
			break;
		}
	}
	return ready;
}

/* An Ethernet header at f: to `dst`, from us, of `type`. */
static void eth(uint8_t *f, const uint8_t *dst, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, net.mac, 6);
	put16(f + 12, type);
}

/* Receive frames until one of `type` satisfies `want`, for at most 5 s. */
static bool await(uint16_t type, bool (*want)(const uint8_t *f, size_t n), uint8_t *f, size_t *n)
{
	zx_time_t deadline = zx_deadline_after(ZX_SEC(5));
	while (vnet_recv(&net, f, VNET_FRAME_MAX, n, deadline) == ZX_OK)
		if (*n >= 14 && get16(f + 12) == type && want(f, *n))
			return true;
	return false;
}

static bool is_arp_reply_from_gw(const uint8_t *f, size_t n)
{
	return n >= 42 && get16(f + 20) == 2 && !memcmp(f + 28, gw_ip, 4);
}

TEST(Net, ArpFindsTheGateway)
{
	ASSERT_TRUE(setup(), "no usable virtio-net device, carve-out or interrupt");
	EXPECT_TRUE(net.mac[0] == 0x52 && net.mac[1] == 0x54, "QEMU's MAC 52:54:..., got %02x:%02x",
		    net.mac[0], net.mac[1]);
	uint8_t f[VNET_FRAME_MAX];
	size_t n;
	memset(f, 0, 42);
	eth(f, broadcast, ETH_ARP);
	put16(f + 14, 1);      /* Ethernet */
	put16(f + 16, 0x0800); /* IPv4 */
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, 1); /* request */
	memcpy(f + 22, net.mac, 6);
	memcpy(f + 28, our_ip, 4);
	memcpy(f + 38, gw_ip, 4);
	ASSERT_OK(vnet_send(&net, f, 42), "%s", dev.err);
	ASSERT_TRUE(await(ETH_ARP, is_arp_reply_from_gw, f, &n), "no ARP reply: %s", dev.err);
	memcpy(gw_mac, f + 22, 6);
	EXPECT_TRUE(!memcmp(f + 32, net.mac, 6), "the reply is to us");
	printf("# gateway 10.0.2.2 is %02x:%02x:%02x:%02x:%02x:%02x\n", gw_mac[0], gw_mac[1],
	       gw_mac[2], gw_mac[3], gw_mac[4], gw_mac[5]);
}

/* An IPv4 header at f + 14 for `len` bytes of payload of `proto`, to the gateway. */
static void ipv4(uint8_t *f, uint8_t proto, size_t len)
{
	uint8_t *ip = f + 14;
	eth(f, gw_mac, ETH_IPV4);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + len));
	put16(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, our_ip, 4);
	memcpy(ip + 16, gw_ip, 4);
	put16(ip + 10, checksum(ip, 20, 0));
}

static bool is_echo_reply(const uint8_t *f, size_t n)
{
	return n >= 42 && f[23] == 1 && f[34] == 0 && get16(f + 38) == 0x7a69;
}

TEST(Net, TheGatewayAnswersAPing)
{
	ASSERT_TRUE(ready && gw_mac[0] | gw_mac[5], "no gateway");
	uint8_t f[VNET_FRAME_MAX];
	size_t n;
	ipv4(f, 1, 8 + 16);
	uint8_t *icmp = f + 34;
	memset(icmp, 0, 8);
	icmp[0] = 8;		 /* echo request */
	put16(icmp + 4, 0x7a69); /* identifier */
	put16(icmp + 6, 1);
	memcpy(icmp + 8, "zirv ping packet", 16);
	put16(icmp + 2, checksum(icmp, 24, 0));
	ASSERT_OK(vnet_send(&net, f, 34 + 24), "%s", dev.err);
	ASSERT_TRUE(await(ETH_IPV4, is_echo_reply, f, &n), "no echo reply");
	EXPECT_EQ(memcmp(f + 42, "zirv ping packet", 16), 0, "the payload came back");
}

static bool is_udp_reply(const uint8_t *f, size_t n)
{
	return n >= 42 && f[23] == 17 && get16(f + 34) == udp_port && get16(f + 36) == 40000;
}

TEST(Net, UdpToAHostPortAndBack)
{
	ASSERT_TRUE(ready && gw_mac[0] | gw_mac[5], "no gateway");
	ASSERT_NE(udp_port, 0u, "no udp_echo=PORT on the command line");
	for (int round = 0; round < 3; round++) {
		uint8_t f[VNET_FRAME_MAX];
		size_t n;
		char msg[32];
		int len = snprintf(msg, sizeof msg, "hello from zirv %d", round);
		ipv4(f, 17, 8 + (size_t)len);
		uint8_t *udp = f + 34;
		put16(udp, 40000);
		put16(udp + 2, (uint16_t)udp_port);
		put16(udp + 4, (uint16_t)(8 + len));
		put16(udp + 6, 0); /* no checksum: allowed over IPv4 */
		memcpy(udp + 8, msg, (size_t)len);
		ASSERT_OK(vnet_send(&net, f, 42 + (size_t)len), "%s", dev.err);
		ASSERT_TRUE(await(ETH_IPV4, is_udp_reply, f, &n), "no answer to datagram %d",
			    round);
		size_t got = get16(f + 38) - 8;
		ASSERT_EQ(got, (size_t)len);
		for (int i = 0; i < len; i++)
			ASSERT_EQ(f[42 + i], (uint8_t)toupper((unsigned char)msg[i]), "byte %d", i);
	}
}
