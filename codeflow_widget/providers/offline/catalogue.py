"""Offline lessons as data: loading lesson folders (format v2) safely, in both languages.

A lesson is a folder ``<id>/`` with ``lesson.json`` and, per phase, a thinking file and an answer
file: ``specify.thinking.md`` / ``specify.md`` … in Chinese and ``specify.thinking.en.md`` /
``specify.en.md`` … in English (format in ``lessons/README.md``). Built-in lessons live in
``lessons/``; a teacher's ``lessons_dir`` adds lessons or replaces built-in ones with the same
id, and its lessons take part in matching like any other. A teacher's lesson may be Chinese only:
asked for English it falls back to the Chinese files. Loading refuses what a lesson folder must
not do, because its text is streamed to learners and its id becomes a project folder name:
a symlinked folder or file (it could pull in any file on the machine), an id that is not a plain
name, a missing file or a broken ``lesson.json``. Refusals are collected and raised together as
one :class:`LessonRefused` (a ``ConfigError``: exit code 2 in the CLI) with a zh/en message per
problem, never a traceback. Which lesson a wish names is :mod:`.matcher`'s job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codeflow_widget.model.errors import ConfigError
from codeflow_widget.model.messages import Language, message
from codeflow_widget.model.rules import PHASE_ORDER

if TYPE_CHECKING:
    from codeflow_widget.providers.offline.matcher import WishMatch

BUILTIN_LESSONS = Path(__file__).parent / "lessons"
LESSON_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
MAX_FILE_BYTES = 256 * 1024  # a lesson file is a page of Markdown; anything huge is a mistake


class LessonRefused(ConfigError):
    """One or more lesson folders were refused; ``refusals`` holds (where, code, params)."""

    code = "offline.lessons_refused"

    def __init__(self, path: str, refusals: list[tuple[str, str, dict[str, Any]]]) -> None:
        self.refusals = refusals
        problems = [(where, message(code, "zh", **params)) for where, code, params in refusals]
        super().__init__(path, problems)

    def message(self, lang: Language = "zh") -> str:
        head = message(self.code, lang, path=self.path, count=len(self.refusals))
        lines = [
            f"  - {where}: {message(code, lang, **params)}" for where, code, params in self.refusals
        ]
        return "\n".join([head, *lines])


class _Refusal(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def file_name(phase: str, kind: str, language: str) -> str:
    """``specify.thinking.en.md``, ``plan.md``, …: the file for a phase, kind and language."""
    stem = f"{phase}.thinking" if kind == "thinking" else phase
    return f"{stem}.md" if language == "zh" else f"{stem}.{language}.md"


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
    teaches: dict[str, str] = field(default_factory=dict)
    false_friends: dict[str, list[str]] = field(default_factory=dict)
    play_check: dict[str, Any] = field(default_factory=dict)
    categories: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("zh",)  # languages whose six files all exist

    @classmethod
    def load(cls, folder: Path) -> Lesson:
        """Read one lesson folder; raises ``_Refusal`` for anything a lesson must not be."""
        if folder.is_symlink():
            raise _Refusal("offline.lesson_symlink", name=folder.name)
        if not LESSON_ID.match(folder.name):
            raise _Refusal("offline.lesson_bad_id", name=folder.name)
        try:
            data = json.loads(_read(folder, "lesson.json"))
        except json.JSONDecodeError as exc:
            raise _Refusal("offline.lesson_bad_json", name="lesson.json", detail=str(exc)) from None
        if not isinstance(data, dict) or data.get("id") != folder.name:
            raise _Refusal("offline.lesson_id_mismatch", name=folder.name)
        for phase in PHASE_ORDER:
            for kind in ("thinking", "answer"):
                _read(folder, file_name(phase, kind, "zh"))  # Chinese is required
        english = all(
            (folder / file_name(phase, kind, "en")).is_file()
            for phase in PHASE_ORDER for kind in ("thinking", "answer")
        )  # fmt: skip
        try:
            return cls(
                id=data["id"],
                folder=folder,
                title=dict(data["title"]),
                summary=dict(data.get("summary", {})),
                keywords={k: list(v) for k, v in data["keywords"].items()},
                examples={k: list(v) for k, v in data.get("examples", {}).items()},
                messages={k: dict(v) for k, v in data["messages"].items()},
                dependencies=tuple(data.get("dependencies", ())),
                teaches=dict(data.get("teaches", {})),
                false_friends={k: list(v) for k, v in data.get("false_friends", {}).items()},
                play_check=dict(data.get("play_check", {})),
                categories=tuple(data.get("categories", ())),
                languages=("zh", "en") if english else ("zh",),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _Refusal(
                "offline.lesson_bad_json", name="lesson.json", detail=repr(exc)
            ) from None

    def language_for(self, language: str) -> str:
        """The language the lesson's files are served in: English if it has it, else Chinese."""
        return language if language in self.languages else "zh"

    def thinking(self, phase: str, language: str = "zh") -> str:
        return _read(self.folder, file_name(phase, "thinking", self.language_for(language)))

    def answer(self, phase: str, language: str = "zh") -> str:
        return _read(self.folder, file_name(phase, "answer", self.language_for(language)))

    def name(self, language: str = "zh") -> str:
        return self.title.get(language) or self.title["zh"]

    def message(self, phase: str, language: str = "zh") -> str | None:
        texts = self.messages.get(phase, {})
        return texts.get(language) or texts.get("zh")


def _read(folder: Path, name: str) -> str:
    path = folder / name
    if path.is_symlink():
        raise _Refusal("offline.lesson_symlink", name=f"{folder.name}/{name}")
    if not path.is_file():
        raise _Refusal("offline.lesson_missing_file", name=f"{folder.name}/{name}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _Refusal("offline.lesson_file_too_big", name=f"{folder.name}/{name}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _Refusal("offline.lesson_not_utf8", name=f"{folder.name}/{name}") from None


class Catalogue:
    """The lessons on offer: built-in ones plus a teacher's, all matched the same way."""

    def __init__(self, lessons: list[Lesson], refused: tuple[tuple[str, str, dict], ...] = ()):
        self.lessons = lessons
        self.refused = refused  # built-in lessons that failed to load (the tests keep it empty)

    @classmethod
    def load(cls, *folders: Path | str | None) -> Catalogue:
        """Built-in lessons, then each teacher folder; a refused teacher lesson raises."""
        lessons: dict[str, Lesson] = {}
        refused: list[tuple[str, str, dict[str, Any]]] = []
        for root in (BUILTIN_LESSONS, *[Path(f) for f in folders if f]):
            found, refusals = _load_folder(root)
            for lesson in found:
                lessons[lesson.id] = lesson  # a teacher's lesson may replace a built-in one
            if refusals and root != BUILTIN_LESSONS:
                raise LessonRefused(str(root), refusals)
            # A broken built-in lesson (say, one still being written) must not take the
            # whole offline mode down with it: it is left out and listed in ``refused``.
            refused += refusals
        return cls(list(lessons.values()), tuple(refused))

    def understand(self, user_input: str) -> WishMatch:
        """The matcher's full answer: one lesson or none, the reason, and the closest lessons."""
        # Loaded with the first wish: the lesson view is built without the matcher's patterns.
        from codeflow_widget.providers.offline.matcher import match_wish

        return match_wish(user_input, self.lessons)

    def match(self, user_input: str) -> Lesson | None:
        """The one lesson the wish names, or None (see :mod:`.matcher`)."""
        return self.understand(user_input).lesson

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def names(self, language: str = "zh") -> str:
        sep = "、" if language != "en" else ", "
        return sep.join(lesson.name(language) for lesson in self.lessons)


def _load_folder(root: Path) -> tuple[list[Lesson], list[tuple[str, str, dict[str, Any]]]]:
    """The lessons in one folder, and the refusals. A sub-folder without lesson.json is no lesson."""
    if root.is_symlink():
        return [], [(str(root), "offline.lesson_symlink", {"name": root.name})]
    lessons, refusals = [], []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not (folder / "lesson.json").exists() and not (folder / "lesson.json").is_symlink():
            continue  # README.md, images/, .ipynb_checkpoints …
        try:
            lessons.append(Lesson.load(folder))
        except _Refusal as refusal:
            refusals.append((folder.name, refusal.code, refusal.params))
    return lessons, refusals


@cache
def default_catalogue() -> Catalogue:
    return Catalogue.load()


@dataclass(frozen=True)
class LessonCard:
    """What an example-wish button needs of a lesson: its id, folder and example wishes."""

    id: str
    folder: Path
    examples: dict[str, list[str]]


@cache
def example_index() -> tuple[LessonCard, ...]:
    """The built-in lessons' example wishes from their lesson.json alone.

    The lesson view shows these buttons before any wish, so it must not read the 120 lesson
    files ``Catalogue.load`` checks. A folder the catalogue would refuse for its name or its
    lesson.json is left out here too; one missing a phase file is caught when it loads.
    """
    cards = []
    for folder in sorted(BUILTIN_LESSONS.iterdir()):
        try:
            if folder.is_symlink() or not LESSON_ID.match(folder.name):
                continue
            data = json.loads(_read(folder, "lesson.json"))
            if data.get("id") == folder.name:
                examples = {k: list(v) for k, v in data.get("examples", {}).items()}
                cards.append(LessonCard(folder.name, folder, examples))
        except (_Refusal, ValueError, TypeError, AttributeError):
            continue
    return tuple(cards)
