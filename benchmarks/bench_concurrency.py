"""Five learners at once against one alone, timed side by side in one run.

The classroom's upper bound is five learners on one kernel. One flow of a kind is timed
alone, then five of the same kind at once with ``asyncio.gather``, after a warm-up that pays
the one-time import and pygame start-up costs. Two kinds: the offline lessons (pace 0.05, so
the streams really overlap) and the loopback OpenAI-compatible server (10 ms between
chunks). Each pair is measured ``--repeat`` times (3; 1 with ``--quick``) and the median
ratio is reported. Target: five at once < 1.5× one alone.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from _common import REPO, Row, parser, print_table, scratch, use_scratch_env

sys.path.insert(0, str(REPO))

from codeflow_widget.config import Settings, load_settings  # noqa: E402
from codeflow_widget.flow.lesson import generate  # noqa: E402
from tests.fakes.server import FakeLLMServer  # noqa: E402

LEARNERS = 5
TARGET = 1.5
WISH = "帮我写个贪吃蛇"


async def one(settings: Settings) -> None:
    events = [event async for event in generate(WISH, settings=settings)]
    if events[-1].type != "completed":
        raise RuntimeError(getattr(events[-1], "error_message", events[-1].type))


async def timed(settings: Settings, n: int) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(one(settings) for _ in range(n)))
    return time.perf_counter() - start


async def ratio(settings: Settings, repeat: int) -> tuple[float, float, float]:
    await one(settings)  # warm-up
    pairs = [(await timed(settings, 1), await timed(settings, LEARNERS)) for _ in range(repeat)]
    ratios = [five / single for single, five in pairs]
    single = statistics.median(p[0] for p in pairs)
    five = statistics.median(p[1] for p in pairs)
    return single, five, statistics.median(ratios)


def main() -> int:
    args = parser(__doc__).parse_args()
    repeat = 1 if args.quick else 3
    rows = []
    with scratch("concurrency") as folder:
        use_scratch_env(Path(folder))
        offline = load_settings(offline_pace=0.05, smoke_timeout_s=0.5, backoff_s=0)
        single, five, r = asyncio.run(ratio(offline, repeat))
        rows.append(
            Row(
                f"offline: one {single:.2f} s, five {five:.2f} s",
                f"{r:.2f}×",
                f"< {TARGET}×",
                r < TARGET,
            )
        )
        server = FakeLLMServer("minimax", delay_s=0.01).start()
        try:
            loopback = load_settings(
                provider="custom", base_url=server.base_url, model="fake-model",
                smoke_timeout_s=1, backoff_s=0,
            )  # fmt: skip
            single, five, r = asyncio.run(ratio(loopback, repeat))
        finally:
            server.stop()
        rows.append(
            Row(
                f"loopback: one {single:.2f} s, five {five:.2f} s",
                f"{r:.2f}×",
                f"< {TARGET}×",
                r < TARGET,
            )
        )
    return 0 if print_table("five learners at once vs one alone", rows) else 1


if __name__ == "__main__":
    sys.exit(main())
