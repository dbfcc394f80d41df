"""Three follow-ups in a row, the next day, and undo back through all of them, byte for byte.

Offline (the snake lesson's three curated changes) and against the loopback model server (three
diffs): each follow-up becomes the next version; a new ``CodeFlow(project=…)`` — a restarted
kernel — opens the project at its last version with its versions and links; each undo then goes
one version further back and the files are exactly the bytes they were; ``codeflow history`` and
``codeflow restore`` take the project's name too; bad names give a clear zh/en message.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codeflow_widget import CodeFlow
from codeflow_widget.config import load_settings
from codeflow_widget.flow.history import locate_project, open_project
from codeflow_widget.flow.lesson import Lesson
from codeflow_widget.model import events as ev
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.output.versions import ProjectHistory
from tests.fakes.scenarios import PROGRAM, implement_answer, ok
from tests.test_followup_models import _run, _settings
from tests.test_widget import Wire, fast_env

SNAKE_WISHES = ("让蛇跑得更快", "加点障碍物", "让蛇可以穿墙")


def _files(folder: Path) -> dict[str, bytes]:
    return ProjectHistory(folder).current_files()


async def _settled(widget: CodeFlow) -> None:
    assert await asyncio.wait_for(widget.settled(), 90) == "completed", widget.error


async def test_three_offline_follow_ups_reopened_next_day_and_undone_byte_for_byte(
    isolated, monkeypatch
):
    fast_env(monkeypatch)
    projects = isolated / "projects"
    widget = CodeFlow(projects_dir=projects)
    wire = Wire(widget)
    widget._handle_command({"kind": "generate", "id": "g", "text": "帮我写个贪吃蛇"})
    await _settled(widget)
    folder = Path(widget.project["path"])
    states = {1: _files(folder)}
    for n, wish in enumerate(SNAKE_WISHES, 2):
        widget._handle_command({"kind": "follow_up", "id": f"f{n}", "text": wish})
        assert "request_id" in wire.response(f"f{n}")["result"], wire.response(f"f{n}")
        await _settled(widget)
        states[n] = _files(folder)
        assert states[n] != states[n - 1]
        assert [(v["n"], v["kind"]) for v in widget.versions][-1] == (n, "wish")
    code = states[4]["main.py"].decode("utf-8")
    for name in ("def speed_for(score):", "def place_rocks(snake):", "% COLS"):
        assert name in code  # all three changes stand together
    widget.close()

    # The next day: a new kernel, a new view, only the name.
    reopened = CodeFlow(project="snake", projects_dir=projects)
    wire = Wire(reopened)
    assert reopened.error == "" and reopened.status == "completed"
    assert Path(reopened.project["path"]) == folder and reopened.project["main_file"] == "main.py"
    assert [(v["n"], v["wish"]) for v in reopened.versions] == [
        (1, "帮我写个贪吃蛇"),
        *((n, wish) for n, wish in enumerate(SNAKE_WISHES, 2)),
    ]
    ids = [r["id"] for r in reopened.trace["requirements"]]
    assert ids[:7] == [f"R{n}" for n in range(1, 8)] and len(ids) > 10
    assert all(r["explicit"] for r in reopened.trace["requirements"])

    for step, back_to in enumerate((3, 2, 1)):
        reopened._handle_command({"kind": "undo", "id": f"u{step}", "text": ""})
        version = wire.response(f"u{step}")["result"]["version"]
        assert (version["kind"], version["note"]) == ("restore", str(back_to))
        assert _files(folder) == states[back_to]  # byte for byte, every file
    reopened._handle_command({"kind": "undo", "id": "u-last"})
    assert "最早的版本" in wire.response("u-last")["error"]
    assert [v["n"] for v in reopened.versions] == [1, 2, 3, 4, 5, 6, 7]
    reopened.close()

    # The terminal takes the name too, and restore is byte-exact there as well.
    cli = [sys.executable, "-m", "codeflow_widget"]
    listed = subprocess.run(
        [*cli, "history", "snake", "--json"], capture_output=True, text=True, encoding="utf-8"
    )
    assert listed.returncode == 0, listed.stderr
    assert [v["n"] for v in json.loads(listed.stdout)] == [1, 2, 3, 4, 5, 6, 7]
    restored = subprocess.run(
        [*cli, "restore", "贪吃蛇", "4", "--projects-dir", str(projects)],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert _files(folder) == states[4]


SPEC = "# 弹跳小球\n\n## 功能需求\n- R1 窗口里有一个小球，碰到边缘会反弹。\n"
PLAN = "# 方案\n\n## 函数\n- `main()`（R1）：主循环。\n"
FIRST = PROGRAM.replace("def main():", "# 计划：main（R1）\ndef main():", 1)
CHANGES = (  # (wish, new requirement, old line, new line)
    (
        "让小球更快",
        "小球更快。",
        "x, y, dx, dy = 40, 40, 4, 3",
        "x, y, dx, dy = 40, 40, 6, 5  # R2",
    ),
    (
        "小球改成红色",
        "小球是红色的。",
        "pygame.draw.circle(screen, (255, 200, 0), (x, y), 10)",
        "pygame.draw.circle(screen, (255, 60, 60), (x, y), 10)  # R3",
    ),
    ("背景换成深蓝", "背景是深蓝色。", "screen.fill((0, 0, 0))", "screen.fill((20, 20, 60))  # R4"),
)


def test_three_model_follow_ups_each_a_version_then_undone_byte_for_byte(
    isolated, fake_llm, monkeypatch
):
    fake_llm.set_answer("specify", SPEC).set_answer("plan", PLAN)
    fake_llm.set_answer("implement", implement_answer(FIRST))
    lesson = Lesson(_settings(isolated, fake_llm))
    lesson.wish("做一个弹跳小球")
    assert isinstance(_run(lesson)[-1], ev.Completed)
    folder = Path(lesson.project.path)
    states = {1: _files(folder)}
    spec, plan, code = SPEC, PLAN, FIRST
    for n, (wish, requirement, old, new) in enumerate(CHANGES, 2):
        assert old in code
        changed = code.replace(old, new, 1)
        diff = "".join(
            difflib.unified_diff(code.splitlines(True), changed.splitlines(True), "a/main.py",
                                 "b/main.py")
        )  # fmt: skip
        spec += f"- R{n} {requirement}\n"
        plan += f"- 修改 `main()`（R{n}）：{requirement}\n"
        fake_llm.reset()
        fake_llm.set_answer("specify", spec).set_answer("plan", plan)
        fake_llm.enqueue(ok(answer=f"改一行。\n\n```diff\n{diff}```\n"), phase="implement")
        lesson.follow_up(folder, wish)
        events = _run(lesson)
        assert isinstance(events[-1], ev.Completed), events[-1]
        code = changed
        assert (folder / "main.py").read_text(encoding="utf-8") == code
        states[n] = _files(folder)
        last = ProjectHistory(folder).latest()
        assert (last.n, last.kind, last.wish) == (n, "wish", wish) and last.smoke["ok"]
        report = next(e for e in events if isinstance(e, ev.ValidationReport))
        assert [f.message for f in report.findings if f.code == "trace_uncovered"] == []

    found, state = open_project(folder.name, isolated / "projects")  # the next day
    assert Path(found.path) == folder
    assert [v["n"] for v in state["versions"]] == [1, 2, 3, 4]
    assert [r["id"] for r in state["trace"]["requirements"]] == ["R1", "R2", "R3", "R4"]
    history = ProjectHistory(folder)
    for back_to in (3, 2, 1):
        assert history.undo().note == str(back_to)
        assert _files(folder) == states[back_to]


@pytest.mark.parametrize(
    ("name", "code", "zh", "en"),
    [
        ("", "project.name_empty", "请写上要打开的项目", "Name the project to open"),
        ("tetris", "project.not_found", "没有找到项目「tetris」", "No project “tetris”"),
        ("象棋", "project.not_found", "现有的项目：snake_", "Projects there: snake_"),
        ("a\x00b", "project.name_bad", "不能当作项目名", "cannot be a project name"),
        ("logs/", "versions.not_project", "不是一个项目文件夹", "is not a project folder"),
    ],
)
def test_bad_project_names_say_so_in_both_languages(isolated, monkeypatch, name, code, zh, en):
    (isolated / "logs").mkdir()
    folder = isolated / "projects" / "snake_20250101_120000_ab12"
    folder.mkdir(parents=True)
    (folder / "project.json").write_text('{"project_type": "snake"}', encoding="utf-8")
    with pytest.raises(CodeflowError) as err:
        locate_project(name, isolated / "projects")
    assert err.value.code == code
    assert zh in err.value.message("zh") and en in err.value.message("en")

    fast_env(monkeypatch)
    view = CodeFlow(project=name, projects_dir=isolated / "projects", language="en")
    assert en in view.error and view.project == {} and view.versions == []
    view.language = "zh"  # the banner follows the language switch
    assert zh in view.error
    view.close()


def test_a_project_from_before_versions_opens_with_version_1(isolated):
    folder = isolated / "projects" / "snake_20240101_080000_zz99"
    folder.mkdir(parents=True)
    (folder / "main.py").write_text("print('old')\n", encoding="utf-8")
    meta = {"project_type": "snake", "project_name": folder.name}
    (folder / "project.json").write_text(json.dumps(meta), encoding="utf-8")
    assert locate_project("snake", isolated / "projects") == folder.resolve()
    history = ProjectHistory(folder)
    assert history.versions() == []
    history.ensure("旧的")
    assert [v.n for v in history.versions()] == [1]


def test_of_two_projects_of_a_kind_the_one_changed_last_opens(isolated):
    made = []
    for n, stamp in enumerate(("20250101_120000_aa11", "20240101_120000_bb22")):
        folder = isolated / "projects" / f"snake_{stamp}"
        folder.mkdir(parents=True)
        (folder / "project.json").write_text('{"project_type": "snake"}', encoding="utf-8")
        os.utime(folder / "project.json", ns=(10**18 + n * 10**9,) * 2)
        made.append(folder)
    # the older name got the later version (its project.json was written last)
    assert locate_project("snake", isolated / "projects") == made[1].resolve()
    assert locate_project(made[0].name, isolated / "projects") == made[0].resolve()


def test_the_python_api_and_run_project_take_the_name_too(isolated, monkeypatch):
    fast_env(monkeypatch)
    lesson = Lesson(load_settings(projects_dir=isolated / "projects", smoke_timeout_s=2))
    lesson.wish("帮我写个贪吃蛇")
    assert isinstance(_run(lesson)[-1], ev.Completed)
    folder = Path(lesson.project.path)
    lesson.follow_up("贪吃蛇", "让蛇跑得更快")  # what `codeflow run --project 贪吃蛇 …` calls
    assert isinstance(_run(lesson)[-1], ev.Completed)
    assert [v.wish for v in ProjectHistory(folder).versions()] == ["帮我写个贪吃蛇", "让蛇跑得更快"]
    with pytest.raises(CodeflowError) as err:
        lesson.follow_up("tetris", "更快")
    assert err.value.code == "project.not_found" and folder.name in err.value.message("en")
