"""Space shooter lesson: drive sprite lists, collisions and held-key controls in both languages."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.lessons.screen_text import assert_main_shows_its_language

LANGUAGES = ["zh", "en"]
LESSON = "space_shooter"
STILL = {"dx": 0, "dy": 0, "fire": False}


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game(LESSON, request.param)


def held(game, *keys):
    """A stand-in for pygame.key.get_pressed(): indexable by key code, True for the held keys."""
    pressed = defaultdict(bool)
    for key in keys:
        pressed[key] = True
    return pressed


def enemy(game, x, y, speed=0):
    return {"rect": game.pygame.Rect(x, y, 36, 36), "speed": speed}


def test_held_keys_become_controls(game):
    k = game.pygame
    assert game.read_controls(held(game)) == STILL
    assert game.read_controls(held(game, k.K_LEFT, k.K_SPACE)) == {"dx": -1, "dy": 0, "fire": True}
    assert game.read_controls(held(game, k.K_d, k.K_w)) == {"dx": 1, "dy": -1, "fire": False}
    assert game.read_controls(held(game, k.K_LEFT, k.K_RIGHT))["dx"] == 0


def test_holding_a_direction_moves_every_frame_and_stops_at_the_edge(game):
    state = game.new_game()
    start = state["player"].x
    for _ in range(10):
        game.update(state, {"dx": -1, "dy": 0, "fire": False})
    assert state["player"].x == start - 10 * game.PLAYER_SPEED
    for _ in range(500):
        game.update(state, {"dx": -1, "dy": 1, "fire": False})
    assert state["player"].left == 0 and state["player"].bottom == game.HEIGHT


def test_holding_fire_shoots_once_per_cooldown(game):
    state = game.new_game()
    frames = game.FIRE_COOLDOWN * 3
    for _ in range(frames):
        state["enemies"].clear()  # keep the sky empty so no bullet is used up
        game.update(state, {"dx": 0, "dy": 0, "fire": True})
    assert len(state["bullets"]) == 3
    assert not game.fire(state)  # still cooling down


def test_a_bullet_that_hits_an_enemy_removes_both_and_scores(game):
    state = game.new_game()
    target = enemy(game, 100, 100)
    other = enemy(game, 300, 100)
    state["enemies"] = [target, other]
    state["bullets"] = [game.pygame.Rect(110, 110, 6, 14), game.pygame.Rect(10, 400, 6, 14)]
    assert game.shoot_down(state) == 1
    assert state["enemies"] == [other]
    assert state["bullets"] == [game.pygame.Rect(10, 400, 6, 14)]
    assert state["score"] == game.POINTS


def test_one_bullet_downs_one_enemy_even_when_three_overlap(game):
    state = game.new_game()
    state["enemies"] = [enemy(game, 100, 100), enemy(game, 104, 100), enemy(game, 108, 100)]
    state["bullets"] = [game.pygame.Rect(110, 110, 6, 14)]
    assert game.shoot_down(state) == 1
    assert len(state["enemies"]) == 2 and state["bullets"] == []


def test_two_bullets_on_one_enemy_leave_the_second_bullet_flying(game):
    state = game.new_game()
    state["enemies"] = [enemy(game, 100, 100)]
    state["bullets"] = [game.pygame.Rect(105, 110, 6, 14), game.pygame.Rect(120, 110, 6, 14)]
    assert game.shoot_down(state) == 1
    assert state["enemies"] == [] and len(state["bullets"]) == 1


def test_sprites_that_leave_the_window_are_dropped_from_their_lists(game):
    state = game.new_game()
    state["bullets"] = [game.pygame.Rect(50, -10, 6, 14), game.pygame.Rect(50, 300, 6, 14)]
    state["enemies"] = [enemy(game, 50, game.HEIGHT - 1, speed=4), enemy(game, 50, 10, speed=4)]
    game.move_sprites(state)
    assert [b.y for b in state["bullets"]] == [300 - game.BULLET_SPEED]
    assert [e["rect"].y for e in state["enemies"]] == [14]


def test_a_crash_costs_a_life_and_the_third_ends_the_game(game):
    state = game.new_game()
    for lives_left in (2, 1, 0):
        state["enemies"] = [enemy(game, *state["player"].topleft)]
        assert game.crash_into_player(state) == 1
        assert state["lives"] == lives_left and state["enemies"] == []
    assert state["over"]
    before = state["player"].copy()
    game.update(state, {"dx": 1, "dy": 0, "fire": True})
    assert state["player"] == before and state["bullets"] == []


def test_enemies_keep_coming_from_the_top(game):
    state = game.new_game()
    for _ in range(game.SPAWN_EVERY):
        game.update(state, STILL)
    assert len(state["enemies"]) == 1
    rect = state["enemies"][0]["rect"]
    assert 0 <= rect.left and rect.right <= game.WIDTH and rect.bottom <= 36
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


@pytest.mark.parametrize("cjk_font", [True, False], ids=["cjk-font", "no-cjk-font"])
def test_on_screen_text_is_chinese_only_with_a_cjk_font_and_english_otherwise(
    load_game, monkeypatch, cjk_font
):
    assert_main_shows_its_language(load_game, LESSON, monkeypatch, cjk_font)
