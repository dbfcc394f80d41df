"""End to end: the whole flow against the loopback server, through the Python API and the CLI.

Each reasoning format completes with its reasoning only in thinking events; each
fault either recovers (429, 500, a dropped stream, MiniMax 1002 …) or fails with a
specific Chinese message and no project (401, MiniMax 1008, always-500 → breaker);
bad code that survives the corrective retry fails naming the line; a slow server
hits the configured timeout; the API key shows up nowhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import codeflow_widget
from codeflow_widget.config import load_settings
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.output.projects import zip_project

from .fakes import scenarios as sc
from .fakes.server import FakeLLMServer

KEY = "sk-test-SECRET-e2e-5f3a9c2b7d"
WISH = "帮我写个弹跳小球"
FAST = {"backoff_s": 0, "timeout_s": 3, "smoke_timeout_s": 5, "max_retries": 3}


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv("CODEFLOW_API_KEY", KEY)


def settings_for(server: FakeLLMServer, **overrides):
    return load_settings(
        provider="custom", base_url=server.base_url, model="fake-model", **{**FAST, **overrides}
    )


async def run_api(server: FakeLLMServer, **overrides) -> list:
    return [
        event
        async for event in codeflow_widget.generate(
            WISH, settings=settings_for(server, **overrides)
        )
    ]


def run_cli(
    server: FakeLLMServer, *extra: str, env: dict | None = None, provider: str = "custom"
) -> tuple[int, list[dict], str]:
    args = [
        sys.executable,
        "-m",
        "codeflow_widget",
        "run",
        "--json",
        "--provider",
        provider,
        "--base-url",
        server.base_url,
    ]
    if provider == "custom":
        args += ["--model", "fake-model"]
    environ = {
        **os.environ,
        "CODEFLOW_BACKOFF_S": "0",
        "CODEFLOW_TIMEOUT_S": "3",
        "CODEFLOW_SMOKE_TIMEOUT_S": "5",
        **(env or {}),
    }
    done = subprocess.run(
        [*args, *extra, WISH],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        timeout=120,
    )
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, events, done.stdout + done.stderr


def of_type(events, kind: str) -> list:
    return [e for e in events if (e["type"] if isinstance(e, dict) else e.type) == kind]


def last(events):
    return events[-1] if isinstance(events[-1], dict) else events[-1].to_json()


def written_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def projects_dir() -> Path:
    return Path(os.environ["CODEFLOW_PROJECTS_DIR"])


def log_file() -> Path:
    return Path(os.environ["CODEFLOW_LOG_DIR"]) / "system_trace.jsonl"


def assert_no_project() -> None:
    assert not projects_dir().exists() or not any(projects_dir().iterdir())


# -- every reasoning format completes, reasoning only in thinking events ----------------
FORMATS = {
    "minimax": {},
    "minimax_cumulative": {"cumulative": True},
    "deepseek": {},
    "vllm": {},
    "ollama": {},
    "openrouter": {},
    "inline_think": {},
    "inline_think_no_open_tag": {"open_tag": False},
}


def _server_for(factory, case: str) -> FakeLLMServer:
    fmt = "inline_think" if case.startswith("inline") else case.split("_")[0]
    return factory(fmt, extra_fields=True, **FORMATS[case])


def assert_reasoning_only_in_thinking(events: list[dict]) -> None:
    thinking = "".join(e["text"] for e in of_type(events, "thinking"))
    for phase in sc.PHASES:
        assert sc.DEFAULT_THINKING[phase] in thinking, phase
    for event in events:
        if event["type"] != "thinking":
            assert sc.REASONING_MARKER not in json.dumps(event, ensure_ascii=False), event["type"]
    files = written_files(projects_dir())
    assert files, "a project was written"
    for path in files:
        assert sc.REASONING_MARKER not in path.read_text(encoding="utf-8", errors="replace"), path


@pytest.mark.parametrize("case", sorted(FORMATS))
def test_cli_completes_for_each_reasoning_format(fake_llm_factory, case):
    server = _server_for(fake_llm_factory, case)
    code, events, output = run_cli(server)
    assert code == 0, output[-2000:]
    assert events[-1]["type"] == "completed"
    assert_reasoning_only_in_thinking(events)
    outputs = {e["phase"]: e["output"] for e in of_type(events, "phase_completed")}
    assert outputs["specify"] == sc.SPEC.strip() and outputs["plan"] == sc.PLAN.strip()
    assert KEY not in output


@pytest.mark.parametrize("case", sorted(FORMATS))
async def test_api_completes_for_each_reasoning_format(fake_llm_factory, case):
    server = _server_for(fake_llm_factory, case)
    events = [e.to_json() for e in await run_api(server)]
    assert events[-1]["type"] == "completed", events[-1]
    assert_reasoning_only_in_thinking(events)
    assert len(server.chat_requests()) == 3


async def test_generate_accepts_provider_settings_as_keywords(fake_llm, tmp_path):
    """The documented call: ``generate(text, provider=..., base_url=..., model=..., projects_dir=...)``."""
    events = [
        e
        async for e in codeflow_widget.generate(
            WISH,
            provider="custom",
            base_url=fake_llm.base_url,
            model="fake-model",
            projects_dir=tmp_path / "kw",
            **FAST,
        )
    ]
    assert events[-1].type == "completed"
    assert Path(events[-1].project.path).parent == (tmp_path / "kw").resolve()


# -- faults that recover -------------------------------------------------------------------
RECOVERABLE = {
    "429_once": sc.http_error(429, retry_after=0),
    "500_once": sc.http_error(500),
    "503_once": sc.http_error(503),
    "disconnect_once": sc.disconnect(after=4),
    "reset_once": sc.disconnect(after=4, mode="reset"),
    "no_done_once": sc.no_done(after=4),
    "base_resp_1002_once": sc.base_resp(1002),
    "base_resp_1002_sse_once": sc.base_resp(1002, sse=True),
    "base_resp_1033_once": sc.base_resp(1033),
    "error_event_once": sc.error_event(after=3),
    "malformed_once": sc.malformed(after=3),
}


@pytest.mark.parametrize("fault", sorted(RECOVERABLE))
@pytest.mark.parametrize("phase", ["specify", "implement"])
async def test_recovers_from_a_transient_fault(fake_llm, fault, phase):
    fake_llm.enqueue(RECOVERABLE[fault], phase=phase)
    events = await run_api(fake_llm)
    assert events[-1].type == "completed", events[-1]
    resets = of_type(events, "phase_reset")
    assert [(r.phase, r.attempt) for r in resets] == [(phase, 2)]
    assert resets[0].reason and any("\u4e00" <= ch <= "\u9fff" for ch in resets[0].reason)
    assert len(fake_llm.chat_requests()) == 4
    # the partial text of the broken attempt is not part of the phase's output
    output = next(e.output for e in events if e.type == "phase_completed" and e.phase == phase)
    assert output == sc.DEFAULT_ANSWERS[phase].strip()


async def test_a_dropped_stream_resets_after_partial_text(fake_llm):
    fake_llm.enqueue(sc.disconnect(after=12), phase="plan")
    events = await run_api(fake_llm)
    kinds = [
        (e.type, getattr(e, "phase", None))
        for e in events
        if e.type in ("content", "thinking", "phase_reset")
    ]
    reset_at = kinds.index(("phase_reset", "plan"))
    assert any(
        kind == ("content", "plan") or kind == ("thinking", "plan") for kind in kinds[:reset_at]
    )
    assert events[-1].type == "completed"


async def test_retry_after_is_honoured(fake_llm):
    fake_llm.enqueue(sc.http_error(429, retry_after=1))
    events = await run_api(fake_llm)
    (reset,) = of_type(events, "phase_reset")
    assert reset.delay_s == 1.0
    first, second = fake_llm.chat_requests()[:2]
    assert second.at - first.at >= 0.95  # a lower bound: a wait is never shorter than asked
    assert events[-1].type == "completed"


async def test_a_stall_mid_stream_times_out_and_recovers(fake_llm):
    fake_llm.enqueue(sc.stall(after=4, seconds=3))
    events = await run_api(fake_llm, timeout_s=0.5)
    (reset,) = of_type(events, "phase_reset")
    assert "0.5" in reset.reason
    assert events[-1].type == "completed"


async def test_an_empty_answer_gets_one_corrective_retry(fake_llm):
    fake_llm.enqueue(sc.empty_answer(), phase="specify")
    events = await run_api(fake_llm)
    assert events[-1].type == "completed"
    corrective = fake_llm.chat_requests()[1]
    assert corrective.phase == "specify" and len(corrective.body["messages"]) == 3


async def test_an_implement_answer_without_code_gets_one_corrective_retry(fake_llm):
    fake_llm.enqueue(sc.no_code(), phase="implement")
    events = await run_api(fake_llm)
    assert events[-1].type == "completed"
    assert [r.phase for r in fake_llm.chat_requests()] == [
        "specify",
        "plan",
        "implement",
        "implement",
    ]


async def test_an_answer_that_stays_empty_fails_clearly(fake_llm):
    fake_llm.always(sc.empty_answer(), phase="plan")
    events = await run_api(fake_llm)
    failed = events[-1]
    assert (
        failed.type == "failed"
        and failed.error_code == "provider.empty_answer"
        and failed.phase == "plan"
    )
    assert "空回答" in failed.error_message
    assert_no_project()


# -- faults that fail with a specific Chinese message and no project ----------------------------
async def test_401_fails_at_once_naming_the_key_variable(fake_llm):
    fake_llm.always(sc.http_error(401))
    events = await run_api(fake_llm)
    failed = events[-1]
    assert failed.type == "failed" and failed.error_code == "provider.auth"
    assert "密钥" in failed.error_message and "CODEFLOW_API_KEY" in failed.error_message
    assert len(fake_llm.chat_requests()) == 1, "a rejected key is never retried"
    assert of_type(events, "phase_reset") == []
    assert_no_project()


async def test_minimax_balance_error_in_http_200_fails_at_once(fake_llm):
    fake_llm.always(sc.base_resp(1008))
    events = await run_api(fake_llm)
    failed = events[-1]
    assert failed.type == "failed" and failed.error_code == "provider.balance"
    assert "余额不足" in failed.error_message
    assert len(fake_llm.chat_requests()) == 1
    assert_no_project()


async def test_minimax_balance_error_as_sse_line_fails_at_once(fake_llm):
    fake_llm.always(sc.base_resp(1008, sse=True))
    failed = (await run_api(fake_llm))[-1]
    assert failed.type == "failed" and failed.error_code == "provider.balance"
    assert_no_project()


async def test_always_500_opens_the_breaker_and_the_next_call_fails_at_once(fake_llm):
    fake_llm.always(sc.http_error(500))
    events = await run_api(fake_llm, breaker_threshold=3)
    failed = events[-1]
    assert failed.type == "failed" and failed.project is None
    assert failed.error_code == "provider.unavailable", failed.error_code
    assert "服务暂时不可用（500）" in failed.error_message
    assert_no_project()
    sent = len(fake_llm.chat_requests())
    assert sent == 3, "the breaker opens at its third failure, so no fourth request is sent"
    again = await run_api(fake_llm, breaker_threshold=3)
    assert again[-1].type == "failed" and again[-1].error_code == "breaker.open"
    assert "秒后" in again[-1].error_message
    assert len(fake_llm.chat_requests()) == sent, "an open breaker sends nothing"
    assert_no_project()


@pytest.mark.parametrize(
    ("reply", "line", "code"),
    [
        (sc.syntax_error(), sc.SYNTAX_ERROR_LINE, "syntax_error"),
        (sc.bad_import(), sc.BAD_IMPORT_LINE, "disallowed_import"),
    ],
    ids=["syntax_error", "bad_import"],
)
async def test_bad_code_after_the_corrective_retry_fails_naming_the_line(
    fake_llm, reply, line, code
):
    fake_llm.always(reply, phase="implement")
    events = await run_api(fake_llm)
    failed = events[-1]
    assert failed.type == "failed" and failed.phase == "implement"
    assert f"第 {line} 行" in failed.error_message, failed.error_message
    reports = of_type(events, "validation")
    assert len(reports) == 2 and all(not r.ok for r in reports)
    assert any(f.code == code and f.line == line for f in reports[-1].findings)
    assert [r.phase for r in fake_llm.chat_requests()].count("implement") == 2
    assert failed.project is not None, "kept for study (keep_failed_projects is on by default)"
    assert failed.project.syntax_validated is False and failed.project.downloadable is False
    meta = json.loads((Path(failed.project.path) / "project.json").read_text(encoding="utf-8"))
    assert meta["syntax_validated"] is False
    with pytest.raises(CodeflowError):
        zip_project(failed.project.path)


async def test_a_slow_server_hits_the_configured_timeout(fake_llm):
    fake_llm.always(sc.slow_headers(5))  # answers after 5 s: only a timeout makes this fail
    events = await run_api(fake_llm, timeout_s=0.5, max_retries=1)
    failed = events[-1]
    assert failed.type == "failed" and failed.error_code == "provider.timeout"
    assert "0.5" in failed.error_message
    assert len(fake_llm.chat_requests()) == 2
    assert_no_project()


# -- the CLI's exit codes and messages --------------------------------------------------------
def test_cli_401_exits_1_with_a_chinese_message(fake_llm):
    fake_llm.always(sc.http_error(401, echo_key=True))
    code, events, output = run_cli(fake_llm)
    assert code == 1
    assert events[-1]["type"] == "failed" and events[-1]["error_code"] == "provider.auth"
    assert "密钥" in output and KEY not in output
    assert_no_project()


def test_cli_syntax_error_exits_1_naming_the_line(fake_llm):
    fake_llm.always(sc.syntax_error(), phase="implement")
    code, events, output = run_cli(fake_llm)
    assert code == 1 and events[-1]["type"] == "failed"
    assert f"第 {sc.SYNTAX_ERROR_LINE} 行" in events[-1]["error_message"]


def test_cli_missing_key_exits_2_before_any_request(fake_llm, monkeypatch):
    monkeypatch.delenv("CODEFLOW_API_KEY")
    code, events, output = run_cli(fake_llm, provider="minimax")
    assert code == 2 and "MINIMAX_API_KEY" in output
    assert fake_llm.requests == []


def test_cli_minimax_preset_sends_reasoning_split(fake_llm, monkeypatch):
    monkeypatch.delenv("CODEFLOW_API_KEY")
    code, events, output = run_cli(fake_llm, provider="minimax", env={"MINIMAX_API_KEY": KEY})
    assert code == 0, output[-2000:]
    requests = fake_llm.chat_requests()
    assert len(requests) == 3 and all(r.body["reasoning_split"] is True for r in requests)
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in requests)
    assert KEY not in output


def test_cli_recovers_from_a_disconnect(fake_llm):
    fake_llm.enqueue(sc.disconnect(after=4), phase="plan")
    code, events, output = run_cli(fake_llm)
    assert code == 0, output[-2000:]
    assert [(e["phase"], e["attempt"]) for e in of_type(events, "phase_reset")] == [("plan", 2)]


# -- the key appears nowhere; errors reach the trace log -----------------------------------------
async def test_the_api_key_appears_in_no_log_event_or_file(fake_llm, tmp_path):
    fake_llm.enqueue(sc.http_error(500, echo_key=True))
    fake_llm.enqueue(sc.disconnect(after=3))
    events = await run_api(fake_llm)
    assert events[-1].type == "completed"
    fake_llm.always(sc.http_error(401, echo_key=True))
    events += await run_api(fake_llm)
    assert events[-1].type == "failed"
    code, cli_events, output = run_cli(fake_llm)
    assert code == 1
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in fake_llm.chat_requests())
    for event in events:
        assert KEY not in json.dumps(event.to_json(), ensure_ascii=False)
    assert KEY not in output
    files = written_files(tmp_path)
    assert log_file() in files
    for path in files:
        assert KEY not in path.read_text(encoding="utf-8", errors="replace"), path


async def test_provider_errors_reach_the_trace_log_with_status_and_attempt(fake_llm):
    fake_llm.enqueue(sc.http_error(500))
    fake_llm.enqueue(sc.base_resp(1002))
    await run_api(fake_llm)
    lines = [json.loads(line) for line in log_file().read_text(encoding="utf-8").splitlines()]
    errors = [line for line in lines if line.get("event") == "provider_error"]
    assert [(e.get("status"), e.get("attempt")) for e in errors] == [(500, 1), (1002, 2)]
    assert all(e.get("provider") for e in errors)


async def test_xss_payloads_pass_through_as_plain_text(fake_llm):
    fake_llm.enqueue(sc.xss("specify"), phase="specify")
    events = await run_api(fake_llm)
    assert events[-1].type == "completed"
    spec = next(e.output for e in events if e.type == "phase_completed" and e.phase == "specify")
    assert sc.XSS_IMG in spec and sc.XSS_SCRIPT in spec
