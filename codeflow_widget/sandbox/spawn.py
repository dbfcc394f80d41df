"""Starting a run's process: a new session, rlimits, a pids cgroup, death with the caller.

``spawn`` runs between the launcher's choice of mechanism and its ``Running``: the child sets
``PR_SET_PDEATHSIG``, joins the cgroup and applies its rlimits between fork and exec, and a cancel
that arrives while the program starts is held until the start is complete (see ``_start``), so
the launcher can end the whole group itself.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import os
import signal
import sys
from pathlib import Path

from . import mechanisms
from .mechanisms.base import Command
from .policy import RunSpec
from .resources import PidsCgroup, apply_rlimits, rlimits, user_process_count
from .scratch import RunFolder

PR_SET_PDEATHSIG = 1


def _child_setup(pairs, cgroup_fd: int | None, libc) -> None:
    """Runs in the child between fork and exec: only async-signal-safe-ish C calls."""
    if libc is not None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if cgroup_fd is not None:
        os.write(cgroup_fd, b"0")
    apply_rlimits(pairs)


@functools.lru_cache(maxsize=1)
def _libc():
    return ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


async def spawn(spec: RunSpec, folder: RunFolder, command: Command, is_root: bool, module):
    """Start ``command`` in a new session; (process, pids cgroup or None, cancelled meanwhile)."""
    stdin = asyncio.subprocess.PIPE if spec.stdin_pipe else asyncio.subprocess.DEVNULL
    pipes = dict(stdin=stdin, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    if os.name == "nt":
        proc, cancelled = await _start(
            asyncio.create_subprocess_exec(
                *command.argv, cwd=str(folder.path), env=command.env, creationflags=0x200, **pipes
            )
        )
        cgroup = None
    else:
        cgroup = PidsCgroup.create(spec.limits.processes)
        nproc = None
        if not is_root and module is not mechanisms.bubblewrap:
            nproc = user_process_count() + spec.limits.processes  # RLIMIT_NPROC is per user
        setup = functools.partial(
            _child_setup,
            rlimits(spec.limits, nproc),
            cgroup.join_fd if cgroup is not None else None,
            _libc(),
        )
        try:
            proc, cancelled = await _start(
                asyncio.create_subprocess_exec(
                    *command.argv, cwd=str(folder.path), env=command.env, start_new_session=True,
                    preexec_fn=setup, pass_fds=command.pass_fds, **pipes,
                )
            )  # fmt: skip
        except BaseException:
            if cgroup is not None:
                cgroup.remove()
            raise
    if command.started is not None:
        command.started(proc.pid)
    return proc, cgroup, cancelled


async def _start(creating) -> tuple[asyncio.subprocess.Process, bool]:
    """Finish starting the program even if the caller is cancelled meanwhile.

    asyncio's own answer to a cancel at this point kills only the direct child and then waits
    for every pipe to close, which never happens while a grandchild (the program under
    bubblewrap or confine.py) holds one: the stop button hung, and the program lived on. Here the
    start completes, and the launcher's ``stop()`` then ends the whole group and removes the folder.
    """
    task = asyncio.ensure_future(creating)
    cancelled = False
    while True:
        try:
            return await asyncio.shield(task), cancelled
        except asyncio.CancelledError:
            if task.done():
                raise
            cancelled = True


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (Linux ``/proc/<pid>/task/*/children``), nearest first."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text(encoding="utf-8").split()]
        except (OSError, ValueError):
            continue
    return found
