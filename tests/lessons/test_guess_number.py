"""Guess the Number lesson: drive the comparison, input box, range narrowing and restart, both languages."""

from __future__ import annotations

import pytest

from tests.lessons.screen_text import assert_text_language

TOO_HIGH = {"zh": "太大", "en": "too high"}
TOO_LOW = {"zh": "太小", "en": "too low"}


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    module = load_game("guess_number", request.param)
    module.language = request.param
    return module


def guess(game, state, number):
    state["typed"] = str(number)
    game.submit_guess(state)


def test_check_guess_says_high_low_or_correct(game):
    assert game.check_guess(50, 60) == "high"
    assert game.check_guess(50, 40) == "low"
    assert game.check_guess(50, 50) == "correct"


def test_feedback_narrows_the_range_and_counts_guesses(game):
    state = game.new_game()
    state["secret"] = 37
    guess(game, state, 50)
    assert state["guesses"] == 1 and state["high"] == 49 and state["low"] == 1
    assert TOO_HIGH[game.language] in state["message"]
    guess(game, state, 20)
    assert state["guesses"] == 2 and state["low"] == 21
    assert TOO_LOW[game.language] in state["message"]
    guess(game, state, 37)
    assert state["won"] and state["low"] == state["high"] == 37 and state["guesses"] == 3


@pytest.mark.parametrize("typed", ["", "0", "500"])
def test_empty_or_out_of_range_input_does_not_count(game, typed):
    state = game.new_game()
    state["typed"] = typed
    game.submit_guess(state)
    assert state["guesses"] == 0 and state["typed"] == "" and not state["won"]
    assert (state["low"], state["high"]) == (game.LOWEST, game.HIGHEST)


def test_the_input_box_takes_at_most_three_digits_and_full_width_ones(game):
    state = game.new_game()
    for char in "１2345":
        game.add_digit(state, char)
    assert state["typed"] == "123"


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        state = game.new_game()
        state["typed"] = "50"
        game.submit_guess(state)
        game.draw(screen, (Font(), Font()), state)

    assert_text_language(load_game, "guess_number", cjk, monkeypatch, draw)
