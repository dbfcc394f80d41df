"""``codeflow play DIR``: play a finished project in a normal window, from a terminal.

Where a display exists the program runs through the sandbox launcher with real video and sound
(``headless=False``, no time limit), its output shown as it comes; Ctrl-C ends it. Where there is
no display (a server, a container, a JupyterHub terminal) it says, in the learner's language, how
to play the same project inside a notebook instead. Exit codes: 0 the game ended normally, 1 it
failed or could not start, 2 bad usage (no such folder, no main.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from codeflow_widget.model.messages import by_language, table

WORDS = by_language(table("play_command"))  # catalogue/play_command.json


def has_display() -> bool:
    """A window can open here: always on Windows and macOS, with X11 or Wayland on Linux."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = sub.add_parser("play", help="在窗口中玩一个项目 / play a project in a window")
    parser.add_argument("project_dir", help="项目文件夹 / the project folder")
    parser.add_argument(
        "--language", choices=["zh", "en"], default=None, help="界面语言 / language"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    language = "en" if getattr(args, "language", None) == "en" else "zh"
    words = WORDS[language]
    project = Path(args.project_dir).expanduser()
    if not project.is_dir():
        print(words["missing"].format(path=project), file=sys.stderr)
        return 2
    if not (project / "main.py").is_file():
        print(words["no_main"].format(path=project), file=sys.stderr)
        return 2
    if not has_display():
        print(words["no_display"].format(path=str(project.resolve())))
        return 0
    try:
        return asyncio.run(_play_in_window(project.resolve(), language))
    except KeyboardInterrupt:
        print(words["stopped"], file=sys.stderr)
        return 0


async def _play_in_window(project: Path, language: str) -> int:
    from codeflow_widget.sandbox import Limits, RunSpec, gate, launch

    words = WORDS[language]
    spec = RunSpec(
        source_dir=project,
        timeout_s=None,
        headless=False,
        language=language,
        limits=Limits(cpu_s=None),
    )
    try:
        gate.admit(project, language=language)  # validated again, policy applied
        running = await launch(spec)
    except Exception as exc:  # noqa: BLE001 - a CodeflowError or OSError, said plainly
        describe = getattr(exc, "message", None)
        text = describe(language) if callable(describe) else str(exc)
        print(words["could_not_start"].format(error=text), file=sys.stderr)
        return 1
    print(words["starting"].format(mechanism=running.mechanism.detail), file=sys.stderr)

    async def copy(stream: asyncio.StreamReader, out) -> None:
        while chunk := await stream.read(4096):
            out.write(running.redact(chunk.decode("utf-8", errors="replace")))
            out.flush()

    pumps = [
        asyncio.ensure_future(copy(running.stdout, sys.stdout)),
        asyncio.ensure_future(copy(running.stderr, sys.stderr)),
    ]
    try:
        code = await running.wait()
    finally:
        await running.stop()
        await asyncio.gather(*pumps, return_exceptions=True)
    if code != 0:
        print(words["failed"].format(code=code), file=sys.stderr)
        return 1
    return 0
