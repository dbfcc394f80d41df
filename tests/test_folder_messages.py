"""Folders the CLI cannot write get a message, not a traceback (issue 16 A2).

"Read-only" is made with something root cannot bypass (the suite runs as root in CI):
a FILE where a folder should be, or a read-only bind mount in a private mount
namespace (``unshare -rm``), which refuses writes to everyone, root included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

WISH = "帮我写个贪吃蛇"


def codeflow(*args: str, cwd: Path, read_only: Path | None = None, env: dict | None = None):
    command = [sys.executable, "-m", "codeflow_widget", *args]
    if read_only is not None:
        unshare = shutil.which("unshare")
        assert unshare, "util-linux's unshare is needed to make a folder read-only for root"
        # cd "$PWD" again: a process inside a folder would not see a mount made over it
        script = (
            'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && cd "$PWD" && exec "$@"'
        )
        command = [unshare, "-rm", "sh", "-c", script, str(read_only), *command]
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "CODEFLOW_SMOKE_TIMEOUT_S": "2", "COLUMNS": "200", **(env or {})},
    )


def test_the_read_only_mount_really_refuses_root(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0"'
         ' && touch "$0/x"', str(folder)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0 and "Read-only file system" in done.stderr
    assert not (folder / "x").exists()


def test_projects_dir_pointing_at_a_file_is_refused_before_the_run(isolated):
    (isolated / "pfile").write_text("not a folder", encoding="utf-8")
    done = codeflow("run", "--pace", "0", "--projects-dir", "pfile", WISH, cwd=isolated)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "项目输出目录 pfile 是一个文件，不是文件夹。请用 --projects-dir" in done.stderr
    assert done.stdout == "", "nothing of the lesson is shown before the refusal"


def test_read_only_projects_folder_is_refused_before_the_lesson_is_shown(isolated):
    projects = isolated / "projects"
    projects.mkdir()
    done = codeflow("run", "--pace", "0", WISH, cwd=isolated, read_only=projects)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert f"项目输出目录 {projects} 在只读的磁盘上" in done.stderr
    assert done.stdout == ""


def test_read_only_working_folder_refuses_the_projects_and_never_tracebacks(isolated, monkeypatch):
    monkeypatch.delenv("CODEFLOW_PROJECTS_DIR")
    monkeypatch.delenv("CODEFLOW_LOG_DIR")
    work = isolated / "work"
    work.mkdir()
    done = codeflow("run", "--pace", "0", WISH, cwd=work, read_only=work)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Logging error" not in done.stderr
    assert "项目输出目录 projects 在只读的磁盘上" in done.stderr


def test_read_only_log_folder_warns_once_and_the_run_goes_on(isolated, monkeypatch):
    monkeypatch.delenv("CODEFLOW_LOG_DIR")
    work = isolated / "work"
    work.mkdir()
    done = codeflow(
        "run", "--pace", "0", WISH, cwd=work, read_only=work,
        env={"CODEFLOW_PROJECTS_DIR": str(isolated / "projects")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Logging error" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        "⚠ 无法写入运行日志 logs/system_trace.jsonl（Read-only file system）：本次不记录日志，"
        "课程照常进行；可用 CODEFLOW_LOG_DIR 指定一个可写的文件夹。",
        "⚠ Cannot write the trace log logs/system_trace.jsonl (Read-only file system): this run "
        "continues without a log; set CODEFLOW_LOG_DIR to a writable folder.",
    ]
    assert len(list((isolated / "projects").glob("snake_*/main.py"))) == 1


def test_an_existing_read_only_log_folder_warns_once(isolated, monkeypatch):
    logs = isolated / "logs"
    logs.mkdir()
    done = codeflow("run", "--pace", "0", WISH, cwd=isolated, read_only=logs)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Logging error" not in done.stderr
    # the log warning, once per language, and nothing else on stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(
        f"⚠ 无法写入运行日志 {logs}/system_trace.jsonl（Read-only file system）"
    )
    assert lines[1].startswith(f"⚠ Cannot write the trace log {logs}/system_trace.jsonl")


def test_init_into_a_missing_folder_says_so(isolated):
    done = codeflow("init", "--path", "nope/codeflow.json", cwd=isolated)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "配置文件所在的目录 nope 不存在" in done.stderr
    assert "The folder for the config file nope does not exist" in done.stderr
    assert not (isolated / "nope").exists()


def test_init_into_a_read_only_folder_says_so(isolated):
    work = isolated / "work"
    work.mkdir()
    done = codeflow("init", cwd=work, read_only=work)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"配置文件所在的目录 {work} 在只读的磁盘上" in done.stderr
    assert not (work / "codeflow.json").exists()


def test_base_url_without_provider_is_refused_not_ignored(isolated):
    done = codeflow("run", "--pace", "0", "--base-url", "http://127.0.0.1:9/v1", WISH, cwd=isolated)
    assert done.returncode == 2
    assert "--provider custom --model" in done.stderr
    assert done.stdout == "" and not (isolated / "projects").exists()


def test_base_url_with_a_provider_from_the_environment_is_used(isolated, fake_llm):
    done = codeflow(
        "run", "--json", "--base-url", fake_llm.base_url, WISH, cwd=isolated,
        env={"CODEFLOW_PROVIDER": "custom", "CODEFLOW_MODEL": "fake-model",
             "CODEFLOW_API_KEY": "sk-test-folder-1", "CODEFLOW_BACKOFF_S": "0"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(fake_llm.chat_requests()) == 3
