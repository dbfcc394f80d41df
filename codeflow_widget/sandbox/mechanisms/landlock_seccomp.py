"""Linux, where user namespaces are off: Landlock + seccomp + rlimits, applied by ``confine.py``.

Landlock (kernel 5.13+) lets an unprivileged process give up filesystem rights for itself and
everything it starts: here, read and execute for the Python installation and system libraries,
write for the run folder only, plus TCP bind/connect (ABI 4) and signals or abstract sockets
outside the sandbox (ABI 6). seccomp refuses what Landlock does not cover: non-unix sockets (so
UDP too), ptrace, mounts, namespaces, io_uring, mknod, and leaving the process group. The
supervisor half of ``confine.py`` ends the group when the caller dies.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
from pathlib import Path

from ..policy import python_paths, system_paths
from .base import DEVICES, Command, Job, trial_run

NAME = "landlock+seccomp"
CONFINE = Path(__file__).with_name("confine.py")


def policy(job: Job) -> str:
    """The policy for ``confine.py``, one ``KEY:VALUE`` per line (paths never contain newlines
    here: they come from this machine's Python installation and the launcher's run folder)."""
    lines = [f"P:{os.getpid()}", f"H:{int(job.spec.headless)}"]
    lines += [f"R:{p}" for p in (*system_paths(), *python_paths(), *job.readonly_files)]
    lines += [f"W:{job.run_dir}", *(f"D:{d}" for d in DEVICES)]
    return "\n".join(line for line in lines if "\n" not in line[2:])


def command(job: Job) -> Command:
    argv = [sys.executable, "-I", "-S", str(CONFINE), policy(job), "--", *job.program]
    return Command(argv=argv, env=dict(job.env))


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 where Landlock is missing or disabled."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(ctypes.c_long(444), None, ctypes.c_size_t(0), 1)
    return max(int(abi), 0)


@functools.lru_cache(maxsize=1)
def probe() -> str | None:
    """None when a confined run works here; otherwise why not."""
    if os.uname().sysname != "Linux":
        return "not Linux"
    if landlock_abi() < 1:
        return "Landlock is not enabled in this kernel"
    try:
        ctypes.CDLL("libseccomp.so.2")
    except OSError:
        return "libseccomp.so.2 is missing (apt install libseccomp2)"
    return trial_run("landlock", command, new_session=True)
