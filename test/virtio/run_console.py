#!/usr/bin/env python3
"""virtio-console against a host socket, reported as TAP.

    run_console.py --run-guest run_guest.py --timeout S -- RUN_GUEST_ARGS...

Listens on a Unix socket in a temporary directory (socket paths are short),
boots the guest test through run_guest.py
with a virtio-serial device whose port 0 is a virtconsole on that socket,
and plays the host's part: it waits for the guest's greeting, sends
"ping from the host\\n", and expects "PING FROM THE HOST\\n" back. The
guest's TAP becomes comments; this script reports the guest's run and the
host's side of the conversation.
"""
import os
import shutil
import socket
import sys
import tempfile
import threading

import host_side

GREETING = b"hello from zirv's virtio-console\n"


def converse(server, result):
    server.settimeout(60)
    try:
        conn, _ = server.accept()
    except OSError:
        return
    conn.settimeout(60)
    got = b""
    try:
        while GREETING not in got:
            chunk = conn.recv(256)
            if not chunk:
                return
            got += chunk
        result.append("greeting")
        conn.sendall(b"ping from the host\n")
        got = b""
        while b"\n" not in got:
            chunk = conn.recv(256)
            if not chunk:
                return
            got += chunk
        if got.startswith(b"PING FROM THE HOST\n"):
            result.append("echo")
    except OSError:
        return


def main():
    ap = host_side.parser(__doc__)
    args = ap.parse_args()
    guest_args = host_side.guest_args(args.guest_args)

    tmp = tempfile.mkdtemp(prefix="zirv-console-")
    path = os.path.join(tmp, "console.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    result = []
    t = threading.Thread(target=converse, args=(server, result), daemon=True)
    t.start()
    ok = host_side.run_guest(args.run_guest, guest_args, [
        "-chardev", f"socket,id=c0,path={path}", "-device", "virtio-serial-device",
        "-device", "virtconsole,chardev=c0"], args.timeout)
    t.join(5)
    server.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return host_side.report([
        (ok, "guest wrote, read and answered through virtio-console"),
        (result == ["greeting", "echo"], f"the host side saw {result}")])


if __name__ == "__main__":
    sys.exit(main())
