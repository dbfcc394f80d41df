"""The curated follow-ups: ≥3 per original lesson, both languages, real changes that apply and run."""

from __future__ import annotations

import asyncio
import itertools
import re

import pytest

from codeflow_widget.checks.patch import apply_patch
from codeflow_widget.checks.validate import validate_answer
from codeflow_widget.flow.followups import find_followup, followups_for, numbered
from codeflow_widget.providers.offline import default_catalogue
from codeflow_widget.sandbox.runner import run_project

LESSONS = (
    "snake",
    "guess_number",
    "tic_tac_toe",
    "pong",
    "breakout",
    "flappy_bird",
    "game_2048",
    "memory_cards",
)
FENCE = re.compile(r"```python main\.py\n(.*?)```", re.DOTALL)
LEARNER_EDIT = "# 学习者自己加的一行 / a line the learner added\n"


def program(lesson_id: str, language: str) -> str:
    lesson = default_catalogue().get(lesson_id)
    return FENCE.search(lesson.answer("implement", language)).group(1)


def cases():
    for lesson_id in LESSONS:
        for followup in followups_for(lesson_id):
            for language in ("zh", "en"):
                yield pytest.param(
                    lesson_id, followup, language, id=f"{lesson_id}-{followup.id}-{language}"
                )


def test_every_original_lesson_has_three_follow_ups_and_the_required_ones():
    ids = {lesson_id: {f.id for f in followups_for(lesson_id)} for lesson_id in LESSONS}
    assert all(len(found) >= 3 for found in ids.values()), ids
    assert {"faster", "obstacles"} <= ids["snake"]
    assert {"two_players", "faster_ball"} <= ids["pong"]


@pytest.mark.parametrize(
    ("lesson_id", "wish", "expected"),
    [
        ("snake", "让蛇跑得更快", "faster"), ("snake", "make the snake faster", "faster"),
        ("snake", "加点障碍物", "obstacles"), ("snake", "add some obstacles", "obstacles"),
        ("pong", "改成双人", "two_players"), ("pong", "I want to play with a friend", "two_players"),
        ("pong", "让球更快", "faster_ball"), ("pong", "make the ball faster", "faster_ball"),
        ("snake", "不要更快，加点障碍物", "obstacles"),
    ],
)  # fmt: skip
def test_everyday_phrasings_find_their_follow_up(lesson_id, wish, expected):
    assert find_followup(wish, lesson_id).id == expected


@pytest.mark.parametrize(("lesson_id", "followup", "language"), list(cases()))
def test_follow_up_is_a_real_change_that_applies_over_an_edit_and_runs(
    lesson_id, followup, language, tmp_path
):
    for stem in ("specify.thinking", "plan.thinking", "implement.thinking", "spec", "plan"):
        assert len(followup.text(stem, language).strip()) >= 20, (
            stem
        )  # a tiny change thinks briefly
    assert len(followup.text("implement", language).strip()) >= 10
    assert "{R+1}" in followup.text("spec", language) and "{R+1}" in followup.text("plan", language)
    for phase in ("specify", "plan", "implement"):
        assert 10 <= len(followup.message(phase, language)) <= 200
    for example in followup.examples[language]:
        assert find_followup(example, lesson_id, language).id == followup.id, example

    base = LEARNER_EDIT + program(lesson_id, language)
    new = apply_patch({"main.py": base}, numbered(followup.patch(language), 7))["main.py"]
    assert new.startswith(LEARNER_EDIT) and new != base
    assert re.search(r"\bR(8|9|10|11)\b", new)  # the code names the requirements it serves
    result = validate_answer(f"```python main.py\n{new}```\n")
    assert result.ok, [f.message_en for f in result.findings]
    (tmp_path / "main.py").write_text(new, encoding="utf-8")
    smoke = asyncio.run(run_project(tmp_path, "main.py", timeout_s=1.5, language=language))
    assert smoke.ok, smoke.output[-500:]


@pytest.mark.parametrize("lesson_id", LESSONS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_follow_ups_of_a_lesson_apply_one_after_another(lesson_id, language):
    offered = followups_for(lesson_id)
    for first, second in itertools.permutations(offered, 2):
        code = apply_patch(
            {"main.py": program(lesson_id, language)}, numbered(first.patch(language), 7)
        )
        code = apply_patch(code, numbered(second.patch(language), 10))
        compile(code["main.py"], f"{first.id}+{second.id}", "exec")
