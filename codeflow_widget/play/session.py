"""GameSession: one learner's game being played, seen from the kernel.

It starts the program through the sandbox launcher with the capture shim as its wrapper, then
relays: frames from the shim's channel to the attached view (a callback), acknowledgements and
input from the view back to the shim. Everything is asyncio on the kernel's own loop and nothing
waits on the game, so other cells keep running while a game plays. It ends the process on
``stop()``, when its owner (the player widget) is garbage-collected, when no view has been
attached for ``idle_timeout_s`` (60 s), and at interpreter exit; a crash keeps the game's
traceback, redacted, for the crash view. Starting (and the language rule) is ``launching.py``;
ending (crash report, sentences, seatbelts, ``stop_soon``) is ``ending.py``.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from .ending import LIVE, WORDS, crash_report, owner_gone, stop_soon
from .launching import SHIM, configured_language, default_launch
from .protocol import ProtocolError, pack, read_message

__all__ = ["SHIM", "GameSession"]

FrameCallback = Callable[[dict, bytes], None]
StateCallback = Callable[[str], None]
STDERR_KEEP = 20_000
INPUT_KINDS = ("key", "mouse", "text", "line")
MAX_COVERED = 32  # the largest window the shim accepts (CODEFLOW_PLAY_MAX_IN_FLIGHT)


class GameSession:
    """start/pause/resume/restart/stop one game; frames to ``on_frame``, input to the game."""

    def __init__(
        self,
        project_dir: str | Path,
        language: str | None = None,
        *,
        entry: str = "main.py",
        owner: object | None = None,
        idle_timeout_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        launcher: Callable[..., Awaitable[Any]] | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.project_dir = Path(project_dir)
        self.language = configured_language(language)
        self.entry = entry
        self.idle_timeout_s = idle_timeout_s
        self.clock = clock
        self.extra_env = dict(extra_env or {})
        self._launch = launcher
        self.state = "idle"  # idle starting running paused ended crashed stopped
        self.message = ""
        self.traceback = ""
        self.exit_code: int | None = None
        self.mechanism: Any = None
        self.size: tuple[int, int] | None = None
        self.codec: dict = {}
        self.stats = {
            "frames_in": 0,
            "frames_out": 0,
            "bytes_out": 0,
            "acks": 0,
            "dropped": 0,
            "ack_ms_sum": 0.0,  # frame relayed → its ack back in the kernel, summed
            "ack_up_ms_sum": 0.0,  # the view sent an ack → the kernel has it (wall clocks)
            "ack_up_n": 0,
            "last_seq": 0,  # the newest frame relayed
            "last_acked": 0,  # the newest frame the view acknowledged (acks are cumulative)
        }
        self._relayed_at: dict[int, float] = {}
        self._running: Any = None
        self._tasks: list[asyncio.Task] = []
        self._views: dict[int, FrameCallback] = {}
        self._state_listeners: list[StateCallback] = []
        self._unviewed_since: float | None = self.clock()
        self._stderr: deque[str] = deque()
        self._stderr_len = 0
        self._frame_times: deque[float] = deque(maxlen=120)
        self._stopping = False
        self.stopping: asyncio.Future | None = None  # the stop stop_soon() started
        self._generation = 0
        LIVE.add(self)
        if owner is not None:
            weakref.finalize(owner, owner_gone, weakref.ref(self))

    # ---- lifecycle

    async def start(self) -> None:
        if self._running is not None:
            return
        self._generation += 1
        self._stopping = False
        self.traceback = self.message = ""
        self.exit_code = None
        self._stderr.clear()
        self._stderr_len = 0
        self.stats["last_seq"] = self.stats["last_acked"] = 0  # a new process counts from 1
        self._set_state("starting")
        launch = self._launch or default_launch()
        env = {"PYGAME_HIDE_SUPPORT_PROMPT": "1", **self.extra_env}
        self._running = await launch(self.project_dir, self.entry, self.language, env)
        self.mechanism = getattr(self._running, "mechanism", None)
        generation = self._generation
        self._tasks = [
            asyncio.ensure_future(self._relay_frames(self._running)),
            asyncio.ensure_future(self._drain_stderr(self._running)),
            asyncio.ensure_future(self._watch_exit(self._running, generation)),
            asyncio.ensure_future(self._watch_idle(generation)),
        ]
        self._set_state("running")
        if self._views:
            self._send({"t": "keyframe"})

    async def stop(self) -> None:
        """End the game's whole process tree (idempotent)."""
        self._stopping = True
        running, self._running = self._running, None
        if running is not None:
            await running.stop()
            if self.state not in ("crashed", "ended"):
                self._set_state("stopped")
        for task in self._tasks:
            if task is not asyncio.current_task():
                task.cancel()
        self._tasks = []

    def stop_soon(self) -> asyncio.Future:
        """``stop()`` from code that cannot await (a widget's close, a button): ``stopping``."""
        return stop_soon(self)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def pause(self) -> None:
        if self.state == "running":
            self._send({"t": "pause"})
            self._set_state("paused")

    def resume(self) -> None:
        if self.state == "paused":
            self._send({"t": "resume"})
            self._set_state("running")

    @property
    def alive(self) -> bool:
        return self._running is not None

    # ---- views and input

    def attach_view(self, view_id: int, on_frame: FrameCallback) -> None:
        self._views[view_id] = on_frame
        self._unviewed_since = None
        self.stats["last_acked"] = self.stats["last_seq"]  # frames before it will not be acked
        self._send({"t": "keyframe"})  # a new view needs the whole picture

    def detach_view(self, view_id: int) -> None:
        self._views.pop(view_id, None)
        if not self._views:
            self._unviewed_since = self.clock()

    def on_state(self, listener: StateCallback) -> None:
        self._state_listeners.append(listener)

    def ack(
        self,
        seq: int,
        busy_ms: float | None = None,
        sent: float | None = None,
        every_ms: float | None = None,
    ) -> None:
        """The view drew frame ``seq`` (``busy_ms`` decoding and painting it; ``every_ms``: its
        spacing between acks, which the shim's window must cover; ``sent``: the view's wall
        clock when it sent this ack, for the benchmark's breakdown)."""
        self.stats["acks"] += 1
        seq = int(seq)
        # One ack may cover several frames: each counts for the fps figure.
        covered = max(0, min(seq - self.stats["last_acked"], MAX_COVERED))
        self.stats["last_acked"] = max(self.stats["last_acked"], seq)
        relayed = self._relayed_at.pop(int(seq), None)
        if relayed is not None:
            self.stats["ack_ms_sum"] += (time.monotonic() - relayed) * 1000
        if isinstance(sent, (int, float)) and sent > 0:
            self.stats["ack_up_ms_sum"] += time.time() * 1000 - float(sent)
            self.stats["ack_up_n"] += 1
        now = self.clock()
        self._frame_times.extend([now] * covered)
        message: dict = {"t": "ack", "seq": int(seq)}
        if isinstance(busy_ms, (int, float)):
            message["busy"] = round(float(busy_ms), 1)
        if isinstance(every_ms, (int, float)):
            message["every"] = round(float(every_ms), 1)
        self._send(message)

    def send_input(self, message: dict) -> None:
        """A key/mouse/text message from the view (ignored while paused or not running)."""
        if self.state == "running" and message.get("t") in INPUT_KINDS:
            self._send(message)

    @property
    def fps(self) -> float:
        """Frames the views acknowledged per second, over the last three seconds."""
        now = self.clock()
        times = [t for t in self._frame_times if t >= now - 3.0]
        if len(times) < 2 or times[-1] <= times[0]:
            return 0.0
        return (len(times) - 1) / max(times[-1] - times[0], 0.2)

    def check_idle(self) -> bool:
        """True (and the game is being stopped) when no view has been attached for too long."""
        since = self._unviewed_since
        if self._running is None or since is None or self.clock() - since < self.idle_timeout_s:
            return False
        self.message = WORDS[self.language]["idle"].format(s=int(self.idle_timeout_s))
        self.stop_soon()
        return True

    # ---- inside

    def _send(self, message: dict) -> None:
        running = self._running
        stdin = getattr(running, "stdin", None)
        if stdin is None or stdin.is_closing():
            return
        stdin.write(pack(message))

    def _set_state(self, state: str) -> None:
        self.state = state
        for listener in list(self._state_listeners):
            listener(state)

    async def _relay_frames(self, running: Any) -> None:
        try:
            while True:
                message = await read_message(running.stdout)
                if message is None:
                    return
                header, payload = message
                kind = header.get("t")
                if kind == "frame":
                    self.stats["frames_in"] += 1
                    self.stats["last_seq"] = int(header.get("seq", 0))
                    self.stats["dropped"] = int(header.get("dropped", 0))
                    if self._views:
                        if len(self._relayed_at) > MAX_COVERED:  # acks lost with a view gone
                            self._relayed_at.clear()
                        self._relayed_at[int(header.get("seq", 0))] = time.monotonic()
                        header["kt"] = time.time()  # wall clock: shim → kernel in the breakdown
                    for on_frame in list(self._views.values()):
                        on_frame(header, payload)
                        self.stats["frames_out"] += 1
                        self.stats["bytes_out"] += len(payload)
                elif kind == "size":
                    self.size = (int(header["w"]), int(header["h"]))
                elif kind == "codec":
                    self.codec = header
        except ProtocolError as exc:
            self._stderr_append(f"\n[player] {exc}\n")

    async def _drain_stderr(self, running: Any) -> None:
        # Always read, so a chatty game never blocks on a full pipe.
        while True:
            chunk = await running.stderr.read(65536)
            if not chunk:
                return
            self._stderr_append(chunk.decode("utf-8", errors="replace"))

    def _stderr_append(self, text: str) -> None:
        self._stderr.append(text)
        self._stderr_len += len(text)
        while self._stderr_len > STDERR_KEEP and len(self._stderr) > 1:
            self._stderr_len -= len(self._stderr.popleft())

    async def _watch_exit(self, running: Any, generation: int) -> None:
        code = await running.wait()
        await asyncio.sleep(0.05)  # let the stderr reader take the last words
        if generation != self._generation:
            return
        self.exit_code = code
        if self._running is running:
            self._running = None
        if self._stopping:
            return
        state, self.message, self.traceback = crash_report(
            "".join(self._stderr), code, running.redact, self.language
        )
        self._set_state(state)

    async def _watch_idle(self, generation: int, poll_s: float = 1.0) -> None:
        while generation == self._generation and self._running is not None:
            await asyncio.sleep(poll_s)
            if self.check_idle():
                return
