"""The lesson's run inside the widget: consuming the flow's events on the kernel's loop.

``FlowTask`` is the part of ``lesson_view.CodeFlow`` that runs a wish. ``_start_flow`` spawns
a task that reads the ``Lesson``'s event stream on the kernel's own asyncio loop (``spawn``;
outside a loop, on a private loop thread), so the learner can run other cells meanwhile;
each event goes to the pacing ``Presenter``, which hands it to the widget's ``_apply`` at
reading pace. The pacer task (``_pace``) runs only once a view has asked to catch up: a
widget driven by a script or a test has no reader, so its events are applied as they come
and ``await widget._task`` means "all applied". The flow is held at a progress or
validation event until the reveal has caught up, so the checks and the trial run happen
live. A cancelled or crashed flow ends as a failure in the banner, never as a traceback;
``close_soon`` closes the lesson's provider on the loop its HTTP client belongs to.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from codeflow_widget.model.messages import message

if TYPE_CHECKING:
    import asyncio

    from codeflow_widget.flow.lesson import Lesson

TICK_S = 0.05  # the pace's clock: 20 reveals a second


class FlowTask:
    """The run of ``CodeFlow`` (a mixin: it reads the widget's tasks, presenter and live text)."""

    def _start_flow(self, events: AsyncIterator[Any]) -> None:
        self._flow_stopped = False
        self._presenter.resume()
        self._task = spawn(self._consume(events))
        self._task.add_done_callback(self._flow_done)
        self._ensure_pacer()

    def _ensure_pacer(self) -> None:
        if not self._viewers:
            return  # a script or a test drives this widget: events are applied as they come
        if self._pacer is None or self._pacer.done():
            self._pacer = spawn(self._pace())

    async def _pace(self) -> None:
        """Let text out at the pace until the flow has finished and everything is shown."""
        import asyncio

        while True:
            self._presenter.step(time.monotonic())
            flow_done = self._task is None or self._task.done()
            if self._presenter.paused or (flow_done and self._presenter.idle):
                self._live.flush()
                return
            await asyncio.sleep(TICK_S)

    def _flow_done(self, task: Any) -> None:
        if self._flow_stopped:
            return
        if task.cancelled() and self.status in ("pending", "processing", "retrying"):
            self._finish_cancelled()  # stopped before the flow's first step could answer

    async def _consume(self, events: AsyncIterator[Any]) -> None:
        import asyncio

        from codeflow_widget.model import events as ev

        try:
            async for event in events:
                if self._flow_stopped:
                    continue  # the flow's own 已取消 ending: the view already says 已停止
                self._presenter.push(event)
                if not self._pacing():  # driven directly (tests, scripts): nobody paces
                    self._presenter.skip_to_result()
                if isinstance(event, (ev.Progress, ev.ValidationReport)):
                    # Hold the flow here until the learner has seen the code: the checks and
                    # the trial run then happen live, under the progress line.
                    while not self._presenter.idle and self._pacing():
                        await asyncio.sleep(TICK_S)
        except asyncio.CancelledError:  # cancelled before the flow could answer for itself
            if self._flow_stopped:
                return
            self._finish_cancelled()
        except Exception as exc:  # noqa: BLE001 - a bug in the flow: show it, never lose it
            self._finish_failed(self._show_error(exc), "unexpected", can_retry=False)
        finally:
            if not self._pacing():  # driven directly (tests, scripts): nobody paces, show all
                self._presenter.skip_to_result()
            self._live.flush()

    def _finish_cancelled(self) -> None:
        text = message("request.cancelled", self.language)
        self._finish_failed(text, "request.cancelled", can_retry=False)

    def _pacing(self) -> bool:
        return self._pacer is not None and not self._pacer.done() and not self._flow_stopped

    def _busy(self) -> bool:
        return any(task is not None and not task.done() for task in (self._task, self._pacer))

    async def settled(self) -> str:
        """Wait until the run has ended and everything is shown (or 停止 paused it); the status."""
        import asyncio

        while self._busy():
            await asyncio.wait([t for t in (self._task, self._pacer) if t is not None])
        return self.status

    def _stop_quietly(self) -> None:
        """End this run without a word (a new run replaces it, or the widget closes)."""
        self._presenter.drop()
        for task in (self._task, self._pacer):
            if task is not None and not task.done():
                self._flow_stopped = True
                task.cancel()
        self._task = self._pacer = None


def spawn(coro: Any) -> Any:
    """Schedule ``coro`` on the running loop (the kernel's); outside one, on a private loop thread."""
    import asyncio

    try:
        return asyncio.get_running_loop().create_task(coro)
    except RuntimeError:
        return asyncio.run_coroutine_threadsafe(coro, _private_loop())


def close_soon(lesson: Lesson) -> None:
    """Close the lesson's provider on the running loop (the one its HTTP client belongs to)."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop here: nothing is streaming, the client is simply collected
        return
    loop.create_task(lesson.aclose())


_LOOP: asyncio.AbstractEventLoop | None = None


def _private_loop() -> asyncio.AbstractEventLoop:
    import asyncio

    global _LOOP
    if _LOOP is None:
        _LOOP = asyncio.new_event_loop()
        threading.Thread(target=_LOOP.run_forever, name="codeflow-widget-loop", daemon=True).start()
    return _LOOP
