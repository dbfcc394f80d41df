"""What a lesson's game writes on screen and in which language, and that both its programs agree.

``assert_text_language`` (a game's draw code) and ``assert_main_shows_its_language`` (its own
``main()``) render with a stand-in font that records every string, in both languages: the English
program never shows CJK, and the Chinese one shows it only when a CJK font exists, so a machine
without one gets English rather than boxes. ``assert_falls_back_to_english`` checks the word
tables behind that choice, ``assert_both_define`` that both programs define the same functions.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u4e00-\u9fff]")


def recording_font(pygame, texts: list):
    """A stand-in for ``pygame.font.Font``/``SysFont`` that appends every string it renders."""

    class Font:
        def __init__(self, *args, **kwargs):
            self.real = pygame.font.Font(None, 20)

        def render(self, text, *args):
            texts.append(text)
            return self.real.render(text, *args)

    return Font


def rendered_texts(game, draw):
    """Every string the game's draw code renders, captured by a stand-in font."""
    pygame = game.pygame
    pygame.init()
    texts = []
    draw(pygame.Surface((game.WIDTH, game.HEIGHT)), recording_font(pygame, texts))
    return texts


def assert_text_language(load_game, lesson_id, cjk, monkeypatch, draw):
    """The English program never shows CJK; the Chinese one shows it only when a CJK font exists."""
    for language in ("zh", "en"):
        game = load_game(lesson_id, language)
        if language == "zh":
            monkeypatch.setattr(game, "CJK", cjk)
        texts = rendered_texts(game, lambda screen, Font, game=game: draw(game, screen, Font))
        assert texts, "draw rendered no text"
        shows_cjk = bool(CJK.search(" ".join(texts)))
        assert shows_cjk == (language == "zh" and cjk), (language, cjk, texts)


def assert_falls_back_to_english(load_game, lesson_id, monkeypatch):
    """The Chinese program's words are the English program's when no CJK font is found
    (``pick_text`` with ``pygame.font.match_font`` finding nothing), its own when one is."""
    zh, en = load_game(lesson_id, "zh"), load_game(lesson_id, "en")
    pygame = zh.pygame
    assert zh.TEXT_EN == en.TEXT and zh.TEXT_ZH.keys() == zh.TEXT_EN.keys()
    assert not any(CJK.search(value) for value in en.TEXT.values())
    monkeypatch.setattr(pygame.font, "match_font", lambda *args, **kwargs: None)
    assert zh.pick_text() is zh.TEXT_EN
    monkeypatch.setattr(pygame.font, "match_font", lambda *args, **kwargs: "/fonts/cjk.ttf")
    assert zh.pick_text() is zh.TEXT_ZH


def assert_both_define(load_game, lesson_id, names):
    """Both languages' programs define every function in ``names``; returns ``(zh, en)``."""
    zh, en = load_game(lesson_id, "zh"), load_game(lesson_id, "en")
    assert names <= set(vars(zh)) and names <= set(vars(en))
    return zh, en


def texts_shown_by_main(game, monkeypatch, cjk_font):
    """Run the game's own main() for two frames and return every string it rendered.

    SysFont is replaced by a recording stand-in, match_font pretends a CJK font is (or is not)
    installed, and the second flip() posts QUIT, so main() must leave its loop by itself.
    """
    pygame = game.pygame
    texts, frames = [], []

    def flip():
        frames.append(1)
        if len(frames) == 2:
            pygame.event.post(pygame.event.Event(pygame.QUIT))
        if len(frames) > 10:
            raise RuntimeError("main() kept running after QUIT")

    monkeypatch.setattr(pygame.font, "SysFont", recording_font(pygame, texts))
    monkeypatch.setattr(pygame.font, "match_font", lambda *a, **k: "cjk.ttf" if cjk_font else None)
    monkeypatch.setattr(pygame.display, "flip", flip)
    game.main()
    assert len(frames) == 2, "main() did not stop at the first QUIT"
    assert texts, "main() rendered no text"
    return texts


def assert_main_shows_its_language(load_game, lesson_id, monkeypatch, cjk_font):
    """The game's own main(), in both languages: Chinese on screen only from the Chinese program
    and only with a CJK font, English otherwise."""
    for language in ("zh", "en"):
        game = load_game(lesson_id, language)
        shown = " ".join(texts_shown_by_main(game, monkeypatch, cjk_font))
        assert bool(CJK.search(shown)) == (language == "zh" and cjk_font), (language, shown)
