"""Each configuration problem is labelled with where it came from (issue 16 A5).

命令行参数 (with the option's own name), 环境变量 (with the variable's name) or 配置文件
PATH — never "配置文件 (environment)" for a command-line typo.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from codeflow_widget.config import load_settings
from codeflow_widget.model.errors import ConfigError


def codeflow(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "codeflow_widget", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def test_a_bad_command_line_option_is_labelled_as_one(isolated):
    done = codeflow("run", "--timeout", "-5", "帮我写个贪吃蛇")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["✗ 命令行参数有 1 个问题：", "  - --timeout: 必须大于 0.0"]


def test_a_bad_environment_variable_is_named(isolated):
    done = codeflow("run", "帮我写个贪吃蛇", env={"CODEFLOW_TIMEOUT_S": "-5"})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "✗ 环境变量有 1 个问题：",
        "  - CODEFLOW_TIMEOUT_S (timeout_s): 必须大于 0.0",
    ]


def test_each_source_gets_its_own_heading_in_english(isolated):
    (isolated / "codeflow.json").write_text(json.dumps({"max_retries": 99}), encoding="utf-8")
    done = codeflow(
        "run", "--language", "en", "--timeout", "-5", "make me a snake game",
        env={"CODEFLOW_SMOKE_TIMEOUT_S": "-1"},
    )  # fmt: skip
    assert done.returncode == 2
    heads = [line for line in done.stderr.splitlines() if not line.startswith("  - ")]
    assert heads == [
        "✗ The command-line options have 1 problem(s):",
        "The environment variables have 1 problem(s):",
        "The config file codeflow.json has 1 problem(s):",
    ]
    assert "  - --timeout: " in done.stderr
    assert "  - CODEFLOW_SMOKE_TIMEOUT_S (smoke_timeout_s): " in done.stderr
    assert "  - max_retries: " in done.stderr


def test_the_python_api_calls_its_keywords_arguments(isolated):
    with pytest.raises(ConfigError) as info:
        load_settings(timeout_s=-5)
    assert info.value.message("zh").splitlines() == [
        "传入的参数有 1 个问题：",
        "  - timeout_s: 必须大于 0.0",
    ]


def test_a_file_problem_keeps_the_file_heading(isolated):
    (isolated / "codeflow.json").write_text(json.dumps({"timeout_s": -5}), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.message("zh").splitlines()[0] == "配置文件 codeflow.json 有 1 个问题："


def test_base_url_without_provider_is_labelled_as_a_command_line_problem(isolated):
    done = codeflow("run", "--base-url", "http://127.0.0.1:9/v1", "帮我写个贪吃蛇")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "✗ 命令行参数有 1 个问题："
