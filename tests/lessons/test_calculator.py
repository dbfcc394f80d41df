"""Calculator lesson: drive the state machine through press() in both languages.

The spec documents maths-class precedence (× and ÷ before + and −), so 12+3*4= is 24.
"""

from __future__ import annotations

import pygame
import pytest

from tests.lessons.screen_text import assert_both_define, assert_falls_back_to_english

LANGUAGES = ["zh", "en"]


@pytest.fixture(params=LANGUAGES)
def game(request, load_game):
    return load_game("calculator", request.param)


def press_all(game, calc, keys):
    for key in keys:
        game.press(calc, key)
    return calc


def test_both_languages_define_the_same_logic_functions(load_game):
    zh, en = assert_both_define(
        load_game,
        "calculator",
        {
            "new_calculator",
            "evaluate",
            "press",
            "type_digit",
            "choose_operator",
            "press_equals",
            "press_back",
            "key_from_event",
            "button_at",
            "display_text",
            "main",
        },
    )


def test_multiplication_comes_before_addition_as_the_spec_documents(game):
    calc = press_all(game, game.new_calculator(), "12+3*4=")
    assert calc["entry"] == "24"
    assert calc["mode"] == "result"
    assert calc["history"] == "12 + 3 × 4 ="


@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ("10-2*3=", "4"),
        ("8/2/2=", "2"),
        ("2*3+4*5=", "26"),
        ("6/3=", "2"),
        ("0.1+0.2=", "0.3"),
        ("7-10=", "-3"),
        ("1/4=", "0.25"),
    ],
)
def test_results_follow_precedence_and_are_tidied(game, keys, shown):
    assert press_all(game, game.new_calculator(), keys)["entry"] == shown


def test_dividing_by_zero_shows_a_message_and_keeps_running(game):
    calc = press_all(game, game.new_calculator(), "8/0=")
    assert (calc["mode"], calc["message"]) == ("error", "divide_by_zero")
    press_all(game, calc, "+*")  # operators are ignored in the error state
    assert calc["mode"] == "error"
    press_all(game, calc, "5=")  # a digit starts a new sum
    assert (calc["mode"], calc["entry"]) == ("result", "5")


def test_the_divide_by_zero_message_in_each_language(load_game):
    zh, en = load_game("calculator", "zh"), load_game("calculator", "en")
    zh_calc = press_all(zh, zh.new_calculator(), "8/0=")
    en_calc = press_all(en, en.new_calculator(), "8/0=")
    assert zh.display_text(zh_calc, zh.TEXT_ZH) == "不能除以 0"
    assert zh.display_text(zh_calc, zh.TEXT_EN) == "Cannot divide by 0"
    assert en.display_text(en_calc, en.TEXT) == "Cannot divide by 0"


def test_the_states_change_in_the_documented_order(game):
    calc = game.new_calculator()
    seen = [calc["mode"]]
    for key in "12+3=":
        game.press(calc, key)
        seen.append(calc["mode"])
    assert seen == ["first", "first", "first", "operator", "second", "result"]


def test_a_second_operator_replaces_the_first(game):
    calc = press_all(game, game.new_calculator(), "5+*")
    assert calc["tokens"] == [5.0, "*"]
    assert press_all(game, calc, "2=")["entry"] == "10"


def test_after_a_result_an_operator_carries_on_and_a_digit_starts_over(game):
    calc = press_all(game, game.new_calculator(), "2+3=*4=")
    assert calc["entry"] == "20"
    press_all(game, calc, "9")
    assert (calc["mode"], calc["entry"], calc["tokens"]) == ("first", "9", [])


def test_equals_straight_after_an_operator_does_nothing(game):
    calc = press_all(game, game.new_calculator(), "7+=")
    assert calc["mode"] == "operator" and calc["tokens"] == [7.0, "+"]


def test_one_decimal_point_per_number_and_backspace_and_clear(game):
    calc = press_all(game, game.new_calculator(), "1..5")
    assert calc["entry"] == "1.5"
    press_all(game, calc, ["back", "back", "back"])
    assert calc["entry"] == "0"
    press_all(game, calc, ["9", "+", "C"])
    assert calc == game.new_calculator()


def test_keyboard_events_and_buttons_reach_the_same_keys(game):
    pygame.init()
    try:

        def keydown(key, unicode=""):
            return pygame.event.Event(pygame.KEYDOWN, key=key, unicode=unicode, mod=0)

        assert game.key_from_event(keydown(pygame.K_7, "7")) == "7"
        assert game.key_from_event(keydown(pygame.K_EQUALS, "+")) == "+"
        assert game.key_from_event(keydown(pygame.K_KP_MULTIPLY)) == "*"
        assert game.key_from_event(keydown(pygame.K_RETURN, "\r")) == "="
        assert game.key_from_event(keydown(pygame.K_BACKSPACE, "\b")) == "back"
        assert game.key_from_event(keydown(pygame.K_q, "q")) is None
        for key, col, row, cols, rows in game.BUTTONS:
            assert game.button_at(game.button_rect(col, row, cols, rows).center) == key
        assert game.button_at((game.GAP // 2, game.HEIGHT - 2)) is None
        assert game.WIDTH <= 800 and game.HEIGHT <= 600
    finally:
        pygame.quit()


def test_the_chinese_program_falls_back_to_english_without_a_cjk_font(load_game, monkeypatch):
    assert_falls_back_to_english(load_game, "calculator", monkeypatch)
