"""Pong lesson: drive the ball off walls and paddles, scoring, winning and the paddles' limits."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_text_language


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    return load_game("pong", request.param)


def served(game, pos, vel):
    state = game.new_game()
    state["serve_wait"] = 0
    state["ball_pos"] = game.pygame.Vector2(pos)
    state["ball_vel"] = game.pygame.Vector2(vel)
    return state


def test_the_ball_bounces_off_the_top_and_bottom_walls(game):
    state = served(game, (300, 10), (3, -6))
    game.update_ball(state)
    assert state["ball_vel"].y > 0 and state["ball_pos"].y >= game.BALL_SIZE / 2
    state = served(game, (300, game.HEIGHT - 10), (3, 6))
    game.update_ball(state)
    assert state["ball_vel"].y < 0


def test_the_ball_bounces_off_the_player_paddle_and_speeds_up(game):
    state = served(game, (0, 0), (0, 0))
    paddle = state["player"]
    state["ball_pos"] = game.pygame.Vector2(paddle.right + 4, paddle.centery)
    state["ball_vel"] = game.pygame.Vector2(-6, 0)
    game.update_ball(state)
    assert state["ball_vel"].x > 0
    assert state["ball_vel"].length() == pytest.approx(6 * game.SPEED_UP)
    assert state["ball_pos"].x >= paddle.right  # moved out, so it cannot stick


def test_an_edge_hit_flies_steeper_than_a_centre_hit(game):
    state = served(game, (0, 0), (0, 0))
    paddle = state["ai"]
    state["ball_pos"] = game.pygame.Vector2(paddle.left - 4, paddle.top + 2)
    state["ball_vel"] = game.pygame.Vector2(6, 0)
    game.update_ball(state)
    assert state["ball_vel"].x < 0 and state["ball_vel"].y < -2


def test_a_ball_past_a_paddle_scores_for_the_other_side(game):
    state = served(game, (-20, 200), (-6, 0))
    game.update_ball(state)
    assert (state["ai_score"], state["player_score"]) == (1, 0)
    assert state["ball_pos"] == game.pygame.Vector2(game.WIDTH / 2, game.HEIGHT / 2)
    assert state["serve_wait"] == game.SERVE_DELAY
    state = served(game, (game.WIDTH + 20, 200), (6, 0))
    game.update_ball(state)
    assert state["player_score"] == 1


def test_seven_points_win_the_match(game):
    state = served(game, (game.WIDTH + 20, 200), (6, 0))
    state["player_score"] = game.WIN_SCORE - 1
    game.update_ball(state)
    assert state["winner"] == "player"


def test_paddles_stay_inside_the_window(game):
    state = game.new_game()
    keys = {
        game.pygame.K_w: True,
        game.pygame.K_UP: False,
        game.pygame.K_s: False,
        game.pygame.K_DOWN: False,
    }
    for _ in range(200):
        game.move_player(state, keys)
    assert state["player"].top == 0


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        state = game.new_game()
        state["winner"] = "ai"
        game.draw(screen, (Font(), Font()), state)

    assert_text_language(load_game, "pong", cjk, monkeypatch, draw)
