"""Which project folder a learner means when they name one: "snake", a folder name, or a path.

A learner comes back the next day, restarts the kernel and says ``CodeFlow(project="snake")`` (or
``codeflow history snake``). The name is read, in this order, as: a folder with a
``project.json`` (a path, absolute or relative to the current folder); a folder of that name in
the projects folder; a project type or name prefix (``snake`` → ``snake_20250101_120000_ab12``),
of which the project changed last wins — its ``project.json`` is rewritten by every version, so
its modification time is when the learner last had a version made. Anything else is a clear
zh/en error that lists the projects there are, never a traceback (a path to a folder that is no
project says just that). Nothing here writes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import CATALOGUE
from codeflow_widget.output.version_files import META

_SHOWN = 6  # how many project names an error lists


def projects_in(projects_dir: Path | str) -> list[Path]:
    """The project folders in ``projects_dir``, the one changed last first."""
    root = Path(projects_dir)
    if not root.is_dir():
        return []
    found = [
        p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and (p / META).is_file()
    ]
    return sorted(found, key=lambda p: ((p / META).stat().st_mtime_ns, p.name), reverse=True)


def find_project(name: str | Path, projects_dir: Path | str) -> Path:
    """The folder ``name`` means (see the module docstring), or a zh/en ``CodeflowError``."""
    text = str(name).strip()
    if not text:
        raise CodeflowError("project.name_empty")
    if len(text) > 300 or "\x00" in text or any(ord(c) < 32 for c in text):
        raise CodeflowError("project.name_bad", name=_shown(text))
    given = Path(text).expanduser()
    for folder in (given, Path(projects_dir) / text):
        if folder.is_dir() and (folder / META).is_file():
            return folder.resolve()
    if given.is_dir() and (given.is_absolute() or "/" in text or os.sep in text):
        raise CodeflowError("versions.not_project", path=text)  # a path, but not a project's
    candidates = projects_in(projects_dir)
    for folder in candidates:  # the newest first: the learner's last version
        if folder.name.startswith(f"{text}_") or _project_type(folder) == text:
            return folder.resolve()
    names = [p.name for p in candidates[:_SHOWN]] + (["…"] if len(candidates) > _SHOWN else [])
    raise CodeflowError(
        "project.not_found",
        name=_shown(text),
        folder=str(projects_dir),
        available="、".join(names) or CATALOGUE["project.none_yet"][0],
        available_en=", ".join(names) or CATALOGUE["project.none_yet"][1],
    )


def _project_type(folder: Path) -> str:
    try:
        return str(json.loads((folder / META).read_text(encoding="utf-8")).get("project_type", ""))
    except (OSError, ValueError, AttributeError):
        return ""  # a broken project.json is not this name; ProjectHistory says what is wrong


def _shown(text: str) -> str:
    clean = "".join(c if c.isprintable() else "?" for c in text)
    return clean if len(clean) <= 40 else clean[:40] + "…"
