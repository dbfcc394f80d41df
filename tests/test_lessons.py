"""The offline lesson catalogue: every lesson is complete, coherent, and its game really runs.

Lessons are data, so this file is also the checker a teacher runs after adding one:
`pytest tests/test_lessons.py` (a folder in `lessons_dir` is checked by
`test_a_teachers_lesson_folder_is_loaded_and_matched`).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from codeflow_widget.models import PROJECT_NAME
from codeflow_widget.providers.offline import (
    BUILTIN_LESSONS,
    Catalogue,
    Lesson,
    OfflineLessons,
    default_catalogue,
    normalise,
)
from codeflow_widget.runner import run_project
from codeflow_widget.validate import validate_answer

LESSONS = default_catalogue().lessons
IDS = [lesson.id for lesson in LESSONS]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_catalogue_has_at_least_eight_lessons():
    assert len(LESSONS) >= 8
    assert {"snake", "guess_number", "tic_tac_toe"} <= set(IDS)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_has_thinking_and_answer_for_every_phase(lesson: Lesson):
    for phase in ("specify", "plan", "implement"):
        assert len(lesson.thinking(phase).strip()) >= 100, phase
        assert len(lesson.answer(phase).strip()) >= 200, phase


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_messages_are_10_to_200_chinese_characters_with_english(lesson: Lesson):
    for phase in ("specify", "plan", "implement"):
        zh, en = lesson.messages[phase]["zh"], lesson.messages[phase]["en"]
        assert 10 <= len(zh) <= 200 and CJK.search(zh), phase
        assert en.strip() and not CJK.search(en), phase


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_metadata_is_complete(lesson: Lesson):
    assert PROJECT_NAME.match(f"{lesson.id}_20260101_120000_abcdef"), (
        "id must be usable as a project_type"
    )
    assert lesson.folder.name == lesson.id
    assert lesson.title["zh"] and lesson.title["en"]
    assert lesson.keywords["zh"] and lesson.keywords["en"]
    assert lesson.examples["zh"] and lesson.examples["en"]
    assert set(lesson.dependencies) <= {"pygame"}


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_example_phrasing_matches_its_own_lesson(lesson: Lesson):
    catalogue = default_catalogue()
    for example in (*lesson.examples["zh"], *lesson.examples["en"]):
        matched = catalogue.match(example)
        assert matched is not None and matched.id == lesson.id, example


def test_keywords_do_not_collide_across_lessons():
    owners: dict[str, str] = {}
    for lesson in LESSONS:
        for keyword in (*lesson.keywords["zh"], *lesson.keywords["en"]):
            key = normalise(keyword)
            assert owners.setdefault(key, lesson.id) == lesson.id, (
                f"{keyword!r} is claimed by {owners[key]} and {lesson.id}"
            )


@pytest.mark.parametrize(
    ("wish", "lesson_id"),
    [
        ("帮我写个贪吃蛇", "snake"), ("我想玩贪吃蛇", "snake"), ("snake game please", "snake"),
        ("做一个猜数字游戏", "guess_number"), ("guess the number", "guess_number"),
        ("井字棋", "tic_tac_toe"), ("Tic-Tac-Toe please", "tic_tac_toe"),
        ("乒乓球游戏", "pong"), ("make me a pong game", "pong"),
        ("打砖块", "breakout"), ("a breakout clone", "breakout"),
        ("flappy bird", "flappy_bird"), ("写个2048", "game_2048"),
        ("翻牌配对", "memory_cards"), ("memory card game", "memory_cards"),
    ],
)  # fmt: skip
def test_everyday_phrasing_in_both_languages_finds_the_lesson(wish, lesson_id):
    assert OfflineLessons(pace=0).lesson_for(wish).id == lesson_id


@pytest.mark.parametrize(
    "wish", ["写一个操作系统内核", "俄罗斯方块", "帮我写个游戏", "a philosophy quiz"]
)
def test_wishes_without_a_lesson_match_nothing(wish):
    assert default_catalogue().match(wish) is None


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_code_validates_with_no_findings(lesson: Lesson):
    result = validate_answer(lesson.answer("implement"))
    assert result.ok and result.main_file == "main.py", result.findings
    assert result.findings == ()
    assert list(result.dependencies) == list(lesson.dependencies)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_plan_names_the_functions_the_code_defines(lesson: Lesson):
    code = validate_answer(lesson.answer("implement")).files[0].content
    defined = {node.name for node in ast.walk(ast.parse(code)) if isinstance(node, ast.FunctionDef)}
    plan = lesson.answer("plan")
    assert "main" in defined
    mentioned = {name for name in defined if re.search(rf"\b{re.escape(name)}\b", plan)}
    assert len(mentioned) >= len(defined) * 0.8, sorted(defined - mentioned)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
async def test_lesson_game_smoke_runs_headless(lesson: Lesson, tmp_path):
    for source in validate_answer(lesson.answer("implement")).files:
        (tmp_path / source.path).write_text(source.content, encoding="utf-8")
    result = await run_project(tmp_path, "main.py", timeout_s=3)
    assert result.ok and result.outcome == "timeout_alive", result.output


def test_a_teachers_lesson_folder_is_loaded_and_matched(tmp_path):
    extra = tmp_path / "lessons"
    shutil.copytree(BUILTIN_LESSONS / "snake", extra / "rocket")
    meta = json.loads((extra / "rocket" / "lesson.json").read_text(encoding="utf-8"))
    meta.update(
        id="rocket",
        title={"zh": "火箭", "en": "Rocket"},
        keywords={"zh": ["火箭"], "en": ["rocket"]},
        examples={"zh": ["火箭游戏"], "en": ["rocket game"]},
    )
    (extra / "rocket" / "lesson.json").write_text(
        json.dumps(meta, ensure_ascii=False), encoding="utf-8"
    )
    catalogue = Catalogue.load(extra)
    assert catalogue.match("我想要一个火箭游戏").id == "rocket"
    assert len(catalogue.lessons) == len(LESSONS) + 1


def test_builtin_lessons_folder_has_a_format_readme():
    readme = (Path(BUILTIN_LESSONS) / "README.md").read_text(encoding="utf-8")
    assert "lesson.json" in readme and "implement.md" in readme
