"""The offline matcher: one lesson or none, negation, false friends, ties, and the closest lessons.

These run against the real catalogue (all built-in lessons), so a lesson whose keywords start to
swallow other wishes fails here, and against a tiny hand-made catalogue for the edge rules.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from codeflow_widget.providers.offline import default_catalogue
from codeflow_widget.providers.offline.matcher import (
    MIN_WEIGHT,
    closest_lessons,
    match_wish,
    normalise,
    score_matcher,
)

LESSONS = default_catalogue().lessons
IDS = {lesson.id for lesson in LESSONS}


def lesson(lesson_id, zh, en, false_friends=None):
    return SimpleNamespace(
        id=lesson_id,
        title={"zh": zh[0], "en": en[0]},
        keywords={"zh": zh, "en": en},
        examples={"zh": [], "en": []},
        false_friends=false_friends or {},
    )


TINY = [
    lesson("snake", ["贪吃蛇", "蛇"], ["snake"], {"en": ["snake oil"]}),
    lesson("pong", ["乒乓"], ["pong", "ping pong"]),
    lesson("calculator", ["计算器"], ["calculator"]),
]


def matched(wish, lessons=LESSONS):
    result = match_wish(wish, lessons)
    return result.lesson.id if result.lesson else None


@pytest.mark.parametrize(
    ("wish", "expected"),
    [
        ("我不要蛇，给我做个计算器", "calculator"),
        ("蛇梯棋", None),
        ("snakes and ladders", None),
        ("make a memory usage monitor", None),
        ("猜数独", None),
        ("五子棋", "gomoku"),
        ("帮我写个贪吃蛇", "snake"),
        ("我想玩俄罗斯方块", "tetris"),
        ("make me a pong game", "pong"),
        ("Tic-Tac-Toe please", "tic_tac_toe"),
    ],
)  # fmt: skip
def test_the_issues_examples(wish, expected):
    assert matched(wish) == expected


@pytest.mark.parametrize(
    ("wish", "expected"),
    [
        ("我不要贪吃蛇，要乒乓", "pong"),
        ("别做贪吃蛇了，做个乒乓", "pong"),
        ("这不是贪吃蛇，是计算器", "calculator"),
        ("not a snake game, a pong game", "pong"),
        ("I don't want snake but a calculator", "calculator"),
        ("no snake, make pong", "pong"),
        ("我不要贪吃蛇", None),
        ("not snake", None),
        ("我特别想玩贪吃蛇", "snake"),  # 特别 is not 别
    ],
)  # fmt: skip
def test_a_lesson_named_only_under_negation_is_excluded(wish, expected):
    assert matched(wish, TINY) == expected


def test_negated_lessons_are_reported_and_never_suggested():
    result = match_wish("我不要贪吃蛇", TINY)
    assert result.lesson is None and result.reason == "negated"
    assert result.negated == ("snake",)
    assert "snake" not in [s.id for s in result.suggestions]


def test_false_friends_from_the_lesson_and_built_in_match_nothing():
    assert match_wish("snake oil salesman", TINY).reason == "false_friend"
    assert matched("snakes and ladders", TINY) is None
    assert matched("a snake game", TINY) == "snake"
    for each in LESSONS:
        for phrase in (*each.false_friends.get("zh", []), *each.false_friends.get("en", [])):
            assert matched(phrase) is None, (each.id, phrase)


def test_two_lessons_named_in_different_places_give_none():
    result = match_wish("贪吃蛇还是乒乓？", TINY)
    assert result.lesson is None and result.reason == "ambiguous"
    assert {s.id for s in result.suggestions[:2]} == {"snake", "pong"}


def test_a_hit_inside_a_longer_hit_of_another_lesson_loses_to_it():
    table = lesson("ping_pong_table", ["乒乓球台"], ["ping pong table"])
    assert matched("我要一个乒乓球台", [*TINY, table]) == "ping_pong_table"
    assert matched("a ping pong table", [*TINY, table]) == "ping_pong_table"
    assert matched("乒乓", [*TINY, table]) == "pong"


def test_a_lone_character_is_too_weak_to_pick_a_lesson():
    assert sum(2 for _ in "蛇") < MIN_WEIGHT
    result = match_wish("画一条蛇", TINY)
    assert result.lesson is None and result.reason == "weak"
    assert result.suggestions[0].id == "snake"


def test_latin_keywords_need_word_boundaries_but_plurals_are_fine():
    assert matched("spongebob", TINY) is None
    assert matched("an ipong app", TINY) is None  # ends on a boundary, but starts inside a word
    assert matched("pingpong", TINY) == "pong"
    assert matched("ping-pong", TINY) == "pong"
    assert matched("two snakes racing", TINY) == "snake"
    assert matched("写个pong", TINY) == "pong"


def test_normalise_folds_width_case_and_punctuation():
    assert normalise("ＴＩＣ-tac  Toe！") == "tictactoe"


@pytest.mark.parametrize(
    ("wish", "first"),
    [("象棋", {"gomoku", "tic_tac_toe"}), ("国际象棋 chess", {"gomoku", "tic_tac_toe"}),
     ("扑克牌游戏", {"memory_cards"}), ("数独", {"sliding_puzzle", "game_2048", "minesweeper"})],
)  # fmt: skip
def test_unmatched_wishes_get_the_three_closest_lessons(wish, first):
    result = match_wish(wish, LESSONS)
    assert result.lesson is None and len(result.suggestions) == 3
    assert result.suggestions[0].id in first, [s.id for s in result.suggestions]
    assert len({s.id for s in result.suggestions}) == 3


def test_closest_lessons_fill_up_with_defaults_when_nothing_is_similar():
    picks = closest_lessons("qqqq", LESSONS)
    assert [p.id for p in picks] == ["snake", "tetris", "gomoku"]


def test_score_matcher_counts_precision_and_recall():
    cases = [("贪吃蛇", "snake"), ("pong", "pong"), ("计算器", "snake"), ("xyz", None),
             ("乒乓", None), ("hello", "calculator")]  # fmt: skip
    scores = score_matcher(cases, TINY)
    assert scores["positives"] == 4 and scores["negatives"] == 2
    assert scores["recall"] == 0.5  # snake and pong found; 计算器 went elsewhere, hello to none
    assert scores["precision"] == pytest.approx(2 / 4)  # 4 picks, 2 right
    assert scores["negatives_rejected"] == 0.5
    assert scores["wrong"] == [("计算器", "snake", "calculator"), ("乒乓", None, "pong"),
                               ("hello", "calculator", None)]  # fmt: skip


def test_every_builtin_lesson_is_in_the_catalogue():
    assert IDS >= {"snake", "guess_number", "tic_tac_toe", "pong", "breakout", "flappy_bird",
                   "game_2048", "memory_cards"}  # fmt: skip
