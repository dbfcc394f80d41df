"""The mechanisms, one module each, in the order ``detect()`` tries them on each platform."""

from __future__ import annotations

import sys

from . import bubblewrap, landlock_seccomp, macos, none, windows

BY_NAME = {m.NAME: m for m in (bubblewrap, landlock_seccomp, macos, windows, none)}
ALIASES = {"landlock": landlock_seccomp.NAME, "bwrap": bubblewrap.NAME}


def candidates() -> list:
    """The isolating mechanisms worth probing on this platform, best first."""
    if sys.platform.startswith("linux"):
        return [bubblewrap, landlock_seccomp]
    if sys.platform == "darwin":
        return [macos]
    if sys.platform == "win32":
        return [windows]
    return []
