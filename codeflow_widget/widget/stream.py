"""Streaming text from the kernel to the view: deltas batched, numbered and caught up.

A model streams thinking and answer text in thousands of tiny deltas; a traitlet
would resend its whole value on every one of them. ``DeltaBatcher`` buffers the
deltas and sends one custom message ``{"kind": "deltas", "seq", "items"}`` per
interval (at most ~20 a second), joining consecutive deltas of the same phase and
kind into one item. Every stream message — deltas or a ``reset`` — carries the next
sequence number, so a view can tell which messages it has already seen.
``LiveText`` keeps the full text of each phase so far next to the batcher: the
widget syncs it to a trait at the end of a phase, and a view that appears
mid-stream gets it from ``catch_up()`` with the sequence number it is valid for.
Nothing here knows about widgets or the flow, so it can be tested and benchmarked alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

FLUSH_INTERVAL_S = 0.05  # ≤ 20 delta messages per second per widget
KINDS = ("thinking", "content")


class DeltaBatcher:
    """Coalesce streaming deltas into at most one message per ``interval_s``.

    Leading-edge throttle: after a quiet spell the first delta goes out on the next
    loop turn; while deltas keep coming they leave together once per interval.
    Consecutive deltas of the same phase and kind are joined into one item.
    """

    def __init__(
        self,
        send: Callable[[dict], None],
        interval_s: float = FLUSH_INTERVAL_S,
        *,
        timing: bool = False,
    ):
        self._send = send
        self.interval_s = interval_s
        self.timing = timing  # add the oldest delta's wall time ("t") for latency measurement
        self.seq = 0
        self._items: list[tuple[str, str, list[str]]] = []
        self._first_wall = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self._last_flush = float("-inf")
        self.on_flush: Callable[[int], None] | None = None  # benchmark hook: number of deltas sent

    def add(self, phase: str, kind: str, text: str) -> None:
        if not text:
            return
        if self._items and self._items[-1][0] == phase and self._items[-1][1] == kind:
            self._items[-1][2].append(text)
        else:
            if not self._items:
                self._first_wall = time.time()
            self._items.append((phase, kind, [text]))
        if self._handle is None:
            self._schedule()

    def _schedule(self) -> None:
        import asyncio  # here, not at the top: importing the widget need not load asyncio

        delay = max(0.0, self._last_flush + self.interval_s - time.monotonic())
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (a plain script): flush when due, the rest at phase end
            if delay == 0.0:
                self.flush()
            return
        self._handle = loop.call_later(delay, self.flush)

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if not self._items:
            return
        items = [[phase, kind, "".join(parts)] for phase, kind, parts in self._items]
        count = sum(len(parts) for _, _, parts in self._items)
        self._items = []
        self.seq += 1
        msg: dict[str, Any] = {"kind": "deltas", "seq": self.seq, "items": items}
        if self.timing:
            msg["t"] = self._first_wall
        self._last_flush = time.monotonic()
        self._send(msg)
        if self.on_flush is not None:
            self.on_flush(count)

    def next_seq(self) -> int:
        """A sequence number for a non-delta stream message (reset), after a flush."""
        self.flush()
        self.seq += 1
        return self.seq


class LiveText:
    """Each phase's thinking and answer text so far, and the batcher that streams it.

    ``add`` records a delta and hands it to the batcher; ``restart`` forgets phases
    and tells the view to forget them too (a ``reset`` message in the same sequence).
    """

    def __init__(
        self,
        send: Callable[[dict], None],
        phases: Iterable[str],
        *,
        interval_s: float = FLUSH_INTERVAL_S,
        timing: bool = False,
    ) -> None:
        self._send = send
        self.phases = tuple(phases)
        self.batcher = DeltaBatcher(send, interval_s, timing=timing)
        self._parts: dict[str, dict[str, list[str]]] = {}
        self.clear()

    def add(self, phase: str, kind: str, text: str) -> None:
        self._parts[phase][kind].append(text)  # KeyError: a delta for a phase never started
        self.batcher.add(phase, kind, text)

    def clear(self, phase: str | None = None) -> None:
        """Forget one phase's text (a new attempt begins), or everything (a new run)."""
        if phase is None:
            self._parts = {name: {kind: [] for kind in KINDS} for name in self.phases}
        else:
            self._parts[phase] = {kind: [] for kind in KINDS}

    def restart(self, phase: str | None = None) -> None:
        """Forget one phase, or all, here and in the view: buffered deltas go first, then ``reset``."""
        self.clear(phase)
        phases = list(self.phases) if phase is None else [phase]
        self._send({"kind": "reset", "seq": self.batcher.next_seq(), "phases": phases})

    def so_far(self, phase: str) -> tuple[str, str]:
        """(thinking, content) of ``phase`` so far; empty for a phase never started."""
        parts = self._parts.get(phase)
        if parts is None:
            return "", ""
        return "".join(parts["thinking"]), "".join(parts["content"])

    def flush(self) -> None:
        self.batcher.flush()

    def catch_up(self) -> dict[str, Any]:
        """The answer to a view that appears mid-stream: all text so far, valid up to ``seq``.

        Buffered deltas are flushed first, so they are in this answer and every later
        delta message (``seq`` greater than the answer's) continues it.
        """
        self.flush()
        live = {}
        for phase in self._parts:
            thinking, content = self.so_far(phase)
            live[phase] = {"thinking": thinking, "content": content}
        return {"seq": self.batcher.seq, "now_ms": int(time.time() * 1000), "live": live}
