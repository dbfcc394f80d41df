"""The flow-control window: how many frames may be sent and not yet acknowledged.

It starts at MIN_IN_FLIGHT and follows the bandwidth-delay product of the path to the view (see
``Window``), never above MAX_IN_FLIGHT: a fixed 2 capped a 60 fps game at 2 / round trip (~10 fps
at 180 ms measured). Acks are cumulative.
"""

import math
import os

MIN_IN_FLIGHT = 2


def _window_cap(raw: str | None, default: int = 12) -> int:
    """CODEFLOW_PLAY_MAX_IN_FLIGHT as a whole number from MIN_IN_FLIGHT to 32; else the default."""
    try:
        return min(max(int(raw), MIN_IN_FLIGHT), 32) if raw is not None else default
    except ValueError:
        return default


MAX_IN_FLIGHT = _window_cap(os.environ.get("CODEFLOW_PLAY_MAX_IN_FLIGHT"))


class Window:
    """How many frames may be unacknowledged: the path's bandwidth-delay product, plus one.

    ``rtt`` is the smallest send → ack time of the last ``SAMPLES`` frames (the smallest, not the
    mean: frames that waited behind others would otherwise grow the window that made them wait);
    ``every`` is the view's spacing between acks (it says so in each ack): a frame drawn just
    after an ack waits that long for the next one, and the smallest round trip never shows it.
    ``interval`` is the slower of the game's own frame interval and the view's time to decode and
    paint one frame (the view reports it with each ack), so a slow browser gets fewer frames in
    flight rather than a queue. ``size`` = 1 + ceil((rtt + every) / interval), between MIN and
    MAX.
    """

    SAMPLES = 32

    def __init__(self, low=MIN_IN_FLIGHT, high=MAX_IN_FLIGHT):
        self.low, self.high = low, max(low, high)
        self.sent_at = {}  # seq → perf_counter at send
        self.rtts = []
        self.busy_ms = 0.0  # the view's decode + paint time per frame, smoothed
        self.every_ms = 0.0  # the view's spacing between acks
        self.last_present = None
        self.frame_ms = 1000 / 60  # the game's frame interval, smoothed

    def presented(self, now):
        if self.last_present is not None:
            gap = (now - self.last_present) * 1000
            if gap < 1000:  # a pause or a loading screen is not the game's frame rate
                self.frame_ms += (gap - self.frame_ms) * 0.1
        self.last_present = now

    def new_path(self):
        # A new view may sit behind another network: measure its round trip afresh.
        self.sent_at.clear()
        self.rtts.clear()
        self.busy_ms = 0.0

    def sent(self, seq, now):
        self.sent_at[seq] = now
        if len(self.sent_at) > 4 * self.high:  # acks lost with a view that went away
            for old in sorted(self.sent_at)[: -self.high]:
                del self.sent_at[old]

    def acked(self, seq, now, busy_ms=None, every_ms=None):
        # Acks are cumulative (the view sends at most one every ``every_ms``): the oldest frame
        # this one covers waited longest for it, and that wait is what the window must cover.
        covered = [s for s in self.sent_at if s <= seq]
        if covered:
            started = min(self.sent_at[s] for s in covered)
            for s in covered:
                del self.sent_at[s]
            self.rtts.append((now - started) * 1000)
            del self.rtts[: -self.SAMPLES]
        if busy_ms is not None:
            busy = float(busy_ms)
            self.busy_ms = busy if not self.busy_ms else self.busy_ms + (busy - self.busy_ms) * 0.2
        if isinstance(every_ms, (int, float)) and 0 <= every_ms <= 1000:
            self.every_ms = float(every_ms)

    @property
    def rtt_ms(self):
        return min(self.rtts) if self.rtts else 0.0

    @property
    def size(self):
        if not self.rtts:
            return self.low
        interval = max(self.frame_ms, self.busy_ms, 1.0)
        # 0.05 frame of slack: a round trip of exactly three frames needs three, not four.
        path_ms = self.rtt_ms + self.every_ms
        return max(self.low, min(self.high, 1 + math.ceil(path_ms / interval - 0.05)))
