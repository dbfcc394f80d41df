"""The trace log: one whole, UTF-8, redacted JSON object per line in logs/system_trace.jsonl."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from datetime import datetime
from pathlib import Path

import pytest

from codeflow_widget.output.trace import TRACE, JsonLineHandler, Tracer, redact

REQUIRED = ("ts", "level", "request_id", "phase", "event", "duration_ms")


@pytest.fixture
def log_file(isolated) -> Path:
    return isolated / "logs" / "system_trace.jsonl"


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def written(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# -- the line format -----------------------------------------------------------------
def test_each_line_is_json_with_ts_level_request_id_phase_event_and_duration_ms(log_file):
    tracer = Tracer(log_file).bind("req-1")
    tracer.event("phase_completed", phase="plan", duration_ms=1234.56, attempt=1)
    tracer.event("request_started")
    first, second = lines(log_file)
    for line in (first, second):
        assert all(key in line for key in REQUIRED)
        datetime.fromisoformat(line["ts"])
    assert first["level"] == "INFO"
    assert first["request_id"] == "req-1"
    assert first["phase"] == "plan"
    assert first["event"] == "phase_completed"
    assert first["duration_ms"] == pytest.approx(1234.6)
    assert first["attempt"] == 1
    assert (second["phase"], second["duration_ms"]) == (None, None)


def test_the_log_folder_is_created_when_missing(log_file):
    assert not log_file.parent.exists()
    Tracer(log_file).event("hello")
    assert log_file.is_file()


def test_lines_are_appended_not_overwritten(log_file):
    Tracer(log_file).event("one")
    Tracer(log_file).event("two")
    assert [line["event"] for line in lines(log_file)] == ["one", "two"]


def test_the_error_level_is_written_as_error(log_file):
    Tracer(log_file, "r").error("provider_error", status=503)
    (line,) = lines(log_file)
    assert line["level"] == "ERROR" and line["status"] == 503


def test_the_file_is_utf8_with_chinese_unescaped(log_file):
    Tracer(log_file, "r").event("phase_started", phase="specify", message="第一步：明确需求")
    raw = log_file.read_bytes()
    assert "第一步：明确需求".encode() in raw
    assert b"\\u" not in raw
    assert lines(log_file)[0]["message"] == "第一步：明确需求"


def test_the_trace_level_is_5_and_named_trace():
    assert TRACE == 5
    assert logging.getLevelName(TRACE) == "TRACE"


def test_trace_level_lines_are_written(log_file):
    Tracer(log_file, "r").trace("chunk", phase="implement", size=42)
    (line,) = lines(log_file)
    assert line["level"] == "TRACE"
    assert line["event"] == "chunk" and line["size"] == 42


def test_the_handler_accepts_trace_level_records(log_file):
    handler = JsonLineHandler(log_file)
    assert handler.level <= TRACE


# -- redaction -----------------------------------------------------------------------
KEY = "sk-tracetest0123456789abcdef"
PLAIN_KEY = "mmk_9f8e7d6c5b4a39281706"  # a key with no recognisable shape


def test_a_key_present_in_the_environment_is_redacted(log_file, monkeypatch):
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    Tracer(log_file, "r").event("request", detail=f"calling with {KEY}", echoed=KEY)
    assert KEY not in written(log_file)
    assert "tracetest" not in written(log_file)


@pytest.mark.parametrize(
    "env_var", ["CODEFLOW_API_KEY", "MINIMAX_API_KEY", "DEEPSEEK_API_KEY", "OPENAI_API_KEY"]
)
def test_a_key_of_any_shape_present_in_the_environment_is_redacted(log_file, monkeypatch, env_var):
    monkeypatch.setenv(env_var, PLAIN_KEY)
    Tracer(log_file, "r").event("request", detail=f"the key is {PLAIN_KEY}")
    assert PLAIN_KEY not in written(log_file)


def test_an_authorization_bearer_header_is_redacted(log_file):
    Tracer(log_file, "r").event("request", headers="Authorization: Bearer abcdefghijklmnop123456")
    text = written(log_file)
    assert "abcdefghijklmnop123456" not in text
    assert "***" in text


def test_a_header_dict_with_authorization_is_redacted(log_file):
    Tracer(log_file, "r").event(
        "request", headers={"Authorization": "Bearer abcdefghijklmnop123456"}
    )
    assert "abcdefghijklmnop123456" not in written(log_file)


def test_an_api_key_inside_a_field_value_is_redacted(log_file):
    Tracer(log_file, "r").event(
        "request", body='{"model": "MiniMax-M2.7", "api_key": "hunter2hunter2"}'
    )
    text = written(log_file)
    assert "hunter2hunter2" not in text
    assert "MiniMax-M2.7" in text


def test_a_field_named_api_key_is_redacted(log_file):
    Tracer(log_file, "r").event("request", api_key="hunter2hunter2")
    assert "hunter2hunter2" not in written(log_file)


def test_an_sk_token_in_an_error_message_is_redacted(log_file):
    Tracer(log_file, "r").error(
        "provider_error", error=f"401 Unauthorized: invalid key {KEY} for model"
    )
    text = written(log_file)
    assert KEY not in text
    assert "401 Unauthorized" in text


def test_an_sk_token_in_the_event_name_is_redacted(log_file):
    Tracer(log_file, "r").event(f"oops {KEY}")
    assert KEY not in written(log_file)


def test_redaction_keeps_the_rest_of_the_text():
    assert redact(f"Authorization: Bearer {KEY} 然后继续").endswith("然后继续")
    assert "***" in redact(f"key={KEY}")


def test_redact_removes_extra_secrets_given_by_the_caller():
    assert "plainsecretvalue" not in redact(
        "x plainsecretvalue y", extra_secrets=["plainsecretvalue"]
    )


# -- concurrency ---------------------------------------------------------------------
def test_8_threads_writing_500_lines_each_never_interleave(log_file):
    barrier = threading.Barrier(8)

    def write(n: int) -> None:
        tracer = Tracer(log_file).bind(f"thread-{n}")
        barrier.wait()
        for i in range(500):
            tracer.event("chunk", phase="implement", duration_ms=i, text="贪吃蛇" * 20, i=i)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    parsed = lines(log_file)
    assert len(parsed) == 8 * 500
    for n in range(8):
        assert sorted(p["i"] for p in parsed if p["request_id"] == f"thread-{n}") == list(
            range(500)
        )


async def test_5_asyncio_tasks_interleaving_write_whole_lines(log_file):
    async def request(n: int) -> None:
        tracer = Tracer(log_file).bind(f"task-{n}")
        for i in range(200):
            tracer.event("delta", phase="plan", i=i, text="思考" * 50)
            await asyncio.sleep(0)

    await asyncio.gather(*(request(n) for n in range(5)))
    parsed = lines(log_file)
    assert len(parsed) == 5 * 200
    owners = [p["request_id"] for p in parsed]
    assert len({owners[i] for i in range(5)}) > 1, "the tasks really interleaved"
    for n in range(5):
        assert [p["i"] for p in parsed if p["request_id"] == f"task-{n}"] == list(range(200))
