"""What the lesson view shows: flow events and domain objects become trait values.

The widget's traitlets hold plain JSON-able values — a ``phases`` dict, a list of
``findings``, the ``project`` card, an ``error`` sentence, a ``status`` — and this
module computes them, without touching a widget. ``changes_for(event, context)`` is
a reducer: from the event and the view as it is now (``ViewContext``) it returns the
trait values that change; ``failure`` is the change that ends a run badly, however
it ended (a failed event, a stop, a crash), and ``configured`` the badge and notice
that follow from the settings. Streaming deltas are not trait values: they travel
as messages (``stream.py``) and never pass through here; the words and the HTML in
the values come from ``render.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codeflow_widget.model.messages import message, phase_message, phase_title
from codeflow_widget.widget.render import model_label, redact, render_phase_output

if TYPE_CHECKING:
    from codeflow_widget.flow.lesson import Lesson

# models.PHASE_ORDER, written out so that importing the view does not build the
# pydantic models (tests/test_widget.py keeps the two equal).
PHASES = ("specify", "plan", "implement")
Changes = dict[str, Any]


# -- domain objects as trait values ----------------------------------------------
def configured(lesson: Lesson | None, lang: str) -> Changes:
    """The badge, the offline notice and the example wishes (``lesson`` None: unusable)."""
    if lesson is None:
        from codeflow_widget.flow.wishes import example_wishes

        return {"offline": False, "notice": "", "examples": example_wishes(False)}
    provider = lesson.provider
    return {
        "provider_label": model_label(provider.name, provider.model, lesson.base_url),
        "offline": lesson.offline,
        "notice": message("offline.label", lang) if lesson.offline else "",  # type: ignore[arg-type]
        "examples": lesson.examples(),
    }


def empty_phases(lang: str) -> dict[str, dict[str, Any]]:
    blank = {
        "status": "pending",
        "started_at": 0,
        "elapsed_ms": 0,
        "thinking": "",
        "output": "",
        "output_html": "",
        "attempt": 1,
        "note": "",
    }
    return {
        p: {**blank, "title": phase_title(p, lang), "educational_message": phase_message(p, lang)}  # type: ignore[arg-type]
        for p in PHASES
    }


def relabeled(
    phases: dict[str, dict[str, Any]], lang: str, teaching: Callable[[str, str], str]
) -> dict[str, dict[str, Any]]:
    """``phases`` with titles and teaching texts in ``lang`` (``teaching(phase, lang)``)."""
    return {
        p: {**s, "title": phase_title(p, lang), "educational_message": teaching(p, lang)}  # type: ignore[arg-type]
        for p, s in phases.items()
    }


def file_tree_view(node: Any) -> dict[str, Any]:
    """A FileNode → {name, type, size, children} for the project card."""
    out: dict[str, Any] = {"name": node.name, "type": node.type}
    if node.type == "file":
        out["size"] = int(node.size or 0)
        out["language"] = node.language or ""
    else:
        out["children"] = [file_tree_view(child) for child in node.children or []]
    return out


def smoke_view(result: Any) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "ok": bool(result.ok),
        "outcome": result.outcome,
        "exit_code": result.exit_code,
        "duration_ms": int(result.duration_ms),
        "message": result.message,
        "output": result.output[-4000:],
    }


def project_view(project: Any, run_command: str = "") -> dict[str, Any]:
    """A GeneratedProject → the project card's dict (no secrets: it holds none)."""
    return {
        "name": project.project_name,
        "type": project.project_type,
        "path": project.path,
        "main_file": project.main_file_path,
        "tree": file_tree_view(project.file_structure),
        "dependencies": list(project.dependencies),
        "total_files": project.total_files,
        "total_size_bytes": project.total_size_bytes,
        "syntax_validated": bool(project.syntax_validated),
        "downloadable": bool(project.downloadable),
        "smoke_run": smoke_view(project.smoke_run),
        "run_command": run_command,
    }


def finding_view(finding: Any) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "file": finding.file,
        "line": int(finding.line or 0),
        "message": finding.message,
        "message_en": finding.message_en or finding.message,
    }


# -- events as trait changes ----------------------------------------------------------
def _nothing_yet(phase: str) -> tuple[str, str]:
    return "", ""


@dataclass(frozen=True)
class ViewContext:
    """What an event's changes depend on besides the event: the view as it is now."""

    phases: dict[str, dict[str, Any]]
    language: str
    base_url: str = ""  # for the badge's host
    so_far: Callable[[str], tuple[str, str]] = _nothing_yet  # a phase's (thinking, content)
    now_ms: int = 0


def changes_for(event: Any, ctx: ViewContext) -> Changes:
    """The trait values ``event`` changes; none for a delta (those travel as messages)."""
    step = _STEPS.get(event.type)
    return step(event, ctx) if step is not None else {}


def failure(ctx: ViewContext, text: str, code: str, *, can_retry: bool) -> Changes:
    """A run that ended badly (failed, cancelled, crashed): active phases fail with it."""
    changes: Changes = {}
    phases = ctx.phases
    for phase, state in ctx.phases.items():
        if state.get("status") == "active":
            phases = changes["phases"] = _with_failed(phases, phase, text, ctx.so_far)
    return {
        **changes,
        "status": "failed",
        "can_retry": can_retry,
        "error": redact(text),
        "error_code": code,
    }


def _with(phases: dict, phase: str, **changes: Any) -> dict[str, dict[str, Any]]:
    return {**phases, phase: {**phases.get(phase, {}), **changes}}


def _with_failed(phases: dict, phase: str, text: str, so_far: Callable) -> dict:
    thinking, content = so_far(phase)
    return _with(
        phases,
        phase,
        status="failed",
        thinking=thinking,
        output=content,
        output_html="",
        note=redact(text),
    )


def _started(e: Any, ctx: ViewContext) -> Changes:
    notice = e.notice or (message("offline.label", ctx.language) if e.offline else "")  # type: ignore[arg-type]
    return {
        "offline": bool(e.offline),
        "provider_label": model_label(e.provider, e.model, ctx.base_url),
        "notice": notice,
        "retry_count": e.retry_count,
    }


def _phase_started(e: Any, ctx: ViewContext) -> Changes:
    return {
        "phases": _with(
            ctx.phases,
            e.phase,
            status="active",
            title=e.title,
            educational_message=e.educational_message,
            started_at=ctx.now_ms,
            elapsed_ms=0,
            note="",
        )
    }


def _phase_completed(e: Any, ctx: ViewContext) -> Changes:
    thinking, _ = ctx.so_far(e.phase)
    return {
        "phases": _with(
            ctx.phases,
            e.phase,
            status="completed",
            elapsed_ms=e.duration_ms,
            educational_message=e.educational_message,
            thinking=thinking,
            output=e.output,
            output_html=render_phase_output(e.phase, e.output),
            note="",
        )
    }


def _failed(e: Any, ctx: ViewContext) -> Changes:
    changes: Changes = {"retry_count": e.retry_count}
    if e.project is not None:  # kept for study, never downloadable
        changes["project"] = {**project_view(e.project), "downloadable": False, "kept": True}
    return {**changes, **failure(ctx, e.error_message, e.error_code, can_retry=e.can_retry)}


_STEPS: dict[str, Callable[[Any, ViewContext], Changes]] = {
    "started": _started,
    "request_status": lambda e, ctx: {"status": e.status, "retry_count": e.retry_count},
    "phase_started": _phase_started,
    "phase_reset": lambda e, ctx: {
        "phases": _with(ctx.phases, e.phase, attempt=e.attempt, note=e.reason)
    },
    "phase_completed": _phase_completed,
    "phase_failed": lambda e, ctx: {
        "phases": _with_failed(ctx.phases, e.phase, e.error_message, ctx.so_far)
    },
    "validation": lambda e, ctx: {"findings": [finding_view(f) for f in e.findings]},
    "smoke_run": lambda e, ctx: {"phases": _with(ctx.phases, "implement", note=e.result.message)},
    "project_written": lambda e, ctx: {"project": project_view(e.project)},
    "completed": lambda e, ctx: {
        "project": project_view(e.project, e.run_command),
        "status": "completed",
        "can_retry": False,
        "error": "",
        "error_code": "",
    },
    "failed": _failed,
}
