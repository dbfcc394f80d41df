"""The offline lesson provider: curated lessons, streamed through the real pipeline.

This is the default when no model is configured, so a learner with no API key and no network can
still watch Specify → Plan → Implement happen. It is not a model and never pretends to be one:
every front end labels it 离线示例模式 / offline lesson mode. The lesson streams in the language
of the phase call (English files for ``language="en"``, Chinese for a teacher's lesson that has
no English). A wish that names no lesson fails with :class:`NoLessonMatch` carrying the three
closest lessons as ``suggestions`` and a message that names them and says, for a student, how
to get a real model.

Lessons are data (``lessons/<id>/``, format in ``lessons/README.md``), loaded by
:mod:`.catalogue`; which lesson a wish names is decided by :mod:`.matcher`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, ClassVar

from codeflow_widget.model.errors import NoLessonMatch
from codeflow_widget.providers.base import Chunk, ContentChunk, PhaseCall, ThinkingChunk
from codeflow_widget.providers.offline.catalogue import (
    BUILTIN_LESSONS,
    LESSON_ID,
    Catalogue,
    Lesson,
    LessonRefused,
    default_catalogue,
)

if TYPE_CHECKING:  # the matcher loads with the first wish (Catalogue.understand)
    from codeflow_widget.providers.offline.matcher import WishMatch

__all__ = [
    "BUILTIN_LESSONS",
    "LESSON_ID",
    "Catalogue",
    "Lesson",
    "LessonRefused",
    "OfflineLessons",
    "default_catalogue",
    "no_lesson_error",
    "project_type_for",
]

# Realistic pacing at pace 1.0: reasoning ~250 characters/s, answers ~500/s,
# and a short pause before the first token, as a hosted model would have.
CHUNK_CHARS = 6
THINKING_DELAY_S = 0.024
CONTENT_DELAY_S = 0.012
FIRST_TOKEN_DELAY_S = 0.4


def no_lesson_error(user_input: str, found: WishMatch, language: str = "zh") -> NoLessonMatch:
    """The failure for a wish with no lesson: the closest lessons, named in both languages."""

    def listing(lang: str) -> str:
        sep = "、" if lang == "zh" else ", "
        return sep.join(f"{lesson.name(lang)} ({lesson.id})" for lesson in found.suggestions)

    error = NoLessonMatch(
        request=user_input[:40],
        suggest_zh=listing("zh"),
        suggest_en=listing("en"),
        reason=found.reason,
        provider="offline",
    )
    # What a front end needs to offer the suggestions as buttons, in the learner's language.
    error.suggestions = tuple(
        {"id": s.id, "name": s.name(language), "example": _first_example(s, language)}
        for s in found.suggestions
    )
    return error


def _first_example(lesson: Lesson, language: str) -> str:
    examples = lesson.examples.get(language) or lesson.examples.get("zh") or [lesson.name(language)]
    return examples[0]


class OfflineLessons:
    """Streams a curated lesson's thinking then answer for each phase, at a chosen pace."""

    offline: ClassVar[bool] = True
    name = "offline"
    model = "curated-lessons"
    base_url = ""

    def __init__(self, pace: float = 1.0, catalogue: Catalogue | None = None):
        self.pace = pace
        self._catalogue = catalogue

    @property
    def catalogue(self) -> Catalogue:
        # Loaded with the first wish, not with the lesson view: the view's example wishes
        # come from the lessons' lesson.json alone (``catalogue.example_index``).
        if self._catalogue is None:
            self._catalogue = default_catalogue()
        return self._catalogue

    @property
    def loaded_catalogue(self) -> Catalogue | None:
        """The catalogue if it is loaded (a teacher's always is), else None: no files read."""
        return self._catalogue

    def lesson_for(self, user_input: str, language: str = "zh") -> Lesson:
        found = self.catalogue.understand(user_input)
        if found.lesson is None:
            raise no_lesson_error(user_input, found, language)
        return found.lesson

    def educational_message(self, phase: str, user_input: str, language: str) -> str | None:
        lesson = self.catalogue.match(user_input)
        return lesson.message(phase, language) if lesson else None

    async def stream(self, call: PhaseCall) -> AsyncIterator[Chunk]:
        lesson = self.lesson_for(call.user_input, call.language)
        await self._sleep(FIRST_TOKEN_DELAY_S)
        for piece in _pieces(lesson.thinking(call.phase, call.language)):
            yield ThinkingChunk(piece)
            await self._sleep(THINKING_DELAY_S)
        for piece in _pieces(lesson.answer(call.phase, call.language)):
            yield ContentChunk(piece)
            await self._sleep(CONTENT_DELAY_S)

    async def _sleep(self, seconds: float) -> None:
        import asyncio  # not at import time: the lesson view is built without it

        await asyncio.sleep(seconds * self.pace)

    async def aclose(self) -> None:
        return None


def _pieces(text: str) -> list[str]:
    return [text[i : i + CHUNK_CHARS] for i in range(0, len(text), CHUNK_CHARS)]


def project_type_for(user_input: str, catalogue: Catalogue | None = None) -> str:
    """The ``project_type`` part of a project name: the lesson id when one matches."""
    lesson = (catalogue or default_catalogue()).match(user_input)
    if lesson is not None:
        return lesson.id
    return "game" if re.search(r"游戏|game", user_input, re.IGNORECASE) else "project"
