"""Snake lesson: drive movement, growing, walls, self-collision and the CJK fallback, both languages."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_text_language


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    return load_game("snake", request.param)


def test_eating_food_grows_the_snake_and_scores(game):
    state = game.new_game()
    head_x, head_y = state["snake"][0]
    state["food"] = (head_x + 1, head_y)
    game.step(state)
    assert len(state["snake"]) == 4 and state["snake"][0] == (head_x + 1, head_y)
    assert state["score"] == 1 and state["food"] not in state["snake"]
    state["food"] = (0, 0)  # the new food is random and may lie just ahead: put it far away
    game.step(state)  # no food ahead now: the length stays
    assert len(state["snake"]) == 4 and not state["game_over"]


def test_hitting_the_wall_ends_the_game(game):
    state = game.new_game()
    state["snake"] = [(game.COLS - 1, 5), (game.COLS - 2, 5), (game.COLS - 3, 5)]
    state["food"] = (0, 0)
    game.step(state)
    assert state["game_over"] and state["snake"][0] == (game.COLS - 1, 5)


def test_hitting_its_own_body_ends_the_game(game):
    state = game.new_game()
    # A hook: the head at (5, 5) moving down runs into (5, 6), which is body, not the tail.
    state["snake"] = [(5, 5), (6, 5), (6, 6), (5, 6), (4, 6), (4, 7)]
    state["direction"] = state["next_direction"] = game.DOWN
    state["food"] = (0, 0)
    game.step(state)
    assert state["game_over"]


def test_moving_into_the_cell_the_tail_leaves_is_allowed(game):
    state = game.new_game()
    state["snake"] = [(5, 5), (6, 5), (6, 6), (5, 6)]  # a square: the tail is just below the head
    state["direction"] = state["next_direction"] = game.DOWN
    state["food"] = (0, 0)
    game.step(state)
    assert not state["game_over"] and state["snake"][0] == (5, 6)


def test_a_reverse_key_does_not_turn_the_snake_around(game):
    state = game.new_game()
    game.change_direction(state, game.LEFT)
    assert state["next_direction"] == game.RIGHT
    game.change_direction(state, game.UP)
    assert state["next_direction"] == game.UP


def test_food_is_never_placed_on_the_snake_and_a_full_field_wins(game):
    snake = [(x, y) for x in range(game.COLS) for y in range(game.ROWS) if (x, y) != (3, 4)]
    assert game.random_food(snake) == (3, 4)
    assert game.random_food(snake + [(3, 4)]) is None


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        state = game.new_game()
        state["game_over"] = True
        game.draw(screen, (Font(), Font()), state, 3)

    assert_text_language(load_game, "snake", cjk, monkeypatch, draw)
