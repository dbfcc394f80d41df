"""Every learner-facing sentence, in Chinese first and English second.

Messages are looked up by a stable code (``"provider.auth"``) and formatted with
named parameters, so errors and findings can carry a code plus context and be
rendered in whichever language the learner picked — even after the fact, when
the widget's language switch is flipped.
"""

from __future__ import annotations

from typing import Literal

from codeflow_widget.model.catalogue import codes, table

Language = Literal["zh", "en"]

# Every code of every part (model/catalogue/codes/*.json): one catalogue.
CATALOGUE: dict[str, tuple[str, str]] = codes()


def message(code: str, lang: Language = "zh", /, **params: object) -> str:
    """Render the message ``code`` in ``lang``; unknown params are left as written."""
    zh, en = CATALOGUE[code]
    template = en if lang == "en" else zh
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


PHASE_TITLES: dict[str, tuple[str, str]] = table("phase_titles")


def phase_title(phase: str, lang: Language = "zh") -> str:
    zh, en = PHASE_TITLES[phase]
    return en if lang == "en" else zh


# What a developer does in each phase and why — shown when a phase starts.
# The Chinese text is the data model's educational_message (10–200 characters).
PHASE_MESSAGES: dict[str, tuple[str, str]] = table("phase_messages")


def phase_message(phase: str, lang: Language = "zh") -> str:
    zh, en = PHASE_MESSAGES[phase]
    return en if lang == "en" else zh
