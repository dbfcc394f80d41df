"""What ``codeflow run`` shows while a lesson runs: live progress, or one JSON line per event.

``LiveView`` prints each phase's header and teaching text, the thinking in dim text, the
answer as it streams, retries, the code check's findings, the trial run and a summary with
the project's path and how to run it. ``JsonLines`` is ``--json``: every event exactly as
``event.to_json()`` dumps it, one per line, so a script reads the same stream as the widget.
``show_run`` feeds a lesson's run to either, and turns Ctrl-C into the run's cancel.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from codeflow_widget.model.events import (
    Completed,
    ContentDelta,
    PhaseCompleted,
    PhaseReset,
    PhaseStarted,
    SmokeRunFinished,
    Started,
    ThinkingDelta,
    ValidationReport,
)

PHASE_NUMBERS = {"specify": "①", "plan": "②", "implement": "③"}


class JsonLines:
    def show(self, event) -> None:
        sys.stdout.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()


class LiveView:
    """Live terminal progress: phase headers, dim thinking, streamed answer, a summary."""

    def __init__(self, console: Console, lang: str):
        self.console = console
        self.lang = lang
        self.stream_kind: str | None = None

    def _print(self, text: str, **kw: Any) -> None:
        self.console.print(text, markup=False, highlight=False, **kw)

    def _switch(self, kind: str) -> None:
        if self.stream_kind != kind and self.stream_kind is not None:
            self._print("")
        if self.stream_kind != kind:
            label = {
                "thinking": "思考过程" if self.lang != "en" else "Thinking",
                "content": "输出" if self.lang != "en" else "Output",
            }[kind]
            self._print(f"  ── {label} ──", style="dim")
        self.stream_kind = kind

    def show(self, event) -> None:
        if isinstance(event, Started):
            mode = (
                "离线示例模式 / offline lesson mode"
                if event.offline
                else f"{event.provider} · {event.model}"
            )
            self._print(f"codeflow · {mode}", style="bold cyan")
            if event.notice:
                self._print(event.notice, style="yellow")
        elif isinstance(event, PhaseStarted):
            self.stream_kind = None
            self.console.rule(f"{PHASE_NUMBERS[event.phase]} {event.title}", style="cyan")
            self._print(event.educational_message, style="italic")
        elif isinstance(event, ThinkingDelta):
            self._switch("thinking")
            self._print(event.text, end="", style="dim")
        elif isinstance(event, ContentDelta):
            self._switch("content")
            self._print(event.text, end="")
        elif isinstance(event, PhaseReset):
            self.stream_kind = None
            self._print(
                # the same shape as the lesson view's note: the attempt once, then the reason
                f"\n↻ 第 {event.attempt} 次尝试 · {event.reason}"
                if self.lang != "en"
                else f"\n↻ attempt {event.attempt} · {event.reason}",
                style="yellow",
            )
        elif isinstance(event, PhaseCompleted):
            self._print(f"\n✓ {event.phase} · {event.duration_ms / 1000:.1f} s", style="green")
        elif isinstance(event, ValidationReport):
            for finding in event.findings:
                text = (
                    finding.message
                    if self.lang != "en"
                    else (finding.message_en or finding.message)
                )
                self._print(
                    f"  {'✗' if finding.severity == 'error' else '!'} {finding.file}:{finding.line} [{finding.code}] {text}",
                    style="red" if finding.severity == "error" else "yellow",
                )
            if event.ok:
                self._print(
                    "  ✓ " + ("代码检查通过" if self.lang != "en" else "code checks passed"),
                    style="green",
                )
        elif isinstance(event, SmokeRunFinished):
            self._print(
                f"  {'✓' if event.result.ok else '✗'} {event.result.message}",
                style="green" if event.result.ok else "red",
            )
        elif isinstance(event, Completed):
            self._summary(event)
        else:  # a follow-up's diffs, kept drafts and versions
            from codeflow_widget.terminal.step_prompt import show_change_event

            show_change_event(self.console, event, self.lang)

    def _summary(self, event: Completed) -> None:
        p = event.project
        zh = self.lang != "en"
        self.console.rule("完成" if zh else "Done", style="green")
        self.console.print(
            ("项目：" if zh else "Project: ") + p.path, markup=False, highlight=False,
            soft_wrap=True, style="bold",
        )  # fmt: skip
        files = ", ".join(child.name for child in p.file_structure.children or [])
        self._print(("文件：" if zh else "Files: ") + files)
        for line in run_instructions(p.path, p.main_file_path, p.dependencies, zh):
            # A command is printed whole on its own line: rich must not wrap it at the
            # terminal's width, or copy and paste breaks it (`&& python \nmain.py`).
            self.console.print(line, markup=False, highlight=False, soft_wrap=True)
        self._print(f"{'用时' if zh else 'Took'} {event.duration_ms / 1000:.1f} s", style="dim")


def shell_command(args: list[str]) -> str:
    """One command line for this machine's shell, each argument quoted as needed."""
    if sys.platform == "win32":
        import subprocess

        return subprocess.list2cmdline(args)
    import shlex

    return shlex.join(args)


def run_instructions(project: str, main_file: str, deps: list[str], zh: bool) -> list[str]:
    """How to run a finished project, with commands that work as printed.

    The interpreter is this one (``sys.executable``): a bare ``python`` is often another
    Python, without pygame (``make demo`` installs it only into ``.venv``). The sandboxed
    ``codeflow play`` comes first; plain ``main.py`` is labelled as running outside it.
    """
    import importlib.util
    import shutil

    python = sys.executable
    beside = shutil.which("codeflow")
    own = Path(python).parent / ("codeflow.exe" if sys.platform == "win32" else "codeflow")
    if beside and Path(beside).resolve() == own.resolve():
        play = ["codeflow", "play", project]
    else:
        play = [python, "-m", "codeflow_widget", "play", project]
    lines = [
        "运行方法（在沙盒里运行，打开游戏窗口）："
        if zh
        else "How to run (in the sandbox, in a window):"
    ]
    missing = [dep for dep in deps if importlib.util.find_spec(dep) is None]
    if missing:
        lines.append("  " + shell_command([python, "-m", "pip", "install", *missing]))
    lines.append("  " + shell_command(play))
    lines.append(
        "不经过沙盒、直接运行（程序能读写你的文件）："
        if zh
        else "Outside the sandbox (the program can touch your files):"
    )
    lines.append("  " + shell_command(["cd", project]))
    lines.append("  " + shell_command([python, main_file]))
    return lines


async def show_run(lesson: Any, view: JsonLines | LiveView) -> Any:
    """Show every event of the lesson's run; the last one says how it ended.

    Ctrl-C cancels this task, and the run ends with its 已取消 event. The signal is taken by
    the loop itself (its self-pipe wakes ``select`` whichever thread the signal landed on, and
    the cancel runs as an ordinary callback), not by ``asyncio.run``'s handler, which runs
    between any two bytecodes; a clean-clone CI run under load once saw Ctrl-C leave the loop
    idle for 30 s with that handler. Where the loop cannot take signals (Windows),
    ``asyncio.run``'s handler stays.
    """
    _cancel_on_ctrl_c(asyncio.current_task())
    last = None
    async with lesson:
        events = lesson.run()
        try:
            async for event in events:
                view.show(event)
                last = event
        finally:
            await events.aclose()
    return last


def _cancel_on_ctrl_c(task: asyncio.Task | None) -> None:
    import signal

    if task is None:
        return
    try:
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, task.cancel)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        pass
