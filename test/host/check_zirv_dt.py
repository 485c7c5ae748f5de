#!/usr/bin/env python3
"""Run the host tool on one DTB and check its contract (DESIGN.md, contract 4).

usage: check_zirv_dt.py ZIRV_DT FILE.dtb ok|fail [TEXT]

ok:   exit 0, nothing on stderr, stdout has the table header, at least one
      entry line, the CPU facts and the PTE encoding line.
fail: exit 1, stdout empty, exactly one stderr line "zirv-dt: FILE: ..."
      that contains TEXT.
"""
import re
import subprocess
import sys


def main():
    tool, dtb, want = sys.argv[1], sys.argv[2], sys.argv[3]
    text = sys.argv[4] if len(sys.argv) > 4 else ""
    r = subprocess.run([tool, dtb], capture_output=True, text=True, timeout=60)
    out, err = r.stdout, r.stderr
    problems = []
    if want == "ok":
        if r.returncode != 0:
            problems.append("exit %d, expected 0" % r.returncode)
        if err:
            problems.append("stderr not empty")
        lines = out.splitlines()
        if not lines or not lines[0].lstrip().startswith("base"):
            problems.append("no header line")
        if not any(re.match(r"  0x[0-9a-f]{16}-0x[0-9a-f]{16} ", l) for l in lines):
            problems.append("no entry lines")
        if not any(l.startswith("harts: ") for l in lines):
            problems.append("no harts line")
        if not any(re.match(r"pte memory-type encoding: (svpbmt|xtheadmae|none)$", l)
                   for l in lines):
            problems.append("no encoding line")
        if text and text not in out:
            problems.append("stdout lacks %r" % text)
    else:
        if r.returncode != 1:
            problems.append("exit %d, expected 1" % r.returncode)
        if out:
            problems.append("stdout not empty")
        lines = err.splitlines()
        if len(lines) != 1 or not lines[0].startswith("zirv-dt: %s: " % dtb):
            problems.append("stderr is not one 'zirv-dt: FILE: message' line")
        if text not in err:
            problems.append("stderr lacks %r" % text)
    sys.stdout.write(out)
    sys.stderr.write(err)
    for p in problems:
        print("FAIL: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
