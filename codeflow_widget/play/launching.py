"""Starting a game: the language it speaks, and the learner's program through the sandbox
launcher with the shim as its wrapper.

``configured_language`` is the one rule for which language a player uses: an explicit
``"zh"``/``"en"`` argument wins, otherwise the configured language (``CODEFLOW_LANGUAGE``, then
``codeflow.json``, as ``load_settings`` reads them), and Chinese when nothing says otherwise. A
configuration that does not validate still has its language honoured where it can be read: a
broken API-key setting must not change the words of a game.

``default_launch()`` is the one way ``GameSession`` starts a game for real (tests may pass
another launcher): the pre-run gate admits the project first, then the launcher runs
``main.py`` under the capture shim (``SHIM``, the one folder the launcher makes visible inside
the sandbox) with SDL's dummy video and audio, a stdin pipe for input, no time limit and no
CPU-time cap, since a game being played runs until it is stopped.
"""

from __future__ import annotations

import json
import os
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


def configured_language(explicit: str | None = None) -> str:
    """``"zh"`` or ``"en"``: ``explicit`` when given, else the configuration's language."""
    if explicit in ("zh", "en"):
        return explicit
    from ..config import find_config, load_settings
    from ..model.errors import CodeflowError

    try:
        return load_settings().language
    except CodeflowError:
        pass
    env = os.environ.get("CODEFLOW_LANGUAGE", "").strip().lower()
    if env in ("zh", "en"):
        return env
    return _file_language(find_config())


def _file_language(path: Path | None) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return "zh"
    return "en" if isinstance(data, dict) and data.get("language") == "en" else "zh"
