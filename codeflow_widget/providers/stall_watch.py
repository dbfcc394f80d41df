"""A stalled stream ends with a timeout: one watchdog per stream instead of a timer per delta.

Each read of the stream must finish within ``timeout_s`` (a server that stops mid-answer
must not hang the lesson). ``asyncio.wait_for`` around every read did that, but it wraps
each read in a new task and a timer: about 50 µs per delta, more than the flow's own work
per delta (bench_flow_overhead). ``StallWatch`` keeps one timer for the whole stream that
looks at when the current read began; a read costs two clock reads. When a read has taken
``timeout_s``, the watch cancels the task doing the read and the read raises ``TimeoutError``,
exactly as ``wait_for`` did, so the provider's error mapping is unchanged. Only the time spent
*waiting for the server* counts: while the consumer handles a delta, no read is running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


class StallWatch:
    """``await watch.read(stream.__anext__())`` for each item; ``close()`` when done."""

    def __init__(self, timeout_s: float) -> None:
        self._loop = asyncio.get_running_loop()
        self._timeout = timeout_s
        self._began: float | None = None  # when the running read began, None between reads
        self._task: asyncio.Task | None = None
        self._fired = False
        self._handle = self._loop.call_later(timeout_s, self._check)

    async def read(self, awaitable: Awaitable[T]) -> T:
        self._task = asyncio.current_task()
        self._began = self._loop.time()
        try:
            return await awaitable
        except asyncio.CancelledError:
            if not self._fired:
                raise
            self._fired = False
            # Our cancel, not the caller's: take it back (a caller's cancel still stands).
            if self._task is not None and self._task.uncancel() > 0:
                raise
            raise TimeoutError(f"no data for {self._timeout:g} s") from None
        finally:
            self._began = None

    def close(self) -> None:
        self._handle.cancel()

    def _check(self) -> None:
        now, began = self._loop.time(), self._began
        if began is not None and now - began >= self._timeout and self._task is not None:
            self._fired = True
            self._task.cancel()
            due = now + self._timeout
        else:
            due = (began if began is not None else now) + self._timeout
        self._handle = self._loop.call_at(due, self._check)
