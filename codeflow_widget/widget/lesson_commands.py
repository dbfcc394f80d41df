"""The view's commands to the kernel, and their answers: the lesson view's message protocol.

``LessonCommands`` is the part of ``lesson_view.CodeFlow`` that the view's custom messages
call. Every command is ``{kind, id, …}``; ``_handle_command`` finds its ``_cmd_<kind>``
method (here, in ``project_actions`` or in ``changes.ChangeDesk``) and answers
``{kind: "response", id, command, result}``, or ``{…, error}`` with the same sentence in the
error banner — an unknown command, a refusal or a bug alike, never a traceback. A handler
that answers later (a windowed run) or has answered itself (a download's buffer) returns
``DEFERRED``. The commands here drive the run: generate, retry, stop (已停止, no retry used),
continue, restart, the pace controls, set_language, ping, and catch_up — a view that
appears mid-stream gets the live text so far, and from then on text is let out at the pace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codeflow_widget.widget.pacing import PACE_NAMES
from codeflow_widget.widget.render import Refused, view_text
from codeflow_widget.widget.view_state import PHASES, resumed, stopped

if TYPE_CHECKING:
    from codeflow_widget.flow.lesson import Lesson

DEFERRED = object()  # the handler answers later (run_project) or has answered (download)


class LessonCommands:
    """The message protocol and run commands of ``CodeFlow`` (a mixin on the widget)."""

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
        if result is not DEFERRED:
            self._reply(cid, kind, result)

    def _require_ready(self) -> Lesson:
        if self._lesson is None:
            raise self._setup_error or RuntimeError("not configured")
        self._lesson.language = self.language  # the view's language switch wins
        return self._lesson

    def _refuse_if_busy(self) -> None:
        if self.status == "stopped":
            self._stop_quietly()  # 生成 after 停止 starts afresh
        if self._busy():
            raise Refused(view_text("busy", self.language))

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

    def _cmd_set_language(self, content: dict, cid: Any) -> dict:
        lang = content.get("language")
        if lang not in ("zh", "en"):
            raise Refused(f"language must be 'zh' or 'en', not {lang!r}")
        self.language = lang
        return {"language": lang}

    def _cmd_ping(self, content: dict, cid: Any) -> dict:
        return {"status": self.status}
