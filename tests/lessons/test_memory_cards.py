"""Memory Cards lesson: drive pair matching, turning back after the pause, ignored clicks, winning."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.lessons.screen_text import assert_text_language


@pytest.fixture(params=["zh", "en"])
def game(request, load_game):
    return load_game("memory_cards", request.param)


def known_game(game):
    state = game.new_game(0)
    for index, card in enumerate(state["cards"]):
        card["symbol"] = game.SYMBOLS[index // 2]  # pairs side by side: (0, 1), (2, 3), ...
    return state


def test_the_deck_has_every_symbol_exactly_twice(game):
    deck = game.create_deck()
    assert Counter(card["symbol"] for card in deck) == {symbol: 2 for symbol in game.SYMBOLS}


def test_a_matching_pair_stays_face_up(game):
    state = known_game(game)
    game.flip_card(state, 0, 100)
    game.flip_card(state, 1, 200)
    assert state["cards"][0]["matched"] and state["cards"][1]["matched"]
    assert state["moves"] == 1 and state["first"] is None and state["hide_at"] is None


def test_a_mismatch_turns_back_only_after_the_pause(game):
    state = known_game(game)
    game.flip_card(state, 0, 100)
    game.flip_card(state, 2, 200)
    assert state["hide_at"] == 200 + game.SHOW_TIME
    game.flip_card(state, 4, 300)  # clicks while waiting do nothing
    assert not state["cards"][4]["face_up"]
    game.update(state, 200 + game.SHOW_TIME - 1)
    assert state["cards"][0]["face_up"] and state["cards"][2]["face_up"]
    game.update(state, 200 + game.SHOW_TIME)
    assert not state["cards"][0]["face_up"] and not state["cards"][2]["face_up"]
    assert state["moves"] == 1 and not any(card["matched"] for card in state["cards"])


def test_a_card_cannot_pair_with_itself(game):
    state = known_game(game)
    game.flip_card(state, 0, 100)
    game.flip_card(state, 0, 150)
    assert state["moves"] == 0 and state["second"] is None and not state["cards"][0]["matched"]


def test_finding_every_pair_stops_the_clock(game):
    state = known_game(game)
    for pair in range(8):
        game.flip_card(state, 2 * pair, 1000 * pair)
        game.flip_card(state, 2 * pair + 1, 1000 * pair + 10)
    assert state["end"] == 7010 and state["moves"] == 8


def test_clicks_map_to_cards(game):
    assert game.card_at(game.card_rect(5).center) == 5
    assert game.card_at((1, 1)) is None


@pytest.mark.parametrize("cjk", [True, False])
def test_on_screen_text_is_english_without_a_cjk_font(load_game, cjk, monkeypatch):
    def draw(game, screen, Font):
        game.draw(screen, (Font(), Font()), game.new_game(0), 5000)

    assert_text_language(load_game, "memory_cards", cjk, monkeypatch, draw)
