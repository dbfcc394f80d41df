"""The failure banner in the other language, after the run that failed has ended.

A ``Failed`` event carries its sentence in the language the run started in and the catalogue
code that made it, not the error object, so a language switch after (or during) a failed run
would leave the banner in the old language. This rebuilds the sentence from what the event
carried: the code's template in the run's language is matched against the sentence to recover
its parameters, which are then formatted with the same code's template in the new language.
The one message whose parameters differ per language — no offline lesson for a wish — is made
afresh by the offline provider for the same wish (with its suggestions in that language).
A sentence that matches no template (a hand-written message) is left as it is.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any

from codeflow_widget.model.messages import CATALOGUE, message
from codeflow_widget.widget.render import redact

NO_MATCH = "offline.no_match"


@dataclass(frozen=True)
class Failure:
    """What the banner showed when the run failed (``text`` is in ``lang``)."""

    code: str
    text: str
    lang: str
    wish: str = ""
    provider: Any = None
    suggestions: list[dict[str, Any]] = field(default_factory=list)


def failure_in(failure: Failure, lang: str) -> tuple[str, list[dict[str, Any]]] | None:
    """The banner text and suggestion buttons in ``lang``; None when it cannot be rebuilt."""
    if lang == failure.lang:
        return failure.text, failure.suggestions
    if failure.code == NO_MATCH:
        return _no_match(failure, lang)
    params = _params(failure.code, failure.text, failure.lang)
    if params is None:
        return None
    return redact(message(failure.code, lang, **params)), failure.suggestions  # type: ignore[arg-type]


def _params(code: str, text: str, lang: str) -> dict[str, str] | None:
    """The parameters the sentence was formatted with, read back through its template."""
    if code not in CATALOGUE:
        return None
    zh, en = CATALOGUE[code]
    template = en if lang == "en" else zh
    pattern, names = [], []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        pattern.append(re.escape(literal))
        if name is None:
            continue
        if name in names:  # the same parameter twice: the second must equal the first
            pattern.append(f"(?P={name})")
            continue
        names.append(name)
        pattern.append(f"(?P<{name}>.*?)")
    found = re.fullmatch("".join(pattern), text, flags=re.DOTALL)
    return found.groupdict() if found else None


def _no_match(failure: Failure, lang: str) -> tuple[str, list[dict[str, Any]]] | None:
    """Ask the offline lessons again, in ``lang``: the sentence and its suggestions."""
    from codeflow_widget.model.errors import NoLessonMatch

    lesson_for = getattr(failure.provider, "lesson_for", None)
    if lesson_for is None or not failure.wish:
        return None
    try:
        lesson_for(failure.wish, lang)
    except NoLessonMatch as err:
        offered = [dict(s) for s in getattr(err, "suggestions", ())]
        return redact(err.message(lang)), offered  # type: ignore[arg-type]
    return None  # the catalogue changed since: it matches now, nothing to say
