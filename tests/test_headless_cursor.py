"""A game that sets a hand cursor passes its headless trial run (issue 16 A7).

SDL's dummy video driver refuses every cursor (pygame raises "Error while creating
system cursor" / "Cursors are not currently supported"), though the same calls work on
a real display. The sandbox's bootstrap (guard.py) makes only those errors harmless in
dummy-driver runs: the smoke run and the in-notebook player.
"""

from __future__ import annotations

import os
import subprocess
import sys

from codeflow_widget.sandbox.runner import run_project

HAND_CURSOR_GAME = """\
import pygame

pygame.init()
screen = pygame.display.set_mode((200, 120))
pygame.mouse.set_cursor(pygame.SYSTEM_CURSOR_HAND)
pygame.mouse.set_cursor(pygame.cursors.Cursor(pygame.SYSTEM_CURSOR_ARROW))
pygame.mouse.set_cursor(pygame.cursors.arrow)
pygame.mouse.set_system_cursor(pygame.SYSTEM_CURSOR_HAND)
print("cursors set", flush=True)
clock = pygame.time.Clock()
for frame in range(10):
    for event in pygame.event.get():
        if event.type == pygame.QUIT:
            raise SystemExit
    screen.fill((30, 30, 60))
    pygame.display.flip()
    clock.tick(30)
print("ten frames drawn", flush=True)
"""

BAD_ARGUMENT_GAME = """\
import pygame

pygame.init()
pygame.display.set_mode((100, 100))
pygame.mouse.set_cursor("not a cursor")
"""


def test_pygame_itself_refuses_cursors_under_the_dummy_driver(isolated):
    # the premise: without the bootstrap the same program crashes on its first cursor
    (isolated / "main.py").write_text(HAND_CURSOR_GAME, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "main.py"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
    )
    assert done.returncode == 1
    assert "pygame.error: Error while creating system cursor" in done.stderr


async def test_a_game_with_a_hand_cursor_passes_its_trial_run(isolated):
    (isolated / "main.py").write_text(HAND_CURSOR_GAME, encoding="utf-8")
    result = await run_project(isolated, timeout_s=20)
    assert result.ok, result.message
    assert result.outcome == "exited", "it ran to its end rather than being cut off"
    assert "cursors set" in result.output and "ten frames drawn" in result.output


async def test_a_wrong_cursor_argument_still_fails_the_trial_run(isolated):
    (isolated / "main.py").write_text(BAD_ARGUMENT_GAME, encoding="utf-8")
    result = await run_project(isolated, timeout_s=5)
    assert not result.ok and result.outcome == "crashed"
    assert "TypeError" in result.message
