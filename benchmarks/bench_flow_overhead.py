"""Flow overhead: the whole flow vs a bare ``AsyncOpenAI`` loop on the same loopback stream.

The fake server runs in its own process and answers every phase with the same
stream: N deltas (10 % reasoning, 90 % content, 4 characters each) at 2,000
deltas/s on an absolute schedule. Both sides consume that stream twice:

- bare: an ``AsyncOpenAI`` client streams the specify request, then the plan
  request, reading every delta (what any script would do, with nothing else);
- flow: ``generate()`` on the ``custom`` provider, timed from the call to the
  ``PhaseCompleted`` event of plan — so it includes settings, the request and
  phase state machine, prompts, the reasoning splitter, one typed event per
  delta, trace lines and the breaker, for the same two streams.

The implement phase is left out on purpose: validation, the smoke run (a
subprocess) and the project write have nothing to compare with in a bare loop,
and would only dilute the ratio. Both sides create their client inside the timed
window, run alternately (bare, flow, bare, flow, …) after a warm-up of each,
and the medians are compared. Target: flow ≤ 1.1× bare.

It is measured twice. Paced at 2,000 deltas/s the server sets the pace, so the ratio
is close to 1 by construction: it only shows that the flow keeps up with a fast model.
Unpaced (the server sends as fast as the loopback allows) the ratio is the flow's real
cost per delta against a bare loop's; both are printed next to the target, with the ratio of
this process's CPU time beside them (steadier on a shared machine).
"""

from __future__ import annotations

import asyncio
import sys
import time

from _common import Row, median, parser, print_table, scratch, start_server, use_scratch_env

RATE = 2000
TARGET = 1.1


async def bare(url: str) -> tuple[float, int]:
    import openai

    start = time.perf_counter()
    client = openai.AsyncOpenAI(base_url=url, api_key="not-needed", max_retries=0)
    deltas = 0
    for phase in ("specify", "plan"):
        messages = [
            {"role": "system", "content": f"[phase:{phase}] 你是老师。"},
            {"role": "user", "content": "帮我写个贪吃蛇"},
        ]
        stream = await client.chat.completions.create(
            model="fake-model", messages=messages, stream=True
        )
        async with stream:
            async for chunk in stream:
                if chunk.choices and chunk.choices[0].delta is not None:
                    delta = chunk.choices[0].delta
                    extra = delta.model_extra or {}
                    deltas += bool(delta.content or extra.get("reasoning_details"))
    await client.close()
    return time.perf_counter() - start, deltas


async def flow(url: str) -> tuple[float, int]:
    """A ``Lesson`` run, as the widget and the CLI drive it; its provider is closed on exit."""
    from codeflow_widget.flow.lesson import Lesson

    start = time.perf_counter()
    lesson = Lesson.configure(
        None, provider="custom", base_url=url, model="fake-model", backoff_s=0, timeout_s=30
    )
    lesson.wish("帮我写个贪吃蛇")
    deltas = 0
    async with lesson:
        events = lesson.run()
        try:
            async for event in events:
                if event.type in ("thinking", "content"):
                    deltas += 1
                elif event.type == "phase_completed" and event.phase == "plan":
                    break
                elif event.type == "failed":
                    raise RuntimeError(event.error_message)
        finally:
            await events.aclose()
    return time.perf_counter() - start, deltas


def measure(rate: float, per_phase: int, reps: int) -> dict:
    """Alternating bare/flow runs against one server at ``rate`` deltas/s (0: unpaced)."""
    server, url = start_server("--deltas", str(per_phase), "--rate", str(rate), "--chunk", "4")
    try:
        with scratch("overhead") as folder:
            use_scratch_env(folder)
            asyncio.run(bare(url))  # warm-ups: imports, connection set-up
            asyncio.run(flow(url))
            bare_t, flow_t, bare_c, flow_c = [], [], [], []
            for _ in range(reps):
                c = time.process_time()
                t, n_bare = asyncio.run(bare(url))
                bare_t.append(t)
                bare_c.append(time.process_time() - c)
                c = time.process_time()
                t, n_flow = asyncio.run(flow(url))
                flow_t.append(t)
                flow_c.append(time.process_time() - c)
    finally:
        server.kill()
        server.wait()
    return {
        "bare": median(bare_t), "flow": median(flow_t), "n_bare": n_bare, "n_flow": n_flow,
        "bare_cpu": median(bare_c), "flow_cpu": median(flow_c),
    }  # fmt: skip


def main() -> int:
    args = parser(__doc__).parse_args()
    per_phase = 500 if args.quick else 2000
    reps = 3 if args.quick else 7
    paced = measure(RATE, per_phase, reps)
    unpaced = measure(0, per_phase, reps)
    rows = []
    for label, m in ((f"paced {RATE:,}/s", paced), ("unpaced", unpaced)):
        b, f = m["bare"], m["flow"]
        rows += [
            Row(
                f"{label}: deltas per run (2 phases)",
                f"bare {m['n_bare']}, flow {m['n_flow']}",
                "equal",
                m["n_bare"] == m["n_flow"],
            ),
            Row(
                f"{label}: stream rate seen by the bare loop",
                f"{m['n_bare'] / b:,.0f} deltas/s",
                f"≈ {RATE:,}/s" if label.startswith("paced") else "as fast as it goes",
                None,
            ),
            Row(f"{label}: bare AsyncOpenAI loop, median", f"{b * 1000:.0f} ms", "", None),
            Row(f"{label}: flow to PhaseCompleted(plan), median", f"{f * 1000:.0f} ms", "", None),
            Row(f"{label}: flow / bare", f"{f / b:.3f}×", f"≤ {TARGET}×", f / b <= TARGET),
            # This process's CPU time (the server is another process): the client-side work
            # per run, steadier than wall time when neighbours load the machine.
            Row(
                f"{label}: flow / bare, CPU time", f"{m['flow_cpu'] / m['bare_cpu']:.3f}×", "", None
            ),
        ]
    ok = print_table(f"flow overhead ({reps} alternating runs, {per_phase} deltas per phase)", rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
