"""The 运行 button through the widget's command handler, in-process, with the real launcher.

No display: 运行 shows the player in the card (its model id in ``project.player_model``), the
game runs in the sandbox, and the mechanism is named. A learner's edit that breaks the rules is
refused with the findings in the learner's language and nothing starts. On a desktop the card
offers 在窗口中运行 (``{window: true}``: the launcher with headless=False); on JupyterHub it
does not, even when the server has a DISPLAY.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from codeflow_widget.widget.lesson_view import CodeFlow
from tests.play.conftest import GAMES
from tests.play.procs import game_processes
from tests.waiting import until

HELLO = "print('hello from the window run')\n"


class Wire:
    def __init__(self, widget: CodeFlow) -> None:
        self.sent: list[dict] = []
        widget._send_msg = lambda content, buffers=None: self.sent.append(content)

    def response(self, cid: str) -> dict:
        return next(c for c in self.sent if c.get("kind") == "response" and c.get("id") == cid)


def card_for(widget: CodeFlow, folder: Path) -> None:
    widget.project = {"path": str(folder), "main_file": "main.py", "dependencies": ["pygame"]}


def project(tmp_path: Path, source: Path | None = None, text: str = "") -> Path:
    folder = tmp_path / "game"
    folder.mkdir()
    if source is not None:
        shutil.copy(source / "main.py", folder / "main.py")
    else:
        (folder / "main.py").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def no_display(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "JUPYTERHUB_USER", "COLAB_RELEASE_TAG"):
        monkeypatch.delenv(name, raising=False)


async def test_run_without_a_display_shows_the_player_in_the_card(no_display, tmp_path):
    import os

    widget = CodeFlow()
    wire = Wire(widget)
    card_for(widget, project(tmp_path, GAMES / "square"))
    widget._handle_command({"kind": "run_project", "id": "r1"})
    result = wire.response("r1")["result"]
    player = widget._player
    assert result["player_model"] == player.model_id == widget.project["player_model"]
    assert result["window"] is False and result["sandbox"]["isolated"] is True
    assert widget.run_status == "playing"
    assert widget.run_output.startswith("沙箱：已隔离：")
    assert "没有图形界面" not in widget.run_output  # no more 运行正常 dead end
    assert await until(lambda: player.state == "running"), player.message
    assert player.session.mechanism.isolated
    assert game_processes(os.getpid(), roots_only=True) != []
    widget.close()  # closing the lesson view ends the game
    assert await until(lambda: game_processes(os.getpid()) == [])


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_learner_edit_that_breaks_the_rules_is_refused_before_anything_runs(
    no_display, tmp_path, lang
):
    import os

    widget = CodeFlow(language=lang)
    wire = Wire(widget)
    folder = project(tmp_path, GAMES / "square")
    with open(folder / "main.py", "a", encoding="utf-8") as fh:
        fh.write("\nimport socket\nsocket.socket().connect(('127.0.0.1', 9))\n")
    card_for(widget, folder)
    widget._handle_command({"kind": "run_project", "id": "r1"})
    reply = wire.response("r1")
    assert "result" not in reply and widget._player is None
    assert widget.run_status == "failed"
    head = "没有通过运行前的检查" if lang == "zh" else "did not pass the checks before running"
    assert head in widget.run_output and "main.py:" in widget.run_output
    assert "socket" in widget.run_output and reply["error"] == widget.run_output
    assert ("不能导入" in widget.run_output) == (lang == "zh")
    await asyncio.sleep(0.3)
    assert game_processes(os.getpid()) == []


async def test_a_desktop_offers_the_window_and_runs_it_through_the_launcher(monkeypatch, tmp_path):
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    widget = CodeFlow()
    wire = Wire(widget)
    card_for(widget, project(tmp_path, text=HELLO))
    widget._handle_command({"kind": "run_project", "id": "r1"})
    assert wire.response("r1")["result"]["window"] is True
    widget._handle_command({"kind": "run_project", "id": "w1", "window": True})
    await asyncio.wait_for(widget._run_task, 30)
    assert widget.run_status == "ok", widget.run_output
    lines = widget.run_output.splitlines()
    assert lines[0].startswith("沙箱：已隔离：") and "hello from the window run" in lines
    assert wire.response("w1")["result"]["ok"] is True
    widget.close()


async def test_jupyterhub_never_offers_a_window_even_with_a_display(monkeypatch, tmp_path):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("JUPYTERHUB_USER", "learner1")
    widget = CodeFlow()
    wire = Wire(widget)
    card_for(widget, project(tmp_path, text=HELLO))
    widget._handle_command({"kind": "run_project", "id": "w1", "window": True})
    assert wire.response("w1")["result"]["window"] is False  # the player, not a window
    assert widget._player is not None and widget._run_task is None
    widget.close()
