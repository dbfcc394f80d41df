"""Resource caps for a run: rlimits for every mechanism, a pids cgroup where one can be made.

Memory (address space), file size, open files, CPU time and core dumps are rlimits, set in the
child between fork and exec so they hold for the whole tree. The process count needs more care:
``RLIMIT_NPROC`` counts every process of the real user and is ignored for root, so

- inside a user namespace (bubblewrap, not root) it is applied inside the sandbox, where it
  counts only the sandbox's processes;
- without one (Landlock, not root) it is set to the user's current count plus the cap;
- where this process may create a cgroup (root, or a delegated cgroup) a pids cgroup holds the
  whole tree to the cap — and lists the tree, so ending it misses nothing.
"""

from __future__ import annotations

import os
import resource
import signal
import time
import uuid
from pathlib import Path

from .policy import Limits

CGROUP_ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified"))


def rlimits(limits: Limits, nproc: int | None) -> list[tuple[int, int]]:
    """(resource, value) pairs for ``setrlimit``; ``nproc=None`` leaves the process count alone."""
    pairs = [
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ]
    if limits.cpu_s is not None:
        pairs.append((resource.RLIMIT_CPU, limits.cpu_s))
    if nproc is not None:
        pairs.append((resource.RLIMIT_NPROC, nproc))
    return pairs


def apply_rlimits(pairs: list[tuple[int, int]]) -> None:
    """Lower soft and hard limits (never raise them): runs in the child before exec."""
    for which, value in pairs:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))


def user_process_count() -> int:
    """How many processes (threads count too) this user runs now, for a per-user NPROC cap."""
    uid = os.getuid()
    count = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


class PidsCgroup:
    """A pids cgroup for one run: ``join_fd`` is written "0" by the child before exec."""

    def __init__(self, path: Path, max_pids: int) -> None:
        self.path = path
        path.mkdir()
        (path / "pids.max").write_text(str(max_pids), encoding="utf-8")
        self.join_fd = os.open(path / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC)

    @classmethod
    def create(cls, max_pids: int) -> PidsCgroup | None:
        """A new cgroup, or None where this process may not make one."""
        parents = _candidate_parents()
        for root in parents:
            sweep(root)
        for root in parents:
            try:
                return cls(root / f"codeflow-{os.getpid()}-{uuid.uuid4().hex[:8]}", max_pids)
            except OSError:
                continue
        return None

    def pids(self) -> list[int]:
        try:
            text = (self.path / "cgroup.procs").read_text(encoding="utf-8")
        except OSError:
            return []
        return [int(line) for line in text.split()]

    def kill_all(self) -> None:
        """SIGKILL every process in the cgroup until none is left (forks can race a pass)."""
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self) -> None:
        self.kill_all()
        try:
            os.close(self.join_fd)
        except OSError:
            pass
        for _ in range(100):  # rmdir fails while the killed processes are still being reaped
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)


def sweep(parent: Path) -> None:
    """Remove empty run cgroups whose creator is gone (killed, or exited before its rmdir)."""
    for path in parent.glob("codeflow-*-*"):
        pid = path.name.split("-")[1]
        if pid.isdigit() and pid != str(os.getpid()) and not Path(f"/proc/{pid}").exists():
            try:
                path.rmdir()  # fails, harmlessly, while processes are still in it
            except OSError:
                pass


def _candidate_parents() -> list[Path]:
    parents = []
    v1 = CGROUP_ROOTS[0]
    if (v1 / "cgroup.procs").exists() and os.access(v1, os.W_OK):
        parents.append(v1)
    for root in CGROUP_ROOTS[1:]:
        own = _own_v2_cgroup()
        if own is None or not (root / "cgroup.controllers").exists():
            continue
        here = root / own.lstrip("/")
        control = here / "cgroup.subtree_control"
        try:
            delegated = "pids" in control.read_text(encoding="utf-8").split()
        except OSError:
            continue
        if delegated and os.access(here, os.W_OK):
            parents.append(here)
    return parents


def _own_v2_cgroup() -> str | None:
    try:
        for line in Path("/proc/self/cgroup").read_text(encoding="utf-8").splitlines():
            if line.startswith("0::"):
                return line[3:]
    except OSError:
        pass
    return None
