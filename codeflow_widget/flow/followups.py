"""Curated follow-up changes for the offline lessons, and which one a learner's wish asks for.

A lesson folder may hold ``followups/<id>/`` (format in ``lessons/README.md``): ``followup.json``
(title, keywords, examples and teaching texts in zh and en), per phase a thinking file, the
spec change and the plan change (each appended to the project's current spec.md / plan.md as a
new section), the implement note, and the code change as a unified diff against the lesson's
original program (``main.patch`` / ``main.en.patch``), which ``checks.patch`` places by content
over the learner's current main.py. Requirement ids in a follow-up are written ``{R+1}``,
``{R+2}`` …: they are numbered after the highest requirement the project's spec already has, so
the second and third follow-up on a project keep counting. Which follow-up a wish asks for is the
offline matcher's decision (the same negation and word-boundary rules as for lessons), asked of
this lesson's follow-ups only; no match fails honestly with the list of what is on offer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.providers.offline import Catalogue, default_catalogue
from codeflow_widget.providers.offline.matcher import match_wish

PLACEHOLDER = re.compile(r"\{R\+(\d+)\}")


@dataclass(frozen=True)
class Followup:
    """A curated follow-up wish of one offline lesson, loaded from its followup.json."""

    id: str
    title: dict[str, str]
    keywords: dict[str, list[str]]
    examples: dict[str, list[str]]
    messages: dict[str, dict[str, str]]
    lesson_id: str  # the lesson it changes
    folder: Path
    false_friends: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, lesson_id: str) -> Followup:
        data = json.loads((folder / "followup.json").read_text(encoding="utf-8"))
        return cls(
            id=data["id"], lesson_id=lesson_id, folder=folder, title=dict(data["title"]),
            keywords={k: list(v) for k, v in data["keywords"].items()},
            examples={k: list(v) for k, v in data.get("examples", {}).items()},
            messages={k: dict(v) for k, v in data.get("messages", {}).items()},
        )  # fmt: skip

    def name(self, language: str = "zh") -> str:
        return self.title.get(language) or self.title["zh"]

    def text(self, stem: str, language: str = "zh") -> str:
        """``spec``, ``plan``, ``implement`` or ``<phase>.thinking`` in the language asked for."""
        suffix = ".md" if language != "en" else ".en.md"
        return (self.folder / f"{stem}{suffix}").read_text(encoding="utf-8")

    def patch(self, language: str = "zh") -> str:
        name = "main.patch" if language != "en" else "main.en.patch"
        return (self.folder / name).read_text(encoding="utf-8")

    def message(self, phase: str, language: str = "zh") -> str | None:
        texts = self.messages.get(phase, {})
        return texts.get(language) or texts.get("zh")


def followups_for(lesson_id: str, catalogue: Catalogue | None = None) -> list[Followup]:
    lesson = (catalogue or default_catalogue()).get(lesson_id)
    root = lesson.folder / "followups" if lesson else None
    if root is None or not root.is_dir():
        return []
    return [
        Followup.load(folder, lesson_id)
        for folder in sorted(root.iterdir())
        if (folder / "followup.json").is_file() and not folder.is_symlink()
    ]


def find_followup(
    wish: str, lesson_id: str, language: str = "zh", catalogue: Catalogue | None = None
) -> Followup:
    """The follow-up the wish asks for, or a zh/en error listing the ones on offer."""
    offered = followups_for(lesson_id, catalogue)
    if not offered:
        raise CodeflowError("followup.no_lesson", kind=lesson_id)
    found = match_wish(wish, offered)
    if found.lesson is not None:
        return found.lesson
    raise CodeflowError(
        "followup.no_match",
        wish=wish[:40],
        available_zh=available(offered, "zh"),
        available_en=available(offered, "en"),
    )


def available(offered: list[Followup], language: str = "zh") -> str:
    sep = "、" if language != "en" else "; "
    quote = "「{}」" if language != "en" else "“{}”"
    return sep.join(
        f.name(language) + " " + quote.format((f.examples.get(language) or [f.name(language)])[0])
        for f in offered
    )


def numbered(text: str, after: int) -> str:
    """``{R+1}`` → ``R{after+1}``: a follow-up's requirements continue the spec's numbering."""
    return PLACEHOLDER.sub(lambda m: f"R{after + int(m.group(1))}", text)
