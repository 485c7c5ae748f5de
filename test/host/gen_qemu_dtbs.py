#!/usr/bin/env python3
"""Dump the device trees QEMU's virt machine generates, one per configuration.

usage: gen_qemu_dtbs.py QEMU OUTDIR NAME...

Each NAME is a key of CONFIGS; the file OUTDIR/NAME.dtb is written. The
tests (test_qemu.c) know what each configuration must produce.
"""
import os
import subprocess
import sys

CONFIGS = {
    "virt-128m-smp1": ["-m", "128M", "-smp", "1"],
    "virt-2g": ["-m", "2G"],
    "virt-8g-smp8": ["-m", "8G", "-smp", "8"],
    "virt-numa": ["-m", "2G", "-smp", "2",
                  "-object", "memory-backend-ram,id=m0,size=1G",
                  "-object", "memory-backend-ram,id=m1,size=1G",
                  "-numa", "node,cpus=0,memdev=m0",
                  "-numa", "node,cpus=1,memdev=m1"],
    "virt-svpbmt": ["-m", "256M", "-cpu", "rv64,svpbmt=on"],
    "virt-devices": ["-m", "256M", "-device", "virtio-rng-device",
                     "-drive", "if=none,id=hd0,format=raw,file={disk}",
                     "-device", "virtio-blk-device,drive=hd0"],
    # -append needs -kernel; QEMU only reads the file, dumpdtb exits first.
    "virt-carveout": ["-m", "512M", "-kernel", "{kernel}",
                      "-append", "console=ttyS0 zirv.carveout=1M@0x90000000"],
}


def main():
    qemu, outdir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(outdir, exist_ok=True)
    scratch = {"disk": os.path.join(outdir, "qemu-disk.img"),
               "kernel": os.path.join(outdir, "qemu-dummy-kernel.bin")}
    for path in scratch.values():
        with open(path, "wb") as f:
            f.write(bytes(64 * 1024))
    for name in names:
        out = os.path.join(outdir, name + ".dtb")
        args = [a.format(**scratch) for a in CONFIGS[name]]
        cmd = [qemu, "-machine", "virt,dumpdtb=" + out, "-nographic",
               "-display", "none"] + args
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=60)
        if not os.path.exists(out) or os.path.getsize(out) == 0:
            sys.stderr.write("gen_qemu_dtbs: %s failed (rc %d): %s\n%s\n" %
                             (name, r.returncode, " ".join(cmd),
                              r.stdout.decode(errors="replace")))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
