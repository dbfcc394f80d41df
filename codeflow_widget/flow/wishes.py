"""Example wishes for the front ends: what a learner can click to start a lesson.

Offline, every example must work, so there is one per offline lesson — the first three
lessons in a fixed order (the gentlest first), then a teacher's own lessons (``lessons_dir``:
what the class is doing today), the rest as the catalogue lists them — taken from each
lesson's own example phrasings. A real model gets a few more wishes no
lesson covers, to show that it is not limited to the lessons.
"""

from __future__ import annotations

from typing import Any

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
    from codeflow_widget.providers.offline import BUILTIN_LESSONS, default_catalogue

    def order(lesson) -> tuple[int, int]:
        if lesson.id in FIRST_LESSONS and lesson.folder.parent == BUILTIN_LESSONS:
            return (0, FIRST_LESSONS.index(lesson.id))
        return (1 if lesson.folder.parent != BUILTIN_LESSONS else 2, 0)  # a teacher's next

    out: dict[str, list[str]] = {"zh": [], "en": []}
    for lesson in sorted((catalogue or default_catalogue()).lessons, key=order):
        for lang in out:
            found = lesson.examples.get(lang, [])
            if found:  # an English "make …" phrasing reads best on a button
                out[lang].append(next((e for e in found if e.startswith("make")), found[0]))
    return out
