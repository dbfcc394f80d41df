"""The lesson view: ``CodeFlow()`` shows a wish becoming a program, phase by phase.

The widget drives one ``flow.lesson.Lesson`` — it owns the settings, the provider,
the request and its retries — and consumes its event stream on the kernel's
own asyncio loop, so the learner can run other cells while it streams. Traitlets
hold the session state — everything a re-displayed or reloaded view needs, and what
JupyterLab saves into the notebook; ``view_state`` computes their values from the
events, and ``stream`` carries the thinking and answer deltas as batched messages
(with a ``catch_up`` for a view that appears mid-stream). Every command from the
view carries an ``id`` and is answered ``{kind: "response", id, result}`` or
``{kind: "response", id, error}``; errors anywhere — config, input, the flow task,
an observer — land in the ``error`` trait, which the view shows as a banner, never
as a traceback. No API key ever enters a trait or a message: the widget only sees
events, and events carry no secrets. Importing this module stays cheap (issue 7):
settings, providers, the flow, asyncio and the renderers load when first needed.

``CodeFlow`` is assembled from parts, one job each: ``lesson_traits`` (the synced state),
``lesson_opening`` (the constructor's checks, the Lesson, a reopened project),
``lesson_commands`` (the message protocol and the run's commands), ``project_actions``
(运行, download, insert cells), ``flow_task`` (consuming the events at the pace) and
``errors_and_language`` (the banner and the language switch). This module keeps the
constructor, the event → trait step (``_apply``), starting a fresh view and closing.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codeflow_widget.model.messages import Language
from codeflow_widget.widget.changes import ChangeDesk
from codeflow_widget.widget.errors_and_language import ErrorsAndLanguage, shows_errors
from codeflow_widget.widget.flow_task import FlowTask, close_soon
from codeflow_widget.widget.lesson_commands import LessonCommands
from codeflow_widget.widget.lesson_opening import (
    LessonOpening,
    replace_in_cell,
    unknown_options_message,
)
from codeflow_widget.widget.lesson_traits import LessonTraits
from codeflow_widget.widget.pacing import Presenter
from codeflow_widget.widget.project_actions import ProjectActions
from codeflow_widget.widget.render import gone_fallback
from codeflow_widget.widget.stream import LiveText
from codeflow_widget.widget.view_state import (
    PHASES,
    ViewContext,
    changes_for,
    empty_phases,
    failure,
    relabel_smoke,
    relabeled,
)
from codeflow_widget.widget.words import view_texts

if TYPE_CHECKING:
    from codeflow_widget.flow.lesson import Lesson

__all__ = ["CodeFlow"]
_STATIC = Path(__file__).parent / "static"


class CodeFlow(
    LessonCommands, ProjectActions, FlowTask, ErrorsAndLanguage, LessonOpening, LessonTraits
):
    """The lesson view. ``CodeFlow("帮我写个贪吃蛇", autostart=True)`` starts right away;
    ``CodeFlow(project="snake")`` opens an earlier project at its last version, with its versions."""

    _esm = _STATIC / "widget.js"
    _css = _STATIC / "widget.css"

    def __init__(
        self,
        request: str = "",
        *,
        language: Language | None = None,
        provider: str | None = None,
        model: str | None = None,
        base_url: str | None = None,
        config: str | Path | None = None,
        projects_dir: str | Path | None = None,
        pace: str | None = None,
        autostart: bool = False,
        project: str | Path | None = None,
        **unknown: Any,
    ) -> None:
        if unknown:
            raise TypeError(unknown_options_message(type(self), unknown))
        super().__init__()
        self._config = config
        self._overrides = {
            "language": language,
            "provider": provider,
            "model": model,
            "base_url": base_url,
            "projects_dir": projects_dir,
        }
        self._lesson: Lesson | None = None
        self._setup_error: BaseException | None = None
        self._error_obj: BaseException | None = None
        self._task: Any = None
        self._run_task: Any = None
        self._player: Any = None  # the in-card player 运行 shows (widget/player.py)
        timing = os.environ.get("CODEFLOW_WIDGET_TIMING") == "1"
        self._live = LiveText(self._send_msg, PHASES, timing=timing)
        self._presenter = Presenter(self._live.add, self._apply)
        self._pacer: Any = None  # the task that lets text out at the pace
        self._changes = ChangeDesk(self)
        self._flow_stopped = False  # 停止 cancelled the flow itself (not just the reveal)
        self._viewers = 0  # views that asked to catch up; with none, nobody reads: no pacing
        replace_in_cell(self)
        self._batcher = self._live.batcher  # benchmarks/bench_streaming.py hooks on_flush here
        self.last_traceback = ""  # for a teacher's eyes: w.last_traceback
        with self.hold_sync():
            if language in ("zh", "en"):
                self.language = language
            self.request = request or ""
            self.texts = view_texts()
            self._configure()
            if pace is not None:
                self.pace = pace  # an unknown pace is a TraitError: a clear message at once
            self._presenter.set_pace(self.pace)
            self.phases = empty_phases(self.language)
            if project is not None:
                self._open_project(project)
        self.on_msg(self._on_msg)
        self.observe(self._on_language, names=["language"])
        self.observe(self._on_pace, names=["pace"])
        self.observe(self._on_step_mode, names=["step_mode"])
        if self._lesson is not None and self._lesson.step_mode:
            self.step_mode = True
        if autostart and self.request:
            self._handle_command({"kind": "generate", "id": "autostart", "text": self.request})

    # -- events → traits ------------------------------------------------------------
    @shows_errors
    def _apply(self, event: Any) -> None:
        from codeflow_widget.model import events as ev

        match event:
            case ev.ThinkingDelta() | ev.ContentDelta():  # the hot path: a message, not a trait
                self._live.add(event.phase, event.type, event.text)
                return
            case ev.PhaseCompleted() | ev.PhaseFailed() | ev.Failed():
                self._live.flush()  # the last deltas reach the view before the phase's full text
            case ev.PhaseStarted():
                self._live.clear(event.phase)
            case ev.PhaseReset():
                self._live.restart(event.phase)
        changes = {**changes_for(event, self._context()), **self._changes.changes_for(event)}
        run_lang = self._lesson.language if self._lesson else self.language
        if run_lang != self.language and ("phases" in changes or "project" in changes):
            # Switched mid-run: the events speak the run's language, the view the learner's.
            changes = {**self._card_and_phases(), **changes}
            changes["phases"] = relabeled(changes["phases"], self.language, self._teaching)
            changes.update(relabel_smoke(changes, self.language, self._smoke_timeout()))
        self._set(changes)
        if isinstance(event, ev.Failed):
            self._error_obj = None
            self._remember_failure(event, run_lang)

    def _context(self) -> ViewContext:
        base_url = self._lesson.base_url if self._lesson else ""
        now_ms = int(time.time() * 1000)
        return ViewContext(self.phases, self.language, base_url, self._live.so_far, now_ms)

    def _set(self, changes: dict[str, Any]) -> None:
        with self.hold_sync():
            for name, value in changes.items():
                setattr(self, name, value)

    def _finish_failed(self, text: str, code: str, *, can_retry: bool) -> None:
        self._live.flush()
        self._set(failure(self._context(), text, code, can_retry=can_retry))
        self._error_obj = None

    def _reset_view(self) -> None:
        self._presenter.drop()
        self._close_player()  # a new run: the previous project's game ends
        self._live.flush()
        with self.hold_sync():
            self.phases = empty_phases(self.language)
            self.findings, self.project = [], {}
            self.error, self.error_code, self._error_obj = "", "", None
            self._failure = None
            self.suggestions = []
            self.change, self.checkpoint, self.versions, self.trace = {}, {}, [], {}
            self.run_status, self.run_output, self.progress = "idle", "", {}
            self.status, self.can_retry = "pending", False
        self._live.restart()

    # -- observers, display and closing -----------------------------------------------
    @shows_errors
    def _on_step_mode(self, change: dict) -> None:
        self._changes.set_step_mode(bool(change["new"]))

    def _on_pace(self, change: dict) -> None:
        self._presenter.set_pace(change["new"])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)  # (data, metadata) or data
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):  # a clear message where the model can no longer be found
            lesson = getattr(self, "_lesson", None)
            folder = str(lesson.settings.projects_dir) if lesson is not None else "projects"
            data.update(gone_fallback(self.language, folder))
        return bundle

    def close(self) -> None:
        if hasattr(self, "_presenter"):
            self._presenter.drop()
        self._close_player()
        for task in (
            getattr(self, "_task", None),
            getattr(self, "_pacer", None),
            getattr(self, "_run_task", None),
        ):
            if task is not None and not task.done():
                task.cancel()
        lesson, self._lesson = getattr(self, "_lesson", None), None
        if lesson is not None and not sys.is_finalizing():
            close_soon(lesson)
        super().close()
