"""The QEMU / OpenSBI / U-Boot configurations zirv is tested on.

Every in-QEMU test runner takes --stack NAME (and --stack-dir, where
tools/today-stack extracted the second configuration) and gets from here
the QEMU command, its environment, the firmware and U-Boot to boot with.

    debian12      Debian 12's own: QEMU 7.2, OpenSBI 1.1, U-Boot 2023.01
    qemu10        QEMU 10.0 (Debian 12 backports) with its default OpenSBI 1.5.1
                  (backports) and U-Boot 2025.01 (Debian 13)
    qemu10-sbi16  the same with OpenSBI 1.6 (Debian 13)
"""
import glob
import os

OPENSBI = "usr/lib/riscv64-linux-gnu/opensbi/generic"
UBOOT = "usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin"
NAMES = ("debian12", "qemu10", "qemu10-sbi16")


def qemu_env(**extra):
    """The environment QEMU runs in: ours without MALLOC_PERTURB_, which meson sets
    for every test. QEMU is the machine, not the code under test, and glibc's
    perturbed allocations make it misbehave: QEMU 7.2's APLIC keeps its sources'
    state in memory it never initialises (riscv_aplic_realize uses g_new, not
    g_new0), so perturbed, sources come up pending with their inputs high."""
    env = dict(os.environ, **extra)
    env.pop("MALLOC_PERTURB_", None)
    return env


class Stack:
    def __init__(self, name, stack_dir=None):
        if name not in NAMES:
            raise SystemExit(f"unknown stack {name!r}: one of {', '.join(NAMES)}")
        self.name = name
        if name == "debian12":
            self.qemu = ["qemu-system-riscv64"]
            self.env = qemu_env()
            self.firmware_dir = "/" + OPENSBI
            self.uboot = "/" + UBOOT
            return
        d = os.path.abspath(stack_dir or "build/stack")
        q = os.path.join(d, "qemu-10")
        modules = glob.glob(os.path.join(q, "usr/lib/*/qemu"))
        self.qemu = [os.path.join(q, "usr/bin/qemu-system-riscv64"), "-L",
                     os.path.join(q, "usr/share/qemu")]
        self.env = qemu_env(QEMU_MODULE_DIR=modules[0] if modules else q)
        sbi = "opensbi-1.6" if name == "qemu10-sbi16" else "opensbi-1.5.1"
        self.firmware_dir = os.path.join(d, sbi, OPENSBI)
        self.uboot = os.path.join(d, "u-boot-2025.01", UBOOT)
        if not os.path.exists(self.qemu[0]):
            raise SystemExit(f"{self.qemu[0]} missing: run tools/today-stack {d}")

    @property
    def fw_dynamic(self):
        return os.path.join(self.firmware_dir, "fw_dynamic.bin")

    @property
    def fw_jump(self):
        return os.path.join(self.firmware_dir, "fw_jump.bin")

    def machine(self, *extra):
        """The QEMU command line's start: binary, -machine virt, -nographic."""
        return self.qemu + ["-machine", "virt", "-nographic"] + list(extra)


def add_arguments(ap):
    ap.add_argument("--stack", default="debian12", choices=NAMES)
    ap.add_argument("--stack-dir", default=None,
                    help="where tools/today-stack put QEMU 10 and its firmware")
