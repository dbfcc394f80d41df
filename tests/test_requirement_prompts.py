"""Requirement ids through a real model: the prompts ask for them and the answers are read by them.

Against the loopback OpenAI-compatible server: the fresh run's Specify prompt asks for ids
``- R1 …`` (zh and en), Plan for the ids each function serves, Implement for ``# 计划：…（R…）``
comments; a model's spec with written ids is parsed by those ids (not by counting), and a
follow-up's prompts name the ids the spec has, where new ones start, and which ids the change adds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from codeflow_widget.config import load_settings
from codeflow_widget.flow.history import project_state
from codeflow_widget.flow.lesson import Lesson
from codeflow_widget.model import events as ev
from tests.fakes.scenarios import PROGRAM, implement_answer

SPEC = """# 弹跳小球 需求说明

## 功能需求
- R1 窗口里有一个黄色小球。
- R4 小球碰到窗口边缘会反弹。

## 验收标准
1. 小球会移动
"""
PLAN = "# 方案\n\n## 函数\n- `main()`（R1、R4）：主循环。\n"
CODE = PROGRAM.replace("def main():", "# 计划：main（R1、R4）\ndef main():", 1)
NEW_SPEC = SPEC.replace(
    "## 验收标准", "- R5 小球更快。\n\n## 改动：更快\n- R5 是新的需求。\n\n## 验收标准"
)


def _settings(root: Path, server, language: str = "zh"):
    return load_settings(
        provider="custom", base_url=server.base_url, model="m", projects_dir=root / "projects",
        log_dir=root / "logs", smoke_timeout_s=2, backoff_s=0, language=language,
    )  # fmt: skip


def _run(lesson: Lesson) -> list:
    async def collect():
        return [event async for event in lesson.run()]

    return asyncio.run(collect())


def _sent(server, phase: str) -> tuple[str, str]:
    request = [r for r in server.chat_requests() if r.phase == phase][-1]
    messages = request.body["messages"]
    return messages[0]["content"], messages[1]["content"]


@pytest.mark.parametrize(
    ("language", "asks"),
    [
        ("zh", ("`- R1 ……`", "（R2、R3）", "# 计划：函数名（R2、R3）")),
        ("en", ("`- R1 …`", "(R2, R3)", "# plan: name (R2, R3)")),
    ],
)
def test_the_fresh_run_asks_for_ids_and_reads_the_models_ids(fake_llm, tmp_path, language, asks):
    fake_llm.set_answer("specify", SPEC).set_answer("plan", PLAN)
    fake_llm.set_answer("implement", implement_answer(CODE))
    lesson = Lesson(_settings(tmp_path, fake_llm, language))
    lesson.wish("做一个弹跳小球")
    events = _run(lesson)
    assert isinstance(events[-1], ev.Completed), events[-1]

    for phase, ask in zip(("specify", "plan", "implement"), asks, strict=True):
        system, _ = _sent(fake_llm, phase)
        assert system.startswith(f"[phase:{phase}]\n") and ask in system, phase
    requirements = project_state(lesson.project.path)["trace"]["requirements"]
    # the written ids, R1 and R4 (a count of the list would say R1, R2), none derived
    assert [(r["id"], r["explicit"]) for r in requirements] == [("R1", True), ("R4", True)]
    report = next(e for e in events if isinstance(e, ev.ValidationReport))
    assert [f for f in report.findings if f.code == "trace_uncovered"] == []


def test_a_model_spec_without_ids_falls_back_to_its_numbered_list(fake_llm, tmp_path):
    lesson = Lesson(_settings(tmp_path, fake_llm))  # the scripted spec numbers "1. 2." without ids
    lesson.wish("做一个弹跳小球")
    assert isinstance(_run(lesson)[-1], ev.Completed)
    requirements = project_state(lesson.project.path)["trace"]["requirements"]
    assert [(r["id"], r["explicit"]) for r in requirements] == [("R1", False), ("R2", False)]


def test_follow_up_prompts_name_the_ids_so_far_and_the_ids_the_change_adds(fake_llm, tmp_path):
    fake_llm.set_answer("specify", SPEC).set_answer("plan", PLAN)
    fake_llm.set_answer("implement", implement_answer(CODE))
    lesson = Lesson(_settings(tmp_path, fake_llm))
    lesson.wish("做一个弹跳小球")
    assert isinstance(_run(lesson)[-1], ev.Completed)
    project = Path(lesson.project.path)
    fake_llm.reset()
    faster = CODE.replace("x, y, dx, dy = 40, 40, 4, 3", "x, y, dx, dy = 40, 40, 6, 5  # R5")
    fake_llm.set_answer("specify", NEW_SPEC).set_answer("plan", PLAN + "- 修改 `main()`（R5）\n")
    fake_llm.set_answer("implement", implement_answer(faster))

    lesson.follow_up(project, "让小球更快")
    assert isinstance(_run(lesson)[-1], ev.Completed)

    _, specify = _sent(fake_llm, "specify")
    assert "现有需求 R1–R4，保留这些编号；这次新增的需求从 R5 开始。" in specify
    for phase in ("plan", "implement"):
        system, body = _sent(fake_llm, phase)
        assert "[change]" in system and "这次改动的需求：R5。" in body, phase
    ids = [r["id"] for r in project_state(project)["trace"]["requirements"]]
    assert ids == ["R1", "R4", "R5"]
