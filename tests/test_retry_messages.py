"""What the learner is told while the flow retries, against the loopback server (issue 16 A3).

The announcement names the coming attempt once (the front ends add the attempt
themselves), no attempt is announced that the circuit breaker will refuse, and the
final message counts the requests really sent.
"""

from __future__ import annotations

import os
import subprocess
import sys

import codeflow_widget
from codeflow_widget.config import load_settings

from .fakes import scenarios as sc
from .fakes.server import FakeLLMServer

KEY = "sk-test-SECRET-retry-7c1d"
WISH = "帮我写个弹跳小球"


def settings_for(server: FakeLLMServer, **overrides):
    return load_settings(
        provider="custom",
        base_url=server.base_url,
        model="fake-model",
        backoff_s=0,
        timeout_s=3,
        smoke_timeout_s=5,
        **overrides,
    )


async def run_api(server: FakeLLMServer, **overrides) -> list:
    return [
        e async for e in codeflow_widget.generate(WISH, settings=settings_for(server, **overrides))
    ]


async def test_no_attempt_is_announced_that_the_open_breaker_refuses(fake_llm, monkeypatch):
    monkeypatch.setenv("CODEFLOW_API_KEY", KEY)
    fake_llm.always(sc.http_error(500))
    events = await run_api(fake_llm, breaker_threshold=3, max_retries=3)
    resets = [e for e in events if e.type == "phase_reset"]
    assert [r.attempt for r in resets] == [2, 3]
    assert len(fake_llm.chat_requests()) == 3
    failed = events[-1]
    assert failed.type == "failed" and failed.error_code == "provider.unavailable"


async def test_the_final_message_counts_the_requests_really_sent(fake_llm, monkeypatch):
    monkeypatch.setenv("CODEFLOW_API_KEY", KEY)
    fake_llm.always(sc.http_error(500))
    events = await run_api(fake_llm, breaker_threshold=3, max_retries=3)
    assert len(fake_llm.chat_requests()) == 3
    host = fake_llm.base_url.split("//")[1].split("/")[0]
    assert events[-1].error_message == f"{host} 服务暂时不可用（500），共尝试 3 次仍失败。"


async def test_max_retries_bounds_the_attempts_when_the_breaker_allows_more(fake_llm, monkeypatch):
    monkeypatch.setenv("CODEFLOW_API_KEY", KEY)
    fake_llm.always(sc.http_error(500))
    events = await run_api(fake_llm, breaker_threshold=10, max_retries=1)
    assert [e.attempt for e in events if e.type == "phase_reset"] == [2]
    assert len(fake_llm.chat_requests()) == 2
    assert "共尝试 2 次" in events[-1].error_message


def test_the_terminal_names_the_coming_attempt_once(fake_llm):
    fake_llm.enqueue(sc.http_error(500), phase="specify")
    env = {
        **os.environ,
        "CODEFLOW_API_KEY": KEY,
        "CODEFLOW_BACKOFF_S": "0",
        "CODEFLOW_SMOKE_TIMEOUT_S": "5",
        "COLUMNS": "200",
    }
    done = subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "run", "--provider", "custom"]
        + ["--base-url", fake_llm.base_url, "--model", "fake-model", WISH],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("↻")]
    assert lines == ["↻ 第 2 次尝试 · 服务暂时不可用（500），0 秒后自动重试……"]
