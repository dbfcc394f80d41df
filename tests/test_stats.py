"""``codeflow stats`` and ``codeflow_widget.stats()``: numbers, tables, JSON, HTML, bad logs."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import codeflow_widget
from codeflow_widget.config import load_settings
from codeflow_widget.flow.lesson import generate
from codeflow_widget.terminal import cli
from codeflow_widget.terminal.classroom_stats import (
    StatsView,
    parse_since,
    percentile,
    read_records,
    reason_words,
    summarise,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def line(
    ts: datetime,
    event: str,
    rid: str,
    phase: str | None = None,
    duration_ms=None,
    level="INFO",
    **fields,
) -> str:
    record = {
        "ts": ts.isoformat(timespec="milliseconds"),
        "level": level,
        "request_id": rid,
        "phase": phase,
        "event": event,
        "duration_ms": duration_ms,
        **fields,
    }
    return json.dumps(record, ensure_ascii=False)


def request_lines(
    i: int, start: datetime, outcome: str = "completed", provider: str = "minimax"
) -> list[str]:
    """One request as the flow logs it. Phase times are i+10, 2i+20, 10i+100 ms; TTFT 100+i ms."""
    rid = f"req-{i:02d}"
    out = [line(start, "request_started", rid, provider=provider, model="m", retry_count=0)]
    for n, (phase, ms) in enumerate(
        (("specify", i + 10), ("plan", 2 * i + 20), ("implement", 10 * i + 100))
    ):
        at = start + timedelta(seconds=n)
        out.append(line(at, "phase_started", rid, phase))
        out.append(line(at, "first_token", rid, phase, 100 + i, attempt=1, provider=provider))
        if outcome == "failed" and phase == "plan":
            out.append(
                line(
                    at,
                    "provider_error",
                    rid,
                    phase,
                    level="ERROR",
                    provider=provider,
                    status=401,
                    attempt=1,
                    error="provider.auth",
                    retryable=False,
                )
            )
            out.append(
                line(
                    at,
                    "request_failed",
                    rid,
                    phase,
                    50.0,
                    level="ERROR",
                    error="provider.auth",
                    retry_count=0,
                )
            )
            return out
        out.append(line(at, "phase_streamed", rid, phase, ms, attempt=1, chars=100))
        out.append(line(at, "phase_completed", rid, phase, ms, chars=100))
    total = (i + 10) + (2 * i + 20) + (10 * i + 100)
    out.append(
        line(
            start + timedelta(seconds=3),
            "request_completed",
            rid,
            None,
            total,
            project=f"p{i}",
            retry_count=0,
        )
    )
    return out


def twenty_requests() -> list[str]:
    """20 requests: 17 complete, 2 fail on auth in plan, 1 has a 429 retry and a correction, 1 never ends."""
    lines: list[str] = []
    for i in range(20):
        start = T0 + timedelta(minutes=i)
        if i in (3, 7):
            lines += request_lines(i, start, "failed", provider="deepseek")
        elif i == 19:
            lines += request_lines(i, start)[:3]  # the kernel died mid-specify
        else:
            lines += request_lines(i, start, provider="offline" if i % 2 else "minimax")
    rid = "req-05"  # a transient error, an automatic retry and a corrective retry
    at = T0 + timedelta(minutes=5, seconds=1)
    lines.append(
        line(
            at,
            "provider_error",
            rid,
            "plan",
            level="ERROR",
            status=429,
            attempt=1,
            error="provider.rate_limited",
            retryable=True,
        )
    )
    lines.append(line(at, "phase_streamed", rid, "plan", 30, attempt=2, chars=10))
    lines.append(line(at, "phase_correction", rid, "implement", reason="no code"))
    return lines


@pytest.fixture
def log20(tmp_path) -> Path:
    path = tmp_path / "logs" / "system_trace.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(twenty_requests()) + "\n", encoding="utf-8")
    return path


def test_percentile_interpolates_like_numpy():
    assert percentile([], 50) is None
    assert percentile([7], 95) == 7
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05, abs=0.06)


def test_summary_of_twenty_requests(log20):
    records, lines, malformed = read_records(log20)
    assert malformed == 0 and lines == len(records)
    rep = summarise(records)
    assert rep["requests"] == {
        "total": 20,
        "completed": 17,
        "failed": 2,
        "stopped": 0,
        "unfinished": 1,
        "success_rate": round(17 / 19, 4),
    }
    auth, limited = (
        reason_words({"error": "provider.auth"}),
        reason_words({"error": "provider.rate_limited"}),
    )
    assert rep["failures"] == {"by_phase": {"设计方案 plan": 2}, "by_error": {auth: 2}}
    assert rep["provider_errors"] == {auth: 2, limited: 1}
    assert "API" in auth and "provider." not in auth  # words, not codes
    assert rep["retries"]["automatic"] == {
        "total": 1,
        "per_request": 0.05,
        "requests_with_retry": 1,
        "max": 1,
    }
    assert rep["retries"]["corrective"]["total"] == 1
    assert rep["retries"]["user"]["total"] == 0
    completed = [i for i in range(19) if i not in (3, 7)]
    implement = [10 * i + 100 for i in completed]
    assert rep["timings"]["implement"] == {
        "count": 17,
        "p50_ms": percentile(implement, 50),
        "p95_ms": percentile(implement, 95),
    }
    assert rep["timings"]["specify"]["count"] == 19  # the failed ones finished specify
    assert rep["timings"]["end_to_end"]["count"] == 17
    assert set(rep["first_token"]) == {"minimax", "offline", "deepseek"}
    assert rep["first_token"]["deepseek"] == {
        "count": 4,
        "p50_ms": 105.0,
        "p95_ms": percentile([103, 103, 107, 107], 95),
    }


def test_user_retries_come_from_retry_count(tmp_path):
    path = tmp_path / "trace.jsonl"
    lines = request_lines(1, T0, "failed")
    lines += [line(T0 + timedelta(minutes=1), "request_started", "req-01", retry_count=1)]
    lines += [
        line(T0 + timedelta(minutes=2), "request_completed", "req-01", None, 900, retry_count=1)
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    rep = codeflow_widget.stats(path).report
    assert rep["requests"]["completed"] == 1 and rep["requests"]["failed"] == 0
    assert rep["retries"]["user"] == {
        "total": 1,
        "per_request": 1.0,
        "requests_with_retry": 1,
        "max": 1,
    }


def test_cli_prints_the_tables_for_a_log_of_twenty_requests(log20, capsys):
    assert cli.main(["stats", "--log", str(log20)]) == 0
    out = capsys.readouterr().out
    for header in (
        "请求 Requests",
        "成功率",
        "重试 Retries",
        "失败位置 Failures by phase",
        "失败原因 Failures by reason",
        "耗时 Time per phase",
        "首个 token 延迟 Time to first token",
    ):
        assert header in out
    assert "89.5%" in out and "API" in out and "deepseek" in out
    assert "provider.auth" not in out  # reasons in words, no raw codes


def test_cli_json_is_one_document(log20, capsys):
    assert cli.main(["stats", "--log", str(log20), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["requests"]["total"] == 20 and data["malformed_lines"] == 0
    assert set(data) >= {"requests", "retries", "failures", "timings", "first_token", "log"}


def test_malformed_lines_are_counted_and_skipped(log20, capsys):
    with open(log20, "a", encoding="utf-8") as fh:
        fh.write(
            '{"truncated": \n[1, 2]\n"just a string"\n{"no_event": 1}\n\n\xff\xfe garbage\n{"event": "request_started", "ts": 5, "request_id": {"a": 1}, "retry_count": "x", "duration_ms": "NaN"}\n'
        )
    with open(log20, "ab") as fh:
        fh.write(b"\xff\xfe not utf-8\n")
    assert cli.main(["stats", "--log", str(log20), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["malformed_lines"] == 6
    assert (
        data["requests"]["total"] == 21
    )  # the odd-but-valid record counts as an unfinished request
    assert cli.main(["stats", "--log", str(log20)]) == 0
    assert "跳过 6 行格式错误" in capsys.readouterr().out


@pytest.mark.parametrize("content", [None, "", "\n\n"])
def test_missing_or_empty_log_gets_a_friendly_chinese_message(tmp_path, capsys, content):
    path = tmp_path / "logs" / "system_trace.jsonl"
    if content is not None:
        path.parent.mkdir()
        path.write_text(content, encoding="utf-8")
    assert cli.main(["stats", "--log", str(path)]) == 0
    out = capsys.readouterr().out
    assert "还没有" in out and "Traceback" not in out
    assert cli.main(["stats", "--log", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "还没有" in data["message"]
    html = codeflow_widget.stats(path)._repr_html_()
    assert "还没有" in html


def test_since_filters_by_time(log20, capsys):
    assert (
        cli.main(["stats", "--log", str(log20), "--json", "--since", "2026-11-02T09:10:00+00:00"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["requests"]["total"] == 10  # req-10 … req-19
    assert cli.main(["stats", "--log", str(log20), "--json", "--since", "2099-01-01"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["requests"]["total"] == 0 and "2099-01-01" in data["message"]


def test_since_relative_and_bad_values(capsys):
    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("30m", now) == now - timedelta(minutes=30)
    assert parse_since("2026-11-01").tzinfo is not None  # a bare date is local midnight
    with pytest.raises(ValueError, match="无法理解时间"):
        parse_since("last tuesday")
    assert cli.main(["stats", "--since", "yesterday-ish"]) == 2
    assert "无法理解时间" in capsys.readouterr().err


def test_recent_window_uses_now(tmp_path):
    path = tmp_path / "t.jsonl"
    now = datetime.now(timezone.utc)
    path.write_text(
        "\n".join(
            request_lines(1, now - timedelta(days=3)) + request_lines(2, now - timedelta(hours=1))
        ),
        encoding="utf-8",
    )
    assert codeflow_widget.stats(path, since="24h").report["requests"]["total"] == 1
    assert codeflow_widget.stats(path, since="7d").report["requests"]["total"] == 2


def test_html_summary_has_css_bars_and_escapes_everything(log20):
    evil = '<script>alert("x")</script>'
    with open(log20, "a", encoding="utf-8") as fh:
        fh.write(line(T0, "request_failed", "req-evil", "plan", 1, error=evil, reason=evil) + "\n")
        fh.write(
            line(
                T0, "first_token", "req-evil", "plan", 5, provider='<img src=x onerror="alert(1)">'
            )
            + "\n"
        )
    view = codeflow_widget.stats(log20)
    assert isinstance(view, StatsView)
    html = view._repr_html_()
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;" in html and "&lt;img" in html
    assert "http://" not in html and "https://" not in html  # no CDN, nothing fetched
    assert "成功率" in html and "失败原因" in html and "首个 token" in html
    assert len(re.findall(r"width:\d+(\.\d+)?%;background:#", html)) >= 10  # the bars


async def test_stats_defaults_to_the_configured_log(isolated):
    settings = load_settings(offline_pace=0, smoke_timeout_s=0.5, backoff_s=0)

    async def run(text: str) -> None:
        async for _ in generate(text, settings=settings):
            pass

    await run("帮我写个贪吃蛇")
    await run("帮我做一个会飞的恐龙网站")  # no offline lesson: fails in specify
    view = codeflow_widget.stats()
    assert Path(view.log) == Path(settings.log_file)
    rep = view.report
    assert (
        rep["requests"]["total"] == 2
        and rep["requests"]["completed"] == 1
        and rep["requests"]["failed"] == 1
    )
    assert rep["failures"]["by_phase"] == {"明确需求 specify": 1}
    [(reason, count)] = rep["failures"]["by_error"].items()
    assert count == 1 and "离线" in reason and "offline.no_match" not in reason
    assert rep["failed_wishes"][0]["wish"] == "帮我做一个会飞的恐龙网站"
    assert rep["timings"]["implement"]["count"] == 1 and rep["first_token"]["offline"]["count"] == 3


def test_package_stats_is_callable_even_after_the_cli_module_was_imported(log20):
    import subprocess
    import sys

    code = "import codeflow_widget.terminal.classroom_stats, codeflow_widget, sys; v = codeflow_widget.stats(sys.argv[1]); print(v.report['requests']['total'])"
    out = subprocess.run(
        [sys.executable, "-c", code, str(log20)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "20"
    code = "import codeflow_widget, sys; v = codeflow_widget.stats(log=sys.argv[1], since='2026-11-02T09:15Z'); print(v.report['requests']['total'])"
    out = subprocess.run(
        [sys.executable, "-c", code, str(log20)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "5"


def test_class_view_reads_a_folder_recursively_counts_stops_apart_and_lists_failed_wishes(
    tmp_path,
):
    """Two learners' homes: a stop is not a failure, a request that failed twice counts once,
    and the failed wish is listed with its phase and reason in words."""
    alice = tmp_path / "home" / "alice" / "notebooks" / "logs" / "system_trace.jsonl"
    bob = tmp_path / "home" / "bob" / "logs" / "system_trace.jsonl"
    for path in (alice, bob):
        path.parent.mkdir(parents=True)
    a = [line(T0, "request_started", "req-a", wish="帮我写个贪吃蛇")]
    a += [line(T0, "request_failed", "req-a", "plan", error="provider.auth", reason="密钥不对")]
    a += [line(T0, "request_started", "req-a", retry_count=1)]
    a += [line(T0, "request_failed", "req-a", "implement", error="run.failed", reason="试运行崩溃")]
    b = [line(T0, "request_started", "req-b", wish="做一个乒乓球")]
    b += [line(T0, "request_failed", "req-b", "specify", error="request.cancelled")]
    b += request_lines(3, T0)
    alice.write_text("\n".join(a), encoding="utf-8")
    bob.write_text("\n".join(b), encoding="utf-8")
    (tmp_path / "home" / "bob" / "other.jsonl").write_text("{}", encoding="utf-8")

    view = codeflow_widget.stats(tmp_path / "home")
    req = view.report["requests"]
    assert (req["total"], req["completed"], req["failed"], req["stopped"]) == (3, 1, 1, 1)
    assert req["success_rate"] == 0.5  # a stop is neither a success nor a failure
    assert sum(view.report["failures"]["by_phase"].values()) == req["failed"]
    assert view.report["failures"]["by_phase"] == {"编写代码 implement": 1}
    assert view.report["failed_wishes"] == [
        {"wish": "帮我写个贪吃蛇", "phase": "编写代码 implement", "reason": "试运行崩溃",
         "when": view.report["failed_wishes"][0]["when"]}
    ]  # fmt: skip
    assert str(alice) in view.log and str(bob) in view.log and "other.jsonl" not in view.log
    both = codeflow_widget.stats([alice, bob]).report
    assert both["requests"] == view.report["requests"]

    html = view._repr_html_()
    assert (
        "request.cancelled" not in html and "provider.auth" not in html and "run.failed" not in html
    )
    assert "已停止" in html and "帮我写个贪吃蛇" in html and "试运行崩溃" in html
    page = view.save(tmp_path / "class.html")
    saved = page.read_text(encoding="utf-8")
    assert saved.startswith("<!doctype html>") and "帮我写个贪吃蛇" in saved


def test_retry_bars_are_scaled_to_one_retry_per_request_not_to_the_largest_row(log20):
    html = codeflow_widget.stats(log20)._repr_html_()
    # 0.05 automatic retries per request: a 5 % bar, not a full one.
    assert "width:5.0%;background:#e59b2e" in html
    assert "width:100.0%;background:#e59b2e" not in html
