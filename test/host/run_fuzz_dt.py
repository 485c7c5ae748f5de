#!/usr/bin/env python3
"""Run the device-tree fuzz target for a bounded number of inputs.

    run_fuzz_dt.py FUZZER RUNS SEED_DIR_OR_FILE...

The seeds (board DTBs, the crafted tree, QEMU's dumps) are copied into a
fresh corpus directory, so nothing is written into the source tree, and
libFuzzer runs RUNS inputs from a fixed seed. Prints the number of
executions libFuzzer reports; exits non-zero on a crash, a sanitizer
report, or a run that executed nothing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    fuzzer, runs, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tempfile.TemporaryDirectory(prefix="zirv-fuzz-") as corpus:
        n = 0
        for s in seeds:
            files = [os.path.join(s, f) for f in sorted(os.listdir(s))] if os.path.isdir(s) else [s]
            for f in files:
                if f.endswith(".dtb"):
                    shutil.copy(f, os.path.join(corpus, f"seed{n}.dtb"))
                    n += 1
        p = subprocess.run([fuzzer, f"-runs={runs}", "-seed=1", "-max_len=65536",
                            "-max_total_time=120", f"-artifact_prefix={corpus}/", corpus],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    out = p.stdout.decode(errors="replace")
    m = re.search(r"Done (\d+) runs", out)
    print(out[-3000:])
    print(f"fuzz-dt: {n} seeds, {m.group(1) if m else 0} executions, exit {p.returncode}")
    return 0 if p.returncode == 0 and m and int(m.group(1)) > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
