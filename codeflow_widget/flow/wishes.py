"""Wishes: the examples a learner can click, and what a wish becomes before it runs.

Offline, every example must work, so there is one per offline lesson — the first three
lessons in a fixed order (the gentlest first), then a teacher's own lessons (``lessons_dir``:
what the class is doing today), the rest as the catalogue lists them — taken from each
lesson's own example phrasings. A real model gets a few more wishes no
lesson covers, to show that it is not limited to the lessons. A wish becomes a pending
request (``new_request``) with each phase's teaching text fixed once (``teaching_for``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codeflow_widget.model.messages import Language, phase_message
from codeflow_widget.model.rules import PHASE_ORDER, PhaseType, fits
from codeflow_widget.providers.base import Provider, TeachesLessons

if TYPE_CHECKING:
    from codeflow_widget.config import Settings
    from codeflow_widget.model.entities import CodeGenerationRequest

Teaching = dict[PhaseType, dict[Language, str]]

FIRST_LESSONS = ("snake", "guess_number", "tic_tac_toe")
EXTRA_EXAMPLES = {
    "zh": ["帮我写个五子棋", "做一个太空射击小游戏"],
    "en": ["make me a gomoku game", "a space shooter game"],
}
FALLBACK_EXAMPLES = {
    "zh": ["帮我写个贪吃蛇", "帮我写个猜数字游戏"],
    "en": ["make me a snake game", "make a guess the number game"],
}
MAX_EXAMPLES = 10


def example_wishes(offline: bool, catalogue: Any = None) -> dict[str, list[str]]:
    """``{"zh": [...], "en": [...]}``: clickable wishes, at most ten per language.

    ``catalogue`` is the offline provider's (built-in plus teacher lessons); None: built-in only.
    """
    try:
        out = _lesson_examples(catalogue)
    except Exception:  # noqa: BLE001 - examples are a nicety; a broken lesson folder must not stop the view
        out = {lang: list(items) for lang, items in FALLBACK_EXAMPLES.items()}
    if not offline:
        for lang in out:
            out[lang].extend(EXTRA_EXAMPLES[lang])
    return {lang: list(dict.fromkeys(items))[:MAX_EXAMPLES] for lang, items in out.items()}


def _lesson_examples(catalogue: Any = None) -> dict[str, list[str]]:
    from codeflow_widget.providers.offline.catalogue import BUILTIN_LESSONS, example_index

    def order(lesson) -> tuple[int, int]:
        if lesson.id in FIRST_LESSONS and lesson.folder.parent == BUILTIN_LESSONS:
            return (0, FIRST_LESSONS.index(lesson.id))
        return (1 if lesson.folder.parent != BUILTIN_LESSONS else 2, 0)  # a teacher's next

    out: dict[str, list[str]] = {"zh": [], "en": []}
    # No catalogue yet (the default one loads with the first wish): lesson.json is enough.
    for lesson in sorted(catalogue.lessons if catalogue else example_index(), key=order):
        for lang in out:
            found = lesson.examples.get(lang, [])
            if found:  # an English "make …" phrasing reads best on a button
                out[lang].append(next((e for e in found if e.startswith("make")), found[0]))
    return out


# -- a wish becomes a pending request ---------------------------------------------------------
def teaching_for(provider: Provider | None, user_input: str) -> Teaching:
    """Each phase's teaching text in both languages, fixed once per request.

    A provider with lesson texts (``TeachesLessons``) is asked once per phase and language;
    its text is used where it fits the data model's rule (``model.rules.fits``).
    """
    lessons = provider if isinstance(provider, TeachesLessons) else None
    teaching: Teaching = {}
    for phase in PHASE_ORDER:
        teaching[phase] = {}
        for lang in ("zh", "en"):
            own = lessons.educational_message(phase, user_input, lang) if lessons else None
            teaching[phase][lang] = own if fits(own, lang) else phase_message(phase, lang)
    return teaching


def new_request(
    text: str, settings: Settings | None = None, provider: Provider | None = None
) -> CodeGenerationRequest:
    """A pending request with its three phases and their (Chinese) educational messages."""
    return pending(text, teaching_for(provider, text))


def pending(text: str, teaching: Teaching) -> CodeGenerationRequest:
    """The pending request for ``text``; the data model keeps the Chinese teaching texts."""
    from codeflow_widget.model.entities import CodeGenerationRequest

    return CodeGenerationRequest.create(text, {p: texts["zh"] for p, texts in teaching.items()})
