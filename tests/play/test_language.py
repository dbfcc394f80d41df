"""Which language the player speaks: an explicit argument wins, else the configuration.

``play(dir)`` without ``language`` follows ``CODEFLOW_LANGUAGE`` and then ``codeflow.json`` (as
the lesson view does), Chinese when nothing is configured. Checked through the words the
learner sees: a project folder that does not exist gives the player's message at once,
without starting a game.
"""

from __future__ import annotations

import json

import pytest

from codeflow_widget import play
from codeflow_widget.play.session import GameSession

from .conftest import GAMES

MISSING = "/nonexistent/codeflow-player-project"


@pytest.fixture
def nothing_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("CODEFLOW_LANGUAGE", raising=False)
    monkeypatch.delenv("CODEFLOW_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no ./codeflow.json
    return tmp_path


def shown(player) -> tuple[str, str]:
    try:
        return player.language, player.message
    finally:
        player.close()


def test_nothing_configured_means_chinese(nothing_configured):
    language, message = shown(play(MISSING))
    assert language == "zh"
    assert message.startswith("找不到项目文件夹")


def test_the_environment_language_is_followed(nothing_configured, monkeypatch):
    monkeypatch.setenv("CODEFLOW_LANGUAGE", "en")
    language, message = shown(play(MISSING))
    assert language == "en"
    assert message.startswith("Project folder not found")


def test_codeflow_json_language_is_followed(nothing_configured):
    (nothing_configured / "codeflow.json").write_text(
        json.dumps({"provider": "offline", "language": "en"}), encoding="utf-8"
    )
    language, message = shown(play(MISSING))
    assert language == "en"
    assert message.startswith("Project folder not found")


def test_a_config_that_does_not_validate_still_gives_its_language(nothing_configured):
    (nothing_configured / "codeflow.json").write_text(
        json.dumps({"language": "en", "timeout_s": -5}), encoding="utf-8"
    )
    language, _ = shown(play(MISSING))
    assert language == "en"


def test_an_explicit_argument_overrides_the_configuration(nothing_configured, monkeypatch):
    monkeypatch.setenv("CODEFLOW_LANGUAGE", "en")
    language, message = shown(play(MISSING, language="zh"))
    assert (language, message[:8]) == ("zh", "找不到项目文件夹")
    monkeypatch.setenv("CODEFLOW_LANGUAGE", "zh")
    assert shown(play(MISSING, language="en"))[0] == "en"


def test_the_session_follows_the_configuration_too(nothing_configured, monkeypatch):
    monkeypatch.setenv("CODEFLOW_LANGUAGE", "en")
    assert GameSession(GAMES / "square").language == "en"
    assert GameSession(GAMES / "square", language="zh").language == "zh"
