"""Paint lesson: drive press / drag / release on the game's own canvas and read its pixels."""

from __future__ import annotations

import pygame
import pytest

from tests.lessons.screen_text import assert_both_define, assert_falls_back_to_english

LANGUAGES = ["zh", "en"]
WHITE = (255, 255, 255, 255)


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    pygame.init()
    yield load_game("paint", request.param)
    pygame.quit()


def window(game, x, y):
    """Canvas point → the window position a player would click."""
    return x, y + game.TOOLBAR_H


def color_of(game, index):
    return (*game.COLORS[index], 255)


def pick(game, state, canvas, kind, index):
    rect = game.swatch_rect(index) if kind == "color" else game.size_rect(index)
    game.press(state, canvas, rect.center)
    game.release(state)


def test_both_languages_define_the_same_logic_functions(load_game):
    zh, en = assert_both_define(
        load_game,
        "paint",
        {
            "new_state",
            "toolbar_hit",
            "to_canvas",
            "new_canvas",
            "clear_canvas",
            "draw_dot",
            "draw_stroke",
            "change_size",
            "press",
            "drag",
            "release",
            "handle_events",
            "main",
        },
    )
    assert zh.COLORS == en.COLORS and zh.BRUSH_SIZES == en.BRUSH_SIZES


def test_a_drag_changes_the_pixels_along_the_line_and_nowhere_else(game):
    canvas, state = game.new_canvas(), game.new_state()
    red = game.COLORS.index((220, 40, 40))
    pick(game, state, canvas, "color", red)
    pick(game, state, canvas, "size", 1)  # radius 5
    game.press(state, canvas, window(game, 100, 200))
    game.drag(state, canvas, window(game, 300, 200))
    game.release(state)
    for x in range(100, 301, 10):
        assert canvas.get_at((x, 200)) == color_of(game, red), x
        assert canvas.get_at((x, 204)) == color_of(game, red), x  # inside the radius
        assert canvas.get_at((x, 220)) == WHITE, x
    assert canvas.get_at((330, 200)) == WHITE and canvas.get_at((70, 200)) == WHITE


def test_one_long_jump_of_the_mouse_still_gives_an_unbroken_line(game):
    canvas, state = game.new_canvas(), game.new_state()
    pick(game, state, canvas, "size", 0)  # radius 2: the thinnest line shows gaps first
    game.press(state, canvas, window(game, 50, 50))
    game.drag(state, canvas, window(game, 250, 170))  # one motion event, 200 px to the right
    black = color_of(game, 0)
    for x in range(50, 251):
        y = round(50 + (x - 50) * 120 / 200)
        assert canvas.get_at((x, y)) == black, (x, y)


def test_a_click_leaves_a_dot_and_a_new_stroke_is_not_joined_to_the_last(game):
    canvas, state = game.new_canvas(), game.new_state()
    game.press(state, canvas, window(game, 100, 100))
    game.release(state)
    assert canvas.get_at((100, 100)) == color_of(game, 0)
    game.drag(state, canvas, window(game, 300, 100))  # moving without the button: no drawing
    game.press(state, canvas, window(game, 300, 300))
    game.drag(state, canvas, window(game, 320, 300))
    game.release(state)
    assert canvas.get_at((200, 100)) == WHITE
    assert canvas.get_at((200, 200)) == WHITE
    assert canvas.get_at((310, 300)) == color_of(game, 0)


def test_brush_size_sets_the_stroke_width(game):
    canvas, state = game.new_canvas(), game.new_state()
    pick(game, state, canvas, "size", 3)  # radius 20
    game.press(state, canvas, window(game, 400, 200))
    game.release(state)
    assert canvas.get_at((400, 218)) == color_of(game, 0)
    assert canvas.get_at((400, 225)) == WHITE


def test_clear_makes_every_pixel_white_again(game):
    canvas, state = game.new_canvas(), game.new_state()
    game.press(state, canvas, window(game, 10, 10))
    game.drag(state, canvas, window(game, 700, 500))
    game.release(state)
    assert canvas.get_at((355, 255)) != WHITE
    game.press(state, canvas, game.CLEAR_RECT.center)
    game.release(state)
    width, height = canvas.get_size()
    assert all(canvas.get_at((x, y)) == WHITE for x in range(width) for y in range(height))


def test_the_toolbar_picks_tools_and_never_draws(game):
    canvas, state = game.new_canvas(), game.new_state()
    assert game.toolbar_hit(game.swatch_rect(4).center) == ("color", 4)
    assert game.toolbar_hit(game.size_rect(2).center) == ("size", 2)
    assert game.toolbar_hit(game.CLEAR_RECT.center) == ("clear", None)
    assert game.toolbar_hit((game.WIDTH - 130, 5)) is None
    game.press(state, canvas, game.swatch_rect(4).center)
    game.drag(state, canvas, window(game, 200, 200))  # dragged from the toolbar onto the canvas
    game.release(state)
    assert state["color"] == 4 and not state["drawing"]
    game.press(state, canvas, (game.WIDTH - 130, 5))  # an empty part of the toolbar
    game.drag(state, canvas, window(game, 250, 250))
    width, height = canvas.get_size()
    assert all(
        canvas.get_at((x, y)) == WHITE for x in range(0, width, 5) for y in range(0, height, 5)
    )


def test_the_wheel_steps_through_sizes_and_stops_at_both_ends(game):
    state = game.new_state()
    for _ in range(10):
        game.change_size(state, 1)
    assert state["size"] == len(game.BRUSH_SIZES) - 1
    for _ in range(10):
        game.change_size(state, -1)
    assert state["size"] == 0


def test_mouse_events_reach_the_canvas_through_handle_events(game, monkeypatch):
    canvas, state = game.new_canvas(), game.new_state()
    events = [
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=window(game, 100, 300), button=1),
        pygame.event.Event(
            pygame.MOUSEMOTION, pos=window(game, 400, 300), rel=(300, 0), buttons=(1, 0, 0)
        ),
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=window(game, 400, 300), button=1),
    ]
    monkeypatch.setattr(pygame.event, "get", lambda: events)
    assert game.handle_events(state, canvas) is None
    assert canvas.get_at((250, 300)) == color_of(game, 0) and not state["drawing"]
    assert game.WIDTH <= 800 and game.HEIGHT <= 600
    assert canvas.get_size() == (game.WIDTH, game.HEIGHT - game.TOOLBAR_H)


def test_the_chinese_program_falls_back_to_english_without_a_cjk_font(load_game, monkeypatch):
    assert_falls_back_to_english(load_game, "paint", monkeypatch)
