"""Flappy Bird lesson: drive gravity, flapping, pipe collisions, scoring and the restart delay."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_text_language


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    return load_game("flappy_bird", request.param)


def playing(game):
    state = game.new_game()
    state["phase"] = "playing"
    return state


def test_the_bird_hovers_until_the_game_starts(game):
    state = game.new_game()
    y = state["bird_y"]
    for _ in range(30):
        game.update(state)
    assert state["bird_y"] == y and state["phase"] == "ready"


def test_gravity_pulls_the_bird_down_and_a_flap_sets_an_upward_speed(game):
    state = playing(game)
    game.update_bird(state)
    game.update_bird(state)
    assert state["bird_vel"] == pytest.approx(2 * game.GRAVITY)
    game.flap(state)
    assert state["bird_vel"] == game.FLAP_SPEED


def test_flying_into_a_pipe_is_a_collision(game):
    state = playing(game)
    state["pipes"] = [{"x": game.BIRD_X - 10, "gap_y": 100, "scored": False}]
    state["bird_y"] = 400.0  # far below the gap: inside the bottom pipe
    assert game.check_collision(state)
    game.update(state)
    assert state["phase"] == "over"


def test_flying_through_the_gap_is_not_a_collision(game):
    state = playing(game)
    state["pipes"] = [{"x": game.BIRD_X - 10, "gap_y": 300, "scored": False}]
    state["bird_y"] = 300.0
    assert not game.check_collision(state)


def test_the_ground_ends_the_game_but_the_ceiling_does_not(game):
    state = playing(game)
    state["bird_y"] = float(game.GROUND_Y)
    assert game.check_collision(state)
    state = playing(game)
    state["bird_y"], state["bird_vel"] = 2.0, -7.0
    game.update_bird(state)
    assert state["bird_y"] == game.BIRD_RADIUS and not game.check_collision(state)


def test_passing_a_pair_of_pipes_scores_exactly_once(game):
    state = playing(game)
    state["pipes"] = [
        {"x": game.BIRD_X - game.BIRD_RADIUS - game.PIPE_WIDTH + 1.0, "gap_y": 300, "scored": False}
    ]
    for _ in range(5):
        game.update_pipes(state)
    assert state["score"] == 1


def test_restart_is_refused_right_after_a_crash(game):
    state = playing(game)
    state["bird_y"] = float(game.GROUND_Y)
    game.update(state)
    assert state["phase"] == "over" and state["over_timer"] == 0
    for _ in range(game.RESTART_DELAY):
        game.update(state)
    assert state["over_timer"] >= game.RESTART_DELAY


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        state = game.new_game()
        state["phase"] = "over"
        game.draw(screen, (Font(), Font()), state, 4)

    assert_text_language(load_game, "flappy_bird", cjk, monkeypatch, draw)
