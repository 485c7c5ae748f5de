#!/usr/bin/env python3
"""The virtio-blk round trip, reported as TAP.

    run_blk.py --run-guest run_guest.py --image DISK.img -- RUN_GUEST_ARGS...

1. writes a fresh 64 KiB image in which byte i of sector s is
   ((s * 37 + i) ^ 0x5a) & 0xff (host_pattern() in vtest.h);
2. boots the guest test with it attached as a virtio-blk device, through
   run_guest.py (which has its own QEMU timeout, RUN_GUEST_ARGS' --timeout);
3. after QEMU has exited, checks that sector 40 holds the guest's pattern
   (i * 3 + 0x11) & 0xff and that the sectors around it are unchanged.
The guest's TAP becomes comments; this script reports two results.
"""
import sys

import host_side

SECTOR = 512
SECTORS = 128
GUEST_SECTOR = 40


def host_pattern(s):
    return bytes(((s * 37 + i) ^ 0x5a) & 0xFF for i in range(SECTOR))


def guest_pattern():
    return bytes((i * 3 + 0x11) & 0xFF for i in range(SECTOR))


def check_image(path):
    """None if the image is as the guest should have left it, else what is wrong."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) != SECTORS * SECTOR:
        return f"image is {len(data)} bytes, want {SECTORS * SECTOR}"
    for s in range(SECTORS):
        want = guest_pattern() if s == GUEST_SECTOR else host_pattern(s)
        got = data[s * SECTOR:(s + 1) * SECTOR]
        if got != want:
            return f"sector {s}: got {got[:8].hex()}..., want {want[:8].hex()}..."
    return None


def main():
    ap = host_side.parser(__doc__)
    ap.add_argument("--image", required=True)
    args = ap.parse_args()
    guest_args = host_side.guest_args(args.guest_args)

    with open(args.image, "wb") as f:
        f.write(b"".join(host_pattern(s) for s in range(SECTORS)))
    guest_ok = host_side.run_guest(args.run_guest, guest_args, [
        "-drive", f"file={args.image},format=raw,if=none,id=d0",
        "-device", "virtio-blk-device,drive=d0"], args.timeout)
    problem = check_image(args.image)
    return host_side.report([
        (guest_ok, "guest read the host's pattern, wrote and flushed"),
        (problem is None,
         f"host sees sector {GUEST_SECTOR} written{': ' + problem if problem else ''}")])


if __name__ == "__main__":
    sys.exit(main())
