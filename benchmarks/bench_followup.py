"""A follow-up vs a fresh run, side by side: time, and what a model has to read and write.

Offline: the snake lesson from nothing vs the curated follow-up "让蛇跑得更快" on that project
(the learner's edit in main.py first), instant pace, a 1 s trial run in both, alternated and
compared by median. Against the loopback OpenAI-compatible server (tests/fakes/server.py), paced
at 12 characters per 2 ms chunk like a fast model, the fresh run is answered with the lesson's
own spec, plan and program; the follow-up with the updated spec and plan and a unified diff
(what the change prompts ask for). The figures: wall time, characters the model writes (its
cost and most of its time) and characters it is sent (a change also sends the current code, so
this one is informational) and the two weighted as price lists do (a written token costs about
4× a read one at MiniMax and DeepSeek). Target: a follow-up costs no more than a fresh run —
time, written characters and weighted cost ≤ 1.0×.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path

from _common import REPO, Row, median, parser, print_table, scratch, use_scratch_env

sys.path.insert(0, str(REPO))
TARGET = 1.0
EDIT = "# 我自己加的一行注释\n"


async def _run(lesson) -> object:
    last = None
    async for event in lesson.run():
        last = event
    return last


async def offline_pair(root: Path) -> tuple[float, float]:
    from codeflow_widget.config import load_settings
    from codeflow_widget.flow.lesson import Lesson

    settings = load_settings(
        projects_dir=root / "projects", log_dir=root / "logs", offline_delay=0, smoke_timeout_s=1
    )
    lesson = Lesson(settings)
    started = time.perf_counter()
    lesson.wish("帮我写个贪吃蛇")
    assert (await _run(lesson)).type == "completed"
    fresh = time.perf_counter() - started
    main = Path(lesson.project.path) / "main.py"
    main.write_text(EDIT + main.read_text(encoding="utf-8"), encoding="utf-8")
    started = time.perf_counter()
    lesson.follow_up(lesson.project.path, "让蛇跑得更快")
    assert (await _run(lesson)).type == "completed"
    return fresh, time.perf_counter() - started


async def model_pair(root: Path) -> dict[str, float]:
    from codeflow_widget.config import load_settings
    from codeflow_widget.flow.followups import find_followup, numbered
    from codeflow_widget.flow.lesson import Lesson
    from codeflow_widget.providers.offline import default_catalogue
    from tests.fakes.server import FakeLLMServer

    snake = default_catalogue().get("snake")
    followup = find_followup("让蛇跑得更快", "snake")
    spec, plan, program = (snake.answer(p, "zh") for p in ("specify", "plan", "implement"))
    new_spec = spec.rstrip() + "\n\n" + numbered(followup.text("spec"), 7)
    new_plan = plan.rstrip() + "\n\n" + numbered(followup.text("plan"), 7)
    patch = numbered(followup.patch("zh"), 7)
    change = f"{followup.text('implement').strip()}\n\n```diff\n{patch}```\n"
    server = FakeLLMServer("minimax", chunk_size=12, delay_s=0.002).start()
    try:
        settings = load_settings(
            provider="custom", base_url=server.base_url, model="m", projects_dir=root / "projects",
            log_dir=root / "logs", smoke_timeout_s=1, backoff_s=0,
        )  # fmt: skip
        for phase, answer in (("specify", spec), ("plan", plan), ("implement", program)):
            server.set_answer(phase, answer, thinking="想一想。")
        lesson = Lesson(settings)
        started = time.perf_counter()
        lesson.wish("帮我写个贪吃蛇")
        assert (await _run(lesson)).type == "completed"
        fresh_s = time.perf_counter() - started
        fresh_in = sum(
            len(m["content"]) for r in server.chat_requests() for m in r.body["messages"]
        )
        fresh_out = len(spec) + len(plan) + len(program)
        main = Path(lesson.project.path) / "main.py"
        main.write_text(EDIT + main.read_text(encoding="utf-8"), encoding="utf-8")
        server.requests.clear()
        for phase, answer in (("specify", new_spec), ("plan", new_plan), ("implement", change)):
            server.set_answer(phase, answer)
        started = time.perf_counter()
        lesson.follow_up(lesson.project.path, "让蛇跑得更快")
        last = await _run(lesson)
        assert last.type == "completed", last
        change_s = time.perf_counter() - started
        change_in = sum(
            len(m["content"]) for r in server.chat_requests() for m in r.body["messages"]
        )
        change_out = len(new_spec) + len(new_plan) + len(change)
        assert re.search(r"def speed_for", main.read_text(encoding="utf-8"))
        await lesson.aclose()
    finally:
        server.stop()
    return {
        "fresh_s": fresh_s, "change_s": change_s, "fresh_in": fresh_in, "change_in": change_in,
        "fresh_out": fresh_out, "change_out": change_out,
    }  # fmt: skip


def main() -> int:
    args = parser(__doc__).parse_args()
    rounds = 1 if args.quick else 3
    fresh, change, model = [], [], []
    with scratch("followup") as folder:
        use_scratch_env(folder)
        for n in range(rounds):
            f, c = asyncio.run(offline_pair(folder / f"offline{n}"))
            fresh.append(f)
            change.append(c)
            model.append(asyncio.run(model_pair(folder / f"model{n}")))
    ratio = median(change) / median(fresh)
    m_ratio = median([m["change_s"] for m in model]) / median([m["fresh_s"] for m in model])
    out = model[0]["change_out"] / model[0]["fresh_out"]
    sent = model[0]["change_in"] / model[0]["fresh_in"]
    m0 = model[0]
    cost = (m0["change_in"] + 4 * m0["change_out"]) / (m0["fresh_in"] + 4 * m0["fresh_out"])
    rows = [
        Row("offline: fresh run (median)", f"{median(fresh):.2f} s", "", None),
        Row("offline: follow-up (median)", f"{median(change):.2f} s", "", None),
        Row("offline: follow-up / fresh", f"{ratio:.2f}×", f"≤ {TARGET:.1f}×", ratio <= TARGET),
        Row(
            "loopback: follow-up / fresh, time",
            f"{m_ratio:.2f}×",
            f"≤ {TARGET:.1f}×",
            m_ratio <= TARGET,
        ),
        Row(
            "loopback: characters the model writes",
            f"{model[0]['change_out']} vs {model[0]['fresh_out']} ({out:.2f}×)",
            f"≤ {TARGET:.1f}×",
            out <= TARGET,
        ),
        Row(
            "loopback: weighted cost (written ×4, as price lists charge)",
            f"{cost:.2f}×",
            f"≤ {TARGET:.1f}×",
            cost <= TARGET,
        ),
        Row(
            "loopback: characters the model is sent",
            f"{model[0]['change_in']} vs {model[0]['fresh_in']} ({sent:.2f}×)",
            "(a change sends the code)",
            None,
        ),
    ]
    return 0 if print_table("follow-up vs fresh run", rows) else 1


if __name__ == "__main__":
    sys.exit(main())
