"""2048 lesson: drive the merge rules, every direction, new tiles, winning and losing."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_text_language


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    return load_game("game_2048", request.param)


@pytest.mark.parametrize(
    ("line", "merged", "points"),
    [
        ([2, 2, 2, 2], [4, 4, 0, 0], 8),
        ([2, 2, 4, 0], [4, 4, 0, 0], 4),
        ([4, 0, 4, 8], [8, 8, 0, 0], 8),
        ([2, 4, 8, 16], [2, 4, 8, 16], 0),
        ([0, 0, 0, 2], [2, 0, 0, 0], 0),
        ([4, 4, 8, 8], [8, 16, 0, 0], 24),
    ],
)
def test_merge_line_merges_each_tile_at_most_once(game, line, merged, points):
    assert game.merge_line(line) == (merged, points)


BOARD = [
    [2, 0, 2, 0],
    [0, 4, 0, 4],
    [2, 0, 0, 0],
    [2, 0, 0, 8],
]


@pytest.mark.parametrize(
    ("direction", "expected", "points"),
    [
        ("left", [[4, 0, 0, 0], [8, 0, 0, 0], [2, 0, 0, 0], [2, 8, 0, 0]], 12),
        ("right", [[0, 0, 0, 4], [0, 0, 0, 8], [0, 0, 0, 2], [0, 0, 2, 8]], 12),
        ("up", [[4, 4, 2, 4], [2, 0, 0, 8], [0, 0, 0, 0], [0, 0, 0, 0]], 4),
        ("down", [[0, 0, 0, 0], [0, 0, 0, 0], [2, 0, 0, 4], [4, 4, 2, 8]], 4),
    ],
)
def test_move_works_in_every_direction_without_changing_the_old_board(
    game, direction, expected, points
):
    original = [row[:] for row in BOARD]
    assert game.move(BOARD, direction) == (expected, points)
    assert BOARD == original


def test_a_move_that_changes_nothing_adds_no_tile(game):
    state = game.new_game()
    state["board"] = [[2, 4, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    game.play_turn(state, "left")
    assert state["board"] == [[2, 4, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    game.play_turn(state, "right")
    assert sum(value != 0 for row in state["board"] for value in row) == 3


def test_making_2048_wins_and_a_stuck_board_loses(game):
    state = game.new_game()
    state["board"] = [[1024, 1024, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    game.play_turn(state, "left")
    assert state["won"] and state["score"] == 2048
    stuck = [[2, 4, 2, 4], [4, 2, 4, 2], [2, 4, 2, 4], [4, 2, 4, 2]]
    assert not game.can_move(stuck)
    stuck[0][1] = 2
    assert game.can_move(stuck)


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        state = game.new_game()
        state["lost"] = True
        fonts = {name: Font() for name in ("title", "big", "small", "tile", "tile_small")}
        game.draw(screen, fonts, state, 16)

    assert_text_language(load_game, "game_2048", cjk, monkeypatch, draw)
