"""Fixtures for the player tests: the game launcher and a fake view that composes frames."""

from __future__ import annotations

import asyncio
import io
import os
import time
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402

from codeflow_widget.play.session import GameSession  # noqa: E402

from .procs import game_processes, run_cgroups  # noqa: E402

GAMES = Path(__file__).parent / "games"


class View:
    """What the browser does with frames: paste each region, acknowledge it."""

    def __init__(self, session: GameSession, ack: bool = True):
        self.session = session
        self.picture: pygame.Surface | None = None
        self.headers: list[dict] = []
        self.ack = ack
        self.pending: list[int] = []

    def __call__(self, header: dict, payload: bytes) -> None:
        self.headers.append(header)
        if self.picture is None or self.picture.get_size() != (header["W"], header["H"]):
            self.picture = pygame.Surface((header["W"], header["H"]))
        tile = pygame.image.load(io.BytesIO(payload), f"f.{header['fmt']}")
        self.picture.blit(tile, (header["x"], header["y"]))
        if self.ack:
            self.session.ack(header["seq"])
        else:
            self.pending.append(header["seq"])

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        assert self.picture is not None, "no frame arrived"
        return tuple(self.picture.get_at((x, y)))[:3]

    async def wait_for(self, predicate, timeout: float = 10.0, what: str = "") -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self.picture is not None and predicate(self):
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out waiting for {what or predicate}")
            await asyncio.sleep(0.02)


@pytest.fixture(scope="session", autouse=True)
def real_sandbox():
    """The games run through the real launcher under a real isolation mechanism."""
    from codeflow_widget.sandbox import detect

    mechanism = detect()
    assert mechanism.isolated, f"no sandbox mechanism works here: {mechanism.detail}"
    return mechanism


@pytest.fixture(autouse=True)
def nothing_left_running():
    """Each test ends its games: no game process and no run cgroup outlives it.

    A test that closes a player without awaiting its stop leaves the run to a loop that is about
    to close; its cgroup then stays until the process exits, and the next test to count cgroups
    (the attack suite's) fails for it.
    """
    before = set(game_processes(os.getpid())), set(run_cgroups(os.getpid()))
    yield
    for _ in range(100):  # a stopped game's tree takes a moment to be reaped
        games = set(game_processes(os.getpid())) - before[0]
        cgroups = set(run_cgroups(os.getpid())) - before[1]
        if not games and not cgroups:
            break
        time.sleep(0.05)
    assert (games, cgroups) == (set(), set()), "a game (or its cgroup) outlived the test"


@pytest.fixture
async def make_session():
    sessions: list[GameSession] = []

    def make(game: str, **kwargs) -> GameSession:
        session = GameSession(GAMES / game, **kwargs)  # the production launcher
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        await session.stop()


def key(code: str, down: bool, key_name: str = "", **mods) -> dict:
    return {"t": "key", "down": down, "code": code, "key": key_name or code, "mods": mods}
