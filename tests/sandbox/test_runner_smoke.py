"""The smoke run (``sandbox/runner.py``) goes through the launcher: a throwaway copy, the real
mechanism, guard.py inside, and judge() deciding as before."""

from __future__ import annotations

from codeflow_widget.sandbox import detect
from codeflow_widget.sandbox.runner import run_project

GAME = """import pygame
pygame.init()
screen = pygame.display.set_mode((320, 240))
font = pygame.font.SysFont("dejavusans,arial", 20)
clock = pygame.time.Clock()
open("highscore.txt", "w").write("9")
while True:
    for event in pygame.event.get():
        pass
    screen.fill((0, 0, 0))
    screen.blit(font.render("snake", True, (255, 255, 255)), (10, 10))
    pygame.display.flip()
    clock.tick(30)
"""


async def test_a_pygame_game_smoke_runs_under_the_mechanism_in_a_copy(tmp_path):
    assert detect().isolated
    (tmp_path / "main.py").write_text(GAME, encoding="utf-8")
    result = await run_project(tmp_path, timeout_s=3)
    assert result.ok and result.outcome == "timeout_alive", result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["main.py"]  # nothing persisted


async def test_the_smoke_output_is_redacted_and_judged(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_" + "x1" * 18)
    code = "print('token ghp_' + 'x1' * 18)\nraise ValueError('boom')\n"
    (tmp_path / "main.py").write_text(code, encoding="utf-8")
    result = await run_project(tmp_path, timeout_s=5, language="en")
    assert not result.ok and result.outcome == "crashed" and "ValueError" in result.message
    assert "x1x1x1x1" not in result.output and "redacted" in result.output
