"""Tic-Tac-Toe lesson: drive wins on every row, column and diagonal, draws, turns and the AI."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_text_language

LINES = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6)]


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    return load_game("tic_tac_toe", request.param)


@pytest.mark.parametrize("line", LINES)
def test_three_in_any_row_column_or_diagonal_wins(game, line):
    board = [""] * 9
    for index in line:
        board[index] = "O"
    assert game.find_winner(board) == ("O", line)


def test_a_full_board_without_a_line_is_a_draw(game):
    board = list("XOXXOOOXX")
    assert game.find_winner(board) == ("draw", None)
    assert game.find_winner(["X", "O", ""] + [""] * 6) == (None, None)


def test_playing_a_game_to_a_win_scores_and_highlights(game):
    state = game.new_game(vs_ai=False)
    for index in (0, 3, 1, 4):
        assert game.place_mark(state, index)
    assert not game.place_mark(state, 0)  # taken
    assert state["current"] == "X"
    assert game.place_mark(state, 2)
    assert state["result"] == "X" and state["win_line"] == (0, 1, 2)
    assert state["scores"] == {"X": 1, "O": 0, "draw": 0}
    assert not game.place_mark(state, 8)  # the game is over
    game.reset_board(state)
    assert state["board"] == [""] * 9 and state["scores"]["X"] == 1


def test_a_drawn_game_counts_a_draw(game):
    state = game.new_game(vs_ai=False)
    for index in (0, 1, 2, 4, 3, 5, 7, 6, 8):
        game.place_mark(state, index)
    assert state["result"] == "draw" and state["scores"]["draw"] == 1


def test_the_ai_wins_when_it_can_and_blocks_otherwise(game):
    board = ["O", "O", "", "X", "X", "", "", "", ""]
    assert game.ai_choose_move(board) == 2  # its own win comes before blocking X at 5
    board = ["X", "X", "", "", "O", "", "", "", ""]
    assert game.ai_choose_move(board) == 2
    assert game.ai_choose_move([""] * 9) == 4


def test_clicks_map_to_cells_and_outside_is_none(game):
    assert game.cell_at((game.BOARD_LEFT + 5, game.BOARD_TOP + 5)) == 0
    centre = game.cell_center(8)
    assert game.cell_at(centre) == 8
    assert game.cell_at((5, 5)) is None


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        game.draw(screen, (Font(), Font()), game.new_game(vs_ai=True))

    assert_text_language(load_game, "tic_tac_toe", cjk, monkeypatch, draw)
