"""Step mode: the lesson pauses after Specify and after Plan until the learner decides.

A checkpoint is what ``Lesson.checkpoint`` calls with a finished artefact; it returns the text to
carry on with, or :class:`Redo` with a note ("再简单一点") to run that phase again. ``StepMode`` is
the awaitable one the widget answers: ``paused`` says what is waiting, and ``resume(text)``
(continue, with the learner's edit if any) or ``redo(note)`` ends the wait. The terminal has its
own checkpoint that asks on the console (``terminal/step_prompt.py``). An edit may not be empty or
larger than a file may be, so a later phase never reads nothing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from codeflow_widget.model.entities import MAX_FILE_BYTES, PhaseType
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import CATALOGUE


@dataclass(frozen=True)
class Redo:
    """Run the phase again with this note from the learner."""

    note: str


def checked_edit(text: str) -> str:
    if not text.strip():
        raise CodeflowError("checkpoint.empty")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size >= MAX_FILE_BYTES:
        raise CodeflowError("checkpoint.too_large", size=size)
    return text


class StepMode:
    """An awaitable checkpoint: ``await step(phase, text)`` waits for ``resume`` or ``redo``."""

    def __init__(self) -> None:
        self._artefact: str | None = None  # the paused phase's text, while it waits
        self._future: asyncio.Future | None = None

    async def __call__(self, phase: PhaseType, text: str) -> str | Redo:
        future = asyncio.get_running_loop().create_future()
        self._artefact, self._future = text, future
        try:
            return await future
        finally:
            self._artefact, self._future = None, None

    def resume(self, text: str | None = None) -> None:
        """Continue: with the learner's edited text, or the artefact as it was."""
        artefact, future = self._waiting()
        self._answer(future, artefact if text is None else checked_edit(text))

    def redo(self, note: str = "", language: str = "zh") -> None:
        """Run the paused phase again with the learner's note."""
        _, future = self._waiting()
        default = CATALOGUE["checkpoint.default_note"][1 if language == "en" else 0]
        self._answer(future, Redo(note.strip()[:300] or default))

    def _waiting(self) -> tuple[str, asyncio.Future]:
        if self._artefact is None or self._future is None or self._future.done():
            raise CodeflowError("checkpoint.not_paused")
        return self._artefact, self._future

    @staticmethod
    def _answer(future: asyncio.Future, value: str | Redo) -> None:
        # The view's command may arrive on another thread than the lesson's loop.
        loop = future.get_loop()
        loop.call_soon_threadsafe(lambda: future.done() or future.set_result(value))
