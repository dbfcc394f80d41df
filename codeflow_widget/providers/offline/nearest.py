"""Ranking lessons by how close they are to a wish that named none, so it is never a dead end.

The score adds up what the wish shares with a lesson's titles and keywords: CJK characters
(and pairs of them, worth more), Latin words (from its examples too, with a little tolerance for
typos), and categories: a cue such as 棋/chess points at board games, 牌/card at card games,
数独/puzzle at puzzles, so 象棋 is offered gomoku and tic-tac-toe, and 数独 the number puzzles.
Filler words ("帮我写个", "make me a … game") count for nothing. Ties, and wishes that share
nothing, fall back to a fixed order of first lessons.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from typing import Any

from codeflow_widget.model.rules import is_cjk

_STOP_ZH = set("我你他想要做个一写帮给玩游戏的小个吗吧呢了和与把让用能会请来个款这那是有")
# The word tables stay dense, so they read as tables.
# fmt: off
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
# fmt: on
DEFAULT_SUGGESTIONS = ("snake", "tetris", "gomoku", "guess_number", "pong")


def closest_lessons(
    wish: str,
    lessons: Sequence[Any],
    n: int = 3,
    exclude: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> list[Any]:
    """The ``n`` lessons nearest to the wish by shared characters, words and categories.

    ``exclude`` are lesson ids never to offer (those the learner said no to); ``ignore`` are
    false-friend phrases left out of the character and word comparison ("memory usage" says
    nothing about memory cards) but still read for categories (蛇梯棋 is a board game).
    """
    excluded = set(exclude)
    raw = unicodedata.normalize("NFKC", wish).lower()
    text = raw
    for phrase in ignore:
        text = re.sub(r"[\W_]*".join(map(re.escape, phrase)), " ", text)
    chars = {ch for ch in text if is_cjk(ch)} - _STOP_ZH
    bigrams = {
        text[i : i + 2]
        for i in range(len(text) - 1)
        if all(map(is_cjk, text[i : i + 2])) and not set(text[i : i + 2]) <= _STOP_ZH
    }
    words = set(re.findall(r"[a-z0-9]+", text)) - _STOP_EN
    wanted = {cat for cat, cues in _CATEGORY_CUES.items() if any(_cue_in(cue, raw) for cue in cues)}
    order = {lesson_id: i for i, lesson_id in enumerate(DEFAULT_SUGGESTIONS)}

    scored = []
    for index, lesson in enumerate(lessons):
        if lesson.id in excluded:
            continue
        names = " ".join(lesson_phrases(lesson, examples=False)).lower()
        lesson_words = (
            set(re.findall(r"[a-z0-9]+", " ".join(lesson_phrases(lesson)).lower())) - _STOP_EN
        )
        score = len(chars & set(names)) + 2 * sum(bigram in names for bigram in bigrams)
        score += 1.5 * len(words & lesson_words)
        score += sum(
            1
            for word in words - lesson_words
            if len(word) >= 4
            and any(SequenceMatcher(None, word, other).ratio() >= 0.8 for other in lesson_words)
        )
        score += 3 * len(wanted & set(_categories(lesson)))
        scored.append((-score, order.get(lesson.id, len(order)), index, lesson))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:n]]


def lesson_phrases(lesson: Any, examples: bool = True) -> list[str]:
    """A lesson's titles and keywords (and examples) in both languages: what a wish is read against."""
    out: list[str] = [*lesson.title.values()]
    for language in ("zh", "en"):
        out += lesson.keywords.get(language, [])
        if examples:
            out += lesson.examples.get(language, [])
    return [p for p in out if p]


def _categories(lesson: Any) -> tuple[str, ...]:
    return tuple(getattr(lesson, "categories", ()) or ()) or CATEGORIES.get(lesson.id, ())


def _cue_in(cue: str, text: str) -> bool:
    if cue[0].isascii() and cue[0].isalnum():
        return re.search(rf"\b{re.escape(cue)}", text) is not None
    return cue in text
