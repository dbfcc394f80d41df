"""``codeflow history DIR`` and ``codeflow restore DIR N``: a project's versions from a terminal.

``history`` lists every version (number, kind, time, wish, files changed, trial run) and, with
``--diff N``, prints what version N changed against the one before it; ``--json`` prints the
list as JSON. ``restore`` brings version N back byte for byte — as a new version, so nothing is
lost, and the learner's unsaved hand edits are recorded first as "我的修改". Exit codes: 0 done,
1 the restore failed, 2 bad usage (not a project folder, no such version). DIR may also be a
project's name: ``codeflow history snake`` opens the snake project changed last in the projects
folder (``--projects-dir``, ``$CODEFLOW_PROJECTS_DIR`` or ``./projects``), as ``CodeFlow(project=…)``
does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rich.console import Console

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import by_language, groups

_TABLES = groups("history")  # catalogue/history.json
KINDS = by_language(_TABLES["kinds"])
WORDS = by_language(_TABLES["words"])


def add_parsers(sub: argparse._SubParsersAction) -> None:
    history = sub.add_parser("history", help="列出项目的版本 / list a project's versions")
    history.add_argument("project", help="项目文件夹或项目名 / project folder or name")
    history.add_argument("--projects-dir", help="项目所在的文件夹 / where the projects are")
    history.add_argument("--diff", type=int, help="显示版本 N 的改动 / show what version N changed")
    history.add_argument("--json", action="store_true")
    history.add_argument("--language", choices=["zh", "en"], default="zh")
    restore = sub.add_parser("restore", help="恢复项目的某个版本 / bring a version back")
    restore.add_argument("project", help="项目文件夹或项目名 / project folder or name")
    restore.add_argument("--projects-dir", help="项目所在的文件夹 / where the projects are")
    restore.add_argument("n", type=int, help="版本号 / version number")
    restore.add_argument("--language", choices=["zh", "en"], default="zh")


def run_history(args: argparse.Namespace) -> int:
    from codeflow_widget.flow.change import version_view
    from codeflow_widget.output.versions import ProjectHistory

    lang, console = args.language, Console(highlight=False)
    words = WORDS[lang]
    try:
        history = ProjectHistory(project_folder(args))
        versions = history.versions()
        if args.diff is not None:
            history.get(args.diff)
            text = history.diff(args.diff - 1, args.diff) if args.diff > 1 else ""
            print_diff(console, text)
            return 0
    except CodeflowError as exc:
        print(f"✗ {exc.message(lang)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([version_view(v) for v in versions], ensure_ascii=False, indent=2))
        return 0
    if not versions:
        console.print(words["none"], markup=False)
        return 0
    console.print(words["title"].format(name=history.root.name, count=len(versions)), style="bold")
    for v in versions:
        smoke = words["unknown"] if not v.smoke else words["crashed" if v.crashed else "ok"]
        current = words["current"] if v is versions[-1] else ""
        console.print(
            f"  v{v.n}{current}  {KINDS[lang][v.kind]}  {v.time[:19].replace('T', ' ')}  {v.wish}",
            style="red" if v.crashed else None, markup=False,
        )  # fmt: skip
        files = ", ".join(v.files_changed)
        console.print(f"       {files}  · {smoke}", style="dim", markup=False)
    console.print(words["hint"].format(path=args.project), style="dim", markup=False)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from codeflow_widget.output.versions import ProjectHistory

    lang = args.language
    try:
        version = ProjectHistory(project_folder(args)).restore(args.n, lang)
    except CodeflowError as exc:
        print(f"✗ {exc.message(lang)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        return 1
    print(WORDS[lang]["restored"].format(n=args.n, new=version.n))
    return 0


def project_folder(args: argparse.Namespace) -> Path:
    """The folder DIR means: a path, a folder of the projects folder, or a project's name."""
    from codeflow_widget.flow.history import locate_project

    where = args.projects_dir or os.environ.get("CODEFLOW_PROJECTS_DIR") or "projects"
    return locate_project(args.project, where)


def print_diff(console: Console, text: str) -> None:
    """A unified diff with added lines green and removed lines red."""
    for line in text.splitlines():
        style = None
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        console.print(line, style=style, markup=False, highlight=False, soft_wrap=True)
