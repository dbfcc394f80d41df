"""The player widget's traits and messages, without a browser (anywidget's comm is replaced by a
list of sent messages); the game itself runs for real through the launcher."""

from __future__ import annotations

import asyncio
import os

import pytest

from codeflow_widget import play
from codeflow_widget.widget.player import Player
from tests.waiting import until

from .conftest import GAMES
from .procs import game_processes


class Sent(list):
    def __call__(self, content, buffers=None):
        self.append((content, buffers or []))


def capture(player: Player) -> Sent:
    sent = Sent()
    player.send = sent
    return sent


def message(player: Player, content: dict) -> None:
    player._on_msg(player, content, [])


async def test_frames_go_out_as_binary_buffers_once_a_view_attaches_and_acks_flow_back():
    player = play(GAMES / "dirty")
    sent = capture(player)
    try:
        assert await until(lambda: player.state == "running")
        await asyncio.sleep(0.3)
        assert not [c for c, _ in sent if c.get("t") == "frame"]  # no view yet: nothing sent
        message(player, {"t": "attach", "view": "v1"})
        assert await until(lambda: any(c.get("t") == "frame" for c, _ in sent)), (
            player.session.stats,
            "".join(player.session._stderr)[-2000:],
        )
        frames = [(c, b) for c, b in sent if c.get("t") == "frame"]
        content, buffers = frames[0]
        assert content["seq"] >= 1 and content["fmt"] in ("png", "jpeg")
        assert bytes(buffers[0][:4]) in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1")
        await asyncio.sleep(0.3)
        assert len([c for c, _ in sent if c.get("t") == "frame"]) == 2  # nothing acked: 2 max
        for c, _ in list(sent):
            if c.get("t") == "frame":
                message(player, {"t": "ack", "seq": c["seq"], "view": "v1"})
        assert await until(lambda: len([c for c, _ in sent if c.get("t") == "frame"]) > 2)
    finally:
        player.close()
    assert await until(lambda: player.session._running is None)


async def test_commands_are_answered_with_their_id_and_unknown_ones_with_an_error():
    player = play(GAMES / "square")
    sent = capture(player)
    try:
        assert await until(lambda: player.state == "running")
        message(player, {"t": "cmd", "id": "c1", "name": "pause"})
        assert player.state == "paused"
        message(player, {"t": "cmd", "id": "c2", "name": "resume"})
        assert player.state == "running"
        message(player, {"t": "cmd", "id": "c3", "name": "explode"})
        message(player, {"t": "ping", "id": 9, "sent": 1.5})
        replies = [c for c, _ in sent if c.get("t") in ("reply", "pong")]
        assert replies[0] == {"t": "reply", "id": "c1"}
        assert replies[1] == {"t": "reply", "id": "c2"}
        assert replies[2]["id"] == "c3" and "explode" in replies[2]["error"]
        assert replies[3] == {"t": "pong", "id": 9, "sent": 1.5}
        message(player, {"t": "cmd", "id": "c4", "name": "stop"})
        assert await until(lambda: player.state == "stopped")
    finally:
        player.close()


async def test_a_crash_lands_in_the_traceback_trait_in_english_when_asked():
    player = play(GAMES / "square", language="en")
    sent = capture(player)
    try:
        message(player, {"t": "attach", "view": "v1"})
        assert await until(lambda: any(c.get("t") == "frame" for c, _ in sent))  # game is up
        message(player, {"t": "key", "down": True, "code": "KeyC", "key": "c", "mods": {}})
        assert await until(lambda: player.state == "crashed")
        assert "ZeroDivisionError" in player.traceback
        assert player.message.startswith("The game stopped with an error")
    finally:
        player.close()


@pytest.mark.parametrize(
    ("language", "words"), [("zh", "找不到项目文件夹"), ("en", "Project folder not found")]
)
async def test_a_missing_project_is_a_clear_message_not_a_traceback(tmp_path, language, words):
    player = play(tmp_path / "nowhere", language=language)
    assert player.state == "error"
    assert words in player.message
    player.close()


async def test_the_view_gets_its_words_from_the_kernel_in_the_players_language(tmp_path):
    player = play(tmp_path / "nowhere", language="zh")
    assert player.texts["hint"] == "点击画面开始玩 · 点击外面退出"
    assert player.texts["restart"] == "重新开始"
    player.language = "en"
    assert player.texts["restart"] == "Restart"
    assert set(player.texts) >= {"hint", "playing", "pause", "resume", "stop", "fps", "crashed"}
    player.close()


async def test_a_folder_without_main_py_is_named(tmp_path):
    player = play(tmp_path)
    assert player.state == "error" and "main.py" in player.message
    player.close()


def test_unknown_keyword_arguments_get_a_helpful_type_error():
    with pytest.raises(TypeError, match="language"):
        Player(GAMES / "square", colour="red")


async def test_a_view_that_stops_saying_alive_counts_as_gone(monkeypatch):
    import codeflow_widget.widget.player as module

    monkeypatch.setattr(module, "VIEW_STALE_S", 0.5)
    player = play(GAMES / "square")
    capture(player)
    try:
        assert await until(lambda: player.state == "running")
        message(player, {"t": "attach", "view": "v1"})
        assert player.session._unviewed_since is None
        assert await until(lambda: player.session._unviewed_since is not None, timeout=5)
    finally:
        player.close()
        await asyncio.wait_for(player.stopping, 15)


async def test_closing_starts_a_stop_to_await_and_once_it_is_done_the_game_is_gone():
    player = play(GAMES / "square")
    assert await until(lambda: player.state == "running")
    pids = set(game_processes(os.getpid()))
    assert pids
    player.close()
    assert player.stopping is not None and not player.stopping.done()
    await asyncio.wait_for(player.stopping, 15)
    assert not pids & set(game_processes(os.getpid()))
