"""Gomoku lesson: drive the five-in-a-row check, turns and mouse mapping in both languages."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_main_shows_its_language

LANGUAGES = ["zh", "en"]
LESSON = "gomoku"
# (name, step): every axis, including both diagonals
AXES = [("across", (0, 1)), ("down", (1, 0)), ("diagonal", (1, 1)), ("anti-diagonal", (1, -1))]


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("gomoku", request.param)


def stones(game, start, step, count, color):
    board = game.new_board()
    cells = [(start[0] + step[0] * i, start[1] + step[1] * i) for i in range(count)]
    for row, col in cells:
        board[row][col] = color
    return board, cells


@pytest.mark.parametrize(("axis", "step"), AXES, ids=[a for a, _ in AXES])
def test_five_is_found_on_every_axis_from_any_stone_of_the_line(game, axis, step):
    board, cells = stones(game, (5, 7), step, 5, game.BLACK)
    for row, col in cells:  # the new stone may be at an end or in the middle
        assert sorted(game.five_in_a_row(board, row, col)) == sorted(cells), (axis, row, col)


@pytest.mark.parametrize(("axis", "step"), AXES, ids=[a for a, _ in AXES])
def test_four_in_a_row_is_not_a_win(game, axis, step):
    board, cells = stones(game, (5, 7), step, 4, game.WHITE)
    for row, col in cells:
        assert game.five_in_a_row(board, row, col) == [], (axis, row, col)


def test_a_broken_line_or_other_colour_does_not_count(game):
    board, _ = stones(game, (0, 0), (0, 1), 6, game.BLACK)
    board[0][2] = game.WHITE  # B B W B B B
    assert game.five_in_a_row(board, 0, 4) == []
    assert game.five_in_a_row(board, 0, 2) == []


def test_five_along_the_board_edge_and_in_the_corner(game):
    last = game.SIZE - 1
    board, cells = stones(game, (last, last - 4), (0, 1), 5, game.WHITE)
    assert len(game.five_in_a_row(board, last, last)) == 5
    board, cells = stones(game, (last - 4, 4), (1, -1), 5, game.BLACK)  # ends at (last, 0)
    assert sorted(game.five_in_a_row(board, last, 0)) == sorted(cells)


def test_an_empty_point_is_never_a_win(game):
    assert game.five_in_a_row(game.new_board(), 7, 7) == []


def test_players_alternate_and_a_taken_point_is_refused(game):
    state = game.new_game()
    assert state["turn"] == game.BLACK
    assert game.place_stone(state, 7, 7)
    assert state["board"][7][7] == game.BLACK and state["turn"] == game.WHITE
    assert not game.place_stone(state, 7, 7)
    assert state["turn"] == game.WHITE
    assert game.place_stone(state, 7, 8)
    assert state["board"][7][8] == game.WHITE and state["turn"] == game.BLACK


def test_fifth_stone_wins_and_the_board_is_then_closed(game):
    state = game.new_game()
    for i in range(4):
        game.place_stone(state, 3 + i, 3 + i)  # black on the diagonal
        game.place_stone(state, 0, i)  # white elsewhere
    assert state["winner"] == game.EMPTY
    assert game.place_stone(state, 7, 7)
    assert state["winner"] == game.BLACK
    assert sorted(state["win_line"]) == [(3 + i, 3 + i) for i in range(5)]
    assert not game.place_stone(state, 10, 10)


def test_a_full_board_without_five_is_a_draw(game):
    state = game.new_game()
    size = game.SIZE

    # Each row goes B B W W B B ..., shifted by one pair on the next row: no five on any axis.
    def colour(row, col):
        return game.BLACK if (col // 2 + row) % 2 else game.WHITE

    for row in range(size):
        for col in range(size):
            state["board"][row][col] = colour(row, col)
    state["board"][size - 1][size - 1] = game.EMPTY
    assert all(
        not game.five_in_a_row(state["board"], r, c) for r in range(size) for c in range(size)
    )
    state["turn"] = colour(size - 1, size - 1)
    assert game.place_stone(state, size - 1, size - 1)
    assert state["winner"] == game.EMPTY and state["draw"]


def test_a_click_maps_to_the_nearest_point_and_off_board_clicks_are_ignored(game):
    x, y = game.cell_to_pixel(7, 7)
    assert game.pixel_to_cell((x, y)) == (7, 7)
    assert game.pixel_to_cell((x + game.GAP // 2 - 2, y - game.GAP // 2 + 2)) == (7, 7)
    assert game.pixel_to_cell((x + game.GAP - 3, y)) == (7, 8)
    assert game.pixel_to_cell((2, 2)) is None
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


@pytest.mark.parametrize("cjk_font", [True, False], ids=["cjk-font", "no-cjk-font"])
def test_on_screen_text_is_chinese_only_with_a_cjk_font_and_english_otherwise(
    load_game, monkeypatch, cjk_font
):
    assert_main_shows_its_language(load_game, LESSON, monkeypatch, cjk_font)
