"""Memory across sequential requests: does a long-lived kernel grow with every lesson?

One process runs requests one after another, the way a classroom kernel does all
day: the offline default at pace 0 with a short smoke run (0.3 s), every event
consumed. Two passes of N requests (50; 15 with ``--quick``), each after a warm-up
that pays the imports, caches and the first pygame subprocess:

1. without tracing: resident set size (RSS) and the number of live objects
   before and after (tracemalloc is off here: its own bookkeeping inflates RSS);
2. with ``tracemalloc`` (1 frame): the traced Python heap before and after.

Target "flat": RSS growth ≤ 5 % of the post-warm-up RSS (RSS moves with allocator
fragmentation, so it gets a relative bound) and Python heap growth ≤ 2 MB over the
N requests (a leak of ≥ 40 KB per request would break it). The largest heap growth
sites are printed when the heap target fails, or with ``--verbose``.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import tracemalloc

from _common import Row, parser, print_table, scratch, use_scratch_env

HEAP_LIMIT = 2 * 1024 * 1024
RSS_LIMIT = 0.05
WARMUP = 5


def rss_bytes() -> int:
    try:
        import psutil

        return psutil.Process().memory_info().rss
    except ImportError:  # Linux fallback
        with open("/proc/self/statm", encoding="utf-8") as fh:
            import os

            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def requests(n: int, settings) -> int:
    from codeflow_widget.flow.lesson import generate

    completed = 0
    for _ in range(n):
        last = None
        async for event in generate("帮我写个贪吃蛇", settings=settings):
            last = event
        completed += last is not None and last.type == "completed"
    return completed


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    n = 15 if args.quick else 50
    with scratch("memory") as folder:
        use_scratch_env(folder)
        from codeflow_widget.config import load_settings

        settings = load_settings(offline_pace=0, smoke_timeout_s=0.3, backoff_s=0)

        async def untraced() -> tuple[int, int, int, int, int]:
            await requests(WARMUP, settings)
            gc.collect()
            rss0, objects0 = rss_bytes(), len(gc.get_objects())
            done = await requests(n, settings)
            gc.collect()
            return done, rss0, rss_bytes(), objects0, len(gc.get_objects())

        async def traced() -> tuple[int, int, int, tracemalloc.Snapshot, tracemalloc.Snapshot]:
            tracemalloc.start(1)
            await requests(2, settings)
            gc.collect()
            heap0, snap0 = tracemalloc.get_traced_memory()[0], tracemalloc.take_snapshot()
            done = await requests(n, settings)
            gc.collect()
            heap1, snap1 = tracemalloc.get_traced_memory()[0], tracemalloc.take_snapshot()
            tracemalloc.stop()
            return done, heap0, heap1, snap0, snap1

        done1, rss0, rss1, objects0, objects1 = asyncio.run(untraced())
        done2, heap0, heap1, snap0, snap1 = asyncio.run(traced())
    heap_growth, rss_growth = heap1 - heap0, rss1 - rss0
    mb = 1024 * 1024
    rows = [
        Row(
            "requests completed",
            f"{done1 + done2} / {2 * n}",
            f"{2 * n} / {2 * n}",
            done1 + done2 == 2 * n,
        ),
        Row("RSS after warm-up → after", f"{rss0 / mb:.1f} → {rss1 / mb:.1f} MB", "", None),
        Row(
            "RSS growth",
            f"{rss_growth / mb:+.1f} MB ({100 * rss_growth / rss0:+.1f} %)",
            f"≤ {RSS_LIMIT:.0%}",
            rss_growth <= RSS_LIMIT * rss0,
        ),
        Row(
            "live objects after warm-up → after",
            f"{objects0:,} → {objects1:,} ({objects1 - objects0:+,})",
            "",
            None,
        ),
        Row(
            "traced heap (since tracing began) before → after",
            f"{heap0 / mb:.2f} → {heap1 / mb:.2f} MB",
            "",
            None,
        ),
        Row(
            "Python heap growth",
            f"{heap_growth / 1024:+.0f} KB ({heap_growth / n / 1024:+.2f} KB/request)",
            f"≤ {HEAP_LIMIT // mb} MB",
            heap_growth <= HEAP_LIMIT,
        ),
    ]
    ok = print_table(f"memory over {n} sequential requests per pass (after warm-up)", rows)
    if heap_growth > HEAP_LIMIT or args.verbose:
        print("largest heap growth sites:")
        for stat in snap1.compare_to(snap0, "lineno")[:8]:
            print("  ", stat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
