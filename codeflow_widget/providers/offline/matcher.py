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
wrong lesson is worse than a clear "no lesson". With no match, :func:`closest_lessons` ranks the
catalogue by shared characters, words and categories (棋 → board games, 牌 → cards, …) so the
learner is offered the three nearest lessons instead of a dead end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

# A CJK character weighs 2 (it is about a word), a Latin letter or digit 1. A hit must weigh at
# least 3: one lone character such as "蛇" is too weak to pick a lesson on its own.
MIN_WEIGHT = 3
BARRIER = "\x00"  # replaces blanked-out text; no phrase contains it, so no hit can cross it

# Phrases that contain a lesson keyword but never mean that lesson, whatever the lessons say.
BUILTIN_FALSE_FRIENDS = (
    "蛇梯棋", "蛇棋", "snakes and ladders", "snake and ladders", "snakes & ladders",
    "数独", "sudoku", "memory usage", "memory monitor", "memory leak", "内存",
)

_SEPARATORS = re.compile(r"[\s\-_'’`.,!?，。！？、:：;；\"“”()（）\[\]【】<>《》/\\|&+*~·…]")
_CLAUSE_END = re.compile(r"[，,。.!！?？;；\n]")
_CUES_ZH = re.compile(r"不想要|不要|不想|不是|不用|不玩|除了|(?<![特区级类性告分辨识派])别(?![人的墅针名称致])")
_CUES_EN = re.compile(
    r"\b(?:don'?t want|do not want|doesn'?t want|not|no|never|without|except|instead of|"
    r"rather than|anything but)\b"
)
_SCOPE_END_ZH = re.compile(r"而是|但是|可是|但|只要|我要|我想|给我|换成|改成|还是|要|了")
_SCOPE_END_EN = re.compile(r"\b(?:but|instead|rather|just|i want|i'd like|give me|make me|make)\b")

_STOP_ZH = set("我你他想要做个一写帮给玩游戏的小个吗吧呢了和与把让用能会请来个款这那是有")
_STOP_EN = {
    "a", "an", "the", "game", "games", "make", "me", "please", "write", "python", "in", "for",
    "i", "want", "to", "play", "of", "with", "like", "and", "clone", "simple", "my", "can",
    "you", "build", "create", "code", "program", "some", "small", "little", "one",
    "that", "it", "is", "on", "style", "classic", "pygame", "let", "lets", "us", "do",
}

# Categories used only to rank suggestions. Lessons may add their own ("categories" in lesson.json).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "tic_tac_toe": ("board",), "gomoku": ("board",),
    "memory_cards": ("cards", "puzzle"), "minesweeper": ("puzzle", "grid"),
    "game_2048": ("puzzle", "numbers", "grid"), "sliding_puzzle": ("puzzle", "numbers", "grid"),
    "sokoban": ("puzzle", "grid"), "maze": ("puzzle", "grid"),
    "guess_number": ("numbers",), "calculator": ("numbers", "tool"),
    "snake": ("arcade", "grid"), "tetris": ("arcade", "grid"), "pong": ("arcade", "ball"),
    "breakout": ("arcade", "ball"), "flappy_bird": ("arcade",), "space_shooter": ("arcade", "shooter"),
    "whack_a_mole": ("arcade", "mouse"), "catch_fruit": ("arcade",),
    "typing_trainer": ("typing", "tool"), "paint": ("drawing", "tool", "mouse"),
}
_CATEGORY_CUES: dict[str, tuple[str, ...]] = {
    "board": ("棋", "chess", "board", "checkers", "draughts", "othello", "reversi", "go game"),
    "cards": ("牌", "卡", "card", "poker", "solitaire"),
    "puzzle": ("谜", "益智", "拼图", "数独", "华容道", "puzzle", "sudoku", "jigsaw", "riddle", "logic"),
    "numbers": ("数", "算", "number", "math", "maths", "arithmetic"),
    "arcade": ("街机", "躲", "跑酷", "跳", "arcade", "dodge", "runner", "jump", "platform"),
    "shooter": ("射击", "飞机", "坦克", "子弹", "shoot", "plane", "tank", "bullet", "invaders"),
    "ball": ("球", "ball", "tennis", "football", "soccer"),
    "grid": ("格", "grid", "tile"),
    "typing": ("打字", "键盘", "typing", "keyboard"),
    "drawing": ("画", "绘", "draw", "paint", "sketch"),
    "tool": ("工具", "计算", "记账", "时钟", "闹钟", "tool", "clock", "timer", "todo"),
    "mouse": ("鼠标", "点击", "mouse", "click"),
}
DEFAULT_SUGGESTIONS = ("snake", "tetris", "gomoku", "guess_number", "pong")


@dataclass(frozen=True)
class Hit:
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
    suggestions = closest_lessons(wish, lessons, exclude=negated)
    return WishMatch(None, reason, tuple(suggestions), tuple(sorted(negated)), tuple(hits))


def closest_lessons(
    wish: str, lessons: Sequence[Any], n: int = 3, exclude: Iterable[str] = ()
) -> list[Any]:
    """The ``n`` lessons nearest to the wish by shared characters, words and categories."""
    excluded = set(exclude)
    text = unicodedata.normalize("NFKC", wish).lower()
    chars = {ch for ch in text if _is_cjk(ch)} - _STOP_ZH
    bigrams = {
        text[i : i + 2] for i in range(len(text) - 1)
        if all(map(_is_cjk, text[i : i + 2])) and not set(text[i : i + 2]) <= _STOP_ZH
    }
    words = set(re.findall(r"[a-z0-9]+", text)) - _STOP_EN
    wanted = {cat for cat, cues in _CATEGORY_CUES.items() if any(_cue_in(cue, text) for cue in cues)}
    order = {lesson_id: i for i, lesson_id in enumerate(DEFAULT_SUGGESTIONS)}

    scored = []
    for index, lesson in enumerate(lessons):
        if lesson.id in excluded:
            continue
        names = " ".join(_phrases(lesson, examples=False)).lower()
        lesson_words = set(re.findall(r"[a-z0-9]+", " ".join(_phrases(lesson)).lower())) - _STOP_EN
        score = len(chars & set(names)) + 2 * sum(bigram in names for bigram in bigrams)
        score += 1.5 * len(words & lesson_words)
        score += sum(
            1 for word in words - lesson_words if len(word) >= 4
            and any(SequenceMatcher(None, word, other).ratio() >= 0.8 for other in lesson_words)
        )
        score += 3 * len(wanted & set(_categories(lesson)))
        scored.append((-score, order.get(lesson.id, len(order)), index, lesson))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:n]]


def _phrases(lesson: Any, examples: bool = True) -> list[str]:
    out: list[str] = [*lesson.title.values()]
    for language in ("zh", "en"):
        out += lesson.keywords.get(language, [])
        if examples:
            out += lesson.examples.get(language, [])
    return [p for p in out if p]


def _categories(lesson: Any) -> tuple[str, ...]:
    return tuple(getattr(lesson, "categories", ()) or ()) or CATEGORIES.get(lesson.id, ())


def _false_friends(lessons: Sequence[Any]) -> list[str]:
    phrases = list(BUILTIN_FALSE_FRIENDS)
    for lesson in lessons:
        for language_list in (getattr(lesson, "false_friends", None) or {}).values():
            phrases += language_list
    compacted = {normalise(p) for p in phrases}
    return sorted((p for p in compacted if p), key=len, reverse=True)


def _split_negation(text: str) -> tuple[list[str], list[str]]:
    """Cut the wish into clauses outside and inside negations."""
    positive: list[str] = []
    negative: list[str] = []
    for clause in _CLAUSE_END.split(text):
        rest = clause
        while rest:
            cue = min(
                (m for m in (_CUES_ZH.search(rest), _CUES_EN.search(rest)) if m),
                key=lambda m: m.start(), default=None,
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
        kind = "a" if ch.isascii() and ch.isalpha() else "d" if ch.isascii() and ch.isdigit() else "c"
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
        ok_end = not _latin(phrase[-1]) or end in bounds or (
            plural and any(text[end : end + len(s)] == s and end + len(s) in bounds for s in ("s", "es"))
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
            for phrase in {normalise(p) for p in _phrases(lesson)}:
                if not phrase:
                    continue
                weight = sum(2 if _is_cjk(ch) else 1 for ch in phrase)
                for start in _find(text, bounds, phrase):
                    hits.append(Hit(lesson.id, phrase, number, start, start + len(phrase), weight))
    return hits


def _dominated(hit: Hit, hits: list[Hit]) -> bool:
    """Whether the hit lies inside a heavier hit of another lesson (then that one wins)."""
    return any(
        other.lesson_id != hit.lesson_id and hit.inside(other) and other.weight > hit.weight
        for other in hits
    )


def _cue_in(cue: str, text: str) -> bool:
    if _latin(cue[0]):
        return re.search(rf"\b{re.escape(cue)}", text) is not None
    return cue in text


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
