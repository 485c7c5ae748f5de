#!/usr/bin/env python3
"""A stand-in for qemu-system-riscv64 in run_guest.py's self-test.

It accepts QEMU's command line, reads the file given to -initrd as a JSON
scenario, prints its "lines" (first echoing its own arguments if "echo_argv"
is set), optionally hangs, and exits with its "exit" status:

    {"lines": ["TAP version 13", "1..1", "ok 1 - A.B"], "exit": 0, "hang": false}
"""
import json
import sys
import time


def main(argv):
    scenario = json.load(open(argv[argv.index("-initrd") + 1]))
    if scenario.get("echo_argv"):
        print("argv: " + " ".join(argv[1:]), flush=True)
    for line in scenario.get("lines", []):
        # QEMU's serial console ends lines with CRLF.
        sys.stdout.write(line + "\r\n")
        sys.stdout.flush()
    if scenario.get("hang"):
        time.sleep(3600)
    return scenario.get("exit", 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
