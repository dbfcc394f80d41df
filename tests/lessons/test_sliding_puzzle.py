"""Sliding puzzle lesson: shuffles are solvable and tiles swap with the blank only when adjacent.

Solvability is checked here with the inversion rule, independently of the game's own code:
on a 4-wide board a position is solvable exactly when inversions + (blank's row counted from the
bottom, starting at 1) is odd.
"""

from __future__ import annotations

import random

import pygame
import pytest

from tests.lessons.screen_text import assert_both_define, assert_falls_back_to_english

LANGUAGES = ["zh", "en"]


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("sliding_puzzle", request.param)


def solvable(board):
    size = len(board)
    numbers = [n for row in board for n in row if n]
    inversions = sum(1 for i, a in enumerate(numbers) for b in numbers[i + 1 :] if a > b)
    blank_row = next(r for r, row in enumerate(board) if 0 in row)
    return (inversions + (size - blank_row)) % 2 == 1


def test_both_languages_define_the_same_logic_functions(load_game):
    zh, en = assert_both_define(
        load_game,
        "sliding_puzzle",
        {
            "solved_board",
            "find_blank",
            "is_adjacent",
            "move_tile",
            "slide",
            "shuffle",
            "is_solved",
            "new_game",
            "play_move",
            "cell_at",
            "main",
        },
    )


def test_the_solvability_rule_used_here_tells_the_two_halves_apart(game):
    board = game.solved_board()
    assert solvable(board)
    board[3][1], board[3][2] = board[3][2], board[3][1]  # swap 14 and 15: the famous impossible one
    assert not solvable(board)


def test_twenty_shuffles_are_all_solvable_and_none_is_already_solved(game):
    rng = random.Random(14)
    for _ in range(20):
        state = game.new_game(rng)
        board = state["board"]
        assert sorted(n for row in board for n in row) == list(range(16))
        assert solvable(board)
        assert not game.is_solved(board)
        assert (state["moves"], state["won"]) == (0, False)


def test_a_shuffle_never_stops_on_the_solved_board(game):
    board = game.solved_board()
    game.shuffle(board, moves=0, rng=random.Random(0))
    assert not game.is_solved(board) and solvable(board)


def test_a_tile_next_to_the_blank_swaps_with_it(game):
    board = game.solved_board()  # blank at (3, 3)
    assert game.move_tile(board, 3, 2)
    assert board[3] == [13, 14, 0, 15]
    assert game.move_tile(board, 2, 2)
    assert board[2] == [9, 10, 0, 12] and board[3] == [13, 14, 11, 15]


@pytest.mark.parametrize("cell", [(2, 2), (0, 0), (3, 1), (1, 3), (3, 3)])
def test_a_tile_not_next_to_the_blank_does_not_move(game, cell):
    board = game.solved_board()
    assert not game.move_tile(board, *cell)
    assert board == game.solved_board()


def test_arrow_directions_slide_the_tile_on_that_side_and_stop_at_the_edge(game):
    board = game.solved_board()  # blank in the bottom right corner
    left, right, up, down = (0, -1), (0, 1), (-1, 0), (1, 0)
    assert not game.slide(board, left)  # nothing to the right of the blank
    assert not game.slide(board, up)  # nothing below the blank
    assert board == game.solved_board()
    assert game.slide(board, right)  # 15 slides right, the blank moves left
    assert board[3] == [13, 14, 0, 15]
    assert game.slide(board, down)  # 11 slides down into the blank
    assert game.find_blank(board) == (2, 2)
    assert game.slide(board, up) and game.slide(board, left)
    assert game.is_solved(board)


def test_play_move_counts_only_real_moves_and_detects_the_win(game):
    state = {"board": game.solved_board(), "moves": 0, "seconds": 0.0, "won": False}
    game.move_tile(state["board"], 3, 2)
    game.play_move(state, game.move_tile(state["board"], 0, 0))
    assert (state["moves"], state["won"]) == (0, False)
    game.play_move(state, game.move_tile(state["board"], 3, 3))
    assert (state["moves"], state["won"]) == (1, True)


def test_clicks_map_to_cells_and_clicks_off_the_board_map_to_nothing(game):
    top = game.MARGIN + game.HUD_HEIGHT
    assert game.cell_at((game.MARGIN + 5, top + 5)) == (0, 0)
    assert game.cell_at((game.MARGIN + 3 * game.TILE + 50, top + 3 * game.TILE + 50)) == (3, 3)
    assert game.cell_at((5, top + 5)) is None  # left margin (would be column -1)
    assert game.cell_at((game.MARGIN + 5, top - 5)) is None  # above the board (row -1)
    assert game.cell_at((game.WIDTH - 5, top + 5)) is None
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


def test_a_click_event_moves_a_tile_and_counts_a_move(game, monkeypatch):
    pygame.init()
    try:
        state = {"board": game.solved_board(), "moves": 0, "seconds": 0.0, "won": False}
        x = game.MARGIN + 2 * game.TILE + 50
        y = game.MARGIN + game.HUD_HEIGHT + 3 * game.TILE + 50
        click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1)
        monkeypatch.setattr(pygame.event, "get", lambda: [click])
        assert game.handle_events(state) is None
        assert state["board"][3] == [13, 14, 0, 15] and state["moves"] == 1
    finally:
        pygame.quit()


def test_the_chinese_program_falls_back_to_english_without_a_cjk_font(load_game, monkeypatch):
    assert_falls_back_to_english(load_game, "sliding_puzzle", monkeypatch)
