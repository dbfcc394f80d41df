"""macOS: ``sandbox-exec`` with a deny-by-default profile, plus the launcher's rlimits.

The profile allows reading the Python installation, the system's libraries and fonts, writing the
run folder only, and no network at all. ``sandbox-exec`` is deprecated by Apple but still ships and
is what browsers and build tools use. Not run on a real Mac here: the tests check the profile text.
"""

from __future__ import annotations

import os
import shutil
import sys

from ..policy import python_paths
from .base import Command, Job

NAME = "sandbox-exec"
SANDBOX_EXEC = "/usr/bin/sandbox-exec"
SYSTEM_READ = ("/System", "/usr/lib", "/usr/share", "/Library/Fonts", "/private/etc/fonts",
               "/dev", "/private/var/db/timezone")  # fmt: skip


def _quote(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def profile(job: Job) -> str:
    """The SBPL profile for ``job``: deny everything, then allow what a pygame program needs."""
    reads = [*SYSTEM_READ, *python_paths(), *job.readonly_files, job.run_dir]
    lines = [
        "(version 1)",
        "(deny default)",
        "(allow process-fork)",
        "(allow process-exec)",
        "(allow signal (target same-sandbox))",
        "(allow sysctl-read)",
        '(allow mach-lookup (global-name "com.apple.fonts") '
        '(global-name "com.apple.FontObjectsServer"))',
        "(allow file-read-metadata)",
        "(allow file-read* " + " ".join(f"(subpath {_quote(p)})" for p in reads) + ")",
        f'(allow file-write* (subpath {_quote(job.run_dir)}) (literal "/dev/null"))',
        "(deny network*)",
    ]
    if not job.spec.headless:
        lines.append("(allow mach-lookup) (allow iokit-open) (allow ipc-posix-shm)")
    return "\n".join(lines) + "\n"


def command(job: Job) -> Command:
    return Command(argv=[SANDBOX_EXEC, "-p", profile(job), *job.program], env=dict(job.env))


def probe() -> str | None:
    if sys.platform != "darwin":
        return "not macOS"
    if not (os.path.exists(SANDBOX_EXEC) or shutil.which("sandbox-exec")):
        return "sandbox-exec is missing"
    return None
