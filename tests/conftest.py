"""Shared fixtures: every test runs in its own folder with a clean environment."""

from __future__ import annotations

import os

import pytest

from codeflow_widget.config import load_settings
from codeflow_widget.flow.breaker import reset_breakers

pytest_plugins = ["tests.fakes.fixtures"]

SECRET_ENV = ("CODEFLOW_API_KEY", "MINIMAX_API_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """A fresh working folder, no stray configuration or keys, headless SDL, fresh breakers."""
    for name in list(os.environ):
        if name.startswith("CODEFLOW_") or name in SECRET_ENV:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEFLOW_PROJECTS_DIR", str(tmp_path / "projects"))
    monkeypatch.setenv("CODEFLOW_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    reset_breakers()
    yield tmp_path
    reset_breakers()


@pytest.fixture
def fast_settings(isolated):
    """Offline provider at instant pace, short smoke run, no backoff."""
    return load_settings(offline_pace=0, smoke_timeout_s=2, backoff_s=0)
