"""Starting a game: the learner's program through the sandbox launcher, the shim as its wrapper.

``default_launch()`` is the one way ``GameSession`` starts a game for real (tests may pass
another launcher): the pre-run gate admits the project first, then the launcher runs
``main.py`` under the capture shim (``SHIM``, the one folder the launcher makes visible inside
the sandbox) with SDL's dummy video and audio, a stdin pipe for input, no time limit and no
CPU-time cap, since a game being played runs until it is stopped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

SHIM = Path(__file__).with_name("capture")  # a folder: python runs its __main__.py


def default_launch() -> Callable[..., Awaitable[Any]]:
    """``start(project_dir, entry, language, extra_env)`` → the launcher's running process."""
    from ..sandbox import Limits, RunSpec, gate, launch

    async def start(project_dir: Path, entry: str, language: str, extra_env: dict) -> Any:
        gate.admit(project_dir, entry, language=language)  # validated again, policy applied
        spec = RunSpec(
            source_dir=project_dir,
            entry=entry,
            wrapper=SHIM,
            timeout_s=None,  # played until stopped
            headless=True,  # SDL dummy video and audio: frames go through the shim, sound is off
            stdin_pipe=True,
            language=language,
            extra_env=extra_env,
            limits=Limits(cpu_s=None),  # a game being played has no CPU-time cap
        )
        return await launch(spec)

    return start
