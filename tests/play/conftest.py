"""Fixtures for the player tests: the game launcher and a fake view that composes frames."""

from __future__ import annotations

import asyncio
import io
import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame  # noqa: E402

from codeflow_widget.play.session import SHIM, GameSession  # noqa: E402

GAMES = Path(__file__).parent / "games"


def _launcher():
    import importlib.util

    if importlib.util.find_spec("codeflow_widget.sandbox.launcher") is None:  # until it lands
        from .standin import launch as standin

        async def start_standin(project_dir, entry, language, extra_env):
            return await standin(project_dir, entry, language, extra_env, SHIM)

        return start_standin
    from codeflow_widget.sandbox import RunSpec, launch

    async def start(project_dir, entry, language, extra_env):
        return await launch(
            RunSpec(
                source_dir=project_dir,
                entry=entry,
                wrapper=SHIM,
                timeout_s=None,
                stdin_pipe=True,
                language=language,
                extra_env=extra_env,
            )
        )

    return start


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


@pytest.fixture
def launcher():
    return _launcher()


@pytest.fixture
async def make_session(launcher):
    sessions: list[GameSession] = []

    def make(game: str, **kwargs) -> GameSession:
        session = GameSession(GAMES / game, launcher=launcher, **kwargs)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        await session.stop()


def key(code: str, down: bool, key_name: str = "", **mods) -> dict:
    return {"t": "key", "down": down, "code": code, "key": key_name or code, "mods": mods}
