"""Requirement ids are written into every offline lesson and traced through its plan and code.

Each lesson's spec names its requirements R1, R2 … in both languages (the same ids), each plan
item names the ids it serves, and each function of the program names its plan item in a comment
right above its ``def`` — so ``checks.trace`` finds no uncovered requirement, before and after
every curated follow-up (whose ids continue the spec's numbering). A numbered list is read as
ids only where a model wrote none.
"""

from __future__ import annotations

import re

import pytest

from codeflow_widget.checks.patch import apply_patch
from codeflow_widget.checks.trace import findings, requirements, trace
from codeflow_widget.flow.followups import followups_for, numbered
from codeflow_widget.providers.offline import default_catalogue

LESSONS = sorted(lesson.id for lesson in default_catalogue().lessons)
LANGUAGES = ("zh", "en")
_FENCE = re.compile(r"```python main\.py\n(.*?)^```", re.S | re.M)


def _texts(lesson_id: str, language: str) -> tuple[str, str, str]:
    folder = default_catalogue().get(lesson_id).folder
    suffix = ".md" if language == "zh" else ".en.md"
    spec, plan, implement = (
        (folder / f"{stem}{suffix}").read_text(encoding="utf-8")
        for stem in ("specify", "plan", "implement")
    )
    return spec, plan, _FENCE.search(implement).group(1)


def test_twenty_lessons_are_checked():
    assert len(LESSONS) == 20


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_spec_writes_the_same_ids_in_both_languages(lesson_id):
    found = {lang: requirements(_texts(lesson_id, lang)[0]) for lang in LANGUAGES}
    for lang, reqs in found.items():
        assert reqs and all(r.explicit for r in reqs), (lang, reqs)
        assert [r.id for r in reqs] == [f"R{n}" for n in range(1, len(reqs) + 1)]
        assert all(r.text.startswith(f"- {r.id} ") for r in reqs)
    assert [r.id for r in found["zh"]] == [r.id for r in found["en"]]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_requirement_reaches_a_plan_item_and_a_function(lesson_id, language):
    spec, plan, code = _texts(lesson_id, language)
    links = trace(spec, plan, {"main.py": code})
    assert findings(links) == []
    for req in links.requirements:
        assert links.plan[req.id] and links.code[req.id], req.id


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lesson_id", LESSONS)
def test_each_function_names_its_plan_item_above_its_def(lesson_id, language):
    _, plan, code = _texts(lesson_id, language)
    lines = code.splitlines()
    label = "# 计划：" if language == "zh" else "# plan: "
    defs = [
        (i, m.group(1)) for i, line in enumerate(lines) if (m := re.match(r"def (\w+)\(", line))
    ]
    assert defs
    for i, name in defs:
        assert lines[i - 1].startswith(f"{label}{name}"), (name, lines[i - 1])
        assert f"`{name}(" in plan, name  # the comment names an item the plan has


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("lesson_id", [lid for lid in LESSONS if followups_for(lid)])
def test_each_followup_keeps_every_requirement_covered(lesson_id, language):
    spec, plan, code = _texts(lesson_id, language)
    after = len(requirements(spec))
    for followup in followups_for(lesson_id):
        new_spec = spec + "\n\n" + numbered(followup.text("spec", language), after)
        new_plan = plan + "\n\n" + numbered(followup.text("plan", language), after)
        new_code = apply_patch({"main.py": code}, numbered(followup.patch(language), after))
        links = trace(new_spec, new_plan, new_code)
        added = [r.id for r in links.requirements if int(r.id[1:]) > after]
        assert added and all(r.explicit for r in links.requirements), followup.id
        assert findings(links) == [], (followup.id, findings(links))


def test_a_numbered_list_is_read_as_ids_only_where_none_are_written():
    bare = "# 球\n\n## 功能需求\n1. 小球会反弹。\n2. 按空格暂停。\n\n## 验收标准\n1. 能反弹\n"
    derived = requirements(bare)
    assert [(r.id, r.explicit, r.line) for r in derived] == [("R1", False, 4), ("R2", False, 5)]
    written = "# 球\n\n## 功能需求\n- R1 小球会反弹。\n2. 先画球，再移动。\n- R3 按空格暂停。\n"
    assert [(r.id, r.explicit) for r in requirements(written)] == [("R1", True), ("R3", True)]
