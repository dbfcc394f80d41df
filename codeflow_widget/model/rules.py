"""The data model's rules that need no pydantic: phases, teaching text, retries, limits.

Kept apart from ``entities.py`` (which builds pydantic models) so that the lesson view and
the settings can name the phases and the limits without paying for the models at import
time — one definition, not a copy.
A teaching text (``educational_message``) says what a developer does in the phase and why;
the data model wants it 10–200 characters, and the Chinese one must be Chinese. ``fits``
is that rule, used both by the entity's validator and by the flow when it picks a lesson's
own text over the generic one. A failed request may be retried ``MAX_RETRIES`` times.
"""

from __future__ import annotations

from typing import Literal

PhaseType = Literal["specify", "plan", "implement"]
PHASE_ORDER: tuple[PhaseType, ...] = ("specify", "plan", "implement")

MAX_INPUT_CHARS = 1000  # a wish is 1–1000 characters
MAX_FILE_BYTES = 1024 * 1024  # each file must be < 1 MB
MAX_PROJECT_BYTES = 10 * 1024 * 1024  # the whole project ≤ 10 MB
APPROVED_DEPENDENCIES = ("pygame",)  # the only third-party package generated code may use
MAX_RETRIES = 3  # learner retries of one failed request (the data model's retry_count 0–3)
TEACHING_MIN_CHARS = 10
TEACHING_MAX_CHARS = 200


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph, extension A and the compatibility block included (the wish
    matcher's and the nearest-lesson ranking's notion of a Chinese character)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def has_chinese(text: str) -> bool:
    """True when ``text`` holds a CJK ideograph (U+4E00–U+9FFF).

    A comparison, not ``re.compile("[\\u4e00-\\u9fff]")``: compiling that range takes about
    1 ms, paid by every ``CodeFlow()`` since the settings import this module."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def teaching_problem(text: str, language: str = "zh") -> str | None:
    """Why ``text`` cannot be a phase's teaching text in ``language``, or None if it can."""
    if not TEACHING_MIN_CHARS <= len(text) <= TEACHING_MAX_CHARS:
        return (
            f"educational_message must be {TEACHING_MIN_CHARS}–{TEACHING_MAX_CHARS} "
            f"characters, got {len(text)}"
        )
    if language != "en" and not has_chinese(text):
        return "educational_message must be written in Chinese"
    return None


def fits(text: str | None, language: str = "zh") -> bool:
    """True when ``text`` may be shown as a phase's teaching text in ``language``."""
    return bool(text) and teaching_problem(text, language) is None  # type: ignore[arg-type]
