"""The OpenAI-compatible provider alone, against the real loopback server (no mocks)."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path

import pytest
from pydantic import SecretStr

from codeflow_widget.config import Settings
from codeflow_widget.model.errors import (
    MissingApiKey,
    ProviderRejected,
    ProviderTransient,
    StreamInterrupted,
)
from codeflow_widget.providers.base import ContentChunk, Message, PhaseCall, ThinkingChunk
from codeflow_widget.providers.openai_compatible import OpenAICompatible, retry_after_seconds
from codeflow_widget.terminal.doctor_http import check_endpoint

from .fakes import scenarios as sc
from .fakes.server import FakeLLMServer

REPO = Path(__file__).resolve().parents[1]
KEY = "sk-test-SECRET-0123456789abcdef"


def make_provider(
    server: FakeLLMServer, *, timeout_s: float = 5.0, key: str | None = KEY, **kwargs
) -> OpenAICompatible:
    return OpenAICompatible(
        name="custom",
        model="fake-model",
        base_url=server.base_url,
        api_key=SecretStr(key) if key else None,
        label="Fake",
        timeout_s=timeout_s,
        **kwargs,
    )


def call(phase: str = "plan", attempt: int = 1) -> PhaseCall:
    messages = (
        Message("system", f"[phase:{phase}]\nYou are a teacher."),
        Message("user", "帮我写个弹跳小球"),
    )
    return PhaseCall(phase=phase, messages=messages, user_input="帮我写个弹跳小球", attempt=attempt)


async def collect(provider: OpenAICompatible, phase: str = "plan") -> tuple[str, str]:
    thinking, content = [], []
    try:
        async for chunk in provider.stream(call(phase)):
            (thinking if isinstance(chunk, ThinkingChunk) else content).append(chunk.text)
    finally:
        await provider.aclose()
    return "".join(thinking), "".join(content)


async def failure(provider: OpenAICompatible, phase: str = "plan"):
    with pytest.raises(Exception) as info:
        await collect(provider, phase)
    return info.value


# -- formats -------------------------------------------------------------------------
FORMAT_CASES = {
    "minimax": {},
    "minimax_cumulative": {"cumulative": True},
    "minimax_details_only": {"reasoning_content_beside": False},
    "deepseek": {},
    "vllm": {},
    "ollama": {},
    "openrouter": {},
    "inline_think": {},
    "inline_think_no_open_tag": {"open_tag": False},
    "plain": {},
}


@pytest.mark.parametrize("case", sorted(FORMAT_CASES))
@pytest.mark.parametrize("phase", ["specify", "implement"])
async def test_each_format_splits_thinking_from_content(fake_llm_factory, case, phase):
    fmt = (
        case
        if case in sc.FORMATS
        else case.split("_")[0]
        if not case.startswith("inline")
        else "inline_think"
    )
    server = fake_llm_factory(fmt, chunk_size=7, extra_fields=True, **FORMAT_CASES[case])
    thinking, content = await collect(make_provider(server), phase)
    assert content == sc.DEFAULT_ANSWERS[phase]
    if fmt == "plain":
        assert thinking == ""
    else:
        expected = sc.DEFAULT_THINKING[phase] + ("\n" if fmt == "inline_think" else "")
        assert thinking == expected
        assert sc.REASONING_MARKER not in content


async def test_chunks_stream_in_order_thinking_first(fake_llm):
    kinds = []
    provider = make_provider(fake_llm)
    async for chunk in provider.stream(call()):
        kinds.append(type(chunk))
    await provider.aclose()
    assert kinds[0] is ThinkingChunk and kinds[-1] is ContentChunk
    assert kinds.index(ContentChunk) > 0 and ThinkingChunk not in kinds[kinds.index(ContentChunk) :]


async def test_a_server_that_ignores_stream_true_still_works(fake_llm):
    fake_llm.enqueue(sc.json_instead_of_sse())
    thinking, content = await collect(make_provider(fake_llm))
    assert content == sc.PLAN and thinking == sc.DEFAULT_THINKING["plan"]


# -- the request -----------------------------------------------------------------------
async def test_minimax_preset_sends_reasoning_split_and_the_key(fake_llm, monkeypatch):
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    settings = Settings(
        provider="minimax", base_url=fake_llm.base_url, temperature=0.5, max_tokens=1024
    )
    provider = OpenAICompatible.from_settings(settings)
    assert (provider.name, provider.model, provider.label) == ("minimax", "MiniMax-M2.7", "MiniMax")
    await collect(provider)
    (request,) = fake_llm.chat_requests()
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.body
    assert body["reasoning_split"] is True
    assert body["stream"] is True and body["model"] == "MiniMax-M2.7"
    assert body["temperature"] == 0.5 and body["max_tokens"] == 1024
    assert body["messages"][0] == {"role": "system", "content": "[phase:plan]\nYou are a teacher."}
    assert request.phase == "plan"


async def test_a_lone_surrogate_in_a_prompt_is_replaced_not_blamed_on_the_provider(fake_llm):
    provider = make_provider(fake_llm)
    broken = PhaseCall(
        phase="plan",
        messages=(Message("system", "[phase:plan]"), Message("user", "小\ud800球")),
        user_input="x",
    )
    content = "".join(
        [c.text async for c in provider.stream(broken) if isinstance(c, ContentChunk)]
    )
    await provider.aclose()
    assert content == sc.PLAN
    assert fake_llm.chat_requests()[0].body["messages"][1]["content"] == "小?球"


async def test_deepseek_preset_sends_no_extra_body(fake_llm, monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", KEY)
    provider = OpenAICompatible.from_settings(
        Settings(provider="deepseek", base_url=fake_llm.base_url)
    )
    await collect(provider)
    assert "reasoning_split" not in fake_llm.chat_requests()[0].body


async def test_missing_key_is_refused_before_any_request(fake_llm):
    with pytest.raises(MissingApiKey) as info:
        OpenAICompatible.from_settings(Settings(provider="minimax", base_url=fake_llm.base_url))
    assert "MINIMAX_API_KEY" in str(info.value)
    assert fake_llm.requests == []


@pytest.mark.parametrize("preset", ["ollama", "vllm", "custom"])
async def test_local_presets_without_a_key_use_a_placeholder(fake_llm, preset):
    provider = OpenAICompatible.from_settings(
        Settings(provider=preset, base_url=fake_llm.base_url, model="m")
    )
    await collect(provider)
    assert fake_llm.chat_requests()[0].headers["authorization"] == "Bearer not-needed"


async def test_codeflow_api_key_wins_and_custom_label_is_the_host(fake_llm, monkeypatch):
    monkeypatch.setenv("CODEFLOW_API_KEY", KEY)
    provider = OpenAICompatible.from_settings(
        Settings(provider="custom", base_url=fake_llm.base_url, model="m")
    )
    assert provider.label == f"127.0.0.1:{fake_llm.port}" and provider.key_env == "CODEFLOW_API_KEY"
    await collect(provider)
    assert fake_llm.chat_requests()[0].headers["authorization"] == f"Bearer {KEY}"


def test_importing_the_provider_modules_does_not_import_openai():
    code = "import sys, codeflow_widget.providers.openai_compatible, codeflow_widget.terminal.doctor_http; print('openai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_key_is_not_in_the_repr(fake_llm):
    provider = make_provider(fake_llm)
    assert KEY not in repr(provider) and KEY not in str(vars(provider))


# -- faults ----------------------------------------------------------------------------
FAULTS = [
    # (reply, error class, code, status, retry_after)
    (sc.http_error(400), ProviderRejected, "provider.bad_request", 400, None),
    (sc.http_error(401), ProviderRejected, "provider.auth", 401, None),
    (sc.http_error(402), ProviderRejected, "provider.balance", 402, None),
    (sc.http_error(403), ProviderRejected, "provider.forbidden", 403, None),
    (sc.http_error(404), ProviderRejected, "provider.not_found", 404, None),
    (sc.http_error(422), ProviderRejected, "provider.bad_request", 422, None),
    (sc.http_error(408), ProviderTransient, "provider.unavailable", 408, None),
    (sc.http_error(409), ProviderTransient, "provider.unavailable", 409, None),
    (sc.http_error(429, retry_after=7), ProviderTransient, "provider.rate_limited", 429, 7.0),
    (sc.http_error(429, retry_after=9999), ProviderTransient, "provider.rate_limited", 429, 120.0),
    (sc.http_error(429), ProviderTransient, "provider.rate_limited", 429, None),
    (sc.http_error(500), ProviderTransient, "provider.unavailable", 500, None),
    (sc.http_error(502), ProviderTransient, "provider.unavailable", 502, None),
    (sc.http_error(503, retry_after=2), ProviderTransient, "provider.unavailable", 503, 2.0),
    (sc.base_resp(1000), ProviderTransient, "provider.unavailable", 1000, None),
    (sc.base_resp(1001, sse=True), ProviderTransient, "provider.unavailable", 1001, None),
    (sc.base_resp(1002), ProviderTransient, "provider.rate_limited", 1002, None),
    (sc.base_resp(1002, sse=True), ProviderTransient, "provider.rate_limited", 1002, None),
    (sc.base_resp(1024), ProviderTransient, "provider.unavailable", 1024, None),
    (sc.base_resp(1033, sse=True), ProviderTransient, "provider.unavailable", 1033, None),
    (sc.base_resp(1039), ProviderTransient, "provider.rate_limited", 1039, None),
    (sc.base_resp(1004), ProviderRejected, "provider.auth", 1004, None),
    (sc.base_resp(1008), ProviderRejected, "provider.balance", 1008, None),
    (sc.base_resp(1008, sse=True), ProviderRejected, "provider.balance", 1008, None),
    (sc.base_resp(2013, sse=True), ProviderRejected, "provider.bad_request", 2013, None),
    (sc.base_resp(2049), ProviderRejected, "provider.auth", 2049, None),
    (sc.error_event(after=3), StreamInterrupted, "provider.stream_error", 500, None),
    (sc.error_event(after=0), StreamInterrupted, "provider.stream_error", 500, None),
    (
        sc.error_event(after=3, code=1008, message="insufficient balance"),
        ProviderRejected,
        "provider.balance",
        1008,
        None,
    ),
    (
        sc.error_event(after=3, code=401, message="bad key"),
        ProviderRejected,
        "provider.auth",
        401,
        None,
    ),
    (sc.disconnect(after=3), StreamInterrupted, "provider.stream_dropped", "", None),
    (sc.disconnect(after=0), StreamInterrupted, "provider.stream_dropped", "", None),
    (sc.disconnect(after=5, mode="reset"), StreamInterrupted, "provider.stream_dropped", "", None),
    (sc.no_done(after=4), StreamInterrupted, "provider.stream_dropped", "", None),
    (sc.malformed(after=1), ProviderTransient, "provider.bad_chunk", "", None),
    (sc.malformed(after=4), StreamInterrupted, "provider.bad_chunk", "", None),
]


@pytest.mark.parametrize(
    ("reply", "cls", "code", "status", "retry_after"),
    FAULTS,
    ids=lambda v: str(v)[:40] if isinstance(v, str) else None,
)
async def test_each_fault_maps_to_the_error_tree(fake_llm, reply, cls, code, status, retry_after):
    fake_llm.enqueue(reply)
    error = await failure(make_provider(fake_llm))
    assert type(error) is cls, repr(error)
    assert (error.code, error.status, error.retry_after) == (code, status, retry_after)
    assert error.params["provider"] == "Fake" and error.params["model"] == "fake-model"
    assert error.params["base_url"] == fake_llm.base_url
    assert error.retryable is (cls is not ProviderRejected)
    assert len(fake_llm.chat_requests()) == 1, "the SDK must not retry: the flow owns retries"
    assert "\n" not in error.message("zh") and error.message("en")


async def test_rejections_carry_what_to_fix(fake_llm):
    fake_llm.enqueue(sc.http_error(401))
    auth = await failure(make_provider(fake_llm, key_env="MINIMAX_API_KEY"))
    assert "MINIMAX_API_KEY" in auth.message("zh") and "密钥" in auth.message("zh")
    fake_llm.enqueue(sc.http_error(404))
    missing = await failure(make_provider(fake_llm))
    assert "fake-model" in missing.message("zh") and fake_llm.base_url in missing.message("zh")
    fake_llm.enqueue(sc.base_resp(1008))
    assert "余额不足" in (await failure(make_provider(fake_llm))).message("zh")


async def test_an_interrupted_stream_has_already_yielded_partial_text(fake_llm):
    fake_llm.enqueue(sc.disconnect(after=6))
    provider = make_provider(fake_llm)
    seen = []
    with pytest.raises(StreamInterrupted):
        async for chunk in provider.stream(call()):
            seen.append(chunk)
    await provider.aclose()
    assert seen, "the flow must be told to clear this partial text"


async def test_attempt_is_carried_into_the_error(fake_llm):
    fake_llm.enqueue(sc.http_error(500))
    provider = make_provider(fake_llm)
    with pytest.raises(ProviderTransient) as info:
        async for _ in provider.stream(call(attempt=3)):
            pass
    await provider.aclose()
    assert info.value.params["attempt"] == 3 and "3" in info.value.message("zh")


async def test_connection_refused_is_a_transient_connection_error():
    with socket_that_refuses() as port:
        server = type("Closed", (), {"base_url": f"http://127.0.0.1:{port}/v1"})()
        error = await failure(make_provider(server))
    assert type(error) is ProviderTransient and error.code == "provider.connection"
    assert str(port) in error.message("zh")


class socket_that_refuses:
    """A port nobody listens on (bound, then closed)."""

    def __enter__(self) -> int:
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        return self.port

    def __exit__(self, *exc) -> None:
        pass


# -- timeouts --------------------------------------------------------------------------
async def test_slow_headers_hit_the_timeout(fake_llm):
    fake_llm.enqueue(sc.slow_headers(5))  # answers after 5 s: only a timeout makes this fail
    error = await failure(make_provider(fake_llm, timeout_s=0.5))
    assert type(error) is ProviderTransient and error.code == "provider.timeout"
    assert error.params["timeout"] == 0.5 and "0.5" in error.message("zh")
    # The server records a request once it has read it all; on a loaded machine that can be
    # after the client gave up at 0.5 s (a clean-clone CI run saw 0 here), so wait for it.
    for _ in range(200):
        if fake_llm.chat_requests():
            break
        await asyncio.sleep(0.05)
    assert len(fake_llm.chat_requests()) == 1  # one request: the transport did not retry it


async def test_a_long_gap_between_chunks_hits_the_timeout(fake_llm):
    fake_llm.enqueue(sc.stall(after=4, seconds=5))  # resumes after 5 s: only a timeout fails it
    error = await failure(make_provider(fake_llm, timeout_s=0.5))
    assert type(error) is StreamInterrupted and error.code == "provider.timeout"


async def test_slow_but_steady_chunks_do_not_time_out(fake_llm_factory):
    server = fake_llm_factory("deepseek", delay_s=0.05, chunk_size=40)
    thinking, content = await collect(make_provider(server, timeout_s=0.5))
    assert content == sc.PLAN


# -- the key never leaks ---------------------------------------------------------------
async def test_the_key_appears_in_no_error_or_log(fake_llm, caplog):
    caplog.set_level(logging.DEBUG)
    errors = []
    for reply in (
        sc.http_error(401, echo_key=True),
        sc.http_error(400, echo_key=True),
        sc.http_error(500, echo_key=True),
        sc.base_resp(1008),
        sc.disconnect(3),
    ):
        fake_llm.enqueue(reply)
        errors.append(await failure(make_provider(fake_llm)))
    await collect(make_provider(fake_llm))
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in fake_llm.chat_requests())
    assert "you sent Bearer ***" in errors[1].params["detail"]
    for error in errors:
        texts = [
            str(error),
            repr(error),
            error.message("en"),
            str(error.params),
            str(error.context()),
            repr(error.__cause__),
            repr(error.__context__),
        ]
        assert not any(KEY in text for text in texts), error
    assert KEY not in caplog.text


# -- one client per event loop ---------------------------------------------------------
def test_the_provider_works_across_event_loops(fake_llm):
    provider = make_provider(fake_llm)

    async def once() -> str:
        return "".join([c.text async for c in provider.stream(call())])

    assert asyncio.run(once()) == asyncio.run(once())
    assert len(fake_llm.chat_requests()) == 2


# -- Retry-After -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After": "600"}, 120.0),
        ({"Retry-After": "-4"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_header(headers, expected):
    assert retry_after_seconds(headers) == expected


def test_retry_after_http_date():
    value = retry_after_seconds({"Retry-After": formatdate(time.time() + 30, usegmt=True)})
    assert value is not None and 25 <= value <= 31


# -- doctor ----------------------------------------------------------------------------
async def test_doctor_lists_models_and_times_the_round_trip(fake_llm, monkeypatch):
    monkeypatch.setenv("CODEFLOW_API_KEY", KEY)
    check = await check_endpoint(
        Settings(provider="custom", base_url=fake_llm.base_url, model="fake-model")
    )
    assert check.ok and check.models == ["fake-model"] and check.method == "models"
    assert check.round_trip_ms > 0 and "连接正常" in check.detail
    assert KEY not in check.detail
    assert fake_llm.requests[0].path == "/v1/models"


async def test_doctor_warns_about_an_unknown_model_in_english(fake_llm):
    check = await check_endpoint(
        Settings(provider="custom", base_url=fake_llm.base_url, model="nope", language="en")
    )
    assert check.ok and "nope is not in the model list" in check.detail


async def test_doctor_falls_back_to_a_one_token_completion(fake_llm):
    fake_llm.always(sc.http_error(404), endpoint="models")
    check = await check_endpoint(Settings(provider="custom", base_url=fake_llm.base_url, model="m"))
    assert check.ok and check.method == "completion"
    body = fake_llm.chat_requests()[0].body
    assert body["max_tokens"] == 1 and not body.get("stream")


async def test_doctor_reports_a_missing_key_with_the_variable_to_set(fake_llm):
    check = await check_endpoint(Settings(provider="deepseek", base_url=fake_llm.base_url))
    assert not check.ok and "DEEPSEEK_API_KEY" in check.detail and fake_llm.requests == []


async def test_doctor_reports_a_rejected_key(fake_llm, monkeypatch):
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    fake_llm.enqueue(sc.http_error(401, echo_key=True), endpoint="models")
    check = await check_endpoint(Settings(provider="minimax", base_url=fake_llm.base_url))
    assert (
        not check.ok and check.error_code == "provider.auth" and "MINIMAX_API_KEY" in check.detail
    )
    assert KEY not in check.detail


async def test_doctor_reports_a_minimax_balance_error_in_the_fallback(fake_llm, monkeypatch):
    monkeypatch.setenv("MINIMAX_API_KEY", KEY)
    fake_llm.always(sc.http_error(404), endpoint="models")
    fake_llm.enqueue(sc.base_resp(1008))
    check = await check_endpoint(Settings(provider="minimax", base_url=fake_llm.base_url))
    assert not check.ok and check.error_code == "provider.balance"
    assert fake_llm.chat_requests()[0].body["reasoning_split"] is True


async def test_doctor_times_out_on_a_slow_server(fake_llm):
    fake_llm.enqueue(sc.slow_headers(5), endpoint="models")
    check = await check_endpoint(
        Settings(provider="custom", base_url=fake_llm.base_url, model="m", timeout_s=0.3)
    )
    assert not check.ok and check.error_code == "provider.timeout"


async def test_doctor_offline_needs_nothing():
    check = await check_endpoint(Settings(provider="offline"))
    assert check.ok and "离线" in check.detail


# -- the fake server as a subprocess (browser tests, benchmarks) ---------------------------
def test_standalone_server_prints_its_base_url_and_plays_faults(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.server",
            "--port",
            "0",
            "--format",
            "deepseek",
            "--delay",
            "0",
            "--fault",
            "status=500,times=1",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        server = type("Remote", (), {"base_url": base_url})()

        async def twice():
            first = await failure(make_provider(server))
            return first, await collect(make_provider(server))

        first, (thinking, content) = asyncio.run(twice())
        assert first.code == "provider.unavailable" and first.status == 500
        assert content == sc.PLAN and thinking == sc.DEFAULT_THINKING["plan"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_parse_fault_spelling():
    reply, times, phase = sc.parse_fault("status=429,times=2,retry_after=3,phase=implement")
    assert (reply.status, reply.retry_after, times, phase) == (429, "3", 2, "implement")
    assert sc.parse_fault("syntax_error,times=always")[1] is None
    assert sc.parse_fault("disconnect,after=7")[0].drop_after == 7
    with pytest.raises(ValueError):
        sc.parse_fault("nonsense")
