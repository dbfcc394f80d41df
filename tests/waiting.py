"""Waiting in async tests for something the event loop will make true (a game starting, a run ending)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(predicate: Callable[[], object], timeout: float = 15.0) -> bool:
    """Poll ``predicate`` every 50 ms, letting the loop run, for at most ``timeout`` seconds.

    Returns its last answer, so ``assert await until(...)`` fails when the time runs out.
    """
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return True
        await asyncio.sleep(0.05)
    return bool(predicate())
