"""GameSession's lifecycle: every way a game can end leaves no process behind.

Processes are looked up in /proc: descendants of this test process running the capture shim
(the sandbox may put the game in its own pid namespace, so the shim's own pid means nothing here).
"""

from __future__ import annotations

import asyncio
import gc
import os

from codeflow_widget.play.session import GameSession
from tests.waiting import until

from .conftest import GAMES, View
from .procs import game_processes


def alive(pids: frozenset[int]) -> bool:
    """Any of the game's processes (the sandbox may add its own around the game) still alive."""
    return bool(pids & set(game_processes(os.getpid())))


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def game_pid(session: GameSession, known: frozenset[int] = frozenset()) -> frozenset[int]:
    """The processes of the game just started under this test process."""
    assert await until(lambda: session._running is not None)
    assert await until(lambda: bool(set(game_processes(os.getpid())) - known))
    await asyncio.sleep(0.3)  # the sandbox's processes and the game's are all up by now
    return frozenset(set(game_processes(os.getpid())) - known)


async def test_stop_ends_the_process_and_is_idempotent(make_session):
    session = make_session("square")
    await session.start()
    pid = await game_pid(session)
    await session.stop()
    assert await until(lambda: not alive(pid))
    assert session.state == "stopped"
    await session.stop()
    assert session.state == "stopped"


async def test_the_owner_going_away_ends_the_game():
    class Owner:
        pass

    owner = Owner()
    session = GameSession(GAMES / "square", owner=owner)
    await session.start()
    pid = await game_pid(session)
    del owner
    gc.collect()
    assert await until(lambda: not alive(pid))
    assert session._running is None
    await asyncio.wait_for(session.stopping, 15)  # the launcher's cleanup, cgroup and all


async def test_sixty_seconds_without_a_view_ends_the_game(make_session):
    clock = FakeClock()
    session = make_session("square", clock=clock)
    view = View(session)
    session.attach_view(1, view)
    await session.start()
    pid = await game_pid(session)
    session.detach_view(1)
    clock.now += 59.0
    assert session.check_idle() is False
    assert alive(pid)
    session.attach_view(2, view)  # a view came back: the count starts again when it leaves
    clock.now += 120.0
    assert session.check_idle() is False
    session.detach_view(2)
    clock.now += 60.0
    assert session.check_idle() is True
    assert await until(lambda: not alive(pid))
    assert "60" in session.message


async def test_a_session_started_without_any_view_is_idle_from_the_start(make_session):
    clock = FakeClock()
    session = make_session("square", clock=clock)
    await session.start()
    pid = await game_pid(session)
    clock.now += 61.0
    assert session.check_idle() is True
    assert await until(lambda: not alive(pid))


async def test_restart_replaces_the_process(make_session):
    session = make_session("square")
    view = View(session)
    session.attach_view(1, view)
    await session.start()
    first = await game_pid(session)
    await session.restart()
    second = await game_pid(session, known=first)
    assert not first & second
    assert await until(lambda: not alive(first))
    assert alive(second) and session.state == "running"
    await session.stop()
    assert await until(lambda: not alive(second))


async def test_pause_freezes_the_picture_and_resume_continues(make_session):
    session = make_session("dirty")
    view = View(session)
    session.attach_view(1, view)
    await session.start()
    assert await until(lambda: len(view.headers) > 5)
    session.pause()
    await asyncio.sleep(0.3)
    frozen = len(view.headers)
    await asyncio.sleep(0.5)
    assert len(view.headers) <= frozen + 1  # at most the frame already being drawn
    assert session.state == "paused"
    session.resume()
    assert await until(lambda: len(view.headers) > frozen + 10)
    await session.stop()


async def test_a_game_that_quits_by_itself_ends_cleanly(make_session):
    session = make_session("square")
    view = View(session)
    session.attach_view(1, view)
    await session.start()
    await view.wait_for(lambda v: True, what="a frame")
    session.send_input({"t": "key", "down": True, "code": "Escape", "key": "Escape", "mods": {}})
    assert await until(lambda: session.state == "ended")
    assert session.exit_code == 0 and session.traceback == ""
    assert "结束" in session.message


def test_an_ack_carries_the_views_busy_time_and_ack_spacing_on_to_the_shim(tmp_path):
    session = GameSession(tmp_path)
    sent: list[dict] = []
    session._send = sent.append  # what would be written to the shim's stdin
    session.ack(3, busy_ms=5.04, every_ms=100)
    session.ack(4)
    assert sent == [{"t": "ack", "seq": 3, "busy": 5.0, "every": 100.0}, {"t": "ack", "seq": 4}]


async def test_one_cumulative_ack_counts_every_frame_it_covers_and_the_shim_gets_it(make_session):
    session = make_session("dirty")  # changes every frame, at 60 fps
    view = View(session, ack=False)
    session.attach_view(1, view)
    await session.start()
    assert await until(lambda: len(view.headers) >= 2)
    session.ack(2, busy_ms=5.0)  # one ack for frames 1 and 2
    assert session.stats["last_acked"] == 2 and session.stats["acks"] == 1
    assert len(session._frame_times) == 2
    assert await until(lambda: len(view.headers) >= 3)  # the shim moved its window on
    await session.stop()
