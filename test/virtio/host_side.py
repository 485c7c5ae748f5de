"""What the virtio tests that need a host side share (run_blk.py, run_net.py,
run_console.py): booting the guest through run_guest.py with the host's
part set up around it, and reporting both as TAP."""
import argparse
import subprocess
import sys


def parser(doc):
    """The wrappers' own arguments: run_guest.py's path, a timeout for it as a
    whole, and after them run_guest.py's arguments."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--run-guest", required=True)
    ap.add_argument("--timeout", type=float, default=120, help="for run_guest.py as a whole")
    ap.add_argument("guest_args", nargs=argparse.REMAINDER)
    return ap


def guest_args(remainder):
    """run_guest.py's arguments, after the wrapper's own and a `--`."""
    return [a for a in remainder if a != "--"]


def run_guest(run_guest_py, args, extra, timeout):
    """Boot through run_guest.py with `extra` QEMU arguments (each one
    --qemu-arg); its TAP is printed as comments. True if it passed."""
    cmd = [sys.executable, run_guest_py] + args + ["--qemu-arg=" + a for a in extra]
    print("TAP version 13")
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        out, ok = p.stdout.decode(errors="replace"), p.returncode == 0
    except subprocess.TimeoutExpired as e:
        out, ok = (e.stdout or b"").decode(errors="replace") + "\ntimed out", False
    for line in out.splitlines():
        print("# " + line)
    return ok


def report(results):
    """Print (ok, description) results and the plan; the exit status."""
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    print(f"1..{len(results)}")
    return 0 if all(ok for ok, _ in results) else 1
