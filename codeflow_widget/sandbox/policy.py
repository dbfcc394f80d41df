"""What a sandboxed run may use: its limits, its request, and the paths it may see.

``Limits`` and ``RunSpec`` are the launcher contract (``notes/sandbox_api.md``); ``Mechanism`` says
which barrier a run got. ``visible_paths()`` is the one list every mechanism starts from: the Python
installation (prefixes, site-packages, wherever pygame lives) and the system libraries and fonts,
all read-only. The run folder is the only writable place; nothing of the home folder is listed, so
no mechanism shows it.
"""

from __future__ import annotations

import importlib.util
import os
import site
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """Resource caps for one run. ``cpu_s=None`` means no CPU cap (a game being played)."""

    memory_bytes: int = 1 << 30
    file_bytes: int = 16 << 20
    open_files: int = 256
    processes: int = 64
    cpu_s: int | None = 60
    disk_bytes: int = 64 << 20  # everything the run folder may hold; checked while it runs


@dataclass(frozen=True)
class RunSpec:
    """One run: which validated folder, which file, for how long, with what."""

    source_dir: Path
    entry: str = "main.py"
    wrapper: Path | None = None
    timeout_s: float | None = 5.0
    headless: bool = True
    extra_env: Mapping[str, str] = field(default_factory=dict)
    stdin_pipe: bool = False
    language: str = "zh"
    limits: Limits = Limits()
    seatbelt: bool = True  # run through guard.py (the inner audit-hook seatbelt) as well


@dataclass(frozen=True)
class Mechanism:
    """The barrier in use: ``name`` is bubblewrap, landlock+seccomp, sandbox-exec, job-object or none."""

    name: str
    isolated: bool
    detail: str


# System places a Python program with pygame and fontconfig reads; /etc only in part, because
# /etc also holds shadow, ssh keys and machine secrets.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_EXTRAS = (
    "/etc/fonts",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/alternatives",
    "/etc/mime.types",
    "/var/cache/fontconfig",
    "/usr/share/fonts",
)


@lru_cache(maxsize=1)
def python_paths() -> tuple[str, ...]:
    """The Python installation in use, as real paths, without duplicates or nested entries."""
    candidates = [
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(sys.executable),
        os.path.dirname(os.path.realpath(sys.executable)),
        *sysconfig.get_paths().values(),
        *site.getsitepackages(),
    ]
    spec = importlib.util.find_spec("pygame")  # finds it without importing it
    if spec is not None and spec.origin:
        candidates.append(str(Path(spec.origin).parent.parent))
    return _outermost(c for c in candidates if c and os.path.exists(c))


def system_paths() -> tuple[str, ...]:
    """System directories and files (real or symlinked) that exist on this machine."""
    return tuple(p for p in (*SYSTEM_DIRS, *SYSTEM_EXTRAS) if os.path.lexists(p))


def _outermost(paths) -> tuple[str, ...]:
    real = sorted({os.path.realpath(p) for p in paths})
    kept: list[str] = []
    for path in real:
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return tuple(kept)


def under_system(path: str) -> bool:
    """True when ``path`` already lies under a system directory that is shown anyway."""
    return any(path == d or path.startswith(d + "/") for d in SYSTEM_DIRS)
