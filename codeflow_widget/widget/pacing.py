"""The teaching pace: the lesson view reveals text at reading speed, whatever the source's speed.

A model (or an offline lesson) streams far faster than a learner reads. ``Presenter`` sits
between the flow's events and the view: every event is queued in order; thinking and answer
text is let out at the chosen pace (``PACES``: characters a second for prose, lines a second
for code inside a fence), and any other event — a phase completing, the validation report —
is applied only when all the text before it has been shown, so the view never says "done"
over text the learner has not seen. Text is only ever what the source has sent: a slow model
is shown as fast as it arrives. At 适中 the longest offline lesson takes about 4 minutes (the
limit for one request is 5). ``fast_forward`` finishes the
current phase at once, ``skip_to_result`` everything; ``pause``/``resume`` serve 停止 / 继续.

The clock is passed in (``step(now)``), so the pacing is tested without waiting.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# pace: (reading units a second for prose, lines a second for code). 适中 is the classroom
# default; 慢 is half of it and 快 three times it.
PACES: dict[str, tuple[float, float]] = {
    "slow": (12.5, 1.75),
    "normal": (25.0, 3.5),
    "fast": (75.0, 10.5),
    "instant": (math.inf, math.inf),
}
PACE_NAMES = tuple(PACES)
ASCII_WEIGHT = 0.5  # a reader takes in Latin letters about twice as fast as CJK characters
MAX_BURST_S = 1.0  # at most this much at once after a quiet spell (a slow model, a late tick)
TEXT_KINDS = ("thinking", "content")
# A code line costs as much reading time as this many prose units (the same at every pace).
LINE_COST = PACES["normal"][0] / PACES["normal"][1]


def char_cost(char: str) -> float:
    """Reading units of one prose character (whitespace is free: nobody reads a space)."""
    if char.isspace():
        return 0.0
    return ASCII_WEIGHT if char.isascii() else 1.0


@dataclass
class _Text:
    phase: str
    kind: str
    text: str
    costs: list[float]  # per character, in reading units (a code line's on its first character)
    start: int = 0

    def remaining(self) -> float:
        return sum(self.costs[self.start :])


@dataclass
class _FenceState:
    """Whether the answer text of one phase is inside a code fence, seen line by line."""

    in_code: bool = False
    line: list[str] = field(default_factory=list)


class Presenter:
    """Queue events; let text out at the pace; apply other events in order behind their text.

    ``show_text(phase, kind, text)`` is called for revealed text, ``apply(event)`` for any other
    event; ``is_text(event)`` says which an event is (it must have ``phase``, ``type`` = kind and
    ``text``).
    """

    def __init__(
        self,
        show_text: Callable[[str, str, str], None],
        apply: Callable[[Any], None],
        pace: str = "normal",
    ) -> None:
        self.show_text = show_text
        self.apply = apply
        self.pace = pace if pace in PACES else "normal"
        self._queue: deque[Any] = deque()
        self._fences: dict[str, _FenceState] = {}
        self._budget = 0.0
        self._last: float | None = None
        self._backlog = 0.0  # reading units queued and not yet shown
        self.paused = False
        self._shown_before: dict[tuple[str, str], str] = {}  # see skip_shown
        self.revealed_units = 0.0  # for tests and benchmarks: units shown at pace so far

    # -- input -------------------------------------------------------------------------
    def push(self, event: Any) -> None:
        kind = getattr(event, "type", "")
        if kind in TEXT_KINDS:
            if not event.text:
                return
            costs = self._costs(event.phase, kind, event.text)
            self._free_if_shown_before(event.phase, kind, event.text, costs)
            self._queue.append(_Text(event.phase, kind, event.text, costs))
            self._backlog += sum(costs)
        else:
            if kind == "phase_started":
                self._fences[event.phase] = _FenceState()
            self._queue.append(event)

    def _costs(self, phase: str, kind: str, text: str) -> list[float]:
        """Per-character reading cost; in a code fence a line costs one line's time, paid on its
        first character, so code appears whole line by whole line."""
        if kind == "thinking":
            return [char_cost(c) for c in text]
        fence = self._fences.setdefault(phase, _FenceState())
        costs = []
        for char in text:
            first = not fence.line
            if char != "\n":
                fence.line.append(char)
            if fence.in_code:
                costs.append(LINE_COST if first else 0.0)
            else:
                costs.append(char_cost(char))
            if char == "\n":
                line = "".join(fence.line).strip()
                fence.line.clear()
                if line.startswith(("```", "~~~")):
                    fence.in_code = not fence.in_code
        return costs

    def skip_shown(self, shown: dict[str, tuple[str, str]]) -> None:
        """Text a stopped run already showed (phase → (thinking, content)) is shown at once
        when the same text comes again: 继续 carries on where the learner stopped."""
        self._shown_before = {}
        for phase, (thinking, content) in shown.items():
            self._shown_before[(phase, "thinking")] = thinking
            self._shown_before[(phase, "content")] = content

    def _free_if_shown_before(self, phase: str, kind: str, text: str, costs: list[float]) -> None:
        before = self._shown_before.get((phase, kind), "")
        if not before:
            return
        same = 0
        while same < len(text) and same < len(before) and text[same] == before[same]:
            same += 1
        costs[:same] = [0.0] * same
        # Only an unbroken prefix is free: after the first difference the pace applies again.
        self._shown_before[(phase, kind)] = before[same:] if same == len(text) else ""

    # -- control -------------------------------------------------------------------------
    def set_pace(self, pace: str) -> None:
        if pace not in PACES:
            raise ValueError(pace)
        self.pace = pace

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False
        self._last = None

    def fast_forward(self) -> None:
        """Show the current phase to its end (its text and the events up to its completion)."""
        self._flush(until_phase_end=True)

    def skip_to_result(self) -> None:
        """Show everything queued, now."""
        self._flush(until_phase_end=False)

    def drop(self) -> None:
        """Forget whatever is queued (a new run replaces this one)."""
        self._queue.clear()
        self._backlog = 0.0
        self._budget = 0.0

    @property
    def idle(self) -> bool:
        return not self._queue

    def backlog_seconds(self) -> float:
        rate = PACES[self.pace][0]
        return 0.0 if math.isinf(rate) else self._backlog / rate

    # -- output ----------------------------------------------------------------------------
    def step(self, now: float) -> None:
        """Reveal what the pace allows since the last step; apply events that are due."""
        last, self._last = self._last, now
        if self.paused:
            return
        rate = PACES[self.pace][0]
        if math.isinf(rate):
            self._flush(until_phase_end=False)
            return
        dt = 0.0 if last is None else max(0.0, now - last)
        # A code line is one indivisible cost, so the cap must hold at least one line.
        cap = max(rate * MAX_BURST_S, LINE_COST)
        self._budget = min(self._budget + rate * dt, cap)
        self._apply_due_events()
        while self._queue and isinstance(self._queue[0], _Text):
            item = self._queue[0]
            end, spent = item.start, 0.0
            while end < len(item.text) and spent + item.costs[end] <= self._budget:
                spent += item.costs[end]
                end += 1
            if end > item.start:
                self._show(item, end, spent)
                self._budget -= spent
            if item.start < len(item.text):
                break  # out of budget mid-item
            self._queue.popleft()
            self._apply_due_events()
        if not self._queue:
            self._budget = min(self._budget, 0.0)  # no saving up while nothing waits

    def _show(self, item: _Text, end: int, spent: float) -> None:
        text = item.text[item.start : end]
        item.start = end
        self._backlog = max(0.0, self._backlog - spent)
        self.revealed_units += spent
        self.show_text(item.phase, item.kind, text)

    def _apply_due_events(self) -> None:
        while self._queue and not isinstance(self._queue[0], _Text):
            self.apply(self._queue.popleft())

    def _flush(self, *, until_phase_end: bool) -> None:
        while self._queue:
            head = self._queue.popleft()
            if isinstance(head, _Text):
                if head.start < len(head.text):
                    self._show(head, len(head.text), head.remaining())
                continue
            self.apply(head)
            if until_phase_end and getattr(head, "type", "") in ("phase_completed", "phase_failed"):
                break
        self._apply_due_events()
        if not self._queue:
            self._backlog = 0.0
