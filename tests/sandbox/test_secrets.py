"""Secrets in the caller's real environment block (what /proc/<pid>/environ shows, unlike
``os.environ`` changes made after start) stay out of reach: a caller process is started with a
token in its environment, launches a program that reads its parent's and every other process's
environ, and prints the outcome; no form of the token may appear."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

STEAL = """
import os
try:
    print("ppid-environ", open("/proc/%d/environ" % os.getppid(), "rb").read().hex())
except OSError as exc:
    print("ppid-environ refused", exc.errno)
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            print(pid, open("/proc/%s/environ" % pid, "rb").read().hex())
        except OSError as exc:
            print(pid, "refused", exc.errno)
"""

CALLER = """
import asyncio, sys
from pathlib import Path
from codeflow_widget.sandbox import RunSpec, run_to_end
outcome = asyncio.run(run_to_end(RunSpec(source_dir=Path(sys.argv[1]), seatbelt=False),
                                 mechanism=sys.argv[2]))
print(outcome.output)
"""


def test_the_callers_environment_block_stays_out_of_reach(mechanism, tmp_path):
    (tmp_path / "main.py").write_text(STEAL, encoding="utf-8")
    token = "innocent-" + secrets.token_hex(16)  # no telling name, so redaction is no help
    env = {"PATH": "/usr/bin:/bin", "SERVICE_VALUE": token, "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", CALLER, str(tmp_path), mechanism],
        env=env, capture_output=True, cwd=str(Path(__file__).parents[2]), timeout=120,
    )  # fmt: skip
    out = done.stdout.decode("utf-8", "replace")
    assert done.returncode == 0 and "\nppid-environ " in "\n" + out, done.stderr
    for form in (token, token.encode().hex(), token[::-1]):
        assert form not in out
