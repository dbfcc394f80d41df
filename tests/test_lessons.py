"""The offline lesson catalogue (format v2): every lesson is complete in both languages, coherent,
matched by its own examples and by nothing it calls a false friend, and its game really runs.

Lessons are data, so this file is also the checker a teacher runs after adding one:
`pytest tests/test_lessons.py` (a folder in `lessons_dir` is checked by the teacher tests below).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest

from codeflow_widget.checks.validate import validate_answer
from codeflow_widget.model.entities import PROJECT_NAME
from codeflow_widget.model.errors import ConfigError, NoLessonMatch
from codeflow_widget.providers.base import ContentChunk, PhaseCall, ThinkingChunk
from codeflow_widget.providers.offline import (
    BUILTIN_LESSONS,
    LESSON_ID,
    Catalogue,
    Lesson,
    LessonRefused,
    OfflineLessons,
    default_catalogue,
)
from codeflow_widget.providers.offline.matcher import _compact, _find, normalise
from codeflow_widget.sandbox.runner import run_project

CATALOGUE = default_catalogue()
LESSONS = CATALOGUE.lessons
IDS = [lesson.id for lesson in LESSONS]
PHASES = ("specify", "plan", "implement")
LANGUAGES = ("zh", "en")
CJK = re.compile(r"[\u4e00-\u9fff]")


def cjk_share(text: str) -> float:
    letters = [ch for ch in text if not ch.isspace()]
    return sum(1 for ch in letters if CJK.match(ch)) / max(1, len(letters))


def code_of(lesson: Lesson, language: str) -> str:
    return validate_answer(lesson.answer("implement", language)).files[0].content


def test_the_catalogue_has_the_twenty_lessons_and_none_was_refused():
    assert CATALOGUE.refused == ()
    assert len(LESSONS) >= 8
    assert {"snake", "guess_number", "tic_tac_toe", "pong", "breakout", "flappy_bird",
            "game_2048", "memory_cards"} <= set(IDS)  # fmt: skip


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_has_thinking_and_answer_for_every_phase_in_both_languages(lesson: Lesson):
    assert lesson.languages == ("zh", "en")
    for language in LANGUAGES:
        for phase in PHASES:
            assert len(lesson.thinking(phase, language).strip()) >= 100, (language, phase)
            assert len(lesson.answer(phase, language).strip()) >= 200, (language, phase)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_english_spec_and_plan_are_english(lesson: Lesson):
    for phase in ("specify", "plan"):
        for kind in (lesson.thinking, lesson.answer):
            share = cjk_share(kind(phase, "en"))
            assert share < 0.05, f"{phase}: {share:.1%} CJK"
    code = code_of(lesson, "en")
    outside_fonts = code.replace("FONT_NAMES", "")
    assert cjk_share(outside_fonts) < 0.01


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_messages_are_10_to_200_characters_in_both_languages(lesson: Lesson):
    for phase in PHASES:
        zh, en = lesson.messages[phase]["zh"], lesson.messages[phase]["en"]
        assert 10 <= len(zh) <= 200 and CJK.search(zh), (phase, len(zh))
        assert 10 <= len(en) <= 200 and not CJK.search(en), (phase, len(en))


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_metadata_is_complete_v2(lesson: Lesson):
    assert LESSON_ID.match(lesson.id) and lesson.folder.name == lesson.id
    assert PROJECT_NAME.match(f"{lesson.id}_20260101_120000_abcdef"), "id must be a project_type"
    assert lesson.title["zh"] and lesson.title["en"]
    assert lesson.teaches["zh"] and lesson.teaches["en"] and not CJK.search(lesson.teaches["en"])
    for language in LANGUAGES:
        assert lesson.keywords[language], language
        assert len(lesson.examples[language]) >= 3, language
        assert isinstance(lesson.false_friends.get(language, []), list)
    check = lesson.play_check
    assert set(check) >= {"keys", "clicks", "text"} and (check["keys"] or check["clicks"] or
                                                         check["text"])  # fmt: skip
    assert all(isinstance(key, str) and key for key in check["keys"])
    assert all(
        len(click) == 2 and all(isinstance(v, int) for v in click) for click in check["clicks"]
    )
    assert set(lesson.dependencies) <= {"pygame"}


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_example_phrasing_matches_its_own_lesson(lesson: Lesson):
    for example in (*lesson.examples["zh"], *lesson.examples["en"]):
        matched = CATALOGUE.match(example)
        assert matched is not None and matched.id == lesson.id, example


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_false_friends_match_nothing(lesson: Lesson):
    for phrase in (*lesson.false_friends.get("zh", []), *lesson.false_friends.get("en", [])):
        assert CATALOGUE.match(phrase) is None, phrase


def test_no_keyword_is_inside_another_lessons_keyword_or_title():
    for lesson in LESSONS:
        for keyword in {normalise(k) for k in (*lesson.keywords["zh"], *lesson.keywords["en"])}:
            for other in LESSONS:
                if other.id == lesson.id:
                    continue
                for phrase in (*other.keywords["zh"], *other.keywords["en"], *other.title.values()):
                    text, bounds = _compact(phrase)
                    assert not _find(text, bounds, keyword), (lesson.id, keyword, other.id, phrase)


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
    "wish",
    ["写一个操作系统内核", "帮我写个游戏", "a philosophy quiz", "make a memory usage monitor"],
)
def test_wishes_without_a_lesson_match_nothing(wish):
    assert CATALOGUE.match(wish) is None


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_lesson_error_names_three_lessons_in_the_language_and_one_line_on_models(language):
    with pytest.raises(NoLessonMatch) as caught:
        OfflineLessons(pace=0).lesson_for("象棋", language)
    error = caught.value
    assert len(error.suggestions) == 3 and error.suggestions[0]["id"] in {"gomoku", "tic_tac_toe"}
    text = error.message(language)
    for suggestion in error.suggestions:
        assert suggestion["id"] in text and suggestion["name"] in text
    assert "notebooks/03" in text and ("老师" if language == "zh" else "teacher") in text
    assert "MINIMAX_API_KEY" not in text  # a student can't act on an environment variable
    if language == "en":
        assert not CJK.search(text.replace("03_连接你的模型", "").replace("象棋", ""))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_lesson_streams_in_the_requested_language(language):
    provider = OfflineLessons(pace=0)
    lesson = CATALOGUE.get("snake")
    for phase in PHASES:
        call = PhaseCall(phase=phase, messages=(), user_input="帮我写个贪吃蛇", language=language)
        chunks = [chunk async for chunk in provider.stream(call)]
        thinking = "".join(c.text for c in chunks if isinstance(c, ThinkingChunk))
        content = "".join(c.text for c in chunks if isinstance(c, ContentChunk))
        assert thinking == lesson.thinking(phase, language)
        assert content == lesson.answer(phase, language)
        assert bool(CJK.search(thinking)) == (language == "zh")
    assert (
        provider.educational_message("plan", "snake", language) == lesson.messages["plan"][language]
    )


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_lesson_code_validates_with_no_findings(lesson: Lesson, language):
    result = validate_answer(lesson.answer("implement", language))
    assert result.ok and result.main_file == "main.py", result.findings
    assert result.findings == ()
    assert list(result.dependencies) == list(lesson.dependencies)


def defined_functions(code: str) -> set[str]:
    return {node.name for node in ast.walk(ast.parse(code)) if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_the_english_program_is_the_same_program(lesson: Lesson):
    zh, en = defined_functions(code_of(lesson, "zh")), defined_functions(code_of(lesson, "en"))
    assert "has_cjk_font" in zh, "the Chinese program needs the CJK-font fallback of format v2"
    # Only the Chinese program needs the fallback helpers (has_cjk_font, say, pick_text …).
    assert en - {"has_cjk_font"} <= zh and len(zh - en) <= 3, zh ^ en


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_plan_names_the_functions_the_code_defines(lesson: Lesson, language):
    defined = defined_functions(code_of(lesson, language))
    plan = lesson.answer("plan", language)
    assert "main" in defined
    mentioned = {name for name in defined if re.search(rf"\b{re.escape(name)}\b", plan)}
    assert len(mentioned) >= len(defined) * 0.8, sorted(defined - mentioned)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_lesson_game_smoke_runs_headless(lesson: Lesson, language, tmp_path):
    for source in validate_answer(lesson.answer("implement", language)).files:
        (tmp_path / source.path).write_text(source.content, encoding="utf-8")
    result = await run_project(tmp_path, "main.py", timeout_s=3)
    assert result.ok and result.outcome == "timeout_alive", result.output


def teacher_lesson(root: Path, lesson_id: str = "rocket", english: bool = True) -> Path:
    folder = root / lesson_id
    shutil.copytree(BUILTIN_LESSONS / "snake", folder)
    if not english:
        for path in folder.glob("*.en.md"):
            path.unlink()
    meta = json.loads((folder / "lesson.json").read_text(encoding="utf-8"))
    meta.update(
        id=lesson_id,
        title={"zh": "火箭", "en": "Rocket"},
        keywords={"zh": ["火箭"], "en": ["rocket"]},
        examples={"zh": ["火箭游戏"], "en": ["rocket game"]},
        false_friends={"zh": ["火箭队"], "en": ["rocket league"]},
    )
    (folder / "lesson.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def test_a_teachers_lesson_folder_is_loaded_and_matched(tmp_path):
    teacher_lesson(tmp_path)
    catalogue = Catalogue.load(tmp_path)
    assert catalogue.match("我想要一个火箭游戏").id == "rocket"
    assert catalogue.match("火箭队的比分") is None  # its false friend
    assert catalogue.match("贪吃蛇").id == "snake"  # the built-ins are still there
    assert len(catalogue.lessons) == len(LESSONS) + 1


def test_a_teachers_chinese_only_lesson_falls_back_to_chinese_in_english(tmp_path):
    teacher_lesson(tmp_path, english=False)
    lesson = Catalogue.load(tmp_path).get("rocket")
    assert lesson.languages == ("zh",)
    assert lesson.answer("plan", "en") == lesson.answer("plan", "zh")
    assert CJK.search(lesson.thinking("specify", "en"))


def test_a_teachers_lesson_replaces_a_builtin_one_with_the_same_id(tmp_path):
    folder = teacher_lesson(tmp_path, "snake")
    (folder / "plan.en.md").write_text("# Teacher's own plan\n" + "x" * 300, encoding="utf-8")
    assert Catalogue.load(tmp_path).get("snake").answer("plan", "en").startswith("# Teacher")


@pytest.mark.parametrize("how", ["folder", "file", "root"])
def test_symlinked_lessons_are_refused_with_a_message_in_both_languages(tmp_path, how):
    real = teacher_lesson(tmp_path / "real")
    lessons = tmp_path / "lessons"
    if how == "root":
        lessons.symlink_to(tmp_path / "real")
    elif how == "folder":
        lessons.mkdir()
        (lessons / "rocket").symlink_to(real)
    else:
        folder = teacher_lesson(lessons)
        (folder / "plan.md").unlink()
        (folder / "plan.md").symlink_to(tmp_path / "real" / "rocket" / "plan.md")
    with pytest.raises(LessonRefused) as caught:
        Catalogue.load(lessons)
    assert isinstance(caught.value, ConfigError)
    assert "符号链接" in caught.value.message("zh")
    assert "symbolic link" in caught.value.message("en")


@pytest.mark.parametrize("name", ["My Game", "2048", "rocket-ship", "Rocket"])
def test_lesson_ids_that_are_not_plain_names_are_refused(tmp_path, name):
    folder = teacher_lesson(tmp_path, "rocket")
    folder.rename(tmp_path / name)
    with pytest.raises(LessonRefused) as caught:
        Catalogue.load(tmp_path)
    assert name in caught.value.message("zh") and "小写字母" in caught.value.message("zh")
    assert "lower-case letters" in caught.value.message("en")


def test_a_broken_lesson_json_is_refused_not_a_traceback(tmp_path):
    folder = teacher_lesson(tmp_path)
    (folder / "lesson.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LessonRefused) as caught:
        Catalogue.load(tmp_path)
    assert "rocket" in caught.value.message("en") and "lesson.json" in caught.value.message("en")


def test_builtin_lessons_folder_has_a_format_readme():
    readme = (Path(BUILTIN_LESSONS) / "README.md").read_text(encoding="utf-8")
    assert "lesson.json" in readme and "implement.en.md" in readme and "false_friends" in readme
