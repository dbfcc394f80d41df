"""Whack-a-mole lesson: drive timers, random spawns and hit/miss scoring in both languages.

Every logic function takes ``now`` in milliseconds, so these tests choose the time themselves.
"""

from __future__ import annotations

import random

import pytest

from tests.lessons.screen_text import assert_main_shows_its_language

LANGUAGES = ["zh", "en"]
LESSON = "whack_a_mole"


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("whack_a_mole", request.param)


def show_mole(state, index, until, golden=False):
    hole = state["holes"][index]
    hole["mole_until"], hole["golden"] = until, golden
    return hole


def test_hitting_a_mole_scores_and_sends_it_down(game):
    state = game.new_game(0)
    hole = show_mole(state, 4, until=2000)
    assert game.whack(state, hole["center"], 1000) == "hit"
    assert state["score"] == game.HIT_POINTS and state["hits"] == 1 and state["misses"] == 0
    assert not game.mole_visible(hole, 1000)
    assert game.whack(state, hole["center"], 1001) == "miss"  # it is gone: a second click misses


def test_a_golden_mole_is_worth_more(game):
    state = game.new_game(0)
    hole = show_mole(state, 0, until=2000, golden=True)
    assert game.whack(state, hole["center"], 100) == "hit"
    assert state["score"] == game.GOLDEN_POINTS > game.HIT_POINTS


def test_the_body_above_the_hole_counts_as_a_hit(game):
    state = game.new_game(0)
    hole = show_mole(state, 2, until=2000)
    cx, cy = hole["center"]
    assert game.whack(state, (cx, cy - 60), 10) == "hit"


def test_a_miss_costs_points_but_the_score_never_goes_negative(game):
    state = game.new_game(0)
    state["score"] = 12
    assert game.whack(state, state["holes"][1]["center"], 100) == "miss"  # empty hole
    assert state["score"] == 12 - game.MISS_PENALTY and state["misses"] == 1
    assert game.whack(state, (5, game.HEIGHT - 5), 100) == "miss"  # the grass
    assert game.whack(state, (5, game.HEIGHT - 5), 100) == "miss"
    assert state["score"] == 0 and state["misses"] == 3


def test_a_mole_that_has_gone_down_is_a_miss(game):
    state = game.new_game(0)
    hole = show_mole(state, 3, until=1500)
    assert game.mole_visible(hole, 1499)
    assert game.whack(state, hole["center"], 1500) == "miss"
    assert state["hits"] == 0


def test_the_round_ends_after_round_time_and_clicks_are_ignored(game):
    state = game.new_game(5000)
    game.update(state, 5000 + game.ROUND_TIME - 1)
    assert not state["over"]
    game.update(state, 5000 + game.ROUND_TIME)
    assert state["over"]
    hole = show_mole(state, 0, until=10**9)
    assert game.whack(state, hole["center"], 5000 + game.ROUND_TIME + 1) is None
    assert state["hits"] == 0 and state["misses"] == 0


def test_moles_spawn_on_schedule_and_never_in_a_busy_hole(game):
    random.seed(7)
    state = game.new_game(0)
    game.update(state, game.FIRST_SPAWN - 1)
    assert not any(game.mole_visible(h, game.FIRST_SPAWN - 1) for h in state["holes"])
    game.update(state, game.FIRST_SPAWN)
    up = [h for h in state["holes"] if game.mole_visible(h, game.FIRST_SPAWN)]
    assert len(up) == 1
    stay = up[0]["mole_until"] - game.FIRST_SPAWN
    assert game.MOLE_MIN <= stay <= game.MOLE_MAX
    delay = state["next_spawn"] - game.FIRST_SPAWN
    assert game.FAST_SPAWN <= delay <= game.SLOW_SPAWN
    for index in range(8):  # fill all holes but one: the spawn must pick the free one
        show_mole(state, index, until=10**6)
    state["holes"][8]["mole_until"] = 0
    assert game.spawn_mole(state, 1000) is state["holes"][8]
    assert game.spawn_mole(state, 1000) is None  # every hole is busy


def test_moles_come_faster_as_time_runs_out(game):
    state = game.new_game(0)
    assert game.spawn_delay(state, 0) == game.SLOW_SPAWN
    assert game.spawn_delay(state, game.ROUND_TIME) == game.FAST_SPAWN
    middle = game.spawn_delay(state, game.ROUND_TIME // 2)
    assert game.FAST_SPAWN < middle < game.SLOW_SPAWN


def test_time_left_counts_down_and_stops_at_zero(game):
    state = game.new_game(1000)
    assert game.time_left(state, 1000) == game.ROUND_TIME
    assert game.time_left(state, 3500) == game.ROUND_TIME - 2500
    assert game.time_left(state, 10**7) == 0


def test_nine_holes_fit_in_the_window(game):
    centers = game.hole_centers()
    assert len(centers) == len(set(centers)) == 9
    assert all(game.hole_at(c) == i for i, c in enumerate(centers))
    assert game.hole_at((2, 2)) is None
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


@pytest.mark.parametrize("cjk_font", [True, False], ids=["cjk-font", "no-cjk-font"])
def test_on_screen_text_is_chinese_only_with_a_cjk_font_and_english_otherwise(
    load_game, monkeypatch, cjk_font
):
    assert_main_shows_its_language(load_game, LESSON, monkeypatch, cjk_font)
