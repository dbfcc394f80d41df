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
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import AsyncIterator
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets as t

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import Language, message
from codeflow_widget.widget.changes import ChangeDesk, merged_texts
from codeflow_widget.widget.failure_words import Failure, failure_in
from codeflow_widget.widget.pacing import PACE_NAMES, Presenter
from codeflow_widget.widget.render import (
    Refused,
    describe_error,
    gone_fallback,
    redact,
    view_text,
)
from codeflow_widget.widget.stream import LiveText
from codeflow_widget.widget.view_state import (
    PHASES,
    ViewContext,
    changes_for,
    configured,
    empty_phases,
    failure,
    project_view,
    relabel_smoke,
    relabeled,
    resumed,
    smoke_view,
    stopped,
)
from codeflow_widget.widget.words import view_texts

if TYPE_CHECKING:
    import asyncio

    from codeflow_widget.flow.lesson import Lesson

log = logging.getLogger(__name__)
_STATIC = Path(__file__).parent / "static"
TICK_S = 0.05  # the pace's clock: 20 reveals a second
_DEFERRED = object()  # the handler answers later (run_project) or has answered (download)


def _shows_errors(method):
    """Route any exception of an observer or handler to the view's error banner."""

    @wraps(method)
    def wrapper(self: CodeFlow, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - an error must never vanish or become a traceback
            self._show_error(exc)
            return None

    return wrapper


class CodeFlow(anywidget.AnyWidget):
    """The lesson view. ``CodeFlow("帮我写个贪吃蛇", autostart=True)`` starts right away;
    ``CodeFlow(project="snake")`` opens an earlier project at its last version, with its versions."""

    _esm = _STATIC / "widget.js"
    _css = _STATIC / "widget.css"

    request = t.Unicode("").tag(sync=True)
    language = t.Enum(("zh", "en"), default_value="zh").tag(sync=True)
    # idle, pending, processing, retrying, completed, failed
    status = t.Unicode("idle").tag(sync=True)
    retry_count = t.Int(0).tag(sync=True)
    max_retries = t.Int().tag(sync=True)  # models.MAX_RETRIES, see _default_max_retries
    can_retry = t.Bool(False).tag(sync=True)
    provider_label = t.Unicode("").tag(sync=True)
    offline = t.Bool(True).tag(sync=True)
    notice = t.Unicode("").tag(sync=True)
    examples = t.Dict().tag(sync=True)
    phases = t.Dict().tag(sync=True)
    findings = t.List().tag(sync=True)
    project = t.Dict().tag(sync=True)
    error = t.Unicode("").tag(sync=True)
    error_code = t.Unicode("").tag(sync=True)
    run_status = t.Unicode("idle").tag(sync=True)  # idle, running, ok, failed
    run_output = t.Unicode("").tag(sync=True)
    progress = t.Dict().tag(sync=True)  # {step, total_s, started_at} of a slow implement step
    # A wish with no lesson: [{id, name, example}] of the closest lessons, shown as buttons.
    suggestions = t.List().tag(sync=True)
    # The teaching pace (widget/pacing.py) and every word of the view's chrome (widget/words.py).
    pace = t.Enum(PACE_NAMES, default_value="normal").tag(sync=True)
    texts = t.Dict().tag(sync=True)
    # Changing what was made (widget/changes.py): the project's versions, the diffs of the
    # current change, the step-mode artefact waiting for the learner, requirement links.
    versions = t.List().tag(sync=True)
    change = t.Dict().tag(sync=True)
    checkpoint = t.Dict().tag(sync=True)
    step_mode = t.Bool(False).tag(sync=True)
    trace = t.Dict().tag(sync=True)
    # The last run's failure as the flow said it, to say it again in the other language.
    _failure: Failure | None = None

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
            raise TypeError(_unknown_kwargs_message(unknown))
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
        _replace_in_cell(self)
        self._batcher = self._live.batcher  # benchmarks/bench_streaming.py hooks on_flush here
        self.last_traceback = ""  # for a teacher's eyes: w.last_traceback
        with self.hold_sync():
            if language in ("zh", "en"):
                self.language = language
            self.request = request or ""
            self.texts = merged_texts(view_texts())
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

    @t.default("max_retries")
    def _default_max_retries(self) -> int:
        from codeflow_widget.model.rules import MAX_RETRIES

        return MAX_RETRIES

    # -- setup --------------------------------------------------------------------
    def _configure(self) -> None:
        try:
            from codeflow_widget.flow.lesson import Lesson

            lesson = Lesson.configure(self._config, **self._overrides)
            if self._overrides["language"] is None:
                self.language = lesson.language
            self.pace = lesson.settings.pace
            self._lesson = lesson
        except Exception as exc:  # noqa: BLE001 - ConfigError, MissingApiKey, …: shown in the view
            self._setup_error = exc
            self._show_error(exc)
        self._set(configured(self._lesson, self.language))

    def _open_project(self, name: str | Path) -> None:
        """Yesterday's project (``project=``) in the card, with its versions and links."""
        from codeflow_widget.flow.history import open_project

        if self._lesson is None:
            return  # the setup error is what the view shows
        try:
            found, state = open_project(name, self._lesson.settings.projects_dir, self.language)
        except (CodeflowError, OSError) as exc:
            self._show_error(exc)
            return
        command = f'cd "{found.path}" && python {found.main_file_path}'
        self._set({**state, "project": project_view(found, command), "status": "completed"})

    def _require_ready(self) -> Lesson:
        if self._lesson is None:
            raise self._setup_error or RuntimeError("not configured")
        self._lesson.language = self.language  # the view's language switch wins
        return self._lesson

    # -- messages -----------------------------------------------------------------
    def _send_msg(self, content: dict, buffers: list[bytes] | None = None) -> None:
        self.send(content, buffers)

    def _reply(
        self, cid: Any, command: str, result: Any = None, buffers: list[bytes] | None = None
    ) -> None:
        self._send_msg(
            {"kind": "response", "id": cid, "command": command, "result": result}, buffers
        )

    def _reply_error(self, cid: Any, command: str, text: str) -> None:
        self._send_msg({"kind": "response", "id": cid, "command": command, "error": text})

    def _on_msg(self, _widget: Any, content: Any, buffers: list[bytes]) -> None:
        if isinstance(content, dict):
            self._handle_command(content)

    def _handle_command(self, content: dict) -> None:
        kind, cid = str(content.get("kind", "")), content.get("id")
        handler = getattr(self, f"_cmd_{kind}", None) or self._changes.handler(kind)
        try:
            if handler is None:
                raise Refused(view_text("unknown_command", self.language, kind=kind[:40]))
            result = handler(content, cid)
        except Exception as exc:  # noqa: BLE001 - answered {id, error} and shown in the banner
            text = self._show_error(exc)
            self._reply_error(cid, kind, text)
            return
        if result is not _DEFERRED:
            self._reply(cid, kind, result)

    # -- commands -----------------------------------------------------------------
    def _cmd_catch_up(self, content: dict, cid: Any) -> dict:
        # A view has appeared: from now on there is a reader, so text is let out at the pace.
        self._viewers += 1
        if self._task is not None and not self._task.done():
            self._ensure_pacer()
        return self._live.catch_up()

    def _cmd_generate(self, content: dict, cid: Any) -> dict:
        self._refuse_if_busy()
        lesson = self._require_ready()
        flow_request = lesson.wish(str(content.get("text", self.request)))
        self._reset_view()
        self.request = flow_request.user_input
        self.retry_count = 0
        self._start_flow(lesson.run())
        return {"request_id": str(flow_request.id)}

    def _cmd_retry(self, content: dict, cid: Any) -> dict:
        self._refuse_if_busy()
        lesson = self._require_ready()
        if lesson.request is None:
            raise Refused(view_text("nothing_to_retry", self.language))
        request = lesson.retry()  # TransitionError request.retry_limit after 3
        self._reset_view()
        self.retry_count = request.retry_count
        self._start_flow(lesson.run())
        return {"retry_count": self.retry_count}

    def _cmd_stop(self, content: dict, cid: Any) -> dict:
        """停止: a neutral 已停止 (no retry used). The reveal pauses; a flow still running is cancelled."""
        if self._busy():
            self._presenter.pause()
            if self._task is not None and not self._task.done():
                self._flow_stopped = True
                self._task.cancel()
            self._set(stopped(self._context()))
            return {"stopping": True}
        if self._run_task is not None and not self._run_task.done():
            self._run_task.cancel()
            return {"stopping": True}
        return {"stopping": False}

    def _cmd_continue(self, content: dict, cid: Any) -> dict:
        """继续 after 停止: resume the reveal; if the flow itself was stopped, run the wish again.

        An offline lesson is the same text again, so what was already shown is shown at once
        and the lesson carries on where it stopped; a real model starts its answer afresh.
        """
        if self.status != "stopped":
            raise Refused(view_text("nothing_to_retry", self.language))
        if not self._flow_stopped:
            self._set(resumed(self._context()))
            self._presenter.resume()
            self._ensure_pacer()
            return {"resumed": "reveal"}
        lesson = self._require_ready()
        shown = {phase: self._live.so_far(phase) for phase in PHASES}
        lesson.wish(self.request)
        self._reset_view()
        self._presenter.skip_shown(shown)
        self._start_flow(lesson.run())
        return {"resumed": "run"}

    def _cmd_restart(self, content: dict, cid: Any) -> dict:
        """重新开始: the same wish from the beginning (a new request)."""
        self._stop_quietly()
        return self._cmd_generate({"text": self.request}, cid)

    def _cmd_set_pace(self, content: dict, cid: Any) -> dict:
        pace = content.get("pace")
        if pace not in PACE_NAMES:
            raise Refused(f"pace must be one of {', '.join(PACE_NAMES)}, not {pace!r}")
        self.pace = pace
        return {"pace": pace}

    def _cmd_fast_forward(self, content: dict, cid: Any) -> dict:
        self._presenter.fast_forward()
        return {"pace": self.pace}

    def _cmd_skip_to_result(self, content: dict, cid: Any) -> dict:
        self._presenter.skip_to_result()
        return {"pace": self.pace}

    def _cmd_ping(self, content: dict, cid: Any) -> dict:
        return {"status": self.status}

    async def settled(self) -> str:
        """Wait until the run has ended and everything is shown (or 停止 paused it); the status."""
        import asyncio

        while self._busy():
            await asyncio.wait([t for t in (self._task, self._pacer) if t is not None])
        return self.status

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)  # (data, metadata) or data
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):  # a clear message where the model can no longer be found
            lesson = getattr(self, "_lesson", None)
            folder = str(lesson.settings.projects_dir) if lesson is not None else "projects"
            data.update(gone_fallback(self.language, folder))
        return bundle

    def _busy(self) -> bool:
        return any(task is not None and not task.done() for task in (self._task, self._pacer))

    def _stop_quietly(self) -> None:
        """End this run without a word (a new run replaces it, or the widget closes)."""
        self._presenter.drop()
        for task in (self._task, self._pacer):
            if task is not None and not task.done():
                self._flow_stopped = True
                task.cancel()
        self._task = self._pacer = None

    def _cmd_set_language(self, content: dict, cid: Any) -> dict:
        lang = content.get("language")
        if lang not in ("zh", "en"):
            raise Refused(f"language must be 'zh' or 'en', not {lang!r}")
        self.language = lang
        return {"language": lang}

    def _cmd_run_project(self, content: dict, cid: Any) -> object:
        """运行: the player in the card; ``{window: true}`` on a desktop: 在窗口中运行.

        Either way the project is validated again first (flow.lesson's gate) and runs through
        the sandbox launcher; a refusal puts the findings in ``run_output``.
        """
        path, main_file = self._project_location()
        if self._run_task is not None and not self._run_task.done():
            raise Refused(view_text("run_busy", self.language))
        lesson = self._require_ready()
        if content.get("window") and _has_display():
            self._run_task = _spawn(self._run_project(cid, lesson, path, main_file))
            return _DEFERRED
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
            "window": _has_display(),  # the view offers 在窗口中运行 ({window: true})
        }
        with self.hold_sync():
            self.project = {**self.project, **play}
            self.run_status = "playing"
            self.run_output = message("run.sandbox", self.language, detail=mechanism.detail)
        return play

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
        return _DEFERRED

    def _cmd_insert_cells(self, content: dict, cid: Any) -> dict:
        from codeflow_widget.widget.render import run_cells

        path, main_file = self._project_location()
        deps = self.project.get("dependencies") or []
        return {"model_id": self.model_id, "cells": run_cells(path, main_file, deps, self.language)}

    def _refuse_if_busy(self) -> None:
        if self.status == "stopped":
            self._stop_quietly()  # 生成 after 停止 starts afresh
        if self._busy():
            raise Refused(view_text("busy", self.language))

    def _project_location(self) -> tuple[Path, str]:
        if not self.project.get("path") or self.project.get("kept"):
            raise Refused(view_text("no_project", self.language))
        return Path(self.project["path"]), self.project.get("main_file") or "main.py"

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

    # -- the flow task ------------------------------------------------------------
    def _start_flow(self, events: AsyncIterator[Any]) -> None:
        self._flow_stopped = False
        self._presenter.resume()
        self._task = _spawn(self._consume(events))
        self._task.add_done_callback(self._flow_done)
        self._ensure_pacer()

    def _ensure_pacer(self) -> None:
        if not self._viewers:
            return  # a script or a test drives this widget: events are applied as they come
        if self._pacer is None or self._pacer.done():
            self._pacer = _spawn(self._pace())

    async def _pace(self) -> None:
        """Let text out at the pace until the flow has finished and everything is shown."""
        import asyncio

        while True:
            self._presenter.step(time.monotonic())
            flow_done = self._task is None or self._task.done()
            if self._presenter.paused or (flow_done and self._presenter.idle):
                self._live.flush()
                return
            await asyncio.sleep(TICK_S)

    def _flow_done(self, task: Any) -> None:
        if self._flow_stopped:
            return
        if task.cancelled() and self.status in ("pending", "processing", "retrying"):
            # Stopped before the flow's first step: it never got to answer for itself.
            self._finish_failed(
                message("request.cancelled", self.language), "request.cancelled", can_retry=False
            )

    async def _consume(self, events: AsyncIterator[Any]) -> None:
        import asyncio

        from codeflow_widget.model import events as ev

        try:
            async for event in events:
                if self._flow_stopped:
                    continue  # the flow's own 已取消 ending: the view already says 已停止
                self._presenter.push(event)
                if not self._pacing():  # driven directly (tests, scripts): nobody paces
                    self._presenter.skip_to_result()
                if isinstance(event, (ev.Progress, ev.ValidationReport)):
                    # Hold the flow here until the learner has seen the code: the checks and
                    # the trial run then happen live, under the progress line.
                    while not self._presenter.idle and self._pacing():
                        await asyncio.sleep(TICK_S)
        except asyncio.CancelledError:  # cancelled before the flow could answer for itself
            if self._flow_stopped:
                return
            self._finish_failed(
                message("request.cancelled", self.language), "request.cancelled", can_retry=False
            )
        except Exception as exc:  # noqa: BLE001 - a bug in the flow: show it, never lose it
            self._finish_failed(self._show_error(exc), "unexpected", can_retry=False)
        finally:
            if not self._pacing():  # driven directly (tests, scripts): nobody paces, show all
                self._presenter.skip_to_result()
            self._live.flush()

    def _pacing(self) -> bool:
        return self._pacer is not None and not self._pacer.done() and not self._flow_stopped

    @_shows_errors
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

    # -- errors and language --------------------------------------------------------
    def _show_error(self, exc: BaseException) -> str:
        """Put a learner-readable message in the ``error`` trait and return it."""
        self._error_obj = exc
        text = describe_error(exc, self.language)
        if not isinstance(exc, (CodeflowError, Refused)):
            import traceback

            self.last_traceback = "".join(traceback.format_exception(exc))
            log.warning("codeflow widget error", exc_info=exc)
        self.error = text
        return text

    @_shows_errors
    def _on_language(self, change: dict) -> None:
        lang = change["new"]
        with self.hold_sync():
            if self.offline and self._lesson:
                self.notice = message("offline.label", lang)
            if self._error_obj is not None:
                self.error = describe_error(self._error_obj, lang)
            elif self.error_code == "request.cancelled":
                self.error = message("request.cancelled", lang)
            elif self._failure is not None:
                self._say_failure(lang)
            self.phases = relabeled(self.phases, lang, self._teaching)
            self._set(relabel_smoke(self._card_and_phases(), lang, self._smoke_timeout()))

    def _remember_failure(self, event: Any, run_lang: str) -> None:
        request = self._lesson.request if self._lesson else None
        self._failure = Failure(
            event.error_code,
            self.error,
            run_lang,
            wish=request.user_input if request is not None else self.request,
            provider=self._lesson.provider if self._lesson else None,
            suggestions=list(self.suggestions),
        )
        if run_lang != self.language:  # switched mid-run: the banner speaks the learner's
            self._say_failure(self.language)

    def _say_failure(self, lang: str) -> None:
        said = failure_in(self._failure, lang) if self._failure else None
        if said is None:
            return
        before, (self.error, self.suggestions) = self.error, said
        # The failed phase's note is the same sentence: it follows the banner.
        self.phases = {
            p: {**s, "note": self.error} if before and s.get("note") == before else s
            for p, s in self.phases.items()
        }

    def _card_and_phases(self) -> dict[str, Any]:
        return {"project": self.project, "phases": self.phases}

    def _smoke_timeout(self) -> float:
        return self._lesson.settings.smoke_timeout_s if self._lesson else 5.0

    def _teaching(self, phase: str, lang: str) -> str:
        """The phase's teaching text in ``lang``: the lesson's own, else the generic one."""
        from codeflow_widget.model.messages import phase_message

        if self._lesson is None:
            return phase_message(phase, lang)  # type: ignore[arg-type]
        return self._lesson.teaching(phase, lang)  # type: ignore[arg-type]

    @_shows_errors
    @_shows_errors
    def _on_step_mode(self, change: dict) -> None:
        self._changes.set_step_mode(bool(change["new"]))

    def _on_pace(self, change: dict) -> None:
        self._presenter.set_pace(change["new"])

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
            _close_soon(lesson)
        super().close()


_BY_CELL: dict[str, Any] = {}  # cell id → weak reference to the CodeFlow it shows


def _replace_in_cell(widget: CodeFlow) -> None:
    """Re-running a cell ends the run of the CodeFlow it showed before (no invisible writer)."""
    import weakref

    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent() if kernel is not None else {}
        cell = (parent or {}).get("metadata", {}).get("cellId")
    except Exception:  # noqa: BLE001 - outside a kernel there is no cell
        cell = None
    if not cell:
        return
    old = _BY_CELL.get(cell)
    previous = old() if old is not None else None
    if previous is not None and previous is not widget and previous._busy():
        previous._stop_quietly()
        previous._set({"status": "stopped", "error_code": "view.replaced", "progress": {}})
    _BY_CELL[cell] = weakref.ref(widget)


def _spawn(coro: Any) -> Any:
    """Schedule ``coro`` on the running loop (the kernel's); outside one, on a private loop thread."""
    import asyncio

    try:
        return asyncio.get_running_loop().create_task(coro)
    except RuntimeError:
        return asyncio.run_coroutine_threadsafe(coro, _private_loop())


def _close_soon(lesson: Lesson) -> None:
    """Close the lesson's provider on the running loop (the one its HTTP client belongs to)."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop here: nothing is streaming, the client is simply collected
        return
    loop.create_task(lesson.aclose())


_LOOP: asyncio.AbstractEventLoop | None = None


def _private_loop() -> asyncio.AbstractEventLoop:
    import asyncio

    global _LOOP
    if _LOOP is None:
        _LOOP = asyncio.new_event_loop()
        threading.Thread(target=_LOOP.run_forever, name="codeflow-widget-loop", daemon=True).start()
    return _LOOP


def _has_display() -> bool:
    """A window would appear in front of the learner: not on JupyterHub, Colab or a bare server."""
    if os.environ.get("JUPYTERHUB_USER") or "COLAB_RELEASE_TAG" in os.environ:
        return False  # the kernel runs on a server; the learner's screen is elsewhere
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _unknown_kwargs_message(unknown: dict[str, Any]) -> str:
    import difflib
    import inspect

    options = [n for n in inspect.signature(CodeFlow).parameters if n != "unknown"]
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, options, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"CodeFlow() got unexpected keyword argument(s) {', '.join(parts)}. Valid options: {', '.join(options)}."
