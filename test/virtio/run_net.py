#!/usr/bin/env python3
"""virtio-net against QEMU's user network, reported as TAP.

    run_net.py --run-guest run_guest.py --timeout S -- RUN_GUEST_ARGS...

Starts a UDP echo server on 127.0.0.1 at a free port (it answers each
datagram with the same bytes in upper case), then boots the guest test
through run_guest.py with a virtio-net device on `-netdev user` and
`-append "zirv.carveout=1M@0x8c000000 udp_echo=PORT"`: the guest reaches
the host's loopback through the gateway address 10.0.2.2. The guest's
TAP becomes comments; this script reports two results: the guest's run,
and that the host saw its datagrams.
"""
import socket
import sys
import threading

import host_side


def echo(sock, seen):
    while True:
        try:
            data, peer = sock.recvfrom(2048)
        except OSError:
            return
        seen.append(data)
        sock.sendto(data.upper(), peer)


def main():
    ap = host_side.parser(__doc__)
    args = ap.parse_args()
    guest_args = host_side.guest_args(args.guest_args)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    seen = []
    threading.Thread(target=echo, args=(sock, seen), daemon=True).start()
    ok = host_side.run_guest(args.run_guest, guest_args, [
        "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0",
        "-append", f"zirv.carveout=1M@0x8c000000 udp_echo={port}"], args.timeout)
    sock.close()
    host_ok = len(seen) >= 3 and all(d.startswith(b"hello from zirv") for d in seen)
    return host_side.report([
        (ok, "guest ARP, ICMP and UDP through virtio-net"),
        (host_ok, f"the host's echo server got the guest's datagrams ({len(seen)})")])


if __name__ == "__main__":
    sys.exit(main())
