#!/usr/bin/env python3
"""Self-test of run_guest.py against fake_qemu.py: no kernel needed.

Each case feeds a scripted console and exit status through run_guest.py and
checks its TAP, its exit status and, when meson's Python modules can be
imported, how meson's own TAP parser judges the output."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "run_guest.py")
FAKE = os.path.join(HERE, "fake_qemu.py")

try:
    sys.path.append("/usr/lib/python3/dist-packages")
    from mesonbuild.mtest import TAPParser
except Exception:  # meson not importable from this interpreter
    TAPParser = None

BANNER = ["OpenSBI v1.1", "Platform Name             : riscv-virtio,qemu"]
POWER_OFF = "zirv: powering off (exit 0)"


class RunGuestTest(unittest.TestCase):
    def run_guest(self, scenario, *extra):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "scenario.json")
            with open(path, "w") as f:
                json.dump(scenario, f)
            p = subprocess.run([sys.executable, RUNNER, "--qemu", FAKE, "--kernel", "kernel.bin",
                                "--elf", path, "--timeout", "2", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=30)
        self.assertEqual(p.stderr, "")
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0], "TAP version 13")
        self.assertEqual(sum(1 for l in lines if l.startswith("TAP version")), 1)
        for line in lines:
            self.assertRegex(line, r"^(TAP version 13|1\.\.\d+|ok \d+|not ok \d+|#|Bail out!)")
        return p.returncode, lines

    def meson_verdict(self, lines):
        """(results, errors, bailed) as meson's TAP parser sees them."""
        if TAPParser is None:
            self.skipTest("mesonbuild not importable")
        results, errors, bailed = [], [], False
        for ev in TAPParser().parse(iter(lines)):
            if isinstance(ev, TAPParser.Test):
                results.append(ev.result.name)
            elif isinstance(ev, TAPParser.Error):
                errors.append(ev.message)
            elif isinstance(ev, TAPParser.Bailout):
                bailed = True
            elif isinstance(ev, TAPParser.UnknownLine):
                errors.append("unknown line: " + ev.message)
        return results, errors, bailed

    def test_all_pass(self):
        rc, lines = self.run_guest({"lines": BANNER + ["TAP version 13", "1..2", "ok 1 - A.B",
                                                       "ok 2 - A.C", "# 2 passed, 0 failed",
                                                       POWER_OFF], "exit": 0})
        self.assertEqual(rc, 0)
        self.assertIn("# OpenSBI v1.1", lines)
        self.assertIn("# " + POWER_OFF, lines)
        self.assertIn("ok 2 - A.C", lines)
        self.assertNotIn("Bail out!", " ".join(lines))
        if TAPParser:
            self.assertEqual(self.meson_verdict(lines), (["OK", "OK"], [], False))

    def test_tap_expect_must_match_a_console_line(self):
        tap = ["TAP version 13", "1..1", "ok 1 - A.B", POWER_OFF]
        rc, lines = self.run_guest({"lines": tap[:3] + ["zirv: child killed"] + tap[3:],
                                    "exit": 0}, "--expect", "^zirv: child killed$")
        self.assertEqual(rc, 0)
        self.assertNotIn("Bail out!", " ".join(lines))
        rc, lines = self.run_guest({"lines": tap, "exit": 0}, "--expect", "^zirv: child killed$")
        self.assertEqual(rc, 1)
        self.assertIn("not ok 2 - run: no console line matches /^zirv: child killed$/", lines)

    def test_failed_test_exit_1_is_consistent(self):
        rc, lines = self.run_guest({"lines": ["TAP version 13", "1..2", "ok 1 - A.B",
                                              "# t.c:9: expected x == 1, got 2 (0x2) vs 1 (0x1)",
                                              "not ok 2 - A.C"], "exit": 1})
        self.assertEqual(rc, 1)
        self.assertIn("not ok 2 - A.C", lines)
        self.assertFalse(any(l.startswith("Bail out!") for l in lines))
        if TAPParser:
            self.assertEqual(self.meson_verdict(lines), (["OK", "FAIL"], [], False))

    def test_wrong_exit_status_is_reported(self):
        rc, lines = self.run_guest({"lines": ["1..1", "not ok 1 - A.B"], "exit": 0})
        self.assertEqual(rc, 1)
        self.assertTrue(any(l.startswith("not ok 2 - run: QEMU exit status 0, expected 1")
                            for l in lines), lines)
        self.assertTrue(lines[-1].startswith("Bail out!"))

    def test_timeout(self):
        rc, lines = self.run_guest({"lines": ["1..2", "ok 1 - A.B"], "hang": True})
        self.assertEqual(rc, 1)
        self.assertIn("not ok 2 - run: QEMU timed out after 2 s", lines)
        self.assertTrue(lines[-1].startswith("Bail out!"))
        if TAPParser:
            results, errors, bailed = self.meson_verdict(lines)
            self.assertEqual((results, errors, bailed), (["OK", "FAIL"], [], True))

    def test_short_plan(self):
        rc, lines = self.run_guest({"lines": ["1..3", "ok 1 - A.B"], "exit": 0})
        self.assertEqual(rc, 1)
        self.assertIn("not ok 2 - run: the program stopped after 1 of 3 tests", lines)

    def test_no_output_and_crash(self):
        rc, lines = self.run_guest({"lines": BANNER, "exit": 127})
        self.assertEqual(rc, 1)
        self.assertIn("not ok 1 - run: the program printed no TAP plan (1..N)", lines)
        self.assertIn("# QEMU exit status 127, expected 0 after 0 failed test(s)", lines)

    def test_kernel_panic_fails_the_run(self):
        rc, lines = self.run_guest({"lines": ["1..1", "ok 1 - A.B",
                                              "zirv: panic: trap_handler: oops"], "exit": 0})
        self.assertEqual(rc, 1)
        self.assertTrue(any(l.startswith("not ok 2 - run: console line matches")
                            for l in lines), lines)
        rc, lines = self.run_guest({"lines": ["1..1", "ok 1 - A.B",
                                              "zirv: panic: trap_handler: oops"], "exit": 0},
                                   "--allow-kernel-fault")
        self.assertEqual(rc, 0)

    def test_program_bail_out_passes_through(self):
        rc, lines = self.run_guest({"lines": ["1..3", "ok 1 - A.B", "Bail out! no memory"],
                                    "exit": 1})
        self.assertEqual(rc, 1)
        self.assertIn("Bail out! no memory", lines)

    def test_qemu_arguments(self):
        rc, lines = self.run_guest({"echo_argv": True, "lines": ["1..0"], "exit": 0},
                                   "--qemu-arg=-smp", "--qemu-arg", "2",
                                   "--qemu-arg=-append", "--qemu-arg", "a b")
        self.assertEqual(rc, 0)
        argv = next(l for l in lines if l.startswith("# argv: "))
        self.assertIn("-machine virt -nographic -bios ", argv)
        self.assertIn(" -kernel kernel.bin -initrd ", argv)
        self.assertTrue(argv.endswith("-smp 2 -append a b"), argv)

    def test_plain_pass(self):
        rc, lines = self.run_guest({"lines": BANNER + ["hello from zirv"], "exit": 7},
                                   "--plain", "--exit", "7", "--expect", "^hello from zirv$")
        self.assertEqual(rc, 0)
        self.assertIn("# hello from zirv", lines)
        self.assertEqual(lines[-3:], ["ok 1 - console shows /^hello from zirv$/",
                                      "ok 2 - QEMU exit status 7 (want 7)", "1..2"])
        if TAPParser:
            self.assertEqual(self.meson_verdict(lines), (["OK", "OK"], [], False))

    def test_plain_wrong_output_and_status(self):
        rc, lines = self.run_guest({"lines": ["hello from linux"], "exit": 0},
                                   "--plain", "--exit", "7", "--expect", "^hello from zirv$")
        self.assertEqual(rc, 1)
        self.assertEqual(lines[-3:], ["not ok 1 - console shows /^hello from zirv$/",
                                      "not ok 2 - QEMU exit status 0 (want 7)", "1..2"])

    def test_plain_timeout(self):
        rc, lines = self.run_guest({"lines": ["hello from zirv"], "hang": True},
                                   "--plain", "--exit", "7", "--expect", "^hello from zirv$")
        self.assertEqual(rc, 1)
        self.assertEqual(lines[-5:-1], ["ok 1 - console shows /^hello from zirv$/",
                                        "# QEMU timed out after 2 s",
                                        "not ok 2 - run: QEMU timed out after 2 s", "1..2"])
        self.assertTrue(lines[-1].startswith("Bail out!"))
        if TAPParser:
            self.assertEqual(self.meson_verdict(lines), (["OK", "FAIL"], [], True))

    def test_missing_qemu(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.run([sys.executable, RUNNER, "--qemu", os.path.join(tmp, "none"),
                                "--kernel", "k", "--elf", "e"], stdout=subprocess.PIPE,
                               text=True, timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("Bail out! QEMU cannot run", p.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
