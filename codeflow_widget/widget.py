"""The lesson view: ``CodeFlow()`` shows a wish becoming a program, phase by phase.

The widget consumes the flow's event stream (``flow.run_request``) on the kernel's
own asyncio loop, so the learner can run other cells while it streams. Traitlets
hold the session state — everything a re-displayed or reloaded view needs, and what
JupyterLab saves into the notebook. Thinking and answer deltas are far too frequent
for traitlets (each sync resends the whole value), so ``DeltaBatcher`` buffers them
and sends one custom message per ~50 ms; at the end of a phase its full text is
synced to the ``phases`` trait. A view that appears mid-stream asks for the text so
far (``catch_up``). Every command from the view carries an ``id`` and is answered
``{kind: "response", id, result}`` or ``{kind: "response", id, error}``; errors
anywhere — config, input, the flow task, an observer — land in the ``error`` trait,
which the view shows as a banner, never as a traceback. No API key ever enters a
trait or a message: the widget only sees events, and events carry no secrets.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import os
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from functools import wraps
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from .config import Settings, load_settings
from .errors import CodeflowError
from .i18n import Language, message, phase_message, phase_title
from .models import MAX_RETRIES, PHASE_ORDER
from .render import (
    Refused,
    describe_error,
    empty_phases,
    examples,
    finding_view,
    model_label,
    project_view,
    redact,
    render_phase_output,
    run_cells,
    smoke_view,
    view_text,
)

log = logging.getLogger(__name__)
_STATIC = Path(__file__).parent / "static"
FLUSH_INTERVAL_S = 0.05  # ≤ 20 delta messages per second per widget
_OPTIONS = (
    "request",
    "language",
    "provider",
    "model",
    "base_url",
    "config",
    "projects_dir",
    "autostart",
)


def _now_ms() -> int:
    return int(time.time() * 1000)


class DeltaBatcher:
    """Coalesce streaming deltas into at most one message per ``interval_s``.

    Leading-edge throttle: after a quiet spell the first delta goes out on the next
    loop turn; while deltas keep coming they leave together once per interval.
    Consecutive deltas of the same phase and kind are joined into one item.
    """

    def __init__(
        self,
        send: Callable[[dict], None],
        interval_s: float = FLUSH_INTERVAL_S,
        *,
        timing: bool = False,
    ):
        self._send = send
        self.interval_s = interval_s
        self.timing = timing  # add the oldest delta's wall time ("t") for latency measurement
        self.seq = 0
        self._items: list[tuple[str, str, list[str]]] = []
        self._first_wall = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self._last_flush = float("-inf")
        self.on_flush: Callable[[int], None] | None = None  # benchmark hook: number of deltas sent

    def add(self, phase: str, kind: str, text: str) -> None:
        if not text:
            return
        if self._items and self._items[-1][0] == phase and self._items[-1][1] == kind:
            self._items[-1][2].append(text)
        else:
            if not self._items:
                self._first_wall = time.time()
            self._items.append((phase, kind, [text]))
        if self._handle is None:
            self._schedule()

    def _schedule(self) -> None:
        delay = max(0.0, self._last_flush + self.interval_s - time.monotonic())
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a plain script): flush when due, the rest at phase end
            if delay == 0.0:
                self.flush()
            return
        self._handle = loop.call_later(delay, self.flush)

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if not self._items:
            return
        items = [[phase, kind, "".join(parts)] for phase, kind, parts in self._items]
        count = sum(len(parts) for _, _, parts in self._items)
        self._items = []
        self.seq += 1
        msg: dict[str, Any] = {"kind": "deltas", "seq": self.seq, "items": items}
        if self.timing:
            msg["t"] = self._first_wall
        self._last_flush = time.monotonic()
        self._send(msg)
        if self.on_flush is not None:
            self.on_flush(count)

    def next_seq(self) -> int:
        """A sequence number for a non-delta stream message (reset), after a flush."""
        self.flush()
        self.seq += 1
        return self.seq


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
    status = t.Unicode("idle").tag(
        sync=True
    )  # idle, pending, processing, retrying, completed, failed
    retry_count = t.Int(0).tag(sync=True)
    max_retries = t.Int(MAX_RETRIES).tag(sync=True)
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
        self._settings: Settings | None = None
        self._provider: Any = None
        self._setup_error: BaseException | None = None
        self._error_obj: BaseException | None = None
        self._flow_request: Any = None  # models.CodeGenerationRequest of the current run
        self._task: Any = None
        self._run_task: Any = None
        self._live = _empty_live()
        self._batcher = DeltaBatcher(
            self._send_msg, timing=os.environ.get("CODEFLOW_WIDGET_TIMING") == "1"
        )
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

    # -- setup --------------------------------------------------------------------
    def _configure(self) -> None:
        overrides = {k: v for k, v in self._overrides.items() if v is not None}
        try:
            settings = load_settings(self._config, **overrides)
            if self._overrides["language"] is None:
                self.language = settings.language
            from .providers import build_provider

            self._provider = build_provider(settings)
            self._settings = settings
        except Exception as exc:  # noqa: BLE001 - ConfigError, MissingApiKey, …: shown in the view
            self._setup_error = exc
            self._show_error(exc)
        settings = self._settings
        offline = (
            bool(getattr(self._provider, "offline", settings.is_offline)) if settings else False
        )
        if settings is not None:
            self.provider_label = model_label(
                settings.provider, settings.resolved_model or "", settings.resolved_base_url or ""
            )
        self.offline = offline
        self.notice = message("offline.label", self.language) if offline and self._settings else ""
        self.examples = examples(offline)

    def _require_ready(self) -> tuple[Settings, Any]:
        if self._settings is None or self._provider is None:
            raise self._setup_error or RuntimeError("not configured")
        return self._settings.model_copy(update={"language": self.language}), self._provider

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
        self._batcher.flush()  # everything buffered is in this answer; later deltas are new
        live = {
            p: {"thinking": "".join(v["thinking"]), "content": "".join(v["content"])}
            for p, v in self._live.items()
        }
        return {"seq": self._batcher.seq, "now_ms": _now_ms(), "live": live}

    def _cmd_generate(self, content: dict, cid: Any) -> dict:
        self._refuse_if_busy()
        settings, provider = self._require_ready()
        from .flow import new_request, run_request

        flow_request = new_request(str(content.get("text", self.request)), settings, provider)
        self._flow_request = flow_request
        self._reset_view()
        self.request = flow_request.user_input
        self.retry_count = 0
        self._start_flow(run_request(flow_request, provider, settings))
        return {"request_id": str(flow_request.id)}

    def _cmd_retry(self, content: dict, cid: Any) -> dict:
        self._refuse_if_busy()
        settings, provider = self._require_ready()
        if self._flow_request is None:
            raise Refused(view_text("nothing_to_retry", self.language))
        self._flow_request.begin_retry()  # TransitionError request.retry_limit after 3
        from .flow import run_request

        self._reset_view()
        self.retry_count = self._flow_request.retry_count
        self._start_flow(run_request(self._flow_request, provider, settings))
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
        self._run_task = _spawn(self._run_project(cid, path, main_file))
        return _DEFERRED

    def _cmd_download(self, content: dict, cid: Any) -> object:
        path, _ = self._project_location()
        if not self.project.get("downloadable"):
            raise CodeflowError("project.not_validated")
        from .projects import zip_project

        data = zip_project(path)
        self._reply(cid, "download", {"filename": f"{path.name}.zip", "size": len(data)}, [data])
        return _DEFERRED

    def _cmd_insert_cells(self, content: dict, cid: Any) -> dict:
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

    async def _run_project(self, cid: Any, path: Path, main_file: str) -> None:
        from .runner import run_project

        headless = not _has_display()
        timeout = self._settings.smoke_timeout_s if (headless and self._settings) else 1800.0
        with self.hold_sync():
            self.run_status, self.run_output = "running", ""
        try:
            result = await run_project(
                path, main_file, timeout_s=timeout, headless=headless, language=self.language
            )
        except asyncio.CancelledError:
            self.run_status, self.run_output = "failed", message("request.cancelled", self.language)
            self._reply_error(cid, "run_project", self.run_output)
            return
        except Exception as exc:  # noqa: BLE001
            self.run_status = "failed"
            self._reply_error(cid, "run_project", self._show_error(exc))
            return
        note = (
            view_text("headless", self.language, seconds=f"{timeout:g}") + "\n" if headless else ""
        )
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
            self._batcher.flush()

    @_shows_errors
    def _apply(self, event: Any) -> None:
        handler = getattr(self, f"_on_{event.type}", None)
        if handler is not None:
            handler(event)

    def _on_started(self, event: Any) -> None:
        with self.hold_sync():
            self.offline = bool(event.offline)
            base_url = self._settings.resolved_base_url if self._settings else ""
            self.provider_label = model_label(event.provider, event.model, base_url or "")
            self.notice = event.notice or (
                message("offline.label", self.language) if event.offline else ""
            )
            self.retry_count = event.retry_count

    def _on_request_status(self, event: Any) -> None:
        with self.hold_sync():
            self.status, self.retry_count = event.status, event.retry_count

    def _on_phase_started(self, event: Any) -> None:
        self._live[event.phase] = {"thinking": [], "content": []}
        self._set_phase(
            event.phase,
            status="active",
            title=event.title,
            educational_message=event.educational_message,
            started_at=_now_ms(),
            elapsed_ms=0,
            note="",
        )

    def _on_thinking(self, event: Any) -> None:
        self._live[event.phase]["thinking"].append(event.text)
        self._batcher.add(event.phase, "thinking", event.text)

    def _on_content(self, event: Any) -> None:
        self._live[event.phase]["content"].append(event.text)
        self._batcher.add(event.phase, "content", event.text)

    def _on_phase_reset(self, event: Any) -> None:
        self._live[event.phase] = {"thinking": [], "content": []}
        self._send_msg({"kind": "reset", "seq": self._batcher.next_seq(), "phases": [event.phase]})
        self._set_phase(event.phase, attempt=event.attempt, note=event.reason)

    def _on_phase_completed(self, event: Any) -> None:
        self._batcher.flush()
        live = self._live[event.phase]
        self._set_phase(
            event.phase,
            status="completed",
            elapsed_ms=event.duration_ms,
            educational_message=event.educational_message,
            thinking="".join(live["thinking"]),
            output=event.output,
            output_html=render_phase_output(event.phase, event.output),
            note="",
        )

    def _on_phase_failed(self, event: Any) -> None:
        self._batcher.flush()
        self._fail_phase(event.phase, event.error_message)

    def _on_validation(self, event: Any) -> None:
        self.findings = [finding_view(f) for f in event.findings]

    def _on_smoke_run(self, event: Any) -> None:
        self._set_phase("implement", note=event.result.message)

    def _on_project_written(self, event: Any) -> None:
        self.project = project_view(event.project)

    def _on_completed(self, event: Any) -> None:
        with self.hold_sync():
            self.project = project_view(event.project, event.run_command)
            self.status, self.can_retry, self.error, self.error_code = "completed", False, "", ""

    def _on_failed(self, event: Any) -> None:
        with self.hold_sync():
            if event.project is not None:
                self.project = {**project_view(event.project), "downloadable": False, "kept": True}
            self.retry_count = event.retry_count
            self._finish_failed(event.error_message, event.error_code, can_retry=event.can_retry)

    def _finish_failed(self, text: str, code: str, *, can_retry: bool) -> None:
        self._batcher.flush()
        with self.hold_sync():
            for phase, state in self.phases.items():
                if state.get("status") == "active":
                    self._fail_phase(phase, text)
            self.status, self.can_retry = "failed", can_retry
            self.error, self.error_code = redact(text), code
            self._error_obj = None

    def _fail_phase(self, phase: str, text: str) -> None:
        live = self._live.get(phase, {"thinking": [], "content": []})
        self._set_phase(
            phase,
            status="failed",
            thinking="".join(live["thinking"]),
            output="".join(live["content"]),
            output_html="",
            note=redact(text),
        )

    def _set_phase(self, phase: str, **changes: Any) -> None:
        self.phases = {**self.phases, phase: {**self.phases.get(phase, {}), **changes}}

    def _reset_view(self) -> None:
        self._batcher.flush()
        self._live = _empty_live()
        with self.hold_sync():
            self.phases = empty_phases(self.language)
            self.findings, self.project = [], {}
            self.error, self.error_code, self._error_obj = "", "", None
            self.run_status, self.run_output = "idle", ""
            self.status, self.can_retry = "pending", False
        self._send_msg(
            {"kind": "reset", "seq": self._batcher.next_seq(), "phases": list(PHASE_ORDER)}
        )

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
            if self.offline and self._settings:
                self.notice = message("offline.label", lang)
            if self._error_obj is not None:
                self.error = describe_error(self._error_obj, lang)
            elif self.error_code == "request.cancelled":
                self.error = message("request.cancelled", lang)
            self.phases = {
                p: {
                    **s,
                    "title": phase_title(p, lang),
                    "educational_message": self._teaching(p, lang, s),
                }
                for p, s in self.phases.items()
            }

    def _teaching(self, phase: str, lang: str, state: dict) -> str:
        """The phase's teaching text in ``lang``: the lesson's own, else the generic one."""
        text = self._flow_request.user_input if self._flow_request else ""
        try:
            custom = (
                self._provider.educational_message(phase, text, lang)
                if (self._provider and text)
                else None
            )
        except Exception:  # noqa: BLE001 - a provider's hint is optional
            custom = None
        return custom or phase_message(phase, lang)

    def close(self) -> None:
        for task in (getattr(self, "_task", None), getattr(self, "_run_task", None)):
            if task is not None and not task.done():
                task.cancel()
        super().close()


_DEFERRED = object()  # the handler answers later (run_project) or has answered (download)


def _spawn(coro: Any) -> Any:
    """Schedule ``coro`` on the running loop (the kernel's); outside one, on a private loop thread."""
    try:
        return asyncio.get_running_loop().create_task(coro)
    except RuntimeError:
        return asyncio.run_coroutine_threadsafe(coro, _private_loop())


_LOOP: asyncio.AbstractEventLoop | None = None


def _private_loop() -> asyncio.AbstractEventLoop:
    global _LOOP
    if _LOOP is None:
        _LOOP = asyncio.new_event_loop()
        threading.Thread(target=_LOOP.run_forever, name="codeflow-widget-loop", daemon=True).start()
    return _LOOP


def _empty_live() -> dict[str, dict[str, list[str]]]:
    return {p: {"thinking": [], "content": []} for p in PHASE_ORDER}


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _unknown_kwargs_message(unknown: dict[str, Any]) -> str:
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, _OPTIONS, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"CodeFlow() got unexpected keyword argument(s) {', '.join(parts)}. Valid options: {', '.join(_OPTIONS)}."
