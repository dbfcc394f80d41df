"""What a game session says to the learner, and in which language.

The sentences ``GameSession`` puts in ``message`` when a game ends, crashes or is stopped for
want of a view, in Chinese and English; and ``configured_language``, the one rule for which of
the two a player uses: an explicit ``"zh"``/``"en"`` argument wins, otherwise the configured
language (``CODEFLOW_LANGUAGE``, then ``codeflow.json``, as ``load_settings`` reads them), and
Chinese when nothing says otherwise. A configuration that does not validate still has its
language honoured where it can be read: a broken API-key setting must not change the words of
a game.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

WORDS = {
    "zh": {
        "crashed": "游戏出错停止了。下面是 Python 的报错信息（从下往上读：最后一行说出了什么错，"
        "上面几行指出是 main.py 的哪一行）。",
        "ended": "游戏已结束（退出码 {code}）。",
        "no_traceback": "游戏意外退出（退出码 {code}），没有留下报错信息。",
        "idle": "没有画面在显示它已超过 {s} 秒，游戏已停止。",
    },
    "en": {
        "crashed": "The game stopped with an error. Here is Python's message (read it from the "
        "bottom up: the last line says what went wrong, the lines above point at main.py).",
        "ended": "The game has ended (exit code {code}).",
        "no_traceback": "The game exited unexpectedly (exit code {code}) without an error message.",
        "idle": "Nothing showed the game for over {s} s, so it was stopped.",
    },
}


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
