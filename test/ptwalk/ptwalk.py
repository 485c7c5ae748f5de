#!/usr/bin/env python3
"""Read a zirv process's page tables from outside the guest.

    ptwalk.py --kernel K --elf napot_probe.elf --napot yes|no [--stack ...] -- QEMU_ARGS...

Boots the probe, waits for its "probe: va V pa P len L" line, stops the
guest through QEMU's monitor (a unix socket), reads satp and walks the
Sv39 tables in guest physical memory with `xp`, then lets it finish. Every
level-0 PTE of [V, V+L) is checked bit by bit: with Svnapot each aligned
64 KiB is 16 identical PTEs with N (bit 63) set and ppn[3:0] = 1000 over
the group's base frame; without it each PTE names its own frame and bit
63 is 0; both: V R W U A D set, X G clear, reserved bits 60:54 and PBMT
(62:61, CACHED) zero. Prints TAP.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import stacks  # noqa: E402

LEAF_BITS = 0xD7  # D A U W R V (bits 7 6 4 2 1 0); X (3) and G (5) clear


class Monitor:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        for _ in range(100):
            try:
                self.s.connect(path)
                break
            except OSError:
                time.sleep(0.05)
        self.read_prompt()

    def read_prompt(self):
        buf = b""
        while not buf.endswith(b"(qemu) "):
            chunk = self.s.recv(65536)
            if not chunk:
                raise SystemExit("monitor closed")
            buf += chunk
        return buf.decode(errors="replace")

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\n")
        return self.read_prompt()

    def read64(self, pa):
        out = self.cmd(f"xp /1gx {pa:#x}")
        m = re.search(r"^[0-9a-f]+: 0x([0-9a-f]+)", out, re.M)
        if not m:
            raise SystemExit(f"xp {pa:#x}: {out!r}")
        return int(m.group(1), 16)


def walk(mon, root, va):
    """The level-0 PTE's physical address for va, or a reason it has none."""
    table = root
    for level in (2, 1):
        pte = mon.read64(table + ((va >> (12 + 9 * level)) & 0x1FF) * 8)
        if not pte & 1 or pte & 0xE:
            return None, f"level {level} entry {pte:#x} is not a table"
        table = ((pte >> 10) & ((1 << 44) - 1)) << 12
    return table + ((va >> 12) & 0x1FF) * 8, None


def expected(va0, pa0, va, napot):
    if napot:
        base = pa0 + ((va - va0) & ~0xFFFF)
        return (1 << 63) | ((base >> 12) << 10) | (0b1000 << 10) | LEAF_BITS
    return (((pa0 + va - va0) >> 12) << 10) | LEAF_BITS


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--napot", choices=("yes", "no"), required=True)
    stacks.add_arguments(ap)
    ap.add_argument("qemu_args", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    stack = stacks.Stack(a.stack, a.stack_dir)
    tmp = tempfile.mkdtemp(prefix="zirv-ptwalk-")
    sock = os.path.join(tmp, "monitor")
    cmd = stack.machine("-bios", stack.fw_dynamic, "-kernel", a.kernel, "-initrd", a.elf,
                        "-monitor", f"unix:{sock},server=on,wait=off") + \
        [x for x in a.qemu_args if x != "--"]
    print("TAP version 13")
    print("# $ " + " ".join(cmd))
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=stack.env)
    probe = None
    for raw in p.stdout:
        line = raw.decode(errors="replace").rstrip()
        print("# " + line)
        m = re.match(r"probe: va 0x([0-9a-f]+) pa 0x([0-9a-f]+) len 0x([0-9a-f]+)", line)
        if m:
            probe = [int(x, 16) for x in m.groups()]
            break
    results = []
    if probe:
        va0, pa0, length = probe
        mon = Monitor(sock)
        mon.cmd("stop")
        regs = mon.cmd("info registers")
        m = re.search(r"\bsatp\s+([0-9a-f]+)", regs)
        satp = int(m.group(1), 16) if m else 0
        results.append((satp >> 60 == 8, f"satp {satp:#x} is Sv39"))
        root = (satp & ((1 << 44) - 1)) << 12
        bad = []
        for va in range(va0, va0 + length, 4096):
            addr, why = walk(mon, root, va)
            pte = mon.read64(addr) if addr else None
            want = expected(va0, pa0, va, a.napot == "yes")
            if pte != want:
                bad.append(f"{va:#x}: {why or hex(pte)} != {want:#x}")
        results.append((not bad, f"{length // 4096} level-0 PTEs bit for bit "
                        f"({'NAPOT' if a.napot == 'yes' else '4 KiB'})"))
        for b in bad[:8]:
            print("# " + b)
        mon.cmd("cont")
    else:
        results.append((False, "the probe said where it mapped"))
    rest = p.communicate(timeout=60)[0].decode(errors="replace")
    for line in rest.splitlines():
        print("# " + line.rstrip())
    results.append((p.returncode == 0 and "probe: done" in rest, "the probe's data survived, exit 0"))
    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
