"""How a game session ends: the crash report, and the seatbelts that leave no process behind.

``crash_report`` turns the game's last stderr into what the crash view shows: its traceback
(from the last "Traceback" on, redacted by the launcher) and a sentence in the learner's
language. ``LIVE`` holds every session still running; at interpreter exit (kernel shutdown or
restart) each is killed synchronously — the launcher also kills the tree when this process
dies, so this is the second of two belts. ``owner_gone`` is what a session's owner (the player
widget) being garbage-collected triggers. ``WORDS`` are the sentences a session puts in its
``message`` when a game ends, crashes or is stopped for want of a view, in Chinese and English
(``model/catalogue/game_session.json``).
"""

from __future__ import annotations

import asyncio
import atexit
import weakref
from collections.abc import Callable
from typing import Any

from ..model.messages import by_language, table

WORDS = by_language(table("game_session"))
LIVE: weakref.WeakSet[Any] = weakref.WeakSet()
# Stops under way. The event loop holds tasks only weakly: a stop nobody holds could be
# collected half-way, leaving the game running.
_STOPS: set[asyncio.Future] = set()


def crash_report(
    stderr: str, code: int, redact: Callable[[str], str], language: str
) -> tuple[str, str, str]:
    """(state, message, traceback) for a game that exited with ``code``."""
    words = WORDS[language]
    if code == 0:
        return "ended", words["ended"].format(code=code), ""
    start = stderr.rfind("Traceback (most recent call last)")
    shown = stderr[start:] if start >= 0 else stderr[-4000:]
    traceback = redact(shown).strip()
    message = words["crashed"] if traceback else words["no_traceback"].format(code=code)
    return "crashed", message, traceback


def owner_gone(ref: weakref.ref) -> None:
    """The session's owner was collected: stop the game (now, if no loop is running)."""
    session = ref()
    if session is None or session._running is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # no loop running (interpreter exit): kill synchronously
        stop_now(session)
        return
    stop_soon(session)


def stop_soon(session: Any) -> asyncio.Future:
    """Start ``session.stop()`` without awaiting it, and hold the task until it ends.

    The stop under way is ``session.stopping`` (the same one until it is done), for whoever
    wants to await it.
    """
    if session.stopping is None or session.stopping.done():
        session.stopping = asyncio.ensure_future(session.stop())
        _STOPS.add(session.stopping)
        session.stopping.add_done_callback(_STOPS.discard)
    return session.stopping


def stop_now(session: Any) -> None:
    running = session._running
    # At exit there may be no loop to await stop() on: the launcher's synchronous kill of the
    # whole tree is enough (its run folder is cleaned by the launcher's own exit handling).
    kill = getattr(running, "_kill", None)
    if callable(kill):
        kill()
        return
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(session.stop())
    except Exception:  # noqa: BLE001 - best effort at exit; the launcher's seatbelt remains
        pass
    finally:
        loop.close()


@atexit.register
def stop_all() -> None:
    for session in list(LIVE):
        if session._running is not None:
            stop_now(session)
