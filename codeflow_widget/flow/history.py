"""The flow's door to a project's history, for front ends that may not reach into output/ or checks/.

The lesson view lists versions, restores one, undoes a crashing one, shows what a version changed,
and draws the requirement → plan → code links; these functions give it all of that as plain JSON
(``project_state``, ``restore_version``, ``undo_version``, ``version_diff``), with the project card's
``GeneratedProject`` read back from the folder as it now is. ``open_project`` is the next day: a
new kernel, a name ("snake", "贪吃蛇", a folder or a path), and the project as its last version
left it, with its versions and links, ready for a follow-up, a restore or an undo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codeflow_widget.checks.trace import Trace, trace
from codeflow_widget.flow.change_versions import first_wish, version_view
from codeflow_widget.model.entities import GeneratedProject
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.output.project_names import find_project
from codeflow_widget.output.versions import ProjectHistory, files_diff


def project_state(folder: Path | str) -> dict[str, Any]:
    """``versions`` and ``trace`` of a project folder, read from disk ({} if it is not one)."""
    try:
        history = ProjectHistory(folder)
        files = {p: d.decode("utf-8", "replace") for p, d in history.current_files().items()}
    except (CodeflowError, OSError):
        return {}
    code = {p: t for p, t in files.items() if p.endswith(".py")}
    links = trace(files.get("spec.md", ""), files.get("plan.md", ""), code)
    return {
        "versions": [version_view(v) for v in history.versions()],
        "trace": trace_view(links, files),
    }


def project(folder: Path | str) -> GeneratedProject:
    """The project as its folder says now (the folder may have moved since project.json was written)."""
    history = ProjectHistory(folder)
    return GeneratedProject.model_validate({**history.meta(), "path": str(history.root.resolve())})


def locate_project(name: str | Path, projects_dir: Path | str) -> Path:
    """The folder a name means (``output/project_names.py``); a lesson's title or keyword
    ("贪吃蛇", "tetris") also stands for its id, the project type. A zh/en error if none."""
    try:
        return find_project(name, projects_dir)
    except CodeflowError as missing:
        kind = _lesson_named(str(name)) if missing.code == "project.not_found" else None
        if kind is None:
            raise
        try:
            return find_project(kind, projects_dir)
        except CodeflowError:
            raise missing from None  # the learner's own word in the message, not the lesson id


def open_project(
    name: str | Path, projects_dir: Path | str, language: str = "zh"
) -> tuple[GeneratedProject, dict[str, Any]]:
    """The project a name means, as its last version left it, and its ``project_state``.

    A project from before versions gets its version 1 here, so restore and undo work on it.
    """
    folder = locate_project(name, projects_dir)
    history = ProjectHistory(folder)
    history.ensure(wish=first_wish(history.root), language=language)  # type: ignore[arg-type]
    return project(folder), project_state(folder)


def _lesson_named(name: str) -> str | None:
    from codeflow_widget.providers.offline import default_catalogue
    from codeflow_widget.providers.offline.matcher import match_wish

    found = match_wish(name, default_catalogue().lessons).lesson
    return found.id if found is not None else None


def restore_version(folder: Path | str, n: int, language: str = "zh") -> dict[str, Any]:
    return version_view(ProjectHistory(folder).restore(n, language))  # type: ignore[arg-type]


def undo_version(folder: Path | str, language: str = "zh") -> dict[str, Any]:
    return version_view(ProjectHistory(folder).undo(language))  # type: ignore[arg-type]


def version_diff(folder: Path | str, n: int) -> str:
    """What version ``n`` changed against the one before it (everything, for version 1)."""
    history = ProjectHistory(folder)
    new = history.snapshot(n)
    old = history.snapshot(n - 1) if n > 1 else {}
    return files_diff(old, new, f"v{n - 1}", f"v{n}")


def trace_view(links: Trace, files: dict[str, str]) -> dict[str, Any]:
    """Requirements with the plan lines and code lines that name them, for the view's hover."""
    plan_lines = files.get("plan.md", "").splitlines()
    plan: dict[int, set[str]] = {}
    for rid, numbers in links.plan.items():
        for number in numbers:
            plan.setdefault(number, set()).add(rid)
    code: dict[tuple[str, int], dict[str, Any]] = {}
    for rid, places in links.code.items():
        for path, line, function in places:
            lines = files.get(path, "").splitlines()
            text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            entry = code.setdefault(
                (path, line),
                {"file": path, "line": line, "function": function, "text": text, "ids": []},
            )
            entry["ids"].append(rid)
    return {
        "requirements": [
            {"id": r.id, "text": r.text, "explicit": r.explicit} for r in links.requirements
        ],
        "plan": [
            {"line": n, "text": plan_lines[n - 1].strip(), "ids": sorted(ids)}
            for n, ids in sorted(plan.items())
            if n <= len(plan_lines)
        ],
        "code": [{**v, "ids": sorted(v["ids"])} for _, v in sorted(code.items())],
    }
