#!/usr/bin/env python3
"""Boot zirv under QEMU and check what it printed and how QEMU exited.

    qemu_test.py --kernel build/kernel.bin CASE

Each case names a QEMU configuration, the lines the console must show
(regular expressions, in any order), lines it must not show, and QEMU's
exit status. Every run has a timeout. On failure the whole console log is
printed so the reason is visible in meson's test log.
"""
import argparse
import atexit
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import stacks  # noqa: E402  (test/stacks.py)

FW_DYNAMIC, FW_JUMP = "fw_dynamic", "fw_jump"  # the stack's firmware files

# OpenSBI's banner lists its domain's regions; one without S-mode access
# ("()" in 1.1, "S/U: ()" from 1.3) is firmware zirv must show as such.
RE_FW_REGION = re.compile(r"^Domain0 Region\d+\s*: 0x([0-9a-f]+)-0x([0-9a-f]+) "
                          r"(?:\(\)|M: \([^)]*\) S/U: \(\))$", re.M)


def firmware_expect(out):
    """The FIRMWARE lines the table must have for the regions OpenSBI printed
    inside DRAM, and the first RAM line: right after the last of them."""
    regions = [(int(a, 16), int(b, 16)) for a, b in RE_FW_REGION.findall(out)
               if int(a, 16) >= 0x80000000]
    if not regions:
        return ["OpenSBI printed no firmware region in DRAM"]
    pats = [rf"0x0*{a:x}-0x0*{b:x} .*FIRMWARE" for a, b in regions]
    ram_start = max(b for _, b in regions) + 1
    return pats + [rf"0x0*{ram_start:x}-0x0*801fffff .*RAM"]


# What the resource table must show on QEMU virt, whatever the configuration.
VIRT_TABLE = [
    r"0x0*100000-0x0*100fff .*MMIO .*test@100000",
    r"0x0*2000000-0x0*200ffff .*MMIO .*clint@2000000",
    r"0x0*c000000-0x0*c5fffff .*MMIO .*plic@c000000",
    r"0x0*10000000-0x0*100000ff .*MMIO .*serial@10000000",
    r"0x0*30000000-0x0*3fffffff .*MMIO .*pci@30000000",
    r"0x0*80200000-0x[0-9a-f]+ .*KERNEL",
    r"DTB",
] + [rf"0x0*1000{i}000-0x0*1000{i}fff .*MMIO .*virtio_mmio@1000{i}000 .*virtio,mmio"
     for i in range(1, 9)]


def ram(size_mib):
    """RAM must end at the top of DRAM (where it starts: firmware_expect)."""
    end = 0x80000000 + size_mib * 1024 * 1024 - 1
    return [rf"0x0*[0-9a-f]+-0x0*{end:x} .*(RAM|DTB)"]


def case(machine=(), append=None, expect=(), reject=(), exit=0, bios=FW_DYNAMIC,
         timeout=60, uboot=False, dtb_edit=None, firmware=True, stacks=stacks.NAMES,
         initrd=None, initrd_file=None):
    """dtb_edit: (regex, replacement) applied to QEMU's own device tree, booted with
    -dtb. firmware: check the FIRMWARE and first RAM lines against OpenSBI's banner.
    stacks: the configurations the case runs on. initrd: bytes booted with -initrd;
    initrd_file: a file booted with -initrd, relative to the kernel's directory."""
    return dict(machine=list(machine), append=append, expect=list(expect),
                reject=list(reject), exit=exit, bios=bios, timeout=timeout, uboot=uboot,
                dtb_edit=dtb_edit, firmware=firmware, stacks=stacks, initrd=initrd,
                initrd_file=initrd_file)


def _bootfs_member():
    """zx-bootfs's member writer (sdk/bin/zx-bootfs), to build test archives."""
    from importlib.machinery import SourceFileLoader
    import types
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "sdk", "bin",
                        "zx-bootfs")
    mod = types.ModuleType("zx_bootfs")
    SourceFileLoader("zx_bootfs", path).exec_module(mod)
    return mod.member


def archive(*members, trailer=True):
    """A newc archive of (name, bytes) members, with the trailer unless told not to."""
    member = _bootfs_member()
    out = b"".join(member(n, d, i + 1, 0o100644) for i, (n, d) in enumerate(members))
    return out + (member("TRAILER!!!", b"", 0, 0) if trailer else b"")


BOOTED = [r"zirv: powering off \(exit 0\)"]
NO_SVPBMT = [r"PTE memory types: none"]
SVPBMT = [r"PTE memory types: svpbmt", r"svpbmt"]
SVPBMT_CPU = ["-cpu", "rv64,svpbmt=on"]
def SMP(online, usable):
    """The line smp_start prints once the secondary harts reported in."""
    return rf"^SMP: {online} of {usable} harts online"


RE_SMP = re.compile(r"^\^SMP: (\d+) of (\d+) harts online$")


def smp_expect(expect, reject, stack, bios):
    """OpenSBI 1.5.1's fw_jump (the qemu10 stack) leaves some harts START_PENDING
    for good after a successful HSM hart_start, and fw_dynamic or 1.6 do not
    (docs/boot.md): there, accept fewer harts if each missing one is reported so."""
    if stack.name != "qemu10" or bios != FW_JUMP:
        return expect, reject
    lenient = [RE_SMP.sub(r"^SMP: \\d+ of \2 harts online", p) for p in expect]
    return lenient, reject + [r"did not come up within \d+ ms$"]


KERNEL_FAULT = [r"\b(panic|kernel trap)\b"]

CASES = {
    "boot-dynamic-smp1-128M": case(["-smp", "1", "-m", "128M"],
                                   expect=VIRT_TABLE + ram(128) + BOOTED + NO_SVPBMT,
                                   reject=[r"^SMP:"]),
    "boot-jump-smp1-128M": case(["-smp", "1", "-m", "128M"], bios=FW_JUMP,
                                expect=VIRT_TABLE + ram(128) + BOOTED),
    "boot-dynamic-smp4-2G-svpbmt": case(["-smp", "4", "-m", "2G"] + SVPBMT_CPU,
                                        expect=VIRT_TABLE + ram(2048) + BOOTED + SVPBMT
                                        + [r"harts: 4 usable of 4 enabled", SMP(4, 4),
                                           r"^IPIs: SBI$"]),
    # With an ACLINT (virt,aclint=on) the DT has an SSWI block: IPIs go through it, and the
    # block is the kernel's own. Without one, SBI.
    "boot-aclint-sswi-smp4": case(["-machine", "aclint=on", "-smp", "4"],
                                  expect=[r"^IPIs: ACLINT SSWI at 0x2f00000 for 4 of 4 harts$",
                                          r"0x0*2f00000-0x0*2f03fff .*MMIO .*riscv,aclint-sswi "
                                          r"\(kernel's own\)", SMP(4, 4),
                                          r"zirv: process bin/init exited with 0"],
                                  initrd_file="user/demo.cpio"),
    "boot-jump-smp4-8G": case(["-smp", "4", "-m", "8G"], bios=FW_JUMP,
                              expect=VIRT_TABLE + ram(8192) + BOOTED + NO_SVPBMT + [SMP(4, 4)]),
    "boot-jump-smp4-8G-svpbmt": case(["-smp", "4", "-m", "8G"] + SVPBMT_CPU, bios=FW_JUMP,
                                     expect=VIRT_TABLE + ram(8192) + BOOTED + SVPBMT),
    "pmm-128M": case(["-m", "128M"], append="zirv.test=pmm",
                     expect=[r"pmm: free (\d+), allocated \1, after free-all \1"] + BOOTED),
    "pmm-2G-svpbmt": case(["-m", "2G"] + SVPBMT_CPU, append="zirv.test=pmm",
                          expect=[r"pmm: free (\d+), allocated \1, after free-all \1"] + BOOTED),
    "pmm-8G": case(["-m", "8G", "-smp", "4"], append="zirv.test=pmm", timeout=180,
                   expect=[r"pmm: free (\d+), allocated \1, after free-all \1",
                           r"Direct map: 81\d\d MiB"] + BOOTED),
    "pmm-fail": case(append="zirv.test=pmm-fail", expect=[r"pmm-fail: ok"] + BOOTED),
    # A misspelt argument is refused, not ignored; the boot goes on.
    "bootarg-unknown": case(append="zirv.carvout=1M@0x8c000000 zirv.test=pmm",
                            expect=[r'refused: /chosen: boot argument "zirv.carvout=1M@0x8c000000": '
                                    r"zirv has no such argument"] + BOOTED),
    "carveout": case(["-m", "512M"], append="zirv.carveout=1M@0x90000000 zirv.test=pmm",
                     expect=[r"0x0*90000000-0x0*900fffff .*CARVEOUT",
                             r"pmm: free (\d+), allocated \1, after free-all \1"] + BOOTED),
    "mmio-device-svpbmt": case(SVPBMT_CPU + ["-device", "virtio-rng-device"],
                               append="zirv.test=mmio",
                               expect=[r"mmio: 0x10008000 magic 0x74726976 version 1 device 4",
                                       r"mmio: 0x10001000 magic 0x74726976 version 1 device 0",
                                       r"mmio: RAM and firmware refused"] + BOOTED + SVPBMT),
    "mmio-device-none": case(["-global", "virtio-mmio.force-legacy=false"],
                             append="zirv.test=mmio",
                             expect=[r"mmio: 0x10001000 magic 0x74726976 version 2 device 0",
                                     r"mmio: RAM and firmware refused"] + BOOTED + NO_SVPBMT),
    # Leaf PTE bits for each policy, and large leaves for aligned carve-outs.
    "pte-svpbmt": case(["-m", "4G"] + SVPBMT_CPU,
                       append="zirv.test=pte zirv.carveout=1G@0x100000000 zirv.carveout=4M@0x90000000",
                       expect=[r"pte: policy 0 leaf 0x[0-9a-f]*4d7 level 0 ok",
                               r"pte: policy 1 leaf 0x2000000[0-9a-f]{6}8d7 level 0 ok",
                               r"pte: policy 2 leaf 0x4000000[0-9a-f]{6}cd7 level 0 ok",
                               r"pte: carve-out 0x100000000\+0x40000000 leaf level 2, 0 page",
                               r"pte: carve-out 0x90000000\+0x400000 leaf level 1",
                               r"pte: ok"] + BOOTED + SVPBMT),
    # Svnapot: 64 KiB NAPOT leaves for a 64 KiB-aligned physical run, bit for bit.
    "pte-svnapot": case(["-m", "4G", "-cpu", "rv64,svpbmt=on,svnapot=on"],
                        append="zirv.test=pte zirv.carveout=4M@0x90000000",
                        expect=[r"64 KiB NAPOT leaves: yes \(Svnapot\)",
                                # N (63), PPN 0x90000 with ppn[3:0] = 1000, D A U W R V
                                r"pte: 64K of carve-out 0x90000000 at 0x[0-9a-f]*0000: NAPOT leaves, "
                                r"first 0x80000000240020d7, ok",
                                r"pte: ok"] + BOOTED + SVPBMT),
    "pte-none": case(["-m", "4G"],
                     append="zirv.test=pte zirv.carveout=1G@0x100000000 zirv.carveout=4M@0x90000000",
                     expect=[r"pte: policy 2 leaf 0x[0-9a-f]{1,8}cd7 level 0 ok",
                             r"64 KiB NAPOT leaves: no",
                             r"pte: 64K of carve-out 0x90000000 at 0x[0-9a-f]+: 4 KiB leaves, "
                             r"first 0x240000d7, ok",
                             r"pte: carve-out 0x100000000\+0x40000000 leaf level 2, 0 page",
                             r"pte: ok"] + BOOTED + NO_SVPBMT),
    "kernel-fault": case(append="zirv.test=kfault", exit=0x7f,
                         expect=[r"kernel trap: load page fault \(scause 0xd\) at sepc 0xffffffff8",
                                 r"stval 0xffffffe03ffff000", r" ra [0-9a-f]{16}",
                                 r"zirv: panic: trap_handler: unexpected load page fault"]),
    # A kernel stack overflow hits the unmapped guard below the stack and is
    # reported as such, naming the stack, for the boot stack and window stacks.
    "kstack-overflow": case(append="zirv.test=kstack", exit=0x7f,
                            expect=[r"zirv: panic: trap_kstack_overflow: kernel stack overflow on "
                                    r"the self-test stack \[0xfffffff0000\w+-0xfffffff0000\w+\): "
                                    r"sp 0xfffffff0000\w+, store page fault"]),
    "kstack-overflow-boot": case(append="zirv.test=kstack-boot", exit=0x7f,
                                 expect=[r"zirv: panic: trap_kstack_overflow: kernel stack "
                                         r"overflow on the boot stack \[0xffffffff8\w+-"]),
    # U-Boot (S-mode, Debian's u-boot-qemu) loads kernel.bin with booti.
    "uboot-booti": case(["-smp", "2", "-m", "256M"], bios=FW_JUMP, uboot=True, timeout=120,
                        expect=VIRT_TABLE + BOOTED + [r"Starting kernel", SMP(2, 2)]),
    # `./zirv run`: the demo's boot archive (build/user/demo.cpio); bin/init
    # starts bin/greeter as a second process and they talk over a channel.
    "demo-archive": case(["-smp", "2", "-m", "256M"], initrd_file="user/demo.cpio",
                         reject=KERNEL_FAULT,
                         expect=[r"zirv: starting bin/init \(entry 0x1000000, 9 start-up handles\)",
                                 r"^demo: hello from user space \(bin/init of the demo's boot",
                                 r'^greeter: a process of its own, started with argv "greeter" '
                                 r'"hello" "from" "demo"$',
                                 r'^greeter: got "ping" over the channel, answering "pong"$',
                                 r'^demo: bin/greeter \(process koid \d+\) answered "pong" and '
                                 r'exited with 0$',
                                 r"zirv: process bin/init exited with 0"] + BOOTED),
    # Without -initrd the built-in demo (user/demo.c) is the first process, here
    # with a zero-filled disk (QEMU's null-co driver).
    "demo": case(["-m", "256M", "-drive", "driver=null-co,read-zeroes=on,size=1M,if=none,id=d0",
                  "-device", "virtio-blk-device,drive=d0", "-device", "virtio-rng-device"],
                 append="zirv.carveout=1M@0x8c000000", reject=KERNEL_FAULT,
                 expect=[r"zirv: starting demo \(entry 0x1000000, 8 start-up handles\)",
                         r"demo: device tree: \d+ resources; PTE memory types: none",
                         r"demo: virtio-mmio 0x10001000: empty",
                         r"demo: virtio-mmio 0x10006000: empty",
                         r"demo: virtio-mmio 0x10007000: version 1, device 4 \(rng\), "
                         r"vendor 0x554d4551",
                         r"demo: virtio-mmio 0x10008000: version 1, device 2 \(blk\), "
                         r"vendor 0x554d4551",
                         r"demo: DMA memory: carve-out 0x8c000000, 1024 KiB$",
                         r"demo: blk 0x10008000: 1024 KiB, flush; sector 0: \(binary\)( 00){16}$",
                         r"demo: rng 0x10007000: 16 bytes of entropy:( [0-9a-f]{2}){16}$",
                         r"zirv: process demo exited with 0"] + BOOTED),
    # A device tree whose only hart has no MMU: refused with a message naming the node,
    # after the test finisher is mapped, so QEMU's status says the boot failed.
    "dt-no-mmu": case(dtb_edit=(r'mmu-type = "riscv,sv\d+"', 'mmu-type = "riscv,none"'),
                      exit=0x7f, firmware=False,  # refused before the table is printed
                      expect=[r"zirv: panic: kmain: resource table: /cpus/cpu@0: no enabled hart "
                              r"has an Sv39-capable MMU \(mmu-type \"riscv,none\""],
                      reject=[r"zirv: starting"]),
    # Carve-outs zirv cannot honour whole are refused with a line; the boot goes on.
    "carveout-refused": case(["-m", "256M"],
                             append="zirv.carveout=1M@0x80200000 zirv.carveout=1M@0x8a000000 "
                                    "zirv.carveout=1M@0x8a080000 zirv.carveout=12@ "
                                    "zirv.carveout=1M@0x80000000 zirv.test=pmm",
                             expect=[r"refused: bootargs: zirv.carveout=1M@0x80200000 "
                                     r"\[0x80200000-0x802fffff\] overlaps KERNEL kernel "
                                     r"\[0x80200000-0x[0-9a-f]+\]: refused",
                                     r"0x0*8a000000-0x0*8a0fffff .*CARVEOUT",
                                     r"refused: bootargs: zirv.carveout=1M@0x8a080000 "
                                     r"\[0x8a080000-0x8a17ffff\] overlaps CARVEOUT bootargs "
                                     r"\[0x8a000000-0x8a0fffff\]: refused",
                                     r"refused: bootargs: zirv.carveout=12@: expected "
                                     r"SIZE\[K\|M\|G\]@BASE: refused",
                                     r"refused: bootargs: zirv.carveout=1M@0x80000000 .* "
                                     r"overlaps FIRMWARE",
                                     r"pmm: free (\d+), allocated \1, after free-all \1"] + BOOTED,
                             reject=[r"^  0x0*8a080000-.*CARVEOUT", r"^  0x0*80[02]00000-.*CARVEOUT"]),
    # Boot archives zirv cannot start from: refused with a line saying why, and the boot
    # fails (no first process to run).
    "bootfs-no-init": case(initrd=archive(("data/motd", b"hello\n"), ("bin/other", b"x")),
                           exit=0x7f,
                           expect=[r"zirv: panic: kmain: the boot archive has no bin/init to start"],
                           reject=[r"zirv: starting"]),
    "bootfs-no-trailer": case(initrd=archive(("data/motd", b"hello\n"), trailer=False),
                              exit=0x7f,
                              expect=[r"zirv: panic: kmain: refusing the boot archive: it ends "
                                      r"without a TRAILER!!! member"],
                              reject=[r"zirv: starting"]),
    "bootfs-oversized-member": case(initrd=archive(("bin/init", b"\x7fELF"))
                                    .replace(b"%08x" % 4, b"%08x" % 0x10000000, 1),
                                    exit=0x7f,
                                    expect=[r"zirv: panic: kmain: refusing the boot archive: a "
                                            r"member's data runs past the end"],
                                    reject=[r"zirv: starting"]),
    # A bad number in a boot argument is refused; the boot goes on.
    "bootarg-refused": case(append="zirv.asid_bits=lots zirv.handle_gen_bits=99 zirv.test=pmm",
                            expect=[r"zirv: zirv.asid_bits=lots refused: not a number from 0 to 16",
                                    r"zirv: zirv.handle_gen_bits=99 refused: not a number from 1 "
                                    r"to 22",
                                    r"ASIDs: 16 bits"] + BOOTED),
    # QEMU 10's newer machines and CPUs (QEMU 7.2 has no rva23s64, no AIA in virt's
    # default DT): zirv boots, reads their extensions and runs the demo.
    "q10-cpu-max": case(["-cpu", "max"], stacks=("qemu10",),
                        expect=[r"extensions \(on every usable hart\): svpbmt svnapot svinval "
                                r"zicbom sstc",
                                r"PTE memory types: svpbmt; 64 KiB NAPOT leaves: yes",
                                r"cbom block: 64", r"zirv: process demo exited with 0"] + BOOTED),
    "q10-cpu-rva23s64": case(["-cpu", "rva23s64"], stacks=("qemu10",),
                             expect=[r"extensions \(on every usable hart\): svpbmt svnapot "
                                     r"svinval zicbom sstc",
                                     r"zirv: process demo exited with 0"] + BOOTED),
    # With the IMSIC's supervisor interrupt files (and Ssaia) the IPIs go through them,
    # and the interrupt files are the kernel's own.
    "q10-aia-aplic-imsic": case(["-machine", "aia=aplic-imsic", "-smp", "2"],
                                stacks=("qemu10",),
                                expect=[r"0x0*d000000-0x0*d007fff .*MMIO .*qemu,aplic \(kernel.s own\)$",
                                        r"0x0*28000000-0x0*28001fff .*MMIO .*qemu,imsics "
                                        r"\(kernel's own\)$",
                                        r"^extensions \(on every usable hart\):.* ssaia",
                                        r"^IPIs: IMSIC at 0x28000000 for 2 of 2 harts$", SMP(2, 2),
                                        r"zirv: process demo exited with 0"] + BOOTED,
                                reject=[r"plic@c000000"]),
    "q10-smp8": case(["-smp", "8"], stacks=("qemu10",),
                     expect=[r"harts: 8 usable of 8 enabled; ids 0 1 2 3 4 5 6 7", SMP(8, 8),
                             r"zirv: process demo exited with 0"] + BOOTED),
    "q10-16G": case(["-m", "16G"], stacks=("qemu10",),
                    expect=ram(16384) + [r"Direct map: 163\d\d MiB",
                                         r"zirv: process demo exited with 0"] + BOOTED),
    # Cases named lockcheck-* boot build/kernel-lockcheck.bin (test/qemu/meson.build): its
    # lock checks must catch the kernel lock taken twice and mm/ entered without it.
    "lockcheck-twice": case(append="zirv.test=lockcheck-twice", exit=0x7f, stacks=("debian12",),
                            expect=[r"lockcheck: taking the kernel lock a second time",
                                    r"zirv: panic: assertion failed: !klock_mine\(\) "
                                    r"\(\S*kernel/sched.c:\d+\)"],
                            reject=[r"lockcheck: not caught"]),
    "lockcheck-missing": case(append="zirv.test=lockcheck-missing", exit=0x7f,
                              stacks=("debian12",),
                              expect=[r"lockcheck: creating a VMO without the kernel lock",
                                      r"zirv: panic: assertion failed: klock_mine\(\) "
                                      r"\(\S*mm/vmo.c:\d+\)"],
                              reject=[r"lockcheck: not caught"]),
    "selftest-unknown": case(append="zirv.test=nonesuch", exit=2,
                             expect=[r"selftest: unknown test 'nonesuch'"]),
}


UBOOT_LOAD = "0x84000000"


def run_uboot(cmd, timeout, env):
    """Stop U-Boot's autoboot, then type the booti command at its prompt."""
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=env)
    out = bytearray()
    sent = 0
    steps = [(b"autoboot", b"\n"), (b"=> ", f"booti {UBOOT_LOAD} - ${{fdtcontroladdr}}\n".encode())]
    deadline = time.monotonic() + timeout
    os.set_blocking(p.stdout.fileno(), False)
    while p.poll() is None and time.monotonic() < deadline:
        select.select([p.stdout], [], [], 0.5)
        out += p.stdout.read() or b""
        if sent < len(steps) and steps[sent][0] in out:
            p.stdin.write(steps[sent][1])
            p.stdin.flush()
            sent += 1
    if p.poll() is None:
        p.kill()
        p.wait()
        raise subprocess.TimeoutExpired(cmd, timeout, output=bytes(out))
    os.set_blocking(p.stdout.fileno(), True)
    out += p.stdout.read() or b""
    return bytes(out), p.returncode


def edited_dtb(stack, machine, old, new, workdir):
    """QEMU's own device tree for `machine` with regex `old` replaced by `new` (dtc round trip)."""
    dtb, dts = os.path.join(workdir, "qemu.dtb"), os.path.join(workdir, "edited.dts")
    subprocess.run(stack.qemu + ["-machine", f"virt,dumpdtb={dtb}", "-nographic"] + machine,
                   check=True, capture_output=True, timeout=30, env=stack.env)
    text = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], check=True,
                          capture_output=True, timeout=30).stdout.decode()
    if not re.search(old, text):
        raise SystemExit(f"dtb_edit: /{old}/ not in QEMU's device tree")
    with open(dts, "w") as f:
        f.write(re.sub(old, new, text))
    out = os.path.join(workdir, "edited.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, dts], check=True,
                   timeout=30)
    return out


def run(kernel, name, stack, verbose):
    c = CASES[name]
    bios = stack.fw_dynamic if c["bios"] == FW_DYNAMIC else stack.fw_jump
    cmd = stack.machine("-bios", bios)
    if c["dtb_edit"] or c["initrd"]:
        workdir = tempfile.mkdtemp(prefix=f"zirv-{name}-")
        atexit.register(shutil.rmtree, workdir, True)
    if c["dtb_edit"]:
        cmd += ["-dtb", edited_dtb(stack, c["machine"], *c["dtb_edit"], workdir)]
    if c["initrd"]:
        initrd = os.path.join(workdir, "initrd.cpio")
        with open(initrd, "wb") as f:
            f.write(c["initrd"])
        cmd += ["-initrd", initrd]
    if c["initrd_file"]:
        cmd += ["-initrd", os.path.join(os.path.dirname(kernel), c["initrd_file"])]
    if c["uboot"]:
        cmd += ["-kernel", stack.uboot, "-device", f"loader,file={kernel},addr={UBOOT_LOAD}"]
    else:
        cmd += ["-kernel", kernel]
    cmd += c["machine"]
    if c["append"]:
        cmd += ["-append", c["append"]]
    expect, reject = smp_expect(c["expect"], c["reject"], stack, c["bios"])
    print("$ " + " ".join(cmd))
    try:
        if c["uboot"]:
            raw, status = run_uboot(cmd, c["timeout"], stack.env)
        else:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=c["timeout"], env=stack.env)
            raw, status = p.stdout, p.returncode
        out = raw.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        print(out)
        print(f"FAIL {name}: QEMU did not power off within {c['timeout']} s")
        return 1
    out = out.replace("\r", "")
    expect += firmware_expect(out) if c["firmware"] else []
    problems = [f"missing /{pat}/" for pat in expect if not re.search(pat, out, re.M)]
    problems += [f"unexpected /{pat}/" for pat in reject if re.search(pat, out, re.M)]
    if c["exit"] == 0 and not any("panic" in pat for pat in c["expect"]):
        problems += [f"unexpected /{pat}/" for pat in KERNEL_FAULT if re.search(pat, out)]
    if status != c["exit"]:
        problems.append(f"QEMU exit status {status}, expected {c['exit']}")
    if problems or verbose:
        print(out)
    for pr in problems:
        print(f"FAIL {name}: {pr}")
    if not problems:
        print(f"PASS {name}")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    stacks.add_arguments(ap)
    ap.add_argument("case", nargs="?")
    a = ap.parse_args()
    if a.list or not a.case:
        print("\n".join(f"{n} {' '.join(c['stacks'])}" for n, c in CASES.items()))
        return 0
    return run(a.kernel, a.case, stacks.Stack(a.stack, a.stack_dir), a.verbose)


if __name__ == "__main__":
    sys.exit(main())
