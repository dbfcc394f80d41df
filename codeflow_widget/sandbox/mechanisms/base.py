"""What the launcher hands a mechanism (``Job``) and what a mechanism hands back (``Command``).

A mechanism is a small module with ``NAME``, ``probe() -> str | None`` (None when it works here,
otherwise the reason it does not) and ``command(job) -> Command``. The launcher owns everything
the mechanisms share: the run folder, the environment, rlimits, the pids cgroup, the process
group, timeouts and clean-up.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..policy import RunSpec

DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")


@dataclass(frozen=True)
class Job:
    """One run as a mechanism sees it; every path is absolute and real."""

    spec: RunSpec
    run_dir: str
    program: list[str]  # the program's argv: python -X utf8 [guard.py] [wrapper] entry
    readonly_files: tuple[str, ...]  # guard.py, the wrapper: visible read-only
    env: dict[str, str]
    is_root: bool


@dataclass
class Command:
    """How to start the job; ``nproc`` is the RLIMIT_NPROC for the outer process, if any."""

    argv: list[str]
    env: dict[str, str]
    nproc: int | None = None
    pass_fds: tuple[int, ...] = ()
    started: Callable[[int], None] | None = None  # called with the pid right after spawn
    finished: Callable[[], None] | None = None  # called once the tree has ended
    extra: dict = field(default_factory=dict)


def trial_run(
    label: str, command: Callable[[Job], Command], *, new_session: bool = False
) -> str | None:
    """Start ``print('ok')`` through a mechanism: None when it works, otherwise why it did not."""
    with tempfile.TemporaryDirectory(prefix="codeflow-probe-") as run_dir:
        job = Job(
            spec=RunSpec(source_dir=Path(run_dir)),
            run_dir=os.path.realpath(run_dir),
            program=[sys.executable, "-c", "print('ok')"],
            readonly_files=(),
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
            is_root=os.geteuid() == 0,
        )
        cmd = command(job)
        try:
            done = subprocess.run(
                cmd.argv, env=cmd.env, capture_output=True, timeout=20, cwd=run_dir,
                start_new_session=new_session,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{label} could not start: {exc}"
    if done.returncode != 0 or done.stdout.strip() != b"ok":
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"{label}: " + (err[-1] if err else f"exit {done.returncode}")
    return None
