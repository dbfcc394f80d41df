"""pytest fixtures for the loopback model server; ``tests/conftest.py`` imports them.

``fake_llm`` starts a ``FakeLLMServer`` on a free port (MiniMax format, no delay)
and stops it after the test::

    def test_something(fake_llm):
        fake_llm.fault("status=429,times=1,retry_after=0")
        settings = Settings(provider="custom", base_url=fake_llm.base_url, model="m")
        ...
        assert len(fake_llm.chat_requests()) == 2

``fake_llm_factory`` builds more servers with other options (format, chunk size,
delay, cumulative reasoning, a missing ``<think>`` tag, a required key).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .server import FakeLLMServer


@pytest.fixture
def fake_llm_factory() -> Iterator[Callable[..., FakeLLMServer]]:
    servers: list[FakeLLMServer] = []

    def make(format: str = "minimax", **options: Any) -> FakeLLMServer:
        server = FakeLLMServer(format, **options).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def fake_llm(fake_llm_factory: Callable[..., FakeLLMServer]) -> FakeLLMServer:
    return fake_llm_factory()
