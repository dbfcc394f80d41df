"""``codeflow eval``: the default prompt set, the offline split, the JSON report and a real endpoint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codeflow_widget.providers.offline import default_catalogue
from codeflow_widget.terminal import cli
from codeflow_widget.terminal.evaluate import NO_LESSON_CODE, load_prompts

REPO = Path(__file__).resolve().parents[1]
PROMPTS = REPO / "codeflow_widget" / "terminal" / "evals" / "prompts.json"
SMALL_SET = [
    {"id": "snake-zh", "text": "帮我写个贪吃蛇", "lang": "zh", "lesson": "snake"},
    {
        "id": "guess-en",
        "text": "write a number guessing game",
        "lang": "en",
        "lesson": "guess_number",
    },
    {"id": "ttt-zh", "text": "我想玩井字棋", "lang": "zh", "lesson": "tic_tac_toe"},
    {"id": "weather-zh", "text": "帮我做一个天气预报程序", "lang": "zh", "lesson": None},
    {"id": "clock-en", "text": "draw an analog clock", "lang": "en", "lesson": None},
]


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setenv("CODEFLOW_SMOKE_TIMEOUT_S", "2")
    monkeypatch.setenv("CODEFLOW_BACKOFF_S", "0")


@pytest.fixture
def small_set(tmp_path) -> Path:
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL_SET, ensure_ascii=False), encoding="utf-8")
    return path


def run_json(capsys, *argv: str) -> dict:
    assert cli.main(["eval", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


# -- the default prompt set ------------------------------------------------------------
def test_default_set_has_twenty_prompts_in_both_languages():
    data = json.loads(PROMPTS.read_text(encoding="utf-8"))
    assert len(data) >= 20
    assert {item["lang"] for item in data} == {"zh", "en"}
    assert len({item["id"] for item in data}) == len(data)
    assert all(set(item) == {"id", "text", "lang", "lesson"} for item in data)
    lessons = {item["lesson"] for item in data if item["lesson"]}
    assert len(lessons) >= 8
    assert sum(1 for item in data if item["lesson"] is None) >= 5


def test_non_lesson_prompts_match_no_lesson():
    catalogue = default_catalogue()
    for case in load_prompts():
        if case.lesson is None:
            assert catalogue.match(case.text) is None, case.text


@pytest.mark.parametrize("case", [c for c in load_prompts() if c.lesson], ids=lambda c: c.id)
def test_lesson_prompts_match_their_lesson(case):
    matched = default_catalogue().match(case.text)
    assert matched is not None and matched.id == case.lesson


def test_plain_strings_are_accepted(tmp_path):
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(["帮我写个贪吃蛇", "make a weather app"]), encoding="utf-8")
    first, second = load_prompts(str(path))
    assert (first.id, first.lang, first.lesson) == ("p01", "zh", "snake")
    assert (second.id, second.lang, second.lesson) == ("p02", "en", None)


# -- offline -----------------------------------------------------------------------------
def test_offline_scores_lessons_and_fails_the_rest_honestly(quick, small_set, capsys):
    report = run_json(capsys, "--prompts", str(small_set))
    assert report["offline"] is True and report["provider"] == "offline"
    by_id = {p["id"]: p for p in report["prompts"]}
    for pid in ("snake-zh", "guess-en", "ttt-zh"):
        p = by_id[pid]
        assert p["completed"] and p["syntax_valid"] and p["imports_allowed"] and p["runs_ok"], p
        assert set(p["phase_ms"]) == {"specify", "plan", "implement"}
        assert p["project"] and p["error_code"] is None
    for pid in ("weather-zh", "clock-en"):
        p = by_id[pid]
        assert not p["completed"] and p["runs_ok"] is None
        assert p["error_code"] == NO_LESSON_CODE
        assert (
            ("离线示例模式" in p["error_message"])
            if p["lang"] == "zh"
            else ("Offline lesson mode" in p["error_message"])
        )
    totals = report["totals"]
    assert (
        totals["prompts"] == 5
        and totals["runs_ok_share"] == 0.6
        and totals["meets_target"] is False
    )
    assert totals["lesson_prompts"] == {
        "prompts": 3, "completed_share": 1.0, "syntax_valid_share": 1.0,
        "imports_allowed_share": 1.0, "runs_ok_share": 1.0, "meets_target": True,
    }  # fmt: skip
    assert totals["no_lesson_prompts"] == {"prompts": 2, "failed_honestly": 2}
    assert totals["target"] == 0.95 and totals["retries_total"] == 0
    assert totals["p95_total_ms"] >= totals["median_total_ms"] > 0


def test_limit_and_table(quick, capsys):
    assert cli.main(["eval", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "snake-zh" in out and "完成" in out and "done" in out
    assert "target ≥ 95%: ✓" in out
    assert "有离线课程 lesson prompts" in out and "snake-en" not in out


def test_table_lists_each_error_once(quick, tmp_path, capsys):
    path = tmp_path / "no_lessons.json"
    path.write_text(
        json.dumps([c for c in SMALL_SET if not c["lesson"]], ensure_ascii=False), encoding="utf-8"
    )
    assert cli.main(["eval", "--prompts", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "offline.no_match ×2" in out and "如实失败 failed honestly: 2/2 (offline.no_match)" in out
    )
    report = run_json(
        capsys, "--prompts", str(path), "--language", "en"
    )  # --language wins over each prompt's
    assert all(p["error_message"].startswith("Offline lesson mode") for p in report["prompts"])


def test_projects_dir_is_used_when_given(quick, tmp_path, capsys):
    target = tmp_path / "kept"
    report = run_json(capsys, "--limit", "1", "--projects-dir", str(target))
    assert (target / report["prompts"][0]["project"] / "main.py").is_file()


@pytest.mark.parametrize(
    "argv",
    [
        ["--prompts", "does-not-exist.json"],
        ["--limit", "0"],
        ["--provider", "custom"],
        ["--provider", "nonsense"],
    ],
)
def test_usage_errors_exit_2(quick, argv, capsys):
    assert cli.main(["eval", *argv]) == 2
    assert capsys.readouterr().out == ""


def test_bad_prompts_file_exits_2(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text('{"text": "not a list"}', encoding="utf-8")
    assert cli.main(["eval", "--prompts", str(path)]) == 2
    assert "JSON" in capsys.readouterr().err


# -- a real OpenAI-compatible endpoint (the loopback fake server) ---------------------------
@pytest.fixture
def custom(monkeypatch, quick, fake_llm):
    monkeypatch.setenv("CODEFLOW_API_KEY", "sk-test")
    return ["--provider", "custom", "--base-url", fake_llm.base_url, "--model", "m"]


def test_custom_endpoint_table(custom, small_set, capsys):
    assert cli.main(["eval", "--prompts", str(small_set), "--limit", "2", *custom]) == 0
    out = capsys.readouterr().out
    assert "codeflow eval" in out and "custom · m" in out
    assert "运行无错 runs ok 100%" in out and "target ≥ 95%: ✓" in out
    assert "有离线课程" not in out  # the lesson split is for the offline provider only


def test_custom_endpoint_json(custom, small_set, capsys, fake_llm):
    report = run_json(capsys, "--prompts", str(small_set), *custom)
    assert report["offline"] is False and report["provider"] == "custom" and report["model"] == "m"
    assert "lesson_prompts" not in report["totals"]
    assert all(p["completed"] and p["runs_ok"] for p in report["prompts"])  # no lessons needed
    assert report["totals"]["runs_ok_share"] == 1.0 and report["totals"]["meets_target"] is True
    assert len(fake_llm.chat_requests()) == 3 * len(SMALL_SET)


def test_custom_endpoint_counts_retries_and_failures(custom, small_set, capsys, fake_llm):
    fake_llm.fault("status=429,times=1,retry_after=0")
    fake_llm.fault("syntax_error,phase=implement,times=2")  # both the answer and its correction
    report = run_json(capsys, "--prompts", str(small_set), "--limit", "2", *custom)
    first, second = report["prompts"]
    assert first["retries"] >= 2 and not first["completed"] and first["syntax_valid"] is False
    assert first["error_code"] and first["error_message"]
    assert second["completed"] and second["retries"] == 0
    assert report["totals"]["retries_total"] == first["retries"]
    assert report["totals"]["runs_ok_share"] == 0.5


def test_cli_process_keeps_stdout_pure_json(custom, small_set, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "eval", "--json", "--prompts", str(small_set), "--limit", "1", *custom],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["prompts"][0]["completed"] is True
