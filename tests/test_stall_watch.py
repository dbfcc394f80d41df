"""The stream's stall watchdog: a read that takes the timeout fails as ``wait_for`` did.

One timer per stream replaces a ``wait_for`` per delta (providers/stall_watch.py). These pin
what it must keep: a stalled read raises ``TimeoutError``; time the consumer spends between
reads is never counted; a caller's own cancel stays a cancel.
"""

from __future__ import annotations

import asyncio

import pytest

from codeflow_widget.providers.stall_watch import StallWatch


async def test_a_read_that_never_finishes_raises_timeout_error():
    watch = StallWatch(0.05)
    never = asyncio.get_running_loop().create_future()
    with pytest.raises(TimeoutError):
        await watch.read(never)
    watch.close()
    assert not asyncio.current_task().cancelling()  # the watch took its cancel back


async def test_time_between_reads_is_not_a_stall():
    watch = StallWatch(0.05)
    got = []
    for item in range(3):
        got.append(await watch.read(asyncio.sleep(0, item)))
        await asyncio.sleep(0.15)  # the consumer is slow: three timeouts, no read running
    watch.close()
    assert got == [0, 1, 2]


async def test_a_callers_cancel_is_still_a_cancel():
    watch = StallWatch(60)
    started = asyncio.Event()

    async def reader():
        started.set()
        await watch.read(asyncio.get_running_loop().create_future())

    task = asyncio.create_task(reader())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    watch.close()
