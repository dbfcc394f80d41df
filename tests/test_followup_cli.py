"""The follow-up front end in a terminal: run --project, --step, history and restore, for real."""

from __future__ import annotations

import difflib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.scenarios import PROGRAM

CLI = [sys.executable, "-m", "codeflow_widget"]


def codeflow(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=300
    )


def last_event(result: subprocess.CompletedProcess) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def fresh(isolated, monkeypatch) -> Path:
    monkeypatch.setenv("CODEFLOW_SMOKE_TIMEOUT_S", "1")
    result = codeflow("run", "--pace", "0", "--json", "帮我写个贪吃蛇")
    assert result.returncode == 0, result.stderr
    return Path(last_event(result)["project"]["path"])


def test_run_project_history_and_restore_from_a_terminal(fresh):
    original = (fresh / "main.py").read_bytes()
    result = codeflow("run", "--pace", "0", "--json", "--project", str(fresh), "加点障碍物")
    assert result.returncode == 0, result.stderr
    types = [json.loads(line)["type"] for line in result.stdout.splitlines()]
    assert types.count("change_diff") == 3 and types[-1] == "completed"
    assert "def place_rocks(snake):" in (fresh / "main.py").read_text(encoding="utf-8")

    listed = json.loads(codeflow("history", str(fresh), "--json").stdout)
    assert [(v["n"], v["kind"]) for v in listed] == [(1, "wish"), (2, "wish")]
    shown = codeflow("history", str(fresh), "--diff", "2")
    assert "+def place_rocks(snake):" in shown.stdout and "+++ v2/spec.md" in shown.stdout

    restored = codeflow("restore", str(fresh), "1")
    assert restored.returncode == 0 and "版本 1" in restored.stdout
    assert (fresh / "main.py").read_bytes() == original
    assert codeflow("restore", str(fresh), "9").returncode == 2


def test_unknown_follow_up_exits_1_with_the_offer_and_changes_nothing(fresh):
    before = {p: p.read_bytes() for p in fresh.rglob("*") if p.is_file()}
    result = codeflow(
        "run", "--pace", "0", "--language", "en", "--project", str(fresh), "add a scoreboard"
    )
    assert result.returncode == 1
    assert "Faster as it eats" in result.stderr and "Nothing was changed" in result.stderr
    assert {p: p.read_bytes() for p in fresh.rglob("*") if p.is_file()} == before
    assert codeflow("run", "--project", str(fresh.parent), "让蛇跑得更快").returncode == 2


def test_step_mode_on_the_terminal_redoes_then_takes_a_pasted_plan(fresh):
    answers = "r 再简单一点\n\ne\n# 我的方案\n- 新增 `place_rocks(snake)`（R10）：我自己写的\n.\n"
    result = codeflow(
        "run", "--pace", "0", "--step", "--project", str(fresh), "加点障碍物", stdin=answers
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("⏸") == 3  # specify, specify again after the redo, plan
    assert "重做：再简单一点" in result.stdout
    assert (fresh / "plan.md").read_text(encoding="utf-8").startswith("# 我的方案\n")
    listed = json.loads(codeflow("history", str(fresh), "--json").stdout)
    assert listed[-1]["drafts"] == 1


def test_follow_up_against_the_loopback_model_from_the_terminal(isolated, fake_llm, monkeypatch):
    monkeypatch.setenv("CODEFLOW_SMOKE_TIMEOUT_S", "2")
    model = ["--provider", "custom", "--base-url", fake_llm.base_url, "--model", "m", "--json"]
    first = codeflow("run", *model, "做一个弹跳小球")
    assert first.returncode == 0, first.stderr
    project = Path(last_event(first)["project"]["path"])
    faster = PROGRAM.replace("40, 40, 4, 3", "40, 40, 8, 6")
    patch = "".join(
        difflib.unified_diff(
            PROGRAM.splitlines(True), faster.splitlines(True), "a/main.py", "b/main.py"
        )
    )
    fake_llm.set_answer("implement", f"改快一点。\n\n```diff\n{patch}```\n")
    second = codeflow("run", *model, "--project", str(project), "让小球更快")
    assert second.returncode == 0, second.stderr
    assert "40, 40, 8, 6" in (project / "main.py").read_text(encoding="utf-8")
    implement = [r for r in fake_llm.chat_requests() if r.phase == "implement"]
    assert "[change]" in implement[-1].body["messages"][0]["content"]
