"""The lesson flow, pinned rule by rule (offline lessons and an in-memory provider)."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from codeflow_widget.flow.lesson import Lesson, generate, new_request, run_request
from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import RequestStatus
from codeflow_widget.model.errors import (
    CodeflowError,
    ProviderRejected,
    ProviderTransient,
    TransitionError,
)
from codeflow_widget.output.projects import zip_project
from codeflow_widget.providers.offline import OfflineLessons

from .play.procs import descendants
from .scripted import GOOD_CODE, ScriptedProvider, Step
from .test_lessons import teacher_lesson


async def collect(stream) -> list:
    return [event async for event in stream]


def types(events) -> list[str]:
    return [e.type for e in events if e.type not in ("thinking", "content", "progress")]


def project_dirs(settings) -> list[Path]:
    root = Path(settings.projects_dir)
    return sorted(p for p in root.iterdir()) if root.exists() else []


async def test_offline_snake_runs_the_three_phases_in_order_and_writes_a_project(fast_settings):
    events = await collect(generate("帮我写个贪吃蛇", settings=fast_settings))
    assert types(events) == [
        "started", "request_status",
        "phase_started", "phase_completed",
        "phase_started", "phase_completed",
        "phase_started", "validation", "smoke_run", "project_written", "phase_completed",
        "request_status", "completed",
    ]  # fmt: skip
    started = events[0]
    assert started.offline and "离线示例模式" in started.notice
    assert [e.phase for e in events if e.type == "phase_started"] == [
        "specify",
        "plan",
        "implement",
    ]
    assert any(e.type == "thinking" for e in events)
    done = events[-1]
    folder = Path(done.project.path)
    assert (
        folder.name.startswith("snake_")
        and folder.parent == Path(fast_settings.projects_dir).resolve()
    )
    assert {"main.py", "README.md", "spec.md", "plan.md", "run.ipynb", "project.json"} <= {
        p.name for p in folder.iterdir()
    }
    meta = json.loads((folder / "project.json").read_text(encoding="utf-8"))
    assert meta["syntax_validated"] is True and meta["smoke_run"]["ok"] is True
    assert meta["dependencies"] == ["pygame"]
    assert meta["file_structure"]["type"] == "directory"


async def test_each_phase_prompt_carries_the_earlier_phases_output(fast_settings):
    provider = ScriptedProvider().enqueue(
        Step(content="SPEC-TEXT"), Step(content="PLAN-TEXT"), Step()
    )
    await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    specify, plan, implement = (
        " ".join(m.content for m in call.messages) for call in provider.calls
    )
    assert "[phase:specify]" in specify and "SPEC-TEXT" not in specify
    assert "[phase:plan]" in plan and "SPEC-TEXT" in plan
    assert (
        "[phase:implement]" in implement and "SPEC-TEXT" in implement and "PLAN-TEXT" in implement
    )


async def test_thinking_never_reaches_spec_plan_or_code(fast_settings):
    secret = "内心独白-THOUGHT-42"
    provider = ScriptedProvider().enqueue(
        Step(thinking=secret), Step(thinking=secret), Step(thinking=secret)
    )
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    assert any(e.type == "thinking" and secret in e.text for e in events)
    assert all(secret not in e.output for e in events if e.type == "phase_completed")
    folder = Path(events[-1].project.path)
    for path in folder.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8")


async def test_events_are_frozen_and_round_trip_through_json(fast_settings):
    events = await collect(generate("猜数字", settings=fast_settings))
    with pytest.raises(ValidationError):
        events[0].user_input = "x"  # type: ignore[misc]
    for event in events:
        assert ev.parse_event(json.dumps(event.to_json())) == event


async def test_wish_without_a_lesson_fails_naming_three_lessons_and_one_line_on_models(
    fast_settings,
):
    events = await collect(generate("写一个操作系统内核", settings=fast_settings))
    failed = events[-1]
    assert failed.type == "failed" and failed.error_code == "offline.no_match"
    # Nothing in the wish is close to a lesson: the fixed first three, named in Chinese.
    assert failed.error_message == (
        "离线示例模式里没有和「写一个操作系统内核」对应的课程。"
        "最接近的离线课程：贪吃蛇 (snake)、俄罗斯方块 (tetris)、五子棋 (gomoku)，"
        "可以试试其中一个，或换个说法。"
        "想做任何程序，可以连接一个真正的模型：向老师要一个 API Key，或看 notebooks/03_连接你的模型.ipynb。"
    )
    assert "MINIMAX_API_KEY" not in failed.error_message  # a student can't act on it
    assert [(s.id, s.name) for s in failed.suggestions] == [
        ("snake", "贪吃蛇"), ("tetris", "俄罗斯方块"), ("gomoku", "五子棋"),
    ]  # fmt: skip
    catalogue = OfflineLessons().catalogue  # a click starts the lesson's first example wish
    for suggestion in failed.suggestions:
        assert suggestion.example == catalogue.get(suggestion.id).examples["zh"][0]
    assert ev.parse_event(json.dumps(failed.to_json())) == failed
    assert project_dirs(fast_settings) == []


async def test_english_wish_without_a_lesson_offers_the_nearest_board_games(fast_settings):
    settings = fast_settings.model_copy(update={"language": "en"})
    failed = (await collect(generate("make me a chinese chess game", settings=settings)))[-1]
    assert failed.error_code == "offline.no_match"
    ids = [s.id for s in failed.suggestions]
    assert len(ids) == 3 and set(ids[:2]) == {"gomoku", "tic_tac_toe"}
    names = {"gomoku": "Gomoku", "tic_tac_toe": "Tic-Tac-Toe"}
    assert [s.name for s in failed.suggestions][:2] == [names[i] for i in ids[:2]]
    assert failed.error_message.endswith(
        "To build anything you like, connect a real model: ask your teacher for an API key, "
        "or see notebooks/03_连接你的模型.ipynb."
    )


def test_example_wishes_offer_a_teachers_lessons_after_the_first_three(fast_settings, tmp_path):
    teacher_lesson(tmp_path / "class_lessons")
    settings = fast_settings.model_copy(update={"lessons_dir": tmp_path / "class_lessons"})
    examples = Lesson(settings).examples()
    assert examples["zh"][:4] == [
        "帮我写个贪吃蛇",
        "帮我写个猜数字游戏",
        "帮我写个井字棋",
        "火箭游戏",
    ]
    assert examples["en"][3] == "rocket game"
    assert "火箭游戏" not in Lesson(fast_settings).examples()["zh"]  # no lessons_dir, no rocket


async def test_transient_error_restarts_the_phase_and_tells_front_ends_to_clear(fast_settings):
    provider = ScriptedProvider().enqueue(
        Step(error=ProviderTransient("provider.unavailable", status=500), fail_after=3)
    )
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    reset = next(e for e in events if e.type == "phase_reset")
    assert reset.phase == "specify" and reset.attempt == 2
    assert events[-1].type == "completed"
    assert provider.closed_streams == len(provider.calls)  # every stream was closed


async def test_rejected_error_is_not_retried(fast_settings):
    provider = ScriptedProvider().enqueue(
        Step(
            error=ProviderRejected(
                "provider.auth", status=401, env_var="MINIMAX_API_KEY", provider="MiniMax"
            )
        )
    )
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    assert len(provider.calls) == 1
    failed = events[-1]
    assert (
        failed.type == "failed"
        and "MINIMAX_API_KEY" in failed.error_message
        and failed.phase == "specify"
    )
    assert [e.type for e in events][-3:] == ["phase_failed", "request_status", "failed"]


async def test_transient_errors_give_up_after_max_retries(fast_settings):
    settings = fast_settings.model_copy(update={"breaker_threshold": 10})
    err = ProviderTransient("provider.unavailable", status=503)
    provider = ScriptedProvider().enqueue(*[Step(error=err)] * 10)
    events = await collect(
        run_request(new_request("做个小游戏", settings, provider), provider, settings)
    )
    assert len(provider.calls) == settings.max_retries + 1
    assert events[-1].type == "failed" and "503" in events[-1].error_message


async def test_a_provider_that_keeps_failing_trips_the_breaker(fast_settings):
    err = ProviderTransient("provider.unavailable", status=500)
    provider = ScriptedProvider().enqueue(*[Step(error=err)] * 10)
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    assert len(provider.calls) == fast_settings.breaker_threshold
    # The request that tripped the breaker reports the cause; the next one is refused at once.
    assert events[-1].error_code == "provider.unavailable" and "500" in events[-1].error_message
    again = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    assert (
        again[-1].error_code == "breaker.open"
        and len(provider.calls) == fast_settings.breaker_threshold
    )


async def test_empty_answer_gets_one_correction_then_fails_clearly(fast_settings):
    provider = ScriptedProvider().enqueue(Step(content=""), Step(content=""))
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    assert len(provider.calls) == 2
    assert "你上一次的回答有问题" in provider.calls[1].messages[-1].content
    assert events[-1].type == "failed" and "空回答" in events[-1].error_message


async def test_implement_answer_without_code_is_corrected_once(fast_settings):
    provider = ScriptedProvider().enqueue(
        Step(), Step(), Step(content="我觉得可以这样写，但这里没有代码。"), Step()
    )
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    assert events[-1].type == "completed"
    assert sum(e.type == "phase_reset" for e in events) == 1


async def test_syntax_error_that_survives_the_correction_fails_and_is_kept_for_study(fast_settings):
    broken = "```python main.py\nimport time\n\ndef main(:\n    pass\n```"
    provider = ScriptedProvider().enqueue(
        Step(), Step(), Step(content=broken), Step(content=broken)
    )
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    failed = events[-1]
    assert failed.type == "failed" and "第 3 行" in failed.error_message  # names the line
    assert failed.project is not None and failed.project.syntax_validated is False
    with pytest.raises(CodeflowError):
        zip_project(failed.project.path)
    assert [p.name.startswith(".staging") for p in project_dirs(fast_settings)] == [False]


async def test_code_that_crashes_in_the_smoke_run_gets_one_correction(fast_settings):
    crash = "```python main.py\nraise RuntimeError('boom')\n```"
    provider = ScriptedProvider().enqueue(
        Step(), Step(), Step(content=crash), Step(content=GOOD_CODE)
    )
    events = await collect(
        run_request(new_request("做个小游戏", fast_settings, provider), provider, fast_settings)
    )
    smoke = [e.result for e in events if e.type == "smoke_run"]
    assert [s.ok for s in smoke] == [False, True]
    assert events[-1].type == "completed"
    assert len(project_dirs(fast_settings)) == 1


async def test_cancel_mid_stream_fails_with_cancelled_and_leaves_no_project(fast_settings):
    provider = ScriptedProvider().enqueue(
        Step(delay_s=0.01), Step(delay_s=0.01), Step(delay_s=0.05)
    )
    request = new_request("做个小游戏", fast_settings, provider)
    seen: list = []

    async def consume():
        async for event in run_request(request, provider, fast_settings):
            seen.append(event)

    task = asyncio.create_task(consume())
    while not any(e.type == "content" and e.phase == "implement" for e in seen):
        await asyncio.sleep(0.01)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert seen[-1].type == "failed" and seen[-1].error_message == "已取消"
    assert request.status is RequestStatus.FAILED and request.error_message == "已取消"
    assert provider.closed_streams == len(provider.calls)
    assert project_dirs(fast_settings) == []


def descendants_running(needle: str) -> list[int]:
    """Pids of this process's live descendants whose command line mentions ``needle``."""
    return descendants(os.getpid(), needle)


async def wait_for_descendant_running(needle: str, deadline_s: float = 60) -> None:
    """Poll (generously) until a child process runs ``needle``; fail, never skip, if none does."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + deadline_s
    while not descendants_running(needle):
        assert loop.time() < give_up, f"no process running {needle} appeared"
        await asyncio.sleep(0.02)


async def test_cancel_during_the_smoke_run_leaves_no_staging_folder(fast_settings):
    settings = fast_settings.model_copy(update={"smoke_timeout_s": 30})
    request = new_request("帮我写个贪吃蛇", settings, OfflineLessons(pace=0))
    seen: list = []

    async def consume():
        async for event in run_request(request, OfflineLessons(pace=0), settings):
            seen.append(event)

    task = asyncio.create_task(consume())
    while not any(e.type == "validation" for e in seen):
        await asyncio.sleep(0.01)
    await wait_for_descendant_running("main.py")  # the smoke run's program is alive now
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert seen[-1].type == "failed" and seen[-1].error_code == "request.cancelled"
    assert project_dirs(settings) == []
    assert descendants_running("main.py") == [], "the smoke run's program outlived the cancel"


async def test_learner_can_retry_a_failed_request_three_times_then_is_refused(fast_settings):
    provider = ScriptedProvider().enqueue(
        *[Step(error=ProviderRejected("provider.bad_request", status=400))] * 4
    )
    request = new_request("做个小游戏", fast_settings, provider)
    await collect(run_request(request, provider, fast_settings))
    for expected in (1, 2, 3):
        request.begin_retry()
        assert request.retry_count == expected and request.status is RequestStatus.RETRYING
        assert all(p.status.value == "pending" for p in request.phases)
        events = await collect(run_request(request, provider, fast_settings))
        assert events[-1].type == "failed" and events[-1].retry_count == expected
    assert events[-1].can_retry is False
    with pytest.raises(TransitionError) as refused:
        request.begin_retry()
    assert "3" in refused.value.message()


async def test_retry_after_failure_can_complete(fast_settings):
    provider = ScriptedProvider().enqueue(
        Step(error=ProviderRejected("provider.bad_request", status=400))
    )
    request = new_request("做个小游戏", fast_settings, provider)
    first = await collect(run_request(request, provider, fast_settings))
    assert first[-1].type == "failed" and first[-1].can_retry
    request.begin_retry()
    second = await collect(run_request(request, provider, fast_settings))
    assert second[-1].type == "completed" and second[0].retry_count == 1


async def test_trace_log_records_each_phase_with_durations(fast_settings):
    await collect(generate("帮我写个贪吃蛇", settings=fast_settings))
    lines = [
        json.loads(line)
        for line in Path(fast_settings.log_file).read_text(encoding="utf-8").splitlines()
    ]
    names = [line["event"] for line in lines]
    assert names[0] == "request_started" and names[-1] == "request_completed"
    completed = [line for line in lines if line["event"] == "phase_completed"]
    assert [line["phase"] for line in completed] == ["specify", "plan", "implement"]
    assert all(line["duration_ms"] is not None and line["request_id"] for line in completed)


async def test_english_language_switches_learner_messages(fast_settings):
    settings = fast_settings.model_copy(update={"language": "en"})
    events = await collect(generate("snake game please", settings=settings))
    first_phase = next(e for e in events if e.type == "phase_started")
    assert first_phase.title == "Specify" and events[-1].type == "completed"
    failed = (await collect(generate("an operating system kernel", settings=settings)))[-1]
    assert "Offline lesson mode has no lesson" in failed.error_message


@pytest.mark.parametrize(
    "wish", ["帮我写个贪吃蛇", "我想玩贪吃蛇", "snake game please", "Make me a SNAKE game!"]
)
def test_offline_matching_accepts_everyday_phrasing(wish):
    assert OfflineLessons(pace=0).lesson_for(wish).id == "snake"
