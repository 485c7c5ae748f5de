#!/usr/bin/env python3
"""Boot a zirv user program under QEMU and report the result as TAP.

    run_guest.py --kernel build/kernel.bin --elf prog.elf [--qemu-arg ARG ...]
                 [--timeout S] [--plain --exit N --expect REGEX ...]

QEMU runs `-machine virt -nographic -bios fw_dynamic.bin -kernel KERNEL
-initrd ELF` plus the --qemu-arg values. The output on stdout is TAP
version 13 for meson's `protocol: 'tap'`:

* TAP mode (default), for programs using zxtest: the program's own TAP
  lines (plan, ok / not ok, Bail out!, # comments) pass through; every
  other console line (OpenSBI, the kernel, stray program output) becomes a
  "# " comment. The run must end with QEMU exiting 0 when every test passed
  or 1 when one failed (zxtest's exit status), after as many results as
  the plan announced, and each --expect regular expression must match some
  console line (for what only the kernel prints, such as a child's kill
  report).
* Plain mode (--plain), for programs that print and exit: the console is
  shown as comments and run_guest.py reports its own tests: one per
  --expect regular expression (searched line by line) and one for QEMU's
  exit status (--exit, default 0).

With --dma-ranges, the machine's own device tree gets on /soc a dma-ranges
that shows devices the first 256 MiB of RAM (CPU 0x80000000) at 0x40000000,
and a bus inside it that translates once more, with a device on it.
With --no-irqc, the machine's own device tree gets its interrupt controller
(the PLIC at 0xc000000) disabled. With --dma-noncoherent, the machine's own device tree (dumped by the same
QEMU with the same arguments) gets `dma-noncoherent` on /soc, as the trees
of SoCs whose DMA bypasses the caches have it, and boots with -dtb.

Whatever goes wrong (timeout, QEMU exiting with an unexpected status, a
missing or short plan, a kernel panic or trap message unless
--allow-kernel-fault, a --reject pattern on the console) is reported as a
"not ok" result followed by "Bail out!", so meson shows it as a failure.
The exit status is 0 when everything passed, 1 otherwise.
"""
import argparse
import atexit
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import stacks  # noqa: E402  (test/stacks.py)
# A kernel that faults or panics has failed the run, whatever the program said
# (the kernel's console prefixes, as test/qemu/qemu_test.py matches them).
KERNEL_FAULT = r"\bzirv: panic\b|^kernel trap\b"

RE_RESULT = re.compile(r"^(not ok|ok)\b(?:\s+(\d+))?")
RE_PLAN = re.compile(r"^1\.\.(\d+)")
RE_BAIL = re.compile(r"^Bail out!")
RE_VERSION = re.compile(r"^TAP version \d+")


class Tap:
    """Writes TAP to stdout and keeps the count that synthesised results need."""

    def __init__(self, out):
        self.out = out
        self.results = 0
        self.failed = 0
        self.plan = None
        self.bailed = False
        self.emit("TAP version 13")

    def emit(self, line):
        self.out.write(line + "\n")
        self.out.flush()

    def comment(self, text):
        self.emit("# " + text if text else "#")

    def result(self, ok, description):
        self.results += 1
        if not ok:
            self.failed += 1
        self.emit(f"{'ok' if ok else 'not ok'} {self.results} - {description}")

    def bail(self, reason):
        self.bailed = True
        self.emit(f"Bail out! {reason}")

    def program_line(self, line):
        """Passes a line of the program's TAP through, or turns it into a comment."""
        if self.bailed:
            self.comment(line)
            return
        m = RE_RESULT.match(line)
        if m:
            self.results += 1
            if m.group(1) == "not ok":
                self.failed += 1
            self.emit(line)
        elif RE_PLAN.match(line) and self.plan is None:
            self.plan = int(RE_PLAN.match(line).group(1))
            self.emit(line)
        elif RE_BAIL.match(line):
            self.bailed = True
            self.emit(line)
        elif line.startswith("#"):
            self.emit(line)
        elif RE_VERSION.match(line):
            pass  # already printed ours, which must be the first line
        else:
            self.comment(line)


def qemu_command(args, stack):
    """--qemu / --bios override the stack's (the self-test's fake QEMU uses them)."""
    qemu = [args.qemu] if args.qemu else stack.qemu
    bios = args.bios or stack.fw_dynamic
    cmd = qemu + ["-machine", "virt", "-nographic", "-bios", bios,
                  "-kernel", args.kernel, "-initrd", args.elf]
    if args.dma_noncoherent or args.no_irqc or args.dma_ranges:
        cmd += ["-dtb", edited_dtb(qemu, ["-kernel", args.kernel] + args.qemu_arg, stack.env,
                                   args)]
    return cmd + args.qemu_arg


# A bus inside /soc translating DMA once more, and a device on it: two levels.
NESTED_DMA_BUS = """\t\tnested-bus {
\t\t\tcompatible = "simple-bus";
\t\t\t#address-cells = <0x02>;
\t\t\t#size-cells = <0x02>;
\t\t\tranges;
\t\t\tdma-ranges = <0x00 0x00 0x00 0x40000000 0x00 0x08000000>;
\t\t\tnested-dma {
\t\t\t\tcompatible = "zirv,nested-dma";
\t\t\t};
\t\t};
"""


def edited_dtb(qemu, qemu_args, env, args):
    """QEMU virt's tree for these arguments, edited as --dma-noncoherent, --dma-ranges and
    --no-irqc ask."""
    out = tempfile.mkdtemp(prefix="zirv-dtb-")
    atexit.register(shutil.rmtree, out, True)
    raw, dts, dtb = (os.path.join(out, n) for n in ("qemu.dtb", "soc.dts", "soc.dtb"))
    subprocess.run(qemu + ["-machine", "virt,dumpdtb=" + raw, "-nographic", "-display", "none"]
                   + qemu_args, check=True, capture_output=True, env=env, timeout=60)
    text = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", raw], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    soc = text.index("\tsoc {\n") + len("\tsoc {\n")
    if args.dma_noncoherent:
        text = text[:soc] + "\t\tdma-noncoherent;\n" + text[soc:]
    if args.dma_ranges:
        end = text.index("\n\t};\n", soc) + 1  # /soc's closing line: its children come first
        text = text[:end] + NESTED_DMA_BUS + text[end:]
        text = (text[:soc] + "\t\tdma-ranges = <0x00 0x40000000 0x00 0x80000000 0x00 0x10000000>;\n"
                + text[soc:])
    if args.no_irqc:
        found = re.search(r"\t\t(plic|interrupt-controller)@c000000 \{\n", text)
        text = text[:found.end()] + '\t\t\tstatus = "disabled";\n' + text[found.end():]
    with open(dts, "w") as f:
        f.write(text)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts], check=True,
                   capture_output=True, timeout=60)
    return dtb


def run_qemu(cmd, timeout, on_line, env=None):
    """Runs cmd, calling on_line for each console line as it arrives.
    Returns (exit status, None) or (None, "timed out ...")."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env=env)
    lines = queue.Queue()

    def reader():
        for raw in p.stdout:
            lines.put(raw)
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            raw = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            p.kill()
            p.wait()
            return None, f"timed out after {timeout:g} s"
        if raw is None:
            break
        on_line(raw.decode(errors="replace").replace("\r", "").rstrip("\n"))
    return p.wait(), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--qemu-arg", action="append", default=[],
                    help="extra QEMU argument (repeat; use --qemu-arg=-smp for dashes)")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--qemu", default=None, help="instead of the stack's QEMU")
    ap.add_argument("--bios", default=None, help="instead of the stack's fw_dynamic.bin")
    stacks.add_arguments(ap)
    ap.add_argument("--plain", action="store_true",
                    help="the program is not TAP; check --expect and --exit instead")
    ap.add_argument("--expect", action="append", default=[],
                    help="(plain mode) regex a console line must match")
    ap.add_argument("--reject", action="append", default=[],
                    help="regex no console line may match (repeat)")
    ap.add_argument("--allow-kernel-fault", action="store_true",
                    help="do not fail the run on a kernel panic or trap message")
    ap.add_argument("--exit", type=int, default=0,
                    help="(plain mode) QEMU's expected exit status")
    ap.add_argument("--dma-noncoherent", action="store_true",
                    help="boot QEMU's own tree with dma-noncoherent on /soc")
    ap.add_argument("--dma-ranges", action="store_true",
                    help="boot QEMU's own tree with a dma-ranges on /soc")
    ap.add_argument("--no-irqc", action="store_true",
                    help="boot QEMU's own tree with its PLIC disabled")
    args = ap.parse_args()

    tap = Tap(sys.stdout)
    stack = stacks.Stack(args.stack, args.stack_dir)
    cmd = qemu_command(args, stack)
    tap.comment("$ " + " ".join(cmd))
    console = []
    rejected = []
    reject = args.reject + ([] if args.allow_kernel_fault else [KERNEL_FAULT])

    def on_line(line):
        console.append(line)
        rejected.extend(f"console line matches /{pat}/: {line}"
                        for pat in reject if re.search(pat, line))
        if args.plain:
            tap.comment(line)
        else:
            tap.program_line(line)

    try:
        status, timeout = run_qemu(cmd, args.timeout, on_line, stack.env)
    except OSError as e:
        status, timeout = None, f"cannot run {cmd[0]}: {e}"

    problems = [f"QEMU {timeout}"] if timeout else []
    problems += rejected
    if args.plain:
        for pat in args.expect:
            tap.result(any(re.search(pat, line) for line in console),
                       f"console shows /{pat}/")
        if status is not None:
            tap.result(status == args.exit, f"QEMU exit status {status} (want {args.exit})")
    elif not tap.bailed and status is not None:
        want = 0 if tap.failed == 0 else 1
        if tap.plan is None:
            problems.append("the program printed no TAP plan (1..N)")
        elif tap.results < tap.plan:
            problems.append(f"the program stopped after {tap.results} of {tap.plan} tests")
        if status != want:
            problems.append(f"QEMU exit status {status}, expected {want} "
                            f"after {tap.failed} failed test(s)")
        problems += [f"no console line matches /{pat}/" for pat in args.expect
                     if not any(re.search(pat, line) for line in console)]
    if problems:
        for pr in problems:
            tap.comment(pr)
        tap.result(False, "run: " + problems[0])
    if args.plain:
        tap.emit(f"1..{tap.results}")  # a late plan: no result may follow it
    if problems:
        tap.bail(problems[0])
    return 0 if tap.failed == 0 and not tap.bailed else 1


if __name__ == "__main__":
    sys.exit(main())
