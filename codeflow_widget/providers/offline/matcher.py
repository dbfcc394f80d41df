"""Reading a learner's wish: which offline lesson it names, if exactly one, and what is closest.

A wish is lower-cased and NFKC-folded, then cut into clauses. A negation cue ("不要", "别",
"不是", "not", "no", "don't want", …) makes the rest of its clause *negated*; phrases that look
like a lesson but mean something else (each lesson's ``false_friends`` plus the built-ins below,
e.g. 蛇梯棋, sudoku, memory usage) are blanked out before anything is matched. Every lesson's
titles, keywords and examples in both languages are then looked for in the compacted wish
(spaces and punctuation dropped, so "tic-tac-toe" = "tictactoe"); Latin phrases must start and end
on a word boundary (so "pong" is not found in "sponge"). A lesson named only inside a negated
clause is excluded. The answer is exactly one lesson or none: a hit lighter than ``MIN_WEIGHT``,
or two lessons hit in different places (neither hit inside the other), give none, because a
wrong lesson is worse than a clear "no lesson". With no match, :func:`.nearest.closest_lessons` ranks the
catalogue by shared characters, words and categories (棋 → board games, 牌 → cards, …) so the
learner is offered the three nearest lessons instead of a dead end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from codeflow_widget.model.rules import is_cjk
from codeflow_widget.providers.offline.nearest import closest_lessons, lesson_phrases

# A CJK character weighs 2 (it is about a word), a Latin letter or digit 1. A hit must weigh at
# least 3: one lone character such as "蛇" is too weak to pick a lesson on its own.
MIN_WEIGHT = 3
BARRIER = "\x00"  # replaces blanked-out text; no phrase contains it, so no hit can cross it

# fmt: off
# Phrases that contain a lesson keyword but never mean that lesson, whatever the lessons say.
BUILTIN_FALSE_FRIENDS = (
    "蛇梯棋", "蛇棋", "snakes and ladders", "snake and ladders", "snakes & ladders",
    "数独", "sudoku", "memory usage", "memory monitor", "memory leak", "内存",
)

_SEPARATORS = re.compile(r"[\s\-_'’`.,!?，。！？、:：;；\"“”()（）\[\]【】<>《》/\\|&+*~·…]")
_CLAUSE_END = re.compile(r"[，,。.!！?？;；\n]")
_CUES_ZH = re.compile(r"不想要|不要|不想|不是|不用|不玩|除了|(?<![特区级类性告分辨识派])别(?![人的墅针名称致])")
# fmt: on
_CUES_EN = re.compile(
    r"\b(?:don'?t want|do not want|doesn'?t want|not|no|never|without|except|instead of|"
    r"rather than|anything but)\b"
)
_SCOPE_END_ZH = re.compile(r"而是|但是|可是|但|只要|我要|我想|给我|换成|改成|还是|要|了")
_SCOPE_END_EN = re.compile(r"\b(?:but|instead|rather|just|i want|i'd like|give me|make me|make)\b")


@dataclass(frozen=True)
class Hit:
    """A lesson's phrase found in the wish: in which clause, at which characters, how strongly."""

    lesson_id: str
    phrase: str
    clause: int
    start: int
    end: int
    weight: int

    def inside(self, other: Hit) -> bool:
        return self.clause == other.clause and other.start <= self.start and self.end <= other.end


@dataclass(frozen=True)
class WishMatch:
    """What the matcher made of a wish. ``lesson`` is set only when exactly one lesson was named.

    ``reason`` is "matched", "no_hit", "weak", "ambiguous", "negated" or "false_friend";
    ``suggestions`` (the 3 closest lessons) is filled whenever ``lesson`` is None.
    """

    lesson: Any | None
    reason: str
    suggestions: tuple[Any, ...] = ()
    negated: tuple[str, ...] = ()
    hits: tuple[Hit, ...] = field(default=(), repr=False)


def normalise(text: str) -> str:
    """Lower-case, full-width → half-width, and drop spaces/punctuation, so phrasing varies freely."""
    return _compact(text)[0]


def match_wish(wish: str, lessons: Sequence[Any]) -> WishMatch:
    """The one lesson the wish names (with negation and false friends understood), or none."""
    text = unicodedata.normalize("NFKC", wish).lower()
    positive, negative = _split_negation(text)
    false_friends = _false_friends(lessons)
    clauses = [_blank(_compact(part), false_friends) for part in positive]
    negated_clauses = [_blank(_compact(part), false_friends) for part in negative]
    blanked = any(BARRIER in c[0] for c in (*clauses, *negated_clauses))

    hits = _hits(clauses, lessons)
    negated = {hit.lesson_id for hit in _hits(negated_clauses, lessons)}
    named = {hit.lesson_id for hit in hits}
    negated -= named  # named outside a negation too: the positive mention wins

    strong = [hit for hit in hits if hit.weight >= MIN_WEIGHT]
    survivors = sorted({hit.lesson_id for hit in strong if not _dominated(hit, strong)})
    by_id = {lesson.id: lesson for lesson in lessons}
    if len(survivors) == 1:
        lesson = by_id[survivors[0]]
        return WishMatch(lesson, "matched", (), tuple(sorted(negated)), tuple(hits))
    if survivors:
        reason = "ambiguous"
    elif hits:
        reason = "weak"
    elif negated:
        reason = "negated"
    elif blanked:
        reason = "false_friend"
    else:
        reason = "no_hit"
    ignore = _false_friends(lessons, compact=False)
    suggestions = closest_lessons(wish, lessons, exclude=negated, ignore=ignore)
    return WishMatch(None, reason, tuple(suggestions), tuple(sorted(negated)), tuple(hits))


def score_matcher(
    cases: Iterable[tuple[str, str | None]], lessons: Sequence[Any]
) -> dict[str, Any]:
    """Precision and recall of :func:`match_wish` on (wish, expected lesson id or None) pairs.

    Recall: the share of wishes with a lesson that got exactly that lesson. Precision: the share
    of picks that were right (a negative wish that got any lesson is a wrong pick).
    """
    positives = negatives = found = picks = right = rejected = 0
    wrong = []
    for wish, expected in cases:
        result = match_wish(wish, lessons)
        got = result.lesson.id if result.lesson else None
        positives += expected is not None
        negatives += expected is None
        found += expected is not None and got == expected
        rejected += expected is None and got is None
        picks += got is not None
        right += got is not None and got == expected
        if got != expected:
            wrong.append((wish, expected, got))
    return {
        "positives": positives,
        "negatives": negatives,
        "recall": round(found / positives, 4) if positives else 1.0,
        "precision": round(right / picks, 4) if picks else 1.0,
        "negatives_rejected": round(rejected / negatives, 4) if negatives else 1.0,
        "wrong": wrong,
    }


def _false_friends(lessons: Sequence[Any], compact: bool = True) -> list[str]:
    phrases = list(BUILTIN_FALSE_FRIENDS)
    for lesson in lessons:
        for language_list in (getattr(lesson, "false_friends", None) or {}).values():
            phrases += language_list
    cleaned = {normalise(p) if compact else re.sub(r"[\W_]+", "", p.lower()) for p in phrases}
    return sorted((p for p in cleaned if p), key=len, reverse=True)


def _split_negation(text: str) -> tuple[list[str], list[str]]:
    """Cut the wish into clauses outside and inside negations."""
    positive: list[str] = []
    negative: list[str] = []
    for clause in _CLAUSE_END.split(text):
        rest = clause
        while rest:
            cue = min(
                (m for m in (_CUES_ZH.search(rest), _CUES_EN.search(rest)) if m),
                key=lambda m: m.start(),
                default=None,
            )
            if cue is None:
                positive.append(rest)
                break
            positive.append(rest[: cue.start()])
            scope = rest[cue.end() :]
            ends = [m for m in (_SCOPE_END_ZH.search(scope), _SCOPE_END_EN.search(scope)) if m]
            stop = min((m.start() for m in ends if m.start() > 0), default=len(scope))
            negative.append(scope[:stop])
            rest = scope[stop:]
    return positive, negative


def _compact(text: str) -> tuple[str, set[int]]:
    """The text without separators, and the positions where a word starts or ends."""
    text = unicodedata.normalize("NFKC", text).lower()
    chars: list[str] = []
    bounds = {0}
    previous = None
    for ch in text:
        if _SEPARATORS.match(ch):
            bounds.add(len(chars))
            previous = None
            continue
        kind = (
            "a" if ch.isascii() and ch.isalpha() else "d" if ch.isascii() and ch.isdigit() else "c"
        )
        if kind == "c" or kind != previous:
            bounds.add(len(chars))
        chars.append(ch)
        if kind == "c":
            bounds.add(len(chars))
        previous = kind
    bounds.add(len(chars))
    return "".join(chars), bounds


def _blank(compacted: tuple[str, set[int]], phrases: list[str]) -> tuple[str, set[int]]:
    text, bounds = compacted
    for phrase in phrases:
        for start in _find(text, bounds, phrase, plural=True):
            end = start + len(phrase)
            text = text[:start] + BARRIER * len(phrase) + text[end:]
            bounds = bounds | {start, end}
    return text, bounds


def _find(text: str, bounds: set[int], phrase: str, plural: bool = True) -> list[int]:
    found = []
    start = text.find(phrase)
    while start != -1:
        end = start + len(phrase)
        ok_start = not _latin(phrase[0]) or start in bounds
        ok_end = (
            not _latin(phrase[-1])
            or end in bounds
            or (
                plural
                and any(
                    text[end : end + len(s)] == s and end + len(s) in bounds for s in ("s", "es")
                )
            )
        )
        if ok_start and ok_end:
            found.append(start)
        start = text.find(phrase, start + 1)
    return found


def _hits(clauses: list[tuple[str, set[int]]], lessons: Sequence[Any]) -> list[Hit]:
    hits = []
    for number, (text, bounds) in enumerate(clauses):
        if not text.strip(BARRIER):
            continue
        for lesson in lessons:
            for phrase in {normalise(p) for p in lesson_phrases(lesson)}:
                if not phrase:
                    continue
                weight = sum(2 if is_cjk(ch) else 1 for ch in phrase)
                for start in _find(text, bounds, phrase):
                    hits.append(Hit(lesson.id, phrase, number, start, start + len(phrase), weight))
    return hits


def _dominated(hit: Hit, hits: list[Hit]) -> bool:
    """Whether the hit lies inside a heavier hit of another lesson (then that one wins)."""
    return any(
        other.lesson_id != hit.lesson_id and hit.inside(other) and other.weight > hit.weight
        for other in hits
    )


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
