"""Playing a finished project: the flow's door to the game player.

The widget may import only the flow, the model and itself, so the player widget gets its
``GameSession`` (codeflow_widget/play/session.py: the sandboxed game process, frames out, input
in) through ``open_game`` here. Nothing here knows about widgets.
"""

from __future__ import annotations

from pathlib import Path

from codeflow_widget.play.session import GameSession

__all__ = ["GameSession", "open_game"]


def open_game(
    project_dir: str | Path, language: str = "zh", *, owner: object | None = None
) -> GameSession:
    """A not-yet-started session for ``project_dir/main.py``; ``await session.start()`` runs it.

    ``owner``: when this object is garbage-collected the game ends (the player widget passes
    itself).
    """
    return GameSession(project_dir, "en" if language == "en" else "zh", owner=owner)
