"""The run instructions after `codeflow run` work as printed (issue 16 A6).

They name this interpreter (a bare ``python`` may have no pygame: ``make demo``
installs it only into ``.venv``), put the sandboxed ``codeflow play`` first, label
plain ``main.py`` as running outside the sandbox, and never wrap a command at the
terminal's width.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

WISH = "帮我写个贪吃蛇"


def run_cli(tmp_path: Path, columns: int = 80) -> list[str]:
    projects = tmp_path / "a" / "rather" / "long" / "folder" / "name" / "for" / "the" / "projects"
    done = subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "run", "--pace", "0"]
        + ["--projects-dir", str(projects), WISH],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "COLUMNS": str(columns), "CODEFLOW_SMOKE_TIMEOUT_S": "2"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    start = lines.index("运行方法（在沙盒里运行，打开游戏窗口）：")
    return lines[start : start + 5]


def test_commands_are_whole_lines_naming_this_interpreter_at_80_columns(isolated):
    head, play, outside, cd, plain = run_cli(isolated)
    (project,) = (isolated / "a").rglob("snake_*")
    assert len(play) > 80, "the case that used to wrap"
    assert shlex.split(play) == [sys.executable, "-m", "codeflow_widget", "play", str(project)]
    assert outside == "不经过沙盒、直接运行（程序能读写你的文件）："
    assert shlex.split(cd) == ["cd", str(project)]
    assert shlex.split(plain) == [sys.executable, "main.py"]


def test_the_printed_commands_run(isolated, monkeypatch):
    _, play, _, cd, plain = run_cli(isolated)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    # no display here: `codeflow play` answers with how to play in a notebook, exit 0
    shown = subprocess.run(shlex.split(play), capture_output=True, text=True, encoding="utf-8")
    assert shown.returncode == 0, shown.stderr
    assert "这台电脑没有图形界面" in shown.stdout
    # the interpreter printed for plain main.py has pygame
    python = shlex.split(plain)[0]
    found = subprocess.run([python, "-c", "import pygame"], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert Path(shlex.split(cd)[1], "main.py").is_file()


def test_codeflow_play_is_a_command(isolated):
    done = subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "--help"], capture_output=True, text=True
    )
    assert "play" in done.stdout.split("{", 1)[1].split("}", 1)[0].split(",")
