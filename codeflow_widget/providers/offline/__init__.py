"""The offline lesson provider: curated lessons, streamed through the real pipeline.

This is the default when no model is configured, so a learner with no API key
and no network can still watch Specify → Plan → Implement happen. It is not a
model and never pretends to be one: every front end labels it 离线示例模式 /
offline lesson mode, and a wish with no matching lesson fails with a message
listing the lessons and explaining how to connect a real model.

Lessons are data (``lessons/<id>/``, format in ``lessons/README.md``): teachers
can add their own folder via the ``lessons_dir`` setting.
"""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

from codeflow_widget.model.errors import NoLessonMatch
from codeflow_widget.providers.base import Chunk, ContentChunk, PhaseCall, ThinkingChunk

BUILTIN_LESSONS = Path(__file__).parent / "lessons"
PHASE_FILES = ("specify", "plan", "implement")

# Realistic pacing at pace 1.0: reasoning ~250 characters/s, answers ~500/s,
# and a short pause before the first token, as a hosted model would have.
CHUNK_CHARS = 6
THINKING_DELAY_S = 0.024
CONTENT_DELAY_S = 0.012
FIRST_TOKEN_DELAY_S = 0.4


@dataclass(frozen=True)
class Lesson:
    id: str
    folder: Path
    title: dict[str, str]
    summary: dict[str, str]
    keywords: dict[str, list[str]]
    examples: dict[str, list[str]]
    messages: dict[str, dict[str, str]]
    dependencies: tuple[str, ...]

    @classmethod
    def load(cls, folder: Path) -> Lesson:
        data = json.loads((folder / "lesson.json").read_text(encoding="utf-8"))
        return cls(
            id=data["id"],
            folder=folder,
            title=data["title"],
            summary=data.get("summary", {}),
            keywords=data["keywords"],
            examples=data.get("examples", {}),
            messages=data["messages"],
            dependencies=tuple(data.get("dependencies", ())),
        )

    def thinking(self, phase: str) -> str:
        return (self.folder / f"{phase}.thinking.md").read_text(encoding="utf-8")

    def answer(self, phase: str) -> str:
        return (self.folder / f"{phase}.md").read_text(encoding="utf-8")

    def name(self, language: str = "zh") -> str:
        return self.title.get(language) or self.title["zh"]


def normalise(text: str) -> str:
    """Lower-case, full-width → half-width, and drop spaces/punctuation, so phrasing varies freely."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s\-_'’.,!?，。！？、:：;；\"“”()（）]+", "", text)


class Catalogue:
    def __init__(self, lessons: list[Lesson]):
        self.lessons = lessons

    @classmethod
    def load(cls, *folders: Path | None) -> Catalogue:
        lessons: dict[str, Lesson] = {}
        for root in (BUILTIN_LESSONS, *[f for f in folders if f]):
            for folder in sorted(Path(root).iterdir()) if Path(root).is_dir() else []:
                if (folder / "lesson.json").is_file():
                    lesson = Lesson.load(folder)
                    lessons[lesson.id] = lesson  # a teacher's lesson may replace a built-in one
        return cls(list(lessons.values()))

    def match(self, user_input: str) -> Lesson | None:
        """The lesson whose longest keyword appears in the request, or None."""
        wish = normalise(user_input)
        best: tuple[int, Lesson] | None = None
        for lesson in self.lessons:
            for keyword in (*lesson.keywords.get("zh", []), *lesson.keywords.get("en", [])):
                key = normalise(keyword)
                if key and key in wish and (best is None or len(key) > best[0]):
                    best = (len(key), lesson)
        return best[1] if best else None

    def names(self, language: str = "zh") -> str:
        sep = "、" if language != "en" else ", "
        return sep.join(lesson.name(language) for lesson in self.lessons)


@cache
def default_catalogue() -> Catalogue:
    return Catalogue.load()


class OfflineLessons:
    """Streams a curated lesson's thinking then answer for each phase, at a chosen pace."""

    offline: ClassVar[bool] = True
    name = "offline"
    model = "curated-lessons"
    base_url = ""

    def __init__(self, pace: float = 1.0, catalogue: Catalogue | None = None):
        self.pace = pace
        self.catalogue = catalogue or default_catalogue()

    def lesson_for(self, user_input: str) -> Lesson:
        lesson = self.catalogue.match(user_input)
        if lesson is None:
            raise NoLessonMatch(
                request=user_input[:40], lessons=self.catalogue.names(), provider="offline"
            )
        return lesson

    def educational_message(self, phase: str, user_input: str, language: str) -> str | None:
        lesson = self.catalogue.match(user_input)
        if lesson is None:
            return None
        texts = lesson.messages.get(phase, {})
        return texts.get(language) or texts.get("zh")

    async def stream(self, call: PhaseCall) -> AsyncIterator[Chunk]:
        lesson = self.lesson_for(call.user_input)
        await self._sleep(FIRST_TOKEN_DELAY_S)
        for piece in _pieces(lesson.thinking(call.phase)):
            yield ThinkingChunk(piece)
            await self._sleep(THINKING_DELAY_S)
        for piece in _pieces(lesson.answer(call.phase)):
            yield ContentChunk(piece)
            await self._sleep(CONTENT_DELAY_S)

    async def _sleep(self, seconds: float) -> None:
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
