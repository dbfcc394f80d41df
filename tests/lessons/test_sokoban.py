"""Sokoban lesson: drive try_move / undo / is_won on the game's own text-map levels."""

from __future__ import annotations

from collections import deque

import pytest

from tests.lessons.screen_text import assert_both_define, assert_falls_back_to_english

LANGUAGES = ["zh", "en"]
UP, DOWN, LEFT, RIGHT = (-1, 0), (1, 0), (0, -1), (0, 1)


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("sokoban", request.param)


def level(game, text):
    state = game.parse_level(text)
    state.update({"level": 0, "moves": 0, "history": [], "won": False})
    return state


def snapshot(state):
    return state["player"], frozenset(state["boxes"]), state["moves"]


def test_both_languages_define_the_same_logic_functions(load_game):
    zh, en = assert_both_define(
        load_game,
        "sokoban",
        {
            "parse_level",
            "load_level",
            "is_won",
            "save_history",
            "try_move",
            "undo",
            "handle_events",
            "main",
        },
    )
    assert zh.LEVELS == en.LEVELS


def test_a_text_map_is_parsed_into_sets(game):
    state = game.parse_level("\n#####\n#@$.#\n#+*.#\n#####\n")
    assert state["player"] == (2, 1)  # the last @ or + wins; "+" is player on a goal
    assert state["boxes"] == {(1, 2), (2, 2)}
    assert state["goals"] == {(1, 3), (2, 1), (2, 2), (2, 3)}
    assert (0, 0) in state["walls"] and (1, 1) not in state["walls"]
    assert (state["rows"], state["cols"]) == (4, 5)


def test_level_one_is_won_by_two_pushes_to_the_left(game):
    state = game.load_level(0)
    assert not state["won"]
    assert game.try_move(state, *LEFT) and not state["won"]
    assert game.try_move(state, *LEFT)
    assert state["won"] and game.is_won(state) and state["moves"] == 2
    assert not game.try_move(state, *LEFT)  # no moving once the level is won


def test_walking_into_a_wall_is_refused_and_changes_nothing(game):
    state = level(game, "\n#####\n#@  #\n#####\n")
    before = snapshot(state)
    assert not game.try_move(state, *UP)
    assert not game.try_move(state, *LEFT)
    assert snapshot(state) == before and state["history"] == []


def test_pushing_a_box_into_a_wall_is_refused(game):
    state = level(game, "\n#####\n# @$#\n#  .#\n#####\n")
    before = snapshot(state)
    assert not game.try_move(state, *RIGHT)
    assert snapshot(state) == before and state["history"] == []


def test_pushing_a_box_into_another_box_is_refused(game):
    state = level(game, "\n######\n#@$$ #\n#  ..#\n######\n")
    before = snapshot(state)
    assert not game.try_move(state, *RIGHT)
    assert snapshot(state) == before


def test_a_push_moves_the_box_and_the_player_one_cell(game):
    state = level(game, "\n######\n#@$ .#\n######\n")
    assert game.try_move(state, *RIGHT)
    assert state["player"] == (1, 2) and state["boxes"] == {(1, 3)}
    assert game.try_move(state, *RIGHT)
    assert state["boxes"] == {(1, 4)} and state["won"]


def test_the_player_cannot_pull_a_box(game):
    state = level(game, "\n######\n# $@.#\n######\n")
    assert game.try_move(state, *RIGHT)
    assert state["boxes"] == {(1, 2)}


def test_undo_goes_back_step_by_step_to_the_start(game):
    state = game.load_level(1)
    start = snapshot(state)
    steps = [snapshot(state)]
    for direction in (RIGHT, RIGHT, UP):
        assert game.try_move(state, *direction)
        steps.append(snapshot(state))
    for expected in reversed(steps[:-1]):
        assert game.undo(state)
        assert snapshot(state) == expected
    assert snapshot(state) == start
    assert not game.undo(state)  # nothing left to undo: no error, nothing changes
    assert snapshot(state) == start


def test_undo_after_the_winning_push_clears_the_win(game):
    state = game.load_level(0)
    game.try_move(state, *LEFT)
    game.try_move(state, *LEFT)
    assert game.undo(state)
    assert not state["won"] and state["boxes"] == {(2, 3)}


def test_every_shipped_level_can_be_solved_with_the_games_own_moves(game):
    for index in range(len(game.LEVELS)):
        start = game.load_level(index)
        assert len(start["boxes"]) == len(start["goals"]) > 0
        seen = {(start["player"], frozenset(start["boxes"]))}
        queue = deque([(start["player"], frozenset(start["boxes"]))])
        solved = False
        while queue and not solved:
            player, boxes = queue.popleft()
            for direction in (UP, DOWN, LEFT, RIGHT):
                state = game.load_level(index)
                state["player"], state["boxes"] = player, set(boxes)
                if game.try_move(state, *direction):
                    key = (state["player"], frozenset(state["boxes"]))
                    solved = solved or state["won"]
                    if key not in seen:
                        seen.add(key)
                        queue.append(key)
        assert solved, f"level {index + 1} cannot be solved"


def test_the_window_fits(game):
    assert game.WIDTH <= 800 and game.HEIGHT <= 600
    for index in range(len(game.LEVELS)):
        state = game.load_level(index)
        left, top = game.board_origin(state)
        assert left >= 0 and top >= game.HUD_HEIGHT
        assert left + state["cols"] * game.TILE <= game.WIDTH
        assert top + state["rows"] * game.TILE <= game.HEIGHT


def test_the_chinese_program_falls_back_to_english_without_a_cjk_font(load_game, monkeypatch):
    assert_falls_back_to_english(load_game, "sokoban", monkeypatch)
