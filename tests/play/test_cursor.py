"""The in-notebook player runs a game that sets a hand cursor (issue 16 A7).

The player runs games under SDL's dummy video driver, where pygame refuses every cursor;
the sandbox's bootstrap makes only that refusal harmless, so the game shows its picture.
"""

from __future__ import annotations

import asyncio

from codeflow_widget.play.session import GameSession

from .conftest import View

HAND_CURSOR_GAME = """\
import pygame

pygame.init()
screen = pygame.display.set_mode((64, 48))
pygame.mouse.set_cursor(pygame.SYSTEM_CURSOR_HAND)
clock = pygame.time.Clock()
while True:
    for event in pygame.event.get():
        if event.type == pygame.QUIT:
            raise SystemExit
    screen.fill((200, 40, 40))
    pygame.display.flip()
    clock.tick(30)
"""


async def test_the_player_shows_a_game_that_sets_a_hand_cursor(tmp_path):
    (tmp_path / "main.py").write_text(HAND_CURSOR_GAME, encoding="utf-8")
    session = GameSession(tmp_path)
    view = View(session)
    session.attach_view(1, view)
    try:
        await session.start()
        for _ in range(400):  # polling with a generous deadline, not a timing assert
            if session.state in ("ended", "crashed") or (
                view.picture is not None and view.pixel(10, 10) == (200, 40, 40)
            ):
                break
            await asyncio.sleep(0.05)
        assert session.traceback == "", session.traceback
        assert view.pixel(10, 10) == (200, 40, 40)
        assert session.state not in ("ended", "crashed")
    finally:
        await session.stop()
