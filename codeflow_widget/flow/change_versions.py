"""What a change leaves in a project's history, and what a front end is shown of a version.

A fresh project becomes version 1 when it is written (``record_first_version``, silently: a fresh
run's events stay as they were); a change's Implement announces each version it commits with a
``VersionCommitted`` event (``versions_event``); ``version_view`` is the JSON every front end
shows of a version — the lesson view's list, ``codeflow history --json`` — without hashes or the
texts of redone drafts; ``first_wish`` reads back the wish that made a project from its README,
for a project that has no history yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codeflow_widget.model.events import VersionCommitted
from codeflow_widget.output.versions import ProjectHistory, Version


def first_wish(root: Path) -> str:
    """The wish that made the project, from its README (the project.json does not keep it)."""
    try:
        readme = (root / "README.md").read_text(encoding="utf-8")
    except OSError:
        return ""
    for quote in (("「", "」"), ("“", "”")):
        start = readme.find(quote[0])
        end = readme.find(quote[1], start + 1)
        if start != -1 and end != -1:
            return readme[start + 1 : end][:200]
    return ""


def record_first_version(
    project: Any, wish: str, language: str, drafts: list
) -> VersionCommitted | None:
    """A freshly written project becomes version 1 (with the drafts of any redone phase)."""
    try:
        history = ProjectHistory(project.path)
        if history.versions():
            return None
        kept = [{"phase": p, "note": note, "text": text} for p, text, note in drafts]
        version = history.commit(
            {}, wish=wish, kind="wish", smoke=_smoke(project), language=language, drafts=kept
        )
    except (OSError, ValueError):
        return None
    return versions_event("", history, version)


def _smoke(project: Any) -> dict | None:
    smoke = getattr(project, "smoke_run", None)
    return smoke.model_dump(mode="json") if smoke is not None else None


def versions_event(request_id: str, history: ProjectHistory, version: Version) -> VersionCommitted:
    listed = [version_view(v) for v in history.versions()]
    return VersionCommitted(
        request_id=request_id,
        project_dir=str(history.root),
        version=version_view(version),
        versions=listed,
    )


def version_view(v: Version) -> dict[str, Any]:
    """What a front end shows of a version (no hashes, no draft texts)."""
    return {
        "n": v.n, "wish": v.wish, "kind": v.kind, "time": v.time, "files_changed": v.files_changed,
        "smoke": v.smoke, "crashed": v.crashed, "note": v.note, "drafts": len(v.drafts),
    }  # fmt: skip
