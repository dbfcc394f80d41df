"""Follow-up wishes through the Python API, offline: a change, versions, edits kept, nothing partial."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from codeflow_widget.config import load_settings
from codeflow_widget.flow.lesson import Lesson
from codeflow_widget.model import events as ev
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.events import (
    ChangeDiff,
    CheckpointReached,
    DraftKept,
    VersionCommitted,
)
from codeflow_widget.output.versions import ProjectHistory, restore

LEARNER_LINE = "# 我自己加的：蛇的颜色以后换成蓝色\n"


def _settings(root: Path, **extra):
    return load_settings(
        projects_dir=root / "projects", log_dir=root / "logs", offline_delay=0,
        smoke_timeout_s=1, backoff_s=0, **extra,
    )  # fmt: skip


async def _events(lesson: Lesson) -> list:
    return [event async for event in lesson.run()]


@pytest.fixture(scope="module")
def snake_project(tmp_path_factory) -> Path:
    """One fresh offline snake project (version 1), copied by each test."""
    root = tmp_path_factory.mktemp("fresh")
    lesson = Lesson(_settings(root))
    lesson.wish("帮我写个贪吃蛇")
    events = asyncio.run(_events(lesson))
    assert isinstance(events[-1], ev.Completed)
    assert not any(isinstance(e, VersionCommitted) for e in events)  # fresh runs stay as they were
    folder = Path(lesson.project.path)
    assert [(v.n, v.wish) for v in ProjectHistory(folder).versions()] == [(1, "帮我写个贪吃蛇")]
    return folder


@pytest.fixture
def project(snake_project, tmp_path) -> Path:
    target = tmp_path / "projects" / snake_project.name
    shutil.copytree(snake_project, target)
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_follow_up_keeps_the_learners_edit_and_becomes_version_3(project, tmp_path):
    main = project / "main.py"
    main.write_text(LEARNER_LINE + main.read_text(encoding="utf-8"), encoding="utf-8")
    lesson = Lesson(_settings(tmp_path))
    lesson.follow_up(project, "让蛇跑得更快")
    events = asyncio.run(_events(lesson))

    assert isinstance(events[-1], ev.Completed), events[-1]
    code = main.read_text(encoding="utf-8")
    assert code.startswith(LEARNER_LINE)  # built on the edit, not over it
    assert "def speed_for(score):" in code and 'clock.tick(speed_for(state["score"]))' in code
    versions = ProjectHistory(project).versions()
    assert [(v.n, v.kind) for v in versions] == [(1, "wish"), (2, "my_edit"), (3, "wish")]
    assert versions[1].wish == "我的修改" and versions[1].files_changed == ["main.py"]
    assert versions[2].wish == "让蛇跑得更快" and versions[2].smoke["ok"] is True
    assert versions[2].files_changed == ["main.py", "plan.md", "spec.md"]

    diffs = {(e.phase, e.file): e.diff for e in events if isinstance(e, ChangeDiff)}
    assert set(diffs) == {("specify", "spec.md"), ("plan", "plan.md"), ("implement", "main.py")}
    assert "+- R8 开局速度和原来一样" in diffs[("specify", "spec.md")]  # numbered after R1–R7
    assert "+- 新增 `speed_for(score)`（R8）" in diffs[("plan", "plan.md")]
    assert "+def speed_for(score):" in diffs[("implement", "main.py")]
    assert LEARNER_LINE.strip() not in diffs[("implement", "main.py")]  # the edit is not "changed"
    spec = (project / "spec.md").read_text(encoding="utf-8")
    assert "- R9 信息栏显示当前速度等级" in spec and "- R1 作为玩家" in spec  # old text kept


def test_second_follow_up_continues_the_numbering_and_both_changes_stay(project, tmp_path):
    lesson = Lesson(_settings(tmp_path, language="en"))
    for wish in ("make the snake faster", "add some obstacles"):
        lesson.follow_up(project, wish)
        assert isinstance(asyncio.run(_events(lesson))[-1], ev.Completed)
    spec = (project / "spec.md").read_text(encoding="utf-8")
    assert "- R8 The snake starts at the old speed" in spec
    assert "- R10 Each game places 8 grey rocks" in spec  # after R8, R9 of the first change
    code = (project / "main.py").read_text(encoding="utf-8")
    assert "def speed_for(score):" in code and "def place_rocks(snake):" in code
    assert [v.n for v in ProjectHistory(project).versions()] == [1, 2, 3]


def test_unknown_follow_up_lists_the_offer_and_touches_nothing(project, tmp_path):
    before = _files(project)
    lesson = Lesson(_settings(tmp_path))
    with pytest.raises(CodeflowError) as err:
        lesson.follow_up(project, "加个计分板")
    zh, en = err.value.message("zh"), err.value.message("en")
    assert err.value.code == "followup.no_match"
    assert "越吃越快" in zh and "加障碍物" in zh and "穿墙模式" in zh and "项目没有任何改动" in zh
    assert "Faster as it eats" in en and "Nothing was changed" in en
    assert _files(project) == before


def test_a_conflict_with_the_learners_edit_fails_and_leaves_every_file_as_it_was(project, tmp_path):
    main = project / "main.py"
    main.write_text(
        main.read_text(encoding="utf-8").replace("clock.tick(FPS)", "clock.tick(FPS * 2)"),
        encoding="utf-8",
    )  # the very line the curated change rewrites
    before = _files(project)
    lesson = Lesson(_settings(tmp_path))
    lesson.follow_up(project, "让蛇跑得更快")
    events = asyncio.run(_events(lesson))
    failed = events[-1]
    assert isinstance(failed, ev.Failed) and failed.error_code == "patch.conflict"
    assert "clock.tick(FPS)" in failed.error_message and "项目没有任何改动" in failed.error_message
    assert _files(project) == before  # no file, no project.json entry, no snapshot
    assert not any(p.name.startswith(".staging") for p in project.parent.iterdir())


def test_restore_version_1_is_byte_exact_after_a_follow_up(project, tmp_path):
    original = ProjectHistory(project).snapshot(1)
    lesson = Lesson(_settings(tmp_path))
    lesson.follow_up(project, "加点障碍物")
    asyncio.run(_events(lesson))
    assert (project / "main.py").read_bytes() != original["main.py"]
    back = restore(project, 1)
    assert back.kind == "restore" and back.n == 3
    assert {p: (project / p).read_bytes() for p in original} == original
    meta = json.loads((project / "project.json").read_text(encoding="utf-8"))
    assert [v["kind"] for v in meta["versions"]] == ["wish", "wish", "restore"]


def test_step_mode_uses_the_edited_spec_and_keeps_a_redone_draft(project, tmp_path):
    lesson = Lesson(_settings(tmp_path, step_mode=True))
    assert lesson.step_mode
    lesson.follow_up(project, "加点障碍物")
    seen: list = []

    async def drive():
        async for event in lesson.run():
            seen.append(event)
            if isinstance(event, CheckpointReached):
                await asyncio.sleep(0)  # the lesson awaits the learner after this event
                asyncio.get_running_loop().call_soon(_decide, event)

    def _decide(event):
        drafts = sum(isinstance(e, DraftKept) for e in seen)
        if event.phase == "specify" and drafts == 0:
            lesson.redo("再简单一点")
        elif event.phase == "specify":
            lesson.resume(event.text + "\n- R99 我自己加的需求：石头是灰色的\n")
        else:
            lesson.resume()

    asyncio.run(drive())
    assert isinstance(seen[-1], ev.Completed), seen[-1]
    checkpoints = [e.phase for e in seen if isinstance(e, CheckpointReached)]
    assert checkpoints == ["specify", "specify", "plan"]
    redo_diffs = [e for e in seen if isinstance(e, ChangeDiff) and e.kind == "redo"]
    assert redo_diffs and redo_diffs[0].phase == "specify"
    assert "R99 我自己加的需求" in (project / "spec.md").read_text(encoding="utf-8")
    last = ProjectHistory(project).latest()
    assert last.drafts and last.drafts[0]["phase"] == "specify"
    assert last.drafts[0]["note"] == "再简单一点"


def test_resume_outside_a_pause_is_a_clear_error(tmp_path):
    lesson = Lesson(_settings(tmp_path, step_mode=True))
    with pytest.raises(CodeflowError) as err:
        lesson.resume()
    assert err.value.code == "checkpoint.not_paused"
