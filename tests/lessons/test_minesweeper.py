"""Minesweeper lesson: drive flood fill, mine placement, flags and clicks in both languages."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_main_shows_its_language

LANGUAGES = ["zh", "en"]
LESSON = "minesweeper"


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("minesweeper", request.param)


def board_with_mines(game, mines):
    board = game.new_board()
    for row, col in mines:
        board[row][col]["mine"] = True
    game.set_counts(board)
    return board


def opened(board):
    return {(r, c) for r, line in enumerate(board) for c, cell in enumerate(line) if cell["open"]}


def test_counts_are_the_mines_touching_each_cell(game):
    board = board_with_mines(game, [(0, 0), (0, 2), (1, 1)])
    assert board[0][1]["count"] == 3
    assert board[1][0]["count"] == 2
    assert board[2][2]["count"] == 1
    assert board[3][3]["count"] == 0
    assert len(game.neighbours(0, 0)) == 3 and len(game.neighbours(0, 5)) == 5
    assert len(game.neighbours(5, 5)) == 8


def test_flood_fill_stops_at_the_numbers_in_front_of_a_wall_of_mines(game):
    wall = [(row, 5) for row in range(game.ROWS)]
    board = board_with_mines(game, wall)
    count = game.flood_open(board, 0, 0)
    expected = {(r, c) for r in range(game.ROWS) for c in range(5)}
    assert opened(board) == expected
    assert count == len(expected)
    assert all(board[r][4]["count"] >= 2 for r in range(game.ROWS))


def test_flood_fill_goes_round_corners_and_opens_diagonal_numbers(game):
    # A mine in an otherwise empty board: everything except the mine opens.
    board = board_with_mines(game, [(5, 5)])
    game.flood_open(board, 0, 0)
    everything = {(r, c) for r in range(game.ROWS) for c in range(game.COLS)}
    assert opened(board) == everything - {(5, 5)}
    assert game.has_won(board)


def test_opening_a_number_opens_only_that_cell(game):
    board = board_with_mines(game, [(5, 5)])
    assert game.flood_open(board, 4, 4) == 1
    assert opened(board) == {(4, 4)}
    assert not game.has_won(board)


def test_a_flag_is_not_opened_and_blocks_the_flood(game):
    # Mines fill column 5 except rows 0-1, so (0, 5) is a 0 that joins the two sides.
    board = board_with_mines(game, [(row, 5) for row in range(2, game.ROWS)])
    assert board[0][5]["count"] == 0
    board[0][5]["flag"] = True
    game.flood_open(board, 0, 0)
    assert (0, 5) not in opened(board)
    assert (1, 5) in opened(board)  # a number next to the flag opens but does not spread
    assert all(col <= 5 for _, col in opened(board))
    board[0][5]["flag"] = False
    game.flood_open(board, 0, 5)  # opening the gap lets the flood through to the right side
    assert (0, game.COLS - 1) in opened(board)
    mines = {(row, 5) for row in range(2, game.ROWS)}
    everything = {(r, c) for r in range(game.ROWS) for c in range(game.COLS)}
    assert opened(board) == everything - mines


def test_the_first_click_is_safe_and_buries_exactly_the_mines(game):
    for _ in range(20):
        state = game.new_game()
        game.open_cell(state, 0, 0)
        board = state["board"]
        mines = {(r, c) for r in range(game.ROWS) for c in range(game.COLS) if board[r][c]["mine"]}
        assert len(mines) == game.MINES
        assert not mines & {(0, 0), *game.neighbours(0, 0)}
        assert state["result"] != "lost" and board[0][0]["open"] and board[0][0]["count"] == 0
        for r in range(game.ROWS):
            for c in range(game.COLS):
                touching = sum((nr, nc) in mines for nr, nc in game.neighbours(r, c))
                assert board[r][c]["count"] == touching


def test_clicking_a_mine_loses_and_then_nothing_opens(game):
    state = game.new_game()
    state["board"] = board_with_mines(game, [(3, 3)])
    state["started"] = True
    game.open_cell(state, 3, 3)
    assert state["result"] == "lost" and state["boom"] == (3, 3)
    game.open_cell(state, 0, 0)
    assert opened(state["board"]) == set()


def test_opening_every_safe_cell_wins(game):
    state = game.new_game()
    state["board"] = board_with_mines(game, [(0, 0)])
    state["started"] = True
    game.open_cell(state, game.ROWS - 1, game.COLS - 1)
    assert state["result"] == "won"


def test_right_click_flags_a_closed_cell_and_a_flag_cannot_be_opened(game):
    state = game.new_game()
    state["board"] = board_with_mines(game, [(3, 3)])
    state["started"] = True
    game.toggle_flag(state, 3, 3)
    assert state["board"][3][3]["flag"] and game.flags_used(state["board"]) == 1
    game.open_cell(state, 3, 3)
    assert state["result"] is None
    game.toggle_flag(state, 3, 3)
    assert not state["board"][3][3]["flag"]
    game.open_cell(state, 2, 2)
    game.toggle_flag(state, 2, 2)  # an open cell takes no flag
    assert not state["board"][2][2]["flag"]


def test_mouse_position_maps_to_cells_and_the_bar_is_ignored(game):
    assert game.cell_at((5, game.HUD_HEIGHT + 5)) == (0, 0)
    assert game.cell_at((game.WIDTH - 1, game.HEIGHT - 1)) == (game.ROWS - 1, game.COLS - 1)
    assert game.cell_at((100, 10)) is None
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


@pytest.mark.parametrize("cjk_font", [True, False], ids=["cjk-font", "no-cjk-font"])
def test_on_screen_text_is_chinese_only_with_a_cjk_font_and_english_otherwise(
    load_game, monkeypatch, cjk_font
):
    assert_main_shows_its_language(load_game, LESSON, monkeypatch, cjk_font)
