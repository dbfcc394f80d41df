"""What a lesson does with a project once it is finished: try it, gate it, zip it, play it.

``Lesson`` inherits these from ``FinishedProject`` so the front ends keep one object to talk
to, while the lesson module stays about wishes and their runs. Every run of generated code
goes through the sandbox gate first: the project is validated again (the learner's edits
included) and the ``sandbox`` policy decides whether it may run at all. Nothing here is
loaded before a button asks for it, so the lesson view is built without the sandbox.

Playing is the flow's door to the game player: the widget may import only the flow, the model
and itself, so the player widget gets its ``GameSession`` (codeflow_widget/play/session.py: the
sandboxed game process, frames out, input in) through ``open_game`` here, and the language a
player speaks through ``game_language``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codeflow_widget.config import Settings
    from codeflow_widget.model.entities import SmokeResult
    from codeflow_widget.model.messages import Language
    from codeflow_widget.play.session import GameSession


def open_game(
    project_dir: str | Path, language: str = "zh", *, owner: object | None = None
) -> GameSession:
    """A not-yet-started session for ``project_dir/main.py``; ``await session.start()`` runs it.

    ``owner``: when this object is garbage-collected the game ends (the player widget passes
    itself).
    """
    from codeflow_widget.play.session import GameSession

    return GameSession(project_dir, "en" if language == "en" else "zh", owner=owner)


def game_language(explicit: str | None = None) -> Language:
    """``"zh"`` or ``"en"``: ``explicit`` when given, else the configured language."""
    from codeflow_widget.play.launching import configured_language

    return configured_language(explicit)  # type: ignore[return-value]


class FinishedProject:
    """The 运行 / 下载 buttons' side of a ``Lesson`` (it supplies ``settings`` and ``language``)."""

    settings: Settings
    language: Language

    async def try_project(self, path: Path, main_file: str, *, headless: bool) -> SmokeResult:
        """Run a finished project once (the 运行 button): headless for the trial time.

        The gate validates the project again first (the learner's edits included) and applies
        the ``sandbox`` policy: ``RunBlocked`` / ``SandboxUnavailable`` mean nothing ran.
        """
        from codeflow_widget.sandbox import gate
        from codeflow_widget.sandbox.runner import run_project

        gate.admit(path, main_file, language=self.language, settings=self.settings)
        timeout = self.settings.smoke_timeout_s if headless else 1800.0
        return await run_project(
            path, main_file, timeout_s=timeout, headless=headless, language=self.language,
            required=self.settings.sandbox == "required",
        )  # fmt: skip

    def check_run(self, path: Path, main_file: str = "main.py") -> Any:
        """The gate alone (before the player starts): raises, or returns the ``Mechanism``."""
        from codeflow_widget.sandbox import gate

        return gate.admit(path, main_file, language=self.language, settings=self.settings)

    def sandbox(self) -> Any:
        """The mechanism a run gets here (``Mechanism``: name, isolated, detail in the language)."""
        from codeflow_widget.sandbox import detect

        return detect(self.language)

    @staticmethod
    def project_zip(path: Path) -> bytes:
        """The project folder as a zip archive (the 下载 button)."""
        from codeflow_widget.output.projects import zip_project

        return zip_project(path)
