"""Typing trainer lesson: drive type_char with chosen times; check accuracy and words per minute."""

from __future__ import annotations

import random

import pygame
import pytest

from tests.lessons.screen_text import assert_both_define, assert_falls_back_to_english

LANGUAGES = ["zh", "en"]


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("typing_trainer", request.param)


def line(game, target):
    state = game.new_round(random.Random(1))
    state["target"] = target
    return state


def keydown(key, unicode):
    return pygame.event.Event(pygame.KEYDOWN, key=key, unicode=unicode, mod=0)


def test_both_languages_define_the_same_logic_functions(load_game):
    zh, en = assert_both_define(
        load_game,
        "typing_trainer",
        {
            "make_line",
            "new_round",
            "typed_char",
            "type_char",
            "accuracy",
            "words_per_minute",
            "current_stats",
            "handle_events",
            "main",
        },
    )
    assert zh.WORDS == en.WORDS


def test_the_spec_example_gives_7_wpm_and_87_5_percent(game):
    state = line(game, "the cat")
    times = iter([3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 15.0])
    for char in "the xcat":  # one wrong "x" before the "c"
        game.type_char(state, char, next(times))
    assert (state["position"], state["correct"], state["mistakes"]) == (7, 7, 1)
    assert (state["start"], state["end"]) == (3.0, 15.0)
    wpm, acc = game.current_stats(state, now=99.0)  # finished: later times change nothing
    assert wpm == pytest.approx(7.0)
    assert acc == pytest.approx(87.5)


@pytest.mark.parametrize(
    ("chars", "seconds", "wpm"), [(50, 60, 10.0), (25, 30, 10.0), (5, 6, 10.0), (10, 0, 0.0)]
)
def test_words_per_minute_counts_five_characters_as_a_word(game, chars, seconds, wpm):
    assert game.words_per_minute(chars, seconds) == pytest.approx(wpm)


@pytest.mark.parametrize(
    ("correct", "mistakes", "percent"), [(0, 0, 100.0), (9, 1, 90.0), (1, 3, 25.0), (0, 4, 0.0)]
)
def test_accuracy_is_correct_presses_over_all_presses(game, correct, mistakes, percent):
    assert game.accuracy(correct, mistakes) == pytest.approx(percent)


def test_a_wrong_key_keeps_the_cursor_and_turns_it_red_until_the_right_key(game):
    state = line(game, "go")
    game.type_char(state, "x", 1.0)
    game.type_char(state, "y", 1.5)
    assert (state["position"], state["mistakes"], state["last_wrong"]) == (0, 2, True)
    game.type_char(state, "g", 2.0)
    assert (state["position"], state["correct"], state["last_wrong"]) == (1, 1, False)
    assert state["end"] is None


def test_the_clock_starts_at_the_first_key_and_stats_run_until_the_end(game):
    state = line(game, "abcdefghij")
    assert game.current_stats(state, 50.0) == (0.0, 100.0)
    for i, char in enumerate("abcde"):
        game.type_char(state, char, 10.0 + i)
    assert state["start"] == 10.0
    wpm, acc = game.current_stats(state, 16.0)  # 5 characters = 1 word in 6 s
    assert wpm == pytest.approx(10.0) and acc == 100.0


def test_keys_after_the_line_is_finished_are_ignored(game):
    state = line(game, "a")
    game.type_char(state, "a", 1.0)
    game.type_char(state, "b", 2.0)
    assert (state["correct"], state["mistakes"], state["end"]) == (1, 0, 1.0)


def test_keydown_events_become_characters_and_silent_keys_become_none(game):
    pygame.init()
    try:
        assert game.typed_char(keydown(pygame.K_a, "a")) == "a"
        assert game.typed_char(keydown(pygame.K_a, "A")) == "A"  # Shift already applied
        assert game.typed_char(keydown(pygame.K_SPACE, " ")) == " "
        assert game.typed_char(keydown(pygame.K_SPACE, "")) == " "
        assert game.typed_char(keydown(pygame.K_t, "")) == "t"  # empty unicode: key name
        assert game.typed_char(keydown(pygame.K_LSHIFT, "")) is None
        assert game.typed_char(keydown(pygame.K_LEFT, "")) is None
        assert game.typed_char(keydown(pygame.K_BACKSPACE, "\b")) is None
    finally:
        pygame.quit()


def test_shift_and_arrows_are_not_mistakes_when_typing_through_events(game, monkeypatch):
    pygame.init()
    try:
        state = line(game, "hi")
        events = [
            keydown(pygame.K_LSHIFT, ""),
            keydown(pygame.K_h, "h"),
            keydown(pygame.K_RIGHT, ""),
            keydown(pygame.K_RETURN, "\r"),
            keydown(pygame.K_i, "i"),
        ]
        monkeypatch.setattr(pygame.event, "get", lambda: events)
        assert game.handle_events(state, 5.0) is None
        assert (state["position"], state["mistakes"], state["end"]) == (2, 0, 5.0)
        monkeypatch.setattr(pygame.event, "get", lambda: [keydown(pygame.K_RETURN, "\r")])
        assert game.handle_events(state, 6.0) == "next"
    finally:
        pygame.quit()


def test_lines_are_common_words_that_fit(game):
    rng = random.Random(7)
    for _ in range(50):
        text = game.make_line(rng)
        assert 0 < len(text) <= game.MAX_LINE
        assert all(word in game.WORDS for word in text.split(" "))
    assert game.WIDTH <= 800 and game.HEIGHT <= 600


def test_the_chinese_program_falls_back_to_english_without_a_cjk_font(load_game, monkeypatch):
    assert_falls_back_to_english(load_game, "typing_trainer", monkeypatch)
