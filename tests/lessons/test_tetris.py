"""Tetris lesson: drive the game's own grid and rotation functions in both languages."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_both_define, assert_main_shows_its_language

LANGUAGES = ["zh", "en"]
LESSON = "tetris"


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("tetris", request.param)


def test_both_languages_define_the_same_functions(load_game):
    zh, en = assert_both_define(
        load_game,
        "tetris",
        {"rotate", "fits", "try_move", "try_rotate", "clear_full_rows", "drop_one", "main"},
    )


def test_a_full_row_is_cleared_and_the_rows_above_fall_down(game):
    board = game.new_board()
    board[-1] = ["red"] * game.COLS
    board[-2][3] = "blue"
    assert game.clear_full_rows(board) == 1
    assert len(board) == game.ROWS and all(len(row) == game.COLS for row in board)
    assert board[-1] == [None] * 3 + ["blue"] + [None] * 6
    assert board[0] == [None] * game.COLS


def test_two_full_rows_with_a_gap_are_both_cleared(game):
    board = game.new_board()
    board[-1] = ["red"] * game.COLS
    board[-3] = ["red"] * game.COLS
    board[-2][0] = "green"
    assert game.clear_full_rows(board) == 2
    assert board[-1] == ["green"] + [None] * 9
    assert sum(cell is not None for row in board for cell in row) == 1


def test_a_row_with_one_hole_is_kept(game):
    board = game.new_board()
    board[-1] = ["red"] * (game.COLS - 1) + [None]
    assert game.clear_full_rows(board) == 0
    assert board[-1][:-1] == ["red"] * 9


def test_rotate_turns_clockwise_and_four_turns_give_the_shape_back(game):
    t = game.SHAPES["T"]
    assert game.rotate(t) == [[1, 0], [1, 1], [1, 0]]
    assert game.rotate(game.SHAPES["I"]) == [[1], [1], [1], [1]]
    for shape in game.SHAPES.values():
        assert game.rotate(game.rotate(game.rotate(game.rotate(shape)))) == shape


def test_rotation_next_to_a_wall_kicks_the_piece_back_inside(game):
    state = game.new_game()
    # A vertical I piece pressed against the right wall: turning it flat needs a kick.
    state["piece"] = {"shape": [[1], [1], [1], [1]], "color": "c", "x": game.COLS - 1, "y": 5}
    assert game.try_rotate(state)
    piece = state["piece"]
    assert piece["shape"] == [[1, 1, 1, 1]]
    cols = [col for col, _ in game.piece_cells(piece["shape"], piece["x"], piece["y"])]
    assert min(cols) >= 0 and max(cols) == game.COLS - 1


def test_every_rotation_everywhere_stays_inside_the_field(game):
    for name, shape in game.SHAPES.items():
        for x in range(game.COLS - len(shape[0]) + 1):
            state = game.new_game()
            state["piece"] = {"shape": shape, "color": "c", "x": x, "y": 8}
            for _ in range(4):
                game.try_rotate(state)
                p = state["piece"]
                for col, row in game.piece_cells(p["shape"], p["x"], p["y"]):
                    assert 0 <= col < game.COLS and 0 <= row < game.ROWS, (name, x)


def test_a_rotation_that_cannot_fit_is_refused(game):
    state = game.new_game()
    state["board"] = [["x"] * game.COLS for _ in range(game.ROWS)]
    for col in range(game.COLS):
        state["board"][5][col] = None  # a one-row tunnel: a flat I can't stand up in it
    state["piece"] = {"shape": [[1, 1, 1, 1]], "color": "c", "x": 3, "y": 5}
    assert not game.try_rotate(state)
    assert state["piece"]["shape"] == [[1, 1, 1, 1]] and state["piece"]["x"] == 3


def test_moves_stop_at_the_walls_and_floor(game):
    state = game.new_game()
    state["piece"] = {"shape": game.SHAPES["O"], "color": "c", "x": 0, "y": 0}
    assert not game.try_move(state, -1, 0)
    assert state["piece"]["x"] == 0
    state["piece"]["y"] = game.ROWS - 2
    assert not game.try_move(state, 0, 1)


def test_hard_drop_locks_the_piece_on_the_floor_and_scores_a_cleared_row(game):
    state = game.new_game()
    state["board"][-1] = ["r"] * (game.COLS - 4) + [None] * 4
    state["piece"] = {"shape": [[1, 1, 1, 1]], "color": "c", "x": game.COLS - 4, "y": 0}
    game.hard_drop(state)
    assert state["lines"] == 1
    assert state["score"] == game.LINE_SCORES[1]
    assert state["board"][-1] == [None] * game.COLS
    assert not state["game_over"]


def test_a_blocked_spawn_ends_the_game(game):
    state = game.new_game()
    state["board"][0] = ["x"] * (game.COLS - 1) + [None]  # not full, so it is never cleared
    state["piece"] = {"shape": game.SHAPES["O"], "color": "c", "x": 0, "y": 10}
    game.hard_drop(state)
    assert state["game_over"]


@pytest.mark.parametrize("cjk_font", [True, False], ids=["cjk-font", "no-cjk-font"])
def test_on_screen_text_is_chinese_only_with_a_cjk_font_and_english_otherwise(
    load_game, monkeypatch, cjk_font
):
    assert_main_shows_its_language(load_game, LESSON, monkeypatch, cjk_font)
