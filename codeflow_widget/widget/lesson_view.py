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
from codeflow_widget.widget.render import Refused, describe_error, redact, view_text
from codeflow_widget.widget.stream import LiveText
from codeflow_widget.widget.view_state import (
    PHASES,
    ViewContext,
    changes_for,
    configured,
    empty_phases,
    failure,
    relabeled,
    smoke_view,
)

if TYPE_CHECKING:
    import asyncio

    from codeflow_widget.flow.lesson import Lesson

log = logging.getLogger(__name__)
_STATIC = Path(__file__).parent / "static"
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
    """The lesson view. ``CodeFlow("帮我写个贪吃蛇", autostart=True)`` starts right away."""

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
        autostart: bool = False,
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
        timing = os.environ.get("CODEFLOW_WIDGET_TIMING") == "1"
        self._live = LiveText(self._send_msg, PHASES, timing=timing)
        self._batcher = self._live.batcher  # benchmarks/bench_streaming.py hooks on_flush here
        self.last_traceback = ""  # for a teacher's eyes: w.last_traceback
        with self.hold_sync():
            if language in ("zh", "en"):
                self.language = language
            self.request = request or ""
            self._configure()
            self.phases = empty_phases(self.language)
        self.on_msg(self._on_msg)
        self.observe(self._on_language, names=["language"])
        if autostart and self.request:
            self._handle_command({"kind": "generate", "id": "autostart", "text": self.request})

    @t.default("max_retries")
    def _default_max_retries(self) -> int:
        from codeflow_widget.model.entities import (
            MAX_RETRIES,  # not at import time: models builds pydantic classes
        )

        return MAX_RETRIES

    # -- setup --------------------------------------------------------------------
    def _configure(self) -> None:
        try:
            from codeflow_widget.flow.lesson import Lesson

            lesson = Lesson.configure(self._config, **self._overrides)
            if self._overrides["language"] is None:
                self.language = lesson.language
            self._lesson = lesson
        except Exception as exc:  # noqa: BLE001 - ConfigError, MissingApiKey, …: shown in the view
            self._setup_error = exc
            self._show_error(exc)
        self._set(configured(self._lesson, self.language))

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
        handler = getattr(self, f"_cmd_{kind}", None)
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
        for task in (self._task, self._run_task):
            if task is not None and not task.done():
                task.cancel()
                return {"stopping": True}
        return {"stopping": False}

    def _cmd_set_language(self, content: dict, cid: Any) -> dict:
        lang = content.get("language")
        if lang not in ("zh", "en"):
            raise Refused(f"language must be 'zh' or 'en', not {lang!r}")
        self.language = lang
        return {"language": lang}

    def _cmd_run_project(self, content: dict, cid: Any) -> object:
        path, main_file = self._project_location()
        if self._run_task is not None and not self._run_task.done():
            raise Refused(view_text("run_busy", self.language))
        self._run_task = _spawn(self._run_project(cid, self._require_ready(), path, main_file))
        return _DEFERRED

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
        if self._task is not None and not self._task.done():
            raise Refused(view_text("busy", self.language))

    def _project_location(self) -> tuple[Path, str]:
        if not self.project.get("path") or self.project.get("kept"):
            raise Refused(view_text("no_project", self.language))
        return Path(self.project["path"]), self.project.get("main_file") or "main.py"

    async def _run_project(self, cid: Any, lesson: Lesson, path: Path, main_file: str) -> None:
        import asyncio

        headless = not _has_display()
        with self.hold_sync():
            self.run_status, self.run_output = "running", ""
        try:
            result = await lesson.try_project(path, main_file, headless=headless)
        except asyncio.CancelledError:
            self.run_status, self.run_output = "failed", message("request.cancelled", self.language)
            self._reply_error(cid, "run_project", self.run_output)
            return
        except Exception as exc:  # noqa: BLE001
            self.run_status = "failed"
            self._reply_error(cid, "run_project", self._show_error(exc))
            return
        seconds = f"{lesson.settings.smoke_timeout_s:g}"
        note = view_text("headless", self.language, seconds=seconds) + "\n" if headless else ""
        with self.hold_sync():
            self.run_output = redact(f"{note}{result.message}\n{result.output}".strip())
            self.run_status = "ok" if result.ok else "failed"
        self._reply(cid, "run_project", smoke_view(result))

    # -- the flow task ------------------------------------------------------------
    def _start_flow(self, events: AsyncIterator[Any]) -> None:
        self._task = _spawn(self._consume(events))
        self._task.add_done_callback(self._flow_done)

    def _flow_done(self, task: Any) -> None:
        if task.cancelled() and self.status in ("pending", "processing", "retrying"):
            # Stopped before the flow's first step: it never got to answer for itself.
            self._finish_failed(
                message("request.cancelled", self.language), "request.cancelled", can_retry=False
            )

    async def _consume(self, events: AsyncIterator[Any]) -> None:
        import asyncio

        try:
            async for event in events:
                self._apply(event)
        except asyncio.CancelledError:  # cancelled before the flow could answer for itself
            self._finish_failed(
                message("request.cancelled", self.language), "request.cancelled", can_retry=False
            )
        except Exception as exc:  # noqa: BLE001 - a bug in the flow: show it, never lose it
            self._finish_failed(self._show_error(exc), "unexpected", can_retry=False)
        finally:
            self._live.flush()

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
        self._set(changes_for(event, self._context()))
        if isinstance(event, ev.Failed):
            self._error_obj = None

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
        self._live.flush()
        with self.hold_sync():
            self.phases = empty_phases(self.language)
            self.findings, self.project = [], {}
            self.error, self.error_code, self._error_obj = "", "", None
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
            self.phases = relabeled(self.phases, lang, self._teaching)

    def _teaching(self, phase: str, lang: str) -> str:
        """The phase's teaching text in ``lang``: the lesson's own, else the generic one."""
        from codeflow_widget.model.messages import phase_message

        if self._lesson is None:
            return phase_message(phase, lang)  # type: ignore[arg-type]
        return self._lesson.teaching(phase, lang)  # type: ignore[arg-type]

    def close(self) -> None:
        for task in (getattr(self, "_task", None), getattr(self, "_run_task", None)):
            if task is not None and not task.done():
                task.cancel()
        lesson, self._lesson = getattr(self, "_lesson", None), None
        if lesson is not None:
            _spawn(lesson.aclose())  # the provider's HTTP client, on the loop that made it
        super().close()


def _spawn(coro: Any) -> Any:
    """Schedule ``coro`` on the running loop (the kernel's); outside one, on a private loop thread."""
    import asyncio

    try:
        return asyncio.get_running_loop().create_task(coro)
    except RuntimeError:
        return asyncio.run_coroutine_threadsafe(coro, _private_loop())


_LOOP: asyncio.AbstractEventLoop | None = None


def _private_loop() -> asyncio.AbstractEventLoop:
    import asyncio

    global _LOOP
    if _LOOP is None:
        _LOOP = asyncio.new_event_loop()
        threading.Thread(target=_LOOP.run_forever, name="codeflow-widget-loop", daemon=True).start()
    return _LOOP


def _has_display() -> bool:
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
