"""Breakout lesson: drive brick removal and scoring, wall and paddle bounces, lives and winning."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_text_language


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    return load_game("breakout", request.param)


def flying(game, pos, vel):
    state = game.new_game()
    state["launched"] = True
    state["ball_pos"] = game.pygame.Vector2(pos)
    state["ball_vel"] = game.pygame.Vector2(vel)
    return state


def test_the_wall_has_six_rows_of_ten_worth_more_at_the_top(game):
    bricks = game.create_bricks()
    assert len(bricks) == 60
    assert bricks[0]["points"] == 60 and bricks[-1]["points"] == 10


def test_a_ball_hitting_a_brick_removes_it_scores_and_bounces(game):
    state = game.new_game()
    target = state["bricks"][-1]  # bottom row, nothing below it
    state = flying(
        game, (target["rect"].centerx, target["rect"].bottom + game.BALL_RADIUS + 2), (0, -5)
    )
    state["bricks"] = [target, *[b for b in game.create_bricks() if b["rect"].top < 100]]
    before = len(state["bricks"])
    game.update_ball(state)
    assert target not in state["bricks"] and len(state["bricks"]) == before - 1
    assert state["score"] == target["points"] and state["ball_vel"].y > 0


def test_clearing_the_last_brick_wins(game):
    state = game.new_game()
    last = state["bricks"][0]
    state = flying(
        game, (last["rect"].centerx, last["rect"].bottom + game.BALL_RADIUS + 2), (0, -5)
    )
    state["bricks"] = [last]
    game.update_ball(state)
    assert state["bricks"] == [] and state["result"] == "won"


def test_side_walls_and_the_paddle_bounce_the_ball(game):
    state = flying(game, (game.WIDTH - game.BALL_RADIUS - 1, 300), (5, 1))
    state["bricks"] = []
    game.update_ball(state)
    assert state["ball_vel"].x < 0
    state = flying(game, (0, 0), (0, 0))
    paddle = state["paddle"]
    state["ball_pos"] = game.pygame.Vector2(paddle.right - 5, paddle.top - game.BALL_RADIUS + 3)
    state["ball_vel"] = game.pygame.Vector2(0, 5)
    game.update_ball(state)
    assert state["ball_vel"].y < 0 and state["ball_vel"].x > 0  # right edge sends it right


def test_a_lost_ball_costs_a_life_and_the_last_life_ends_the_game(game):
    state = flying(game, (300, game.HEIGHT + 20), (0, 5))
    game.update_ball(state)
    assert state["lives"] == game.START_LIVES - 1 and not state["launched"]
    state = flying(game, (300, game.HEIGHT + 20), (0, 5))
    state["lives"] = 1
    game.update_ball(state)
    assert state["result"] == "lost"


def test_the_ball_waits_on_the_paddle_until_launched(game):
    state = game.new_game()
    state["paddle"].x += 100
    game.update_ball(state)
    assert state["ball_pos"].x == state["paddle"].centerx
    game.launch_ball(state)
    assert state["launched"] and state["ball_vel"].y < 0


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        state = game.new_game()
        state["result"] = "lost"
        game.draw(screen, (Font(), Font()), state)

    assert_text_language(load_game, "breakout", cjk, monkeypatch, draw)
