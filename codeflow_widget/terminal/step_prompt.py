"""Step mode in a terminal (``codeflow run --step``): the lesson pauses after Specify and Plan.

At each pause the learner presses Enter to continue, types ``e`` to edit the artefact (in
``$EDITOR`` when one is set, otherwise by pasting the new text and ending with a line holding
only ``.``), or ``r NOTE`` to have the phase redone with that note ("r 再简单一点"). The change
events of a run are printed here too: a diff with added lines green and removed lines red, the
kept draft of a redone phase, and each new version.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from codeflow_widget.flow.checkpoints import Redo, checked_edit
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import by_language, phase_title, table
from codeflow_widget.terminal.history_command import print_diff

WORDS = by_language(table("step_prompt"))  # catalogue/step_prompt.json


class TerminalStep:
    """A checkpoint that asks on the console; ``lines`` replaces ``input`` in tests."""

    def __init__(self, console: Console, language: str = "zh", lines=None):
        self.console, self.lang = console, language
        self._input = lines or input

    async def __call__(self, phase: str, text: str) -> str | Redo:
        return await asyncio.to_thread(self._ask, phase, text)

    def _ask(self, phase: str, text: str) -> str | Redo:
        words = WORDS[self.lang]
        while True:
            self.console.print(
                words["pause"].format(phase=phase_title(phase, self.lang)),
                style="bold yellow",
                markup=False,
            )
            try:
                answer = self._input("> ").strip()
            except EOFError:  # no terminal (a pipe ran dry): carry on as if Enter
                return text
            if not answer:
                return text
            if answer.lower() in ("e", "edit", "编辑"):
                try:
                    edited = checked_edit(self._edit(text))
                except CodeflowError as exc:
                    self.console.print(f"✗ {exc.message(self.lang)}", style="red", markup=False)
                    continue
                self.console.print(
                    words["edited"].format(n=len(edited.splitlines())), style="green", markup=False
                )
                return edited
            if answer.lower().startswith("r"):
                note = answer[1:].strip() if answer[:1] in "rR" else ""
                return Redo(note)
            self.console.print(words["unknown"], style="yellow", markup=False)

    def _edit(self, text: str) -> str:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if editor and sys.stdin.isatty():
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "artefact.md"
                path.write_text(text, encoding="utf-8")
                subprocess.run([*shlex.split(editor), str(path)], check=False)  # noqa: S603 - the learner's own editor
                return path.read_text(encoding="utf-8")
        self.console.print(WORDS[self.lang]["paste"], markup=False)
        lines = []
        while True:
            try:
                line = self._input("")
            except EOFError:
                break
            if line.strip() == ".":
                break
            lines.append(line)
        return "\n".join(lines) + "\n"


def show_change_event(console: Console, event, lang: str) -> bool:
    """Print a change event (diff, kept draft, version); False if it is not one."""
    words = WORDS[lang]
    kind = getattr(event, "type", "")
    if kind == "change_diff":
        console.print("\n" + words["diff"].format(file=event.file), style="cyan", markup=False)
        print_diff(console, event.diff)
    elif kind == "draft_kept":
        console.print(
            words["redo"].format(note=event.note) + " " + words["draft"],
            style="yellow",
            markup=False,
        )
    elif kind == "version":
        console.print(words["version"].format(**event.version), style="green", markup=False)
    elif kind == "checkpoint":
        pass  # the checkpoint itself asks
    else:
        return False
    return True
