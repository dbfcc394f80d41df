"""The `codeflow` command: exit codes, --json lines, live output, doctor and init."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_lessons import teacher_lesson


def codeflow(
    *args: str, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "codeflow_widget", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, "CODEFLOW_SMOKE_TIMEOUT_S": "2", **(env or {})},
    )


def test_run_json_prints_one_event_per_line_ending_with_completed(isolated):
    result = codeflow("run", "--json", "--pace", "0", "帮我写个贪吃蛇")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert all("type" in line for line in lines)
    assert lines[0]["type"] == "started" and lines[0]["offline"] is True
    assert {"thinking", "content", "phase_started", "phase_completed"} <= {
        line["type"] for line in lines
    }
    last = lines[-1]
    assert last["type"] == "completed"
    project = Path(last["project"]["path"])
    assert project.name.startswith("snake_") and (project / "main.py").is_file()


def test_thinking_arrives_only_as_thinking_events(isolated):
    lines = [
        json.loads(line)
        for line in codeflow("run", "--json", "--pace", "0", "猜数字").stdout.splitlines()
    ]
    thinking = "".join(line["text"] for line in lines if line["type"] == "thinking")
    outputs = " ".join(line["output"] for line in lines if line["type"] == "phase_completed")
    assert thinking and thinking[:40] not in outputs


def test_run_shows_live_progress_and_a_summary(isolated):
    result = codeflow("run", "--pace", "0", "帮我写个贪吃蛇")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "离线示例模式" in out
    assert out.index("明确需求") < out.index("设计方案") < out.index("编写代码")
    assert "projects" in out and "python main.py" in out


def test_wish_without_lesson_exits_1_naming_three_lessons_to_try(isolated):
    result = codeflow("run", "--pace", "0", "写一个操作系统内核")
    assert result.returncode == 1
    assert "没有" in result.stderr and "课程" in result.stderr
    tail = result.stderr.strip().splitlines()[-4:]
    assert tail == [
        "试试这些离线课程：",
        '  • 贪吃蛇 (snake): codeflow run "帮我写个贪吃蛇"',
        '  • 俄罗斯方块 (tetris): codeflow run "帮我写个俄罗斯方块"',
        '  • 五子棋 (gomoku): codeflow run "帮我写个五子棋"',
    ]
    assert list((isolated / "projects").glob("*")) == []


def test_english_wish_without_lesson_names_the_lessons_in_english(isolated):
    result = codeflow("run", "--pace", "0", "--language", "en", "make a chinese chess game")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    start = lines.index("Try one of these offline lessons:")
    assert len(lines[start + 1 :]) == 3
    assert lines[start + 1].startswith('  • Gomoku (gomoku): codeflow run "')
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in "".join(lines[start:]))


def test_failed_run_in_json_mode_ends_with_failed_line(isolated):
    result = codeflow("run", "--json", "--pace", "0", "写一个操作系统内核")
    assert result.returncode == 1
    last = json.loads(result.stdout.splitlines()[-1])
    assert last["type"] == "failed" and last["error_message"]
    assert [(s["id"], s["name"]) for s in last["suggestions"]] == [
        ("snake", "贪吃蛇"), ("tetris", "俄罗斯方块"), ("gomoku", "五子棋"),
    ]  # fmt: skip


@pytest.mark.parametrize("text", ["", "   ", "蛇" * 1001])
def test_bad_request_text_is_a_usage_error(isolated, text):
    result = codeflow("run", text)
    assert result.returncode == 2
    assert result.stderr.strip()


def test_unknown_option_is_a_usage_error(isolated):
    assert codeflow("run", "--no-such-flag", "x").returncode == 2


def test_broken_config_exits_2_listing_each_field_and_writes_nothing(isolated):
    bad = isolated / "codeflow.json"
    bad.write_text(
        json.dumps({"provider": "nope", "timeout_s": -1, "max_retries": "many", "colour": "red"}),
        encoding="utf-8",
    )
    result = codeflow("run", "帮我写个贪吃蛇")
    assert result.returncode == 2
    for field in ("provider", "timeout_s", "max_retries", "colour"):
        assert field in result.stderr
    assert "配置文件" in result.stderr
    assert not (isolated / "projects").exists() and not (isolated / "logs").exists()


def test_missing_key_for_a_hosted_provider_exits_2_naming_the_variable(isolated):
    result = codeflow("run", "--provider", "deepseek", "帮我写个贪吃蛇")
    assert result.returncode == 2
    assert "DEEPSEEK_API_KEY" in result.stderr


def test_doctor_checks_python_pygame_config_and_folders(isolated):
    result = codeflow("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    for label in ("Python", "pygame", "配置有效", "projects/", "logs/", "虚拟环境"):
        assert label in result.stdout


def test_doctor_reports_a_broken_config(isolated):
    (isolated / "codeflow.json").write_text("{oops", encoding="utf-8")
    result = codeflow("doctor")
    assert result.returncode == 1 and "✗" in result.stdout


def test_init_writes_an_example_config_that_loads_and_never_overwrites(isolated):
    assert codeflow("init").returncode == 0
    data = json.loads((isolated / "codeflow.json").read_text(encoding="utf-8"))
    assert data["provider"] == "offline" and data["timeout_s"] == 60
    assert codeflow("run", "--json", "--pace", "0", "猜数字").returncode == 0
    assert codeflow("init").returncode == 2


def test_lessons_lists_the_offline_catalogue(isolated):
    result = codeflow("lessons")
    assert result.returncode == 0 and "贪吃蛇" in result.stdout and "离线示例模式" in result.stdout


def test_lessons_lists_a_teachers_lessons_from_the_config(isolated):
    teacher_lesson(isolated / "class_lessons")
    (isolated / "codeflow.json").write_text(
        json.dumps({"lessons_dir": str(isolated / "class_lessons")}), encoding="utf-8"
    )
    zh = codeflow("lessons")
    assert zh.returncode == 0, zh.stderr
    assert "  • 火箭 (rocket)  火箭游戏" in zh.stdout.splitlines() and "贪吃蛇 (snake)" in zh.stdout
    en = codeflow("lessons", "--language", "en")
    assert "  • Rocket (rocket)  rocket game" in en.stdout.splitlines()


def test_lessons_refuses_a_broken_teacher_lesson_with_exit_2(isolated):
    folder = teacher_lesson(isolated / "class_lessons")
    (folder / "plan.md").unlink()
    (isolated / "codeflow.json").write_text(
        json.dumps({"lessons_dir": str(isolated / "class_lessons")}), encoding="utf-8"
    )
    result = codeflow("lessons")
    assert result.returncode == 2 and result.stdout == ""
    assert "rocket" in result.stderr and "plan.md" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["lessons", "stats"])
def test_lessons_and_stats_exit_2_on_a_broken_config_field_by_field(isolated, command):
    (isolated / "codeflow.json").write_text(
        json.dumps({"provider": "nope", "timeout_s": -1, "colour": "red"}), encoding="utf-8"
    )
    zh = codeflow(command)
    assert zh.returncode == 2 and zh.stdout == ""
    assert "配置文件 codeflow.json 有 3 个问题" in zh.stderr
    for field in ("provider", "timeout_s", "colour"):
        assert f"  - {field}: " in zh.stderr
    en = codeflow(command, "--language", "en")
    assert en.returncode == 2 and en.stdout == ""
    assert "The config file codeflow.json has 3 problem(s)" in en.stderr
    assert "Traceback" not in zh.stderr + en.stderr


def test_stats_reads_the_log_the_config_names(isolated):
    logs = isolated / "class_logs"
    logs.mkdir()
    line = {"ts": "2026-12-01T10:00:00+00:00", "event": "request_completed",
            "request_id": "r1", "duration_ms": 1200}  # fmt: skip
    (logs / "system_trace.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    (isolated / "codeflow.json").write_text(json.dumps({"log_dir": str(logs)}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CODEFLOW_LOG_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "stats", "--json"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["log"] == str(logs / "system_trace.jsonl") and report["lines"] == 1


def test_ctrl_c_ends_the_run_as_cancelled_with_no_project(isolated):
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-X", "faulthandler", "-m", "codeflow_widget", "run", "--json", "--pace",
         "1", "帮我写个贪吃蛇"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )  # fmt: skip
    first = proc.stdout.readline()  # the run has started
    assert json.loads(first)["type"] == "started"
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack: where it hung
        out, err = proc.communicate(timeout=30)
        pytest.fail(f"Ctrl-C did not end the run in 30 s; its stacks:\n{err[-6000:]}")
    last = json.loads(out.splitlines()[-1])
    assert proc.returncode == 1 and last["type"] == "failed" and last["error_message"] == "已取消"
    assert "已取消" in err
    projects = isolated / "projects"
    assert not projects.exists() or list(projects.iterdir()) == []
