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
    """``generate()`` spelled out, so the provider's HTTP client is closed like the bare one's."""
    from codeflow_widget.config import load_settings
    from codeflow_widget.flow.lesson import new_request, run_request
    from codeflow_widget.providers import build_provider

    start = time.perf_counter()
    settings = load_settings(
        provider="custom", base_url=url, model="fake-model", backoff_s=0, timeout_s=30
    )
    provider = build_provider(settings)
    events = run_request(new_request("帮我写个贪吃蛇", settings, provider), provider, settings)
    deltas = 0
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
        await provider.aclose()
    return time.perf_counter() - start, deltas


def main() -> int:
    args = parser(__doc__).parse_args()
    per_phase = 500 if args.quick else 2000
    reps = 3 if args.quick else 7
    server, url = start_server("--deltas", str(per_phase), "--rate", str(RATE), "--chunk", "4")
    try:
        with scratch("overhead") as folder:
            use_scratch_env(folder)
            asyncio.run(bare(url))  # warm-ups: imports, connection set-up
            asyncio.run(flow(url))
            bare_t, flow_t = [], []
            for _ in range(reps):
                t, n_bare = asyncio.run(bare(url))
                bare_t.append(t)
                t, n_flow = asyncio.run(flow(url))
                flow_t.append(t)
    finally:
        server.kill()
        server.wait()
    b, f = median(bare_t), median(flow_t)
    rate = n_bare / b
    rows = [
        Row(
            "deltas per run (2 phases)", f"bare {n_bare}, flow {n_flow}", "equal", n_bare == n_flow
        ),
        Row("stream rate seen by the bare loop", f"{rate:,.0f} deltas/s", f"≈ {RATE:,}/s", None),
        Row("bare AsyncOpenAI loop, median", f"{b * 1000:.0f} ms", "", None),
        Row("flow to PhaseCompleted(plan), median", f"{f * 1000:.0f} ms", "", None),
        Row("flow / bare", f"{f / b:.3f}×", f"≤ {TARGET}×", f / b <= TARGET),
    ]
    ok = print_table(f"flow overhead ({reps} alternating runs, {per_phase} deltas per phase)", rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
