"""Catch-the-fruit lesson: drive update() with placed fruit, held keys and elapsed time."""

from __future__ import annotations

import random
from collections import defaultdict

import pygame
import pytest

from tests.lessons.screen_text import assert_both_define, assert_falls_back_to_english

LANGUAGES = ["zh", "en"]


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("catch_fruit", request.param)


def quiet_game(game):
    """A new game whose spawn timer is far from due, so no surprise fruit appears."""
    state = game.new_game()
    state["spawn_timer"] = -1000.0
    return state


def fruit(game, x, y):
    return {"x": x, "y": y, "speed": 200.0, "color": game.FRUIT_COLORS[0]}


def held(*keys):
    pressed = defaultdict(bool)
    for key in keys:
        pressed[key] = True
    return pressed


def test_both_languages_define_the_same_logic_functions(load_game):
    zh, en = assert_both_define(
        load_game,
        "catch_fruit",
        {
            "new_game",
            "fall_speed",
            "spawn_interval",
            "read_direction",
            "move_basket",
            "spawn_fruit",
            "is_caught",
            "update",
            "handle_events",
            "main",
        },
    )


def test_a_fruit_falling_into_the_basket_scores_and_costs_no_life(game):
    state = quiet_game(game)
    state["fruits"] = [fruit(game, state["basket_x"], game.BASKET_Y - game.FRUIT_RADIUS - 5)]
    game.update(state, 0.05, 0)  # falls 10 px: its bottom is now inside the basket's mouth
    assert state["score"] == 1
    assert state["lives"] == game.START_LIVES
    assert state["fruits"] == []


def test_a_fruit_at_the_basket_edge_is_caught_and_one_just_outside_is_not(game):
    basket_x = game.WIDTH // 2
    y = game.BASKET_Y - game.FRUIT_RADIUS + 5
    assert game.is_caught(fruit(game, basket_x + game.BASKET_W // 2, y), basket_x)
    assert not game.is_caught(fruit(game, basket_x + game.BASKET_W // 2 + 1, y), basket_x)
    assert not game.is_caught(fruit(game, basket_x, 100), basket_x)  # still high in the sky


def test_a_missed_fruit_loses_a_life_and_scores_nothing(game):
    state = quiet_game(game)
    state["fruits"] = [fruit(game, 20, game.HEIGHT + game.FRUIT_RADIUS - 2)]
    game.update(state, 0.05, 0)
    assert state["lives"] == game.START_LIVES - 1
    assert state["score"] == 0 and state["fruits"] == []


def test_the_third_miss_ends_the_game_and_nothing_moves_afterwards(game):
    state = quiet_game(game)
    for _ in range(game.START_LIVES):
        assert not state["game_over"]
        state["fruits"] = [fruit(game, 20, game.HEIGHT + game.FRUIT_RADIUS - 2)]
        game.update(state, 0.05, 0)
    assert state["lives"] == 0 and state["game_over"]
    x = state["basket_x"]
    game.update(state, 0.5, 1)
    assert state["basket_x"] == x


def test_a_fruit_beside_the_basket_keeps_falling_until_it_leaves(game):
    state = quiet_game(game)
    state["fruits"] = [fruit(game, 20, 100.0)]
    game.update(state, 0.5, 0)
    assert [f["y"] for f in state["fruits"]] == [200.0]
    assert (state["score"], state["lives"]) == (0, game.START_LIVES)


def test_held_keys_give_a_direction_and_both_cancel(game):
    assert game.read_direction(held(pygame.K_RIGHT)) == 1
    assert game.read_direction(held(pygame.K_a)) == -1
    assert game.read_direction(held()) == 0
    assert game.read_direction(held(pygame.K_LEFT, pygame.K_RIGHT)) == 0


def test_holding_right_moves_the_basket_by_speed_times_time_and_stops_at_the_edge(game):
    start = game.WIDTH // 2
    assert game.move_basket(start, 1, 0.1) == pytest.approx(start + game.BASKET_SPEED * 0.1)
    assert game.move_basket(start, -1, 0.1) == pytest.approx(start - game.BASKET_SPEED * 0.1)
    assert game.move_basket(start, 1, 10) == game.WIDTH - game.BASKET_W // 2
    assert game.move_basket(start, -1, 10) == game.BASKET_W // 2
    state = quiet_game(game)
    for _ in range(4):
        game.update(state, 0.05, game.read_direction(held(pygame.K_RIGHT)))
    assert state["basket_x"] == pytest.approx(start + game.BASKET_SPEED * 0.2)


def test_difficulty_grows_with_time_within_its_limits(game):
    assert game.fall_speed(0) == game.START_FALL_SPEED
    assert game.fall_speed(60) > game.fall_speed(0)
    assert game.fall_speed(10_000) == game.MAX_FALL_SPEED
    assert game.spawn_interval(0) == game.START_SPAWN_INTERVAL
    assert game.spawn_interval(30) < game.spawn_interval(0)
    assert game.spawn_interval(10_000) == game.MIN_SPAWN_INTERVAL


def test_new_fruit_appears_at_once_and_is_born_with_the_current_speed(game):
    state = game.new_game()
    game.update(state, 0.01, 0, random.Random(3))
    assert len(state["fruits"]) == 1
    first = state["fruits"][0]
    assert game.FRUIT_RADIUS <= first["x"] <= game.WIDTH - game.FRUIT_RADIUS
    state["elapsed"] = 60.0
    game.spawn_fruit(state, random.Random(4))
    assert state["fruits"][-1]["speed"] == game.fall_speed(60.0) > first["speed"]
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


def test_the_chinese_program_falls_back_to_english_without_a_cjk_font(load_game, monkeypatch):
    assert_falls_back_to_english(load_game, "catch_fruit", monkeypatch)
