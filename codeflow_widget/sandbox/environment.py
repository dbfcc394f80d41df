"""The environment a sandboxed program gets: built from an allow-list, never a deny-list.

Nothing is copied from the parent process except the names below, so a token whose name nobody
thought of never reaches the program. ``HOME`` (and the XDG folders fontconfig uses) point at the
run folder, ``PATH`` is the minimal system one, and the caller's ``extra_env`` passes only for
names the game may legitimately need (``SDL_*``, ``PYGAME_*``, ``CODEFLOW_PLAY_*``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from .policy import RunSpec

MINIMAL_PATH = "/usr/local/bin:/usr/bin:/bin"
# Copied from the parent when present: locale only (a value with no secret in it).
PARENT_NAMES = re.compile(r"^(LANG|LANGUAGE|LC_[A-Z]+|TZ)$")
# A display for a window; only when the run is not headless.
DISPLAY_NAMES = ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")
# What the caller may add (the player's shim settings, SDL hints).
EXTRA_NAMES = re.compile(r"^(SDL_[A-Z0-9_]+|PYGAME_[A-Z0-9_]+|CODEFLOW_PLAY_[A-Z0-9_]+)$")
FIXED = {
    "PYTHONIOENCODING": "utf-8",
    "PYTHONUTF8": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONNOUSERSITE": "1",
    "PYGAME_HIDE_SUPPORT_PROMPT": "1",
    # glibc reserves 64 MiB of address space per thread arena; under a 1 GiB address-space cap a
    # game with a few threads would run out for nothing.
    "MALLOC_ARENA_MAX": "2",
}


def build_env(
    spec: RunSpec, run_dir: str, parent: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The complete environment for the program of ``spec`` running in ``run_dir``."""
    parent = os.environ if parent is None else parent
    env = {k: v for k, v in parent.items() if PARENT_NAMES.match(k)}
    env.setdefault("LANG", "C.UTF-8")
    env.update(FIXED)
    env["PATH"] = MINIMAL_PATH
    env["HOME"] = run_dir
    env["TMPDIR"] = run_dir
    env["XDG_CACHE_HOME"] = os.path.join(run_dir, ".cache")
    env["XDG_CONFIG_HOME"] = os.path.join(run_dir, ".config")
    if spec.headless:
        env["SDL_VIDEODRIVER"] = "dummy"
        env["SDL_AUDIODRIVER"] = "dummy"
    else:
        env.update({k: parent[k] for k in DISPLAY_NAMES if k in parent})
    env.update({k: str(v) for k, v in spec.extra_env.items() if EXTRA_NAMES.match(k)})
    return env


def refused_names(spec: RunSpec) -> list[str]:
    """The ``extra_env`` names that were not passed (for the trace, never their values)."""
    return sorted(k for k in spec.extra_env if not EXTRA_NAMES.match(k))
