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

from ..model.catalogue import by_language, table

WORDS = by_language(table("game_session"))  # catalogue/game_session.json


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
