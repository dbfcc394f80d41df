"""What the learner can do with the finished project in the card: run, download, insert cells.

``ProjectActions`` holds the lesson view's commands on the project card. ``run_project``
(运行) validates the project again through the lesson's gate and plays it in the card's
player widget (``widget/player.py``), or — ``{window: true}`` on a desktop that has a screen
in front of the learner (``has_display``: never on JupyterHub or Colab) — runs it in its own
window through the sandbox launcher, answering later with the trial-run view; either way
``run_status``/``run_output`` say what happened and which sandbox mechanism is in use.
``download`` answers with the project as one zip buffer, ``insert_cells`` with the notebook
cells that run it. A card without a project on disk (none yet, or a kept draft) is refused.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import message
from codeflow_widget.widget.flow_task import spawn
from codeflow_widget.widget.lesson_commands import DEFERRED
from codeflow_widget.widget.render import Refused, describe_error, redact, view_text
from codeflow_widget.widget.view_state import smoke_view

if TYPE_CHECKING:
    from codeflow_widget.flow.lesson import Lesson


class ProjectActions:
    """The project card's commands of ``CodeFlow`` (a mixin: it reads the widget's state)."""

    def _cmd_run_project(self, content: dict, cid: Any) -> object:
        """运行: the player in the card; ``{window: true}`` on a desktop: 在窗口中运行.

        Either way the project is validated again first (flow.lesson's gate) and runs through
        the sandbox launcher; a refusal puts the findings in ``run_output``.
        """
        path, main_file = self._project_location()
        if self._run_task is not None and not self._run_task.done():
            raise Refused(view_text("run_busy", self.language))
        lesson = self._require_ready()
        if content.get("window") and has_display():
            self._run_task = spawn(self._run_project(cid, lesson, path, main_file))
            return DEFERRED
        return self._play_inline(lesson, path, main_file)

    def _play_inline(self, lesson: Lesson, path: Path, main_file: str) -> dict:
        from codeflow_widget.widget.player import Player

        try:
            mechanism = lesson.check_run(path, main_file)
        except CodeflowError as exc:
            with self.hold_sync():
                self.run_status, self.run_output = "failed", describe_error(exc, self.language)
            raise
        self._close_player()
        self._player = Player(path, language=self.language, entry=main_file)
        play = {
            "player_model": self._player.model_id,
            "sandbox": {"name": mechanism.name, "isolated": mechanism.isolated},
            "window": has_display(),  # the view offers 在窗口中运行 ({window: true})
        }
        with self.hold_sync():
            self.project = {**self.project, **play}
            self.run_status = "playing"
            self.run_output = message("run.sandbox", self.language, detail=mechanism.detail)
        return play

    async def _run_project(self, cid: Any, lesson: Lesson, path: Path, main_file: str) -> None:
        import asyncio

        with self.hold_sync():
            self.run_status, self.run_output = "running", ""
        try:
            result = await lesson.try_project(path, main_file, headless=False)
        except asyncio.CancelledError:
            self.run_status, self.run_output = "failed", message("request.cancelled", self.language)
            self._reply_error(cid, "run_project", self.run_output)
            return
        except Exception as exc:  # noqa: BLE001
            self.run_status = "failed"
            self._reply_error(cid, "run_project", self._show_error(exc))
            return
        note = message("run.sandbox", self.language, detail=lesson.sandbox().detail)
        with self.hold_sync():
            self.run_output = redact(f"{note}\n{result.message}\n{result.output}".strip())
            self.run_status = "ok" if result.ok else "failed"
        self._reply(cid, "run_project", smoke_view(result))

    def _close_player(self) -> None:
        player, self._player = getattr(self, "_player", None), None
        if player is not None:
            player.close()

    def _cmd_download(self, content: dict, cid: Any) -> object:
        path, _ = self._project_location()
        if not self.project.get("downloadable"):
            raise CodeflowError("project.not_validated")
        from codeflow_widget.flow.lesson import Lesson

        data = Lesson.project_zip(path)
        self._reply(cid, "download", {"filename": f"{path.name}.zip", "size": len(data)}, [data])
        return DEFERRED

    def _cmd_insert_cells(self, content: dict, cid: Any) -> dict:
        from codeflow_widget.widget.render import run_cells

        path, main_file = self._project_location()
        deps = self.project.get("dependencies") or []
        return {"model_id": self.model_id, "cells": run_cells(path, main_file, deps, self.language)}

    def _project_location(self) -> tuple[Path, str]:
        if not self.project.get("path") or self.project.get("kept"):
            raise Refused(view_text("no_project", self.language))
        return Path(self.project["path"]), self.project.get("main_file") or "main.py"


def has_display() -> bool:
    """A window would appear in front of the learner: not on JupyterHub, Colab or a bare server."""
    if os.environ.get("JUPYTERHUB_USER") or "COLAB_RELEASE_TAG" in os.environ:
        return False  # the kernel runs on a server; the learner's screen is elsewhere
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
