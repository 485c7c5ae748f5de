#!/usr/bin/env python3
"""Boot the same guest program many times; every run must pass.

    repeat.py --runs N -- RUN_GUEST_ARGS...

Runs run_guest.py (beside this file) N times with the same arguments and
reports one TAP result per run: the way to catch a result that only holds
most of the time, such as QEMU's exit status after the test finisher.
"""
import os
import subprocess
import sys


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args[0] != "--runs" or args[2] != "--":
        raise SystemExit(__doc__)
    runs, guest = int(args[1]), args[3:]
    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_guest.py")
    print("TAP version 13")
    print(f"1..{runs}")
    failed = 0
    for i in range(1, runs + 1):
        p = subprocess.run([sys.executable, runner] + guest, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=120)
        ok = p.returncode == 0
        failed += not ok
        print(f"{'ok' if ok else 'not ok'} {i} - run {i}")
        if not ok:
            for line in p.stdout.decode(errors="replace").splitlines():
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
