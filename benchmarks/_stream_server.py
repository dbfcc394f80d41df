"""The loopback fake (``tests/fakes/server.py``) scripted for a benchmark stream.

``python benchmarks/_stream_server.py --deltas 2000 --rate 2000 --chunk 4`` answers every
phase with exactly ``--deltas`` deltas (10 % reasoning, 90 % content, ``--chunk``
characters each) at ``--rate`` deltas per second, and prints its base URL on the
first stdout line. It runs in its own process so its work does not share the
benchmarked process's interpreter.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.scenarios import PHASES  # noqa: E402
from tests.fakes.server import FakeLLMServer, serve_until_interrupted  # noqa: E402


class PacedServer(FakeLLMServer):
    """Sleeps to an absolute schedule per stream, so the rate holds at 2,000 deltas/s
    (a fixed sleep per delta would add the loop's own overhead to every interval)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clock = threading.local()

    def deltas(self, reply, phase):
        self._clock.next = time.perf_counter()  # a new stream: start the schedule now
        return super().deltas(reply, phase)

    def _sleep(self, seconds: float) -> None:
        self._clock.next = getattr(self._clock, "next", time.perf_counter()) + seconds
        wait = self._clock.next - time.perf_counter()
        if wait > 0:
            self._stopping.wait(wait)


def scripted(deltas: int, chunk: int) -> tuple[str, str]:
    """(thinking, answer) that split into exactly ``deltas`` pieces of ``chunk`` characters."""
    thinking_pieces = max(1, deltas // 10)
    thinking = ("思考一下。" * deltas)[: thinking_pieces * chunk]
    answer = ("## 目标\n做一个小游戏，让学习者看到主循环。\n" * deltas)[
        : (deltas - thinking_pieces) * chunk
    ]
    return thinking, answer


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--deltas", type=int, default=2000, help="deltas per phase")
    p.add_argument("--rate", type=float, default=2000, help="deltas per second (0: unpaced)")
    p.add_argument("--chunk", type=int, default=4, help="characters per delta")
    p.add_argument("--format", default="minimax")
    args = p.parse_args()
    # --rate 0: unpaced, every delta as fast as the loopback allows
    delay = 1.0 / args.rate if args.rate > 0 else 0.0
    server = PacedServer(
        args.format, chunk_size=args.chunk, delay_s=delay, reasoning_content_beside=False
    )
    thinking, answer = scripted(args.deltas, args.chunk)
    for phase in PHASES:
        server.set_answer(phase, answer, thinking)
    return serve_until_interrupted(server)


if __name__ == "__main__":
    sys.exit(main())
