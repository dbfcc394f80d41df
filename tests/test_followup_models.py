"""Follow-ups against the real loopback OpenAI-compatible server: change prompts, diffs, retries."""

from __future__ import annotations

import asyncio
import difflib
import json
from pathlib import Path

from codeflow_widget.config import load_settings
from codeflow_widget.flow.lesson import Lesson
from codeflow_widget.model import events as ev
from codeflow_widget.model.events import ChangeDiff
from codeflow_widget.output.versions import ProjectHistory, undo
from tests.fakes.scenarios import PROGRAM, implement_answer, ok

EDIT = "# 学习者自己的一行：以后把小球换成红色\n"
NEW_SPEC = """# 弹跳小球 需求说明

## 功能需求
- R1 窗口里有一个小球，碰到边缘会反弹。
- R2 小球的速度更快：每帧横向 6 像素、纵向 5 像素。

## 改动：更快的小球
- R2 是新的需求。
"""
NEW_PLAN = """# 弹跳小球 技术方案

## 函数
- `main()`（R1、R2）：主循环。

## 改动：更快的小球（R2）
- 修改 `main()`（R2）：把起始速度从 (4, 3) 改成 (6, 5)；其余不变。
"""
FASTER = PROGRAM.replace("x, y, dx, dy = 40, 40, 4, 3", "x, y, dx, dy = 40, 40, 6, 5  # R2")


def _diff(old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(True), new.splitlines(True), "a/main.py", "b/main.py"
    )
    return "".join(lines)


def _settings(root: Path, server):
    return load_settings(
        provider="custom", base_url=server.base_url, model="m", projects_dir=root / "projects",
        log_dir=root / "logs", smoke_timeout_s=2, backoff_s=0,
    )  # fmt: skip


def _run(lesson: Lesson) -> list:
    async def collect():
        return [event async for event in lesson.run()]

    return asyncio.run(collect())


def _fresh(lesson: Lesson) -> Path:
    lesson.wish("做一个弹跳小球")
    assert isinstance(_run(lesson)[-1], ev.Completed)
    return Path(lesson.project.path)


def test_a_diff_that_does_not_fit_gets_one_corrective_retry_and_the_edit_survives(
    fake_llm, tmp_path
):
    lesson = Lesson(_settings(tmp_path, fake_llm))
    project = _fresh(lesson)
    main = project / "main.py"
    main.write_text(EDIT + main.read_text(encoding="utf-8"), encoding="utf-8")
    fake_llm.reset()
    fake_llm.set_answer("specify", NEW_SPEC).set_answer("plan", NEW_PLAN)
    good = f"把起始速度改大。\n\n```diff\n{_diff(PROGRAM, FASTER)}```\n"
    stale = good.replace("x, y, dx, dy = 40, 40, 4, 3", "x, y, dx, dy = 10, 10, 1, 1")
    fake_llm.set_answer("implement", good)
    fake_llm.enqueue(ok(answer=stale), times=1, phase="implement")

    lesson.follow_up(project, "让小球跑得更快")
    events = _run(lesson)

    assert isinstance(events[-1], ev.Completed), events[-1]
    code = main.read_text(encoding="utf-8")
    assert code.startswith(EDIT) and "dx, dy = 40, 40, 6, 5  # R2" in code
    requests = {
        phase: [r for r in fake_llm.chat_requests() if r.phase == phase]
        for phase in ("specify", "plan", "implement")
    }
    assert [len(requests[p]) for p in ("specify", "plan", "implement")] == [1, 1, 2]
    first = requests["implement"][0].body["messages"]
    assert first[0]["content"].startswith("[phase:implement]\n[change]\n")
    assert f"+{EDIT.strip()}" in first[1]["content"]  # the learner's edits, sent as a diff
    assert "R2 小球的速度更快" in first[1]["content"]  # and the new spec
    retry = requests["implement"][1].body["messages"][-1]["content"]
    assert "放不进现在的代码" in retry and "x, y, dx, dy = 10, 10, 1, 1" in retry  # what it missed
    resets = [e for e in events if isinstance(e, ev.PhaseReset) and e.phase == "implement"]
    assert len(resets) == 1
    versions = ProjectHistory(project).versions()
    assert [v.kind for v in versions] == ["wish", "my_edit", "wish"]
    diffs = [e for e in events if isinstance(e, ChangeDiff) and e.phase == "implement"]
    assert diffs and "+    x, y, dx, dy = 40, 40, 6, 5  # R2" in diffs[-1].diff


def test_whole_files_that_keep_crashing_become_a_version_that_undo_takes_back(fake_llm, tmp_path):
    lesson = Lesson(_settings(tmp_path, fake_llm))
    project = _fresh(lesson)
    before = (project / "main.py").read_bytes()
    fake_llm.reset()
    fake_llm.set_answer("specify", NEW_SPEC).set_answer("plan", NEW_PLAN)
    crashing = PROGRAM.replace(
        "    pygame.init()\n", "    pygame.init()\n    raise RuntimeError('boom')\n"
    )
    fake_llm.set_answer("implement", implement_answer(crashing))

    lesson.follow_up(project, "让小球跑得更快")
    events = _run(lesson)

    failed = events[-1]
    assert isinstance(failed, ev.Failed) and failed.error_code == "run.failed"
    assert len([r for r in fake_llm.chat_requests() if r.phase == "implement"]) == 2
    last = ProjectHistory(project).latest()
    assert (
        last.n == 2 and last.crashed and "boom" in (project / "main.py").read_text(encoding="utf-8")
    )
    back = undo(project)  # one call takes the crashing version back
    assert back.kind == "restore" and back.note == "1"
    assert (project / "main.py").read_bytes() == before
    meta = json.loads((project / "project.json").read_text(encoding="utf-8"))
    assert meta["smoke_run"]["ok"] is True  # the restored version's trial run


def test_a_requirement_nothing_covers_is_a_finding_beside_the_checks(fake_llm, tmp_path):
    fake_llm.set_answer("specify", "# 小球\n\n## 功能需求\n- R1 小球会反弹。\n- R2 按空格暂停。\n")
    fake_llm.set_answer("plan", "# 方案\n\n- `main()`（R1）：主循环。\n")
    lesson = Lesson(_settings(tmp_path, fake_llm))
    lesson.wish("做一个弹跳小球")
    events = _run(lesson)
    assert isinstance(events[-1], ev.Completed)
    report = next(e for e in events if isinstance(e, ev.ValidationReport))
    uncovered = [f for f in report.findings if f.code == "trace_uncovered"]
    # R1 is in the plan but no code comment names it; R2 is in neither.
    assert [(f.severity, f.file, f.line) for f in uncovered] == [
        ("warning", "spec.md", 4),
        ("warning", "spec.md", 5),
    ]
    assert "no plan item" not in uncovered[0].message_en and "R1" in uncovered[0].message
    assert "no plan item says it serves R2" in uncovered[1].message_en
    assert "no function's comment mentions R2" in uncovered[1].message_en
    assert report.ok  # a warning, shown like the other findings, not a failure
