"""What the lesson view shows: flow events and domain objects become trait values.

The widget's traitlets hold plain JSON-able values — a ``phases`` dict, a list of
``findings``, the ``project`` card, an ``error`` sentence, a ``status`` — and this
module computes them, without touching a widget. ``changes_for(event, context)`` is
a reducer that matches on the event's class: from the event and the view as it is now
(``ViewContext``) it returns the trait values that change; ``failure`` is the change
that ends a run badly, however it ended (a failed event, a stop, a crash), and
``configured`` the badge and notice that follow from the lesson. Streaming deltas are
not trait values: they travel as messages (``stream.py``) and never pass through here;
the HTML in the values comes from ``render.py``. The event classes are imported when
the first event arrives, so importing the view does not build the pydantic models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codeflow_widget.model.messages import message, phase_message, phase_title
from codeflow_widget.model.rules import PHASE_ORDER as PHASES
from codeflow_widget.widget.render import model_label, redact, render_phase_output

if TYPE_CHECKING:
    from codeflow_widget.flow.lesson import Lesson
    from codeflow_widget.model.entities import GeneratedProject, SmokeResult
    from codeflow_widget.model.events import Event

__all__ = [
    "PHASES", "ViewContext", "changes_for", "configured", "empty_phases", "failure", "relabeled",
    "smoke_view",
]  # fmt: skip
Changes = dict[str, Any]
SMOKE_OUTPUT_CHARS = 4000  # the tail of a trial run's output is what explains it


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


def smoke_view(result: SmokeResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    view = result.model_dump(mode="json", exclude={"output"})
    return {**view, "output": result.output[-SMOKE_OUTPUT_CHARS:]}


def _with_project_json(project: GeneratedProject) -> dict[str, Any]:
    """The file tree as the zip holds it: project.json (written last, so not in
    ``file_structure``) is listed too, so the card names every file the learner downloads."""
    from pathlib import Path

    tree = project.file_structure.model_dump(mode="json", exclude_none=True)
    meta = Path(project.path) / "project.json"
    children = tree.get("children")
    if children is not None and meta.is_file() and all(c["name"] != meta.name for c in children):
        children.append({"name": meta.name, "type": "file", "size": meta.stat().st_size})
    return tree


def project_view(project: GeneratedProject, run_command: str = "") -> dict[str, Any]:
    """A GeneratedProject → the project card's dict (no secrets: it holds none)."""
    return {
        "name": project.project_name,
        "type": project.project_type,
        "path": project.path,
        "main_file": project.main_file_path,
        "tree": _with_project_json(project),
        "dependencies": list(project.dependencies),
        "total_files": project.total_files,
        "total_size_bytes": project.total_size_bytes,
        "syntax_validated": project.syntax_validated,
        "downloadable": project.downloadable,
        "smoke_run": smoke_view(project.smoke_run),
        "run_command": run_command,
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


def changes_for(event: Event, ctx: ViewContext) -> Changes:
    """The trait values ``event`` changes; none for a delta (those travel as messages)."""
    from codeflow_widget.model import events as ev

    match event:
        case ev.Started():
            return {
                "offline": event.offline,
                "provider_label": model_label(event.provider, event.model, ctx.base_url),
                "notice": event.notice,
                "retry_count": event.retry_count,
            }
        case ev.RequestStatusChanged():
            return {"status": event.status, "retry_count": event.retry_count}
        case ev.PhaseStarted():
            return _phase(ctx, event.phase, status="active", title=event.title,
                          educational_message=event.educational_message, started_at=ctx.now_ms,
                          elapsed_ms=0, note="")  # fmt: skip
        case ev.PhaseReset():
            return _phase(ctx, event.phase, attempt=event.attempt, note=event.reason)
        case ev.PhaseCompleted():
            return _phase(ctx, event.phase, status="completed", elapsed_ms=event.duration_ms,
                          educational_message=event.educational_message,
                          thinking=ctx.so_far(event.phase)[0], output=event.output,
                          output_html=render_phase_output(event.phase, event.output), note="")  # fmt: skip
        case ev.PhaseFailed():
            return {
                "phases": _with_failed(ctx.phases, event.phase, event.error_message, ctx.so_far)
            }
        case ev.ValidationReport():
            return {"findings": [_finding(f) for f in event.findings]}
        case ev.Progress():
            return {
                "progress": {
                    **event.model_dump(include={"step", "total_s"}),
                    "started_at": ctx.now_ms,
                }
            }
        case ev.SmokeRunFinished():
            return _phase(ctx, "implement", note=event.result.message)
        case ev.ProjectWritten():
            return {"project": project_view(event.project)}
        case ev.Completed():
            return {"project": project_view(event.project, event.run_command), "status": "completed",
                    "can_retry": False, "error": "", "error_code": "", "progress": {},
                    "suggestions": []}  # fmt: skip
        case ev.Failed():
            changes: Changes = {"retry_count": event.retry_count, "progress": {}}
            if event.project is not None:  # kept for study, never downloadable
                changes["project"] = {
                    **project_view(event.project),
                    "downloadable": False,
                    "kept": True,
                }
            failed = failure(ctx, event.error_message, event.error_code, can_retry=event.can_retry)
            # A wish with no lesson: its closest lessons, for the view's buttons.
            offered = [s.model_dump(mode="json") for s in event.suggestions]
            return {**changes, **failed, "suggestions": offered}
    return {}


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
        "suggestions": [],
    }


def stopped(ctx: ViewContext) -> Changes:
    """停止: a neutral 已停止, not a failure — no retry used, no error banner, phases kept."""
    phases = {
        p: ({**s, "status": "stopped"} if s.get("status") == "active" else s)
        for p, s in ctx.phases.items()
    }
    changes = {"status": "stopped", "can_retry": False, "progress": {}, "phases": phases}
    return {**changes, "error": "", "error_code": ""}


def resumed(ctx: ViewContext) -> Changes:
    """继续 after 停止: the stopped phase is active again."""
    phases = {
        p: ({**s, "status": "active"} if s.get("status") == "stopped" else s)
        for p, s in ctx.phases.items()
    }
    return {"status": "processing", "phases": phases}


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


def _phase(ctx: ViewContext, phase: str, **changes: Any) -> Changes:
    return {"phases": _with(ctx.phases, phase, **changes)}


def _finding(finding: Any) -> dict[str, Any]:
    # An English view shows message_en; a finding written in Chinese only falls back to it.
    return {**finding.model_dump(mode="json"), "message_en": finding.message_en or finding.message}


_SMOKE_WORDS = {
    "timeout_alive": "run.ok",
    "exited": "run.exited",
    "waiting_input": "run.waiting_input",
    "missing_dependency": "run.missing_pygame",
    "crashed": "run.crashed",
}


def smoke_words(smoke: dict[str, Any] | None, lang: str, timeout_s: float) -> str:
    """The trial run's sentence in ``lang``, from its outcome (the language switch after a run)."""
    if not smoke:
        return ""
    key = _SMOKE_WORDS.get(smoke.get("outcome", ""))
    if key is None:
        return smoke.get("message", "")
    output = smoke.get("output", "")
    last = next((line.strip() for line in reversed(output.splitlines()) if line.strip()), "")
    return message(  # type: ignore[arg-type]
        key, lang, seconds=f"{timeout_s:g}", exit_code=smoke.get("exit_code"), last_line=last[:300]
    )


def relabel_smoke(traits: dict[str, Any], lang: str, timeout_s: float) -> Changes:
    """The project card's trial-run line and the implement note, in ``lang``."""
    project, phases = traits["project"], traits["phases"]
    smoke = project.get("smoke_run")
    if not smoke:
        return {}
    words = smoke_words(smoke, lang, timeout_s)
    changes: Changes = {"project": {**project, "smoke_run": {**smoke, "message": words}}}
    implement = phases.get("implement", {})
    if implement.get("note") == smoke.get("message"):
        changes["phases"] = _with(phases, "implement", note=words)
    return changes
