"""Five learners at once in one process (the classroom's upper bound).

``asyncio.gather`` of five ``generate(...)`` consumers, first on the offline lessons
(pace 0.05, so the streams really overlap), then on the loopback server with a
delay between chunks. Each must complete; the projects must be isolated, with
distinct names; every trace line must be valid JSON and belong to one request; and
the five must really have run at the same time (their phases overlap in the trace).

How long five take against one is a timing, so it lives in
``benchmarks/bench_concurrency.py`` (target < 1.5×, measured side by side).
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from codeflow_widget.config import Settings, load_settings
from codeflow_widget.flow.lesson import generate
from codeflow_widget.model.entities import PROJECT_NAME

from .fakes.server import FakeLLMServer

LEARNERS = 5
WISH = "帮我写个贪吃蛇"


async def one_flow(settings: Settings, text: str = WISH) -> list[Any]:
    return [event async for event in generate(text, settings=settings)]


async def at_once(settings: Settings, n: int = LEARNERS) -> list[list[Any]]:
    await one_flow(settings)  # warm-up: imports, pygame's first start, disk caches
    return list(await asyncio.gather(*(one_flow(settings) for _ in range(n))))


def check_runs(settings: Settings, runs: list[list[Any]]) -> None:
    """Each completed, in its own project, with only its own events and trace lines."""
    finals = [run[-1] for run in runs]
    assert [f.type for f in finals] == ["completed"] * LEARNERS, [
        getattr(f, "error_message", "") for f in finals
    ]
    ids = [f.request_id for f in finals]
    assert len(set(ids)) == LEARNERS
    for run, rid in zip(runs, ids, strict=True):
        assert {e.request_id for e in run} == {rid}, "events crossed between learners"
        phases = [e.phase for e in run if e.type == "phase_started"]
        assert phases == ["specify", "plan", "implement"]
    names = [f.project.project_name for f in finals]
    assert len(set(names)) == LEARNERS, names
    root = Path(settings.projects_dir)
    folders = {p.name for p in root.iterdir()}  # the warm-up and single runs are here too
    assert set(names) <= folders and all(PROJECT_NAME.match(n) for n in folders), folders
    for final in finals:
        folder = Path(final.project.path)
        meta = json.loads((folder / "project.json").read_text(encoding="utf-8"))
        assert meta["request_id"] == final.request_id and meta["project_name"] == folder.name
        assert (folder / meta["main_file_path"]).is_file()
    lines = Path(settings.log_file).read_text(encoding="utf-8").splitlines()
    per_request: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        record = json.loads(line)  # every line whole and valid
        per_request[record["request_id"]].append(record["event"])
    for rid in ids:
        events = per_request[rid]
        assert events[0] == "request_started" and events[-1] == "request_completed", events
        assert events.count("phase_completed") == 3 and events.count("project_written") == 1


def assert_overlapping(settings: Settings, runs: list[list[Any]]) -> None:
    """Every flow started before any of them finished: they ran at once, not in turn."""
    ids = {run[-1].request_id for run in runs}
    records = [
        json.loads(line)
        for line in (Path(settings.log_dir) / "system_trace.jsonl").read_text("utf-8").splitlines()
    ]
    starts = [
        r["ts"] for r in records if r["event"] == "request_started" and r["request_id"] in ids
    ]
    ends = [
        r["ts"] for r in records if r["event"] == "request_completed" and r["request_id"] in ids
    ]
    assert len(starts) == len(ends) == LEARNERS
    assert max(starts) < min(ends), "the flows ran one after another"


async def test_five_offline_flows_at_once(isolated):
    settings = load_settings(offline_pace=0.05, smoke_timeout_s=0.5, backoff_s=0)
    runs = await at_once(settings)
    check_runs(settings, runs)
    assert_overlapping(settings, runs)


@pytest.fixture
def slow_llm():
    server = FakeLLMServer("minimax", delay_s=0.01).start()  # 10 ms between chunks of 12 characters
    yield server
    server.stop()


async def test_five_loopback_flows_at_once(isolated, slow_llm):
    settings = load_settings(
        provider="custom",
        base_url=slow_llm.base_url,
        model="fake-model",
        smoke_timeout_s=1,
        backoff_s=0,
    )
    runs = await at_once(settings)
    check_runs(settings, runs)
    assert_overlapping(settings, runs)
    streams = [r for r in slow_llm.chat_requests() if r.stream]
    assert len(streams) == 3 * (1 + LEARNERS)  # every phase of every flow really went over HTTP


async def test_five_learners_with_different_wishes_stay_apart(isolated):
    """Mixed lessons (and one wish with no lesson) at once: no cross-talk, one failure stays one."""
    settings = load_settings(offline_pace=0.02, smoke_timeout_s=0.5, backoff_s=0)
    wishes = [
        "帮我写个贪吃蛇",
        "做一个猜数字游戏",
        "井字棋",
        "做个乒乓球游戏",
        "帮我做一个会飞的恐龙网站",
    ]
    runs = await asyncio.gather(*(one_flow(settings, w) for w in wishes))
    finals = [run[-1] for run in runs]
    assert [f.type for f in finals[:4]] == ["completed"] * 4 and finals[4].type == "failed"
    assert finals[4].error_code == "offline.no_match"
    types = [f.project.project_type for f in finals[:4]]
    assert len(set(types)) == 4, types
    for run, wish in zip(runs, wishes, strict=True):
        assert run[0].user_input == wish and len({e.request_id for e in run}) == 1
    for line in Path(settings.log_file).read_text(encoding="utf-8").splitlines():
        json.loads(line)
