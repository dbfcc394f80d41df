"""Maze lesson: drive depth-first maze generation and grid movement in both languages."""

from __future__ import annotations

import random
from collections import deque

import pytest

from tests.lessons.screen_text import assert_main_shows_its_language

LANGUAGES = ["zh", "en"]
LESSON = "maze"


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game(LESSON, request.param)


def reachable(game, maze, start=(0, 0)):
    """Every cell a walker can reach from start, asking only the game's can_move."""
    seen, queue = {start}, deque([start])
    while queue:
        row, col = queue.popleft()
        for direction, (dr, dc) in game.DIRECTIONS.items():
            nxt = (row + dr, col + dc)
            if game.can_move(maze, row, col, direction) and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def open_passages(maze):
    return sum(not walls[d] for line in maze for walls in line for d in ("S", "E"))


@pytest.mark.parametrize("seed", range(5))
def test_a_generated_maze_reaches_every_cell_with_no_loops(game, seed):
    random.seed(seed)
    maze = game.generate_maze(game.ROWS, game.COLS)
    assert len(maze) == game.ROWS and all(len(line) == game.COLS for line in maze)
    cells = {(r, c) for r in range(game.ROWS) for c in range(game.COLS)}
    assert reachable(game, maze) == cells
    # A perfect maze is a tree: exactly one passage fewer than cells, so one path between any two.
    assert open_passages(maze) == len(cells) - 1


def test_walls_match_on_both_sides_and_the_outer_wall_is_closed(game):
    random.seed(11)
    maze = game.generate_maze(game.ROWS, game.COLS)
    for r in range(game.ROWS):
        for c in range(game.COLS):
            if c + 1 < game.COLS:
                assert maze[r][c]["E"] == maze[r][c + 1]["W"]
            if r + 1 < game.ROWS:
                assert maze[r][c]["S"] == maze[r + 1][c]["N"]
    assert all(maze[0][c]["N"] and maze[-1][c]["S"] for c in range(game.COLS))
    assert all(maze[r][0]["W"] and maze[r][-1]["E"] for r in range(game.ROWS))


def test_small_and_odd_sizes_are_connected_too(game):
    for rows, cols in ((1, 1), (1, 6), (5, 1), (3, 4)):
        maze = game.generate_maze(rows, cols)
        assert len(reachable(game, maze)) == rows * cols
        assert open_passages(maze) == rows * cols - 1


def test_the_player_cannot_walk_through_walls(game):
    state = game.new_game()
    state["maze"] = game.new_walls(game.ROWS, game.COLS)  # every wall standing
    for direction in game.DIRECTIONS:
        assert not game.move_player(state, direction)
    assert state["player"] == (0, 0) and state["steps"] == 0
    game.knock_down(state["maze"], 0, 0, "E")
    assert game.move_player(state, "E")
    assert state["player"] == (0, 1) and state["steps"] == 1
    assert not game.move_player(state, "E")  # (0, 1) still has its east wall
    assert not game.move_player(state, "N")  # the outer wall
    assert game.move_player(state, "W")
    assert state["player"] == (0, 0) and state["trail"] == {(0, 0), (0, 1)}


def test_walking_the_only_path_reaches_the_exit_and_wins(game):
    state = game.new_game()
    maze = game.new_walls(game.ROWS, game.COLS)
    for c in range(game.COLS - 1):
        game.knock_down(maze, 0, c, "E")
    for r in range(game.ROWS - 1):
        game.knock_down(maze, r, game.COLS - 1, "S")
    state["maze"] = maze
    for _ in range(game.COLS - 1):
        assert game.move_player(state, "E")
    assert not state["won"]
    for _ in range(game.ROWS - 1):
        assert game.move_player(state, "S")
    assert state["won"] and state["player"] == state["goal"]
    assert state["steps"] == game.ROWS + game.COLS - 2
    game.knock_down(maze, game.ROWS - 1, game.COLS - 2, "E")
    assert not game.move_player(state, "W")  # no moves after the win


def test_arrow_keys_and_wasd_map_to_the_four_directions(game):
    k = game.pygame
    keys = game.KEY_TO_DIRECTION
    assert keys[k.K_UP] == keys[k.K_w] == "N" and keys[k.K_DOWN] == keys[k.K_s] == "S"
    assert keys[k.K_LEFT] == keys[k.K_a] == "W" and keys[k.K_RIGHT] == keys[k.K_d] == "E"
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


@pytest.mark.parametrize("cjk_font", [True, False], ids=["cjk-font", "no-cjk-font"])
def test_on_screen_text_is_chinese_only_with_a_cjk_font_and_english_otherwise(
    load_game, monkeypatch, cjk_font
):
    assert_main_shows_its_language(load_game, LESSON, monkeypatch, cjk_font)
