#!/usr/bin/env python3
"""copy_headers.py OUTDIR STAMP TREE DEST SRC [DEST SRC ...]

Copies each SRC to OUTDIR/DEST (creating directories), leaving files whose
contents are unchanged alone so dependent builds are not redone, then
touches STAMP. Fails if a header under TREE (the source include/zircon)
is missing from the list, so a new public header cannot silently stay out
of the SDK."""
import os
import shutil
import sys


def main(argv):
    outdir, stamp, tree, pairs = argv[1], argv[2], argv[3], argv[4:]
    if len(pairs) % 2:
        sys.exit("copy_headers.py: DEST and SRC must come in pairs")
    listed = set(os.path.realpath(src) for src in pairs[1::2])
    for root, _, names in os.walk(tree):
        for name in names:
            path = os.path.realpath(os.path.join(root, name))
            if name.endswith(".h") and path not in listed:
                sys.exit(f"copy_headers.py: {path} is not in sdk/include/meson.build's list")
    for dest, src in zip(pairs[0::2], pairs[1::2]):
        target = os.path.join(outdir, dest)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(src, "rb") as f:
            data = f.read()
        if os.path.exists(target):
            with open(target, "rb") as f:
                if f.read() == data:
                    continue
        shutil.copyfile(src, target)
    with open(stamp, "w") as f:
        f.write("")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
