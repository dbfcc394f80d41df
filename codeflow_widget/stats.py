"""``codeflow stats``: what the trace log says about the lessons so far.

Reads ``logs/system_trace.jsonl`` (one JSON object per line, see ``trace.py``) and
reports: how many requests and how many succeeded; retries per request (the
learner's retries, the flow's automatic provider retries and its corrective
retries); where requests failed, by phase and by error code; p50/p95 time per
phase and end to end; and provider latency (time to first token) per provider.

Malformed lines are counted and skipped; an empty or missing log gets a friendly
message. ``codeflow_widget.stats()`` returns a ``StatsView`` that a notebook shows
as an HTML summary with small pure-HTML/CSS bar charts (no JS, no CDN).
Definitions: success rate = completed / (completed + failed), requests that never
finished (still running, or the kernel died) are listed apart; an automatic retry
is a stream attempt numbered 2 or more.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any

PHASES = ("specify", "plan", "implement")
PHASE_LABELS = {
    "specify": "明确需求 specify",
    "plan": "设计方案 plan",
    "implement": "编写代码 implement",
}
_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str | None, now: datetime | None = None) -> datetime | None:
    """``"24h"``, ``"7d"``, ``"30m"``, ``"2w"`` or an ISO date/time (local time if no zone)."""
    if not text:
        return None
    now = now or datetime.now(timezone.utc)
    if m := _RELATIVE.match(text):
        return now - timedelta(**{_UNITS[m.group(2).lower()]: float(m.group(1))})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"无法理解时间 {text!r}：请写成 2026-11-01、2026-11-01T08:00、24h 或 7d"
        ) from None
    return when if when.tzinfo else when.astimezone()


def default_log() -> Path:
    log_dir = os.environ.get("CODEFLOW_LOG_DIR")
    if not log_dir:
        try:
            from .config import load_settings

            return load_settings().log_file
        except Exception:  # a broken config must not stop a read-only report
            log_dir = "logs"
    return Path(log_dir) / "system_trace.jsonl"


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 1)


def _timing(values: list[float]) -> dict[str, Any]:
    return {
        "count": len(values),
        "p50_ms": percentile(values, 50),
        "p95_ms": percentile(values, 95),
    }


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _ts(value: Any) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def read_records(
    path: Path, since: datetime | None = None
) -> tuple[list[dict[str, Any]], int, int]:
    """(records in the window, lines read, malformed lines skipped)."""
    records, lines, malformed = [], 0, 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            if not raw.strip():
                continue
            lines += 1
            try:
                record = json.loads(raw)
            except ValueError:
                malformed += 1
                continue
            if not isinstance(record, dict) or not isinstance(record.get("event"), str):
                malformed += 1
                continue
            if since is not None and ((when := _ts(record.get("ts"))) is None or when < since):
                continue
            records.append(record)
    return records, lines, malformed


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole report as plain data (what ``--json`` prints)."""
    outcome: dict[str, str] = {}
    user_retries: dict[str, int] = defaultdict(int)
    auto: Counter[str] = Counter()
    corrective: Counter[str] = Counter()
    fail_phase: Counter[str] = Counter()
    fail_error: Counter[str] = Counter()
    provider_errors: Counter[str] = Counter()
    phase_ms: dict[str, list[float]] = defaultdict(list)
    end_to_end: list[float] = []
    first_token: dict[str, list[float]] = defaultdict(list)
    for r in records:
        rid, event, ms = str(r.get("request_id")), r["event"], r.get("duration_ms")
        ms = float(ms) if isinstance(ms, (int, float)) and not isinstance(ms, bool) else None
        if event in ("request_started", "request_completed", "request_failed"):
            outcome.setdefault(rid, "unfinished")
            user_retries[rid] = max(user_retries[rid], _int(r.get("retry_count")))
        if event == "request_started":
            outcome[rid] = "unfinished"
        elif event == "request_completed":
            outcome[rid] = "completed"
            if ms is not None:
                end_to_end.append(ms)
        elif event == "request_failed":
            outcome[rid] = "failed"
            fail_phase[str(r.get("phase") or "(none)")] += 1
            fail_error[str(r.get("error") or "unknown")] += 1
        elif event in ("phase_streamed", "provider_error") and _int(r.get("attempt")) > 1:
            auto[rid] += 1
        elif event == "phase_correction":
            corrective[rid] += 1
        elif event == "phase_completed" and r.get("phase") in PHASES and ms is not None:
            phase_ms[r["phase"]].append(ms)
        elif event == "first_token" and ms is not None:
            first_token[str(r.get("provider") or "?")].append(ms)
        if event == "provider_error":
            provider_errors[str(r.get("error") or r.get("status") or "unknown")] += 1
    counts = Counter(outcome.values())
    done = counts["completed"] + counts["failed"]
    total = len(outcome)

    def retry_row(per: dict[str, int]) -> dict[str, Any]:
        values = [per.get(rid, 0) for rid in outcome]
        n = sum(values)
        return {
            "total": n,
            "per_request": round(n / total, 2) if total else 0.0,
            "requests_with_retry": sum(v > 0 for v in values),
            "max": max(values, default=0),
        }

    return {
        "requests": {
            "total": total,
            "completed": counts["completed"],
            "failed": counts["failed"],
            "unfinished": counts["unfinished"],
            "success_rate": round(counts["completed"] / done, 4) if done else None,
        },
        "retries": {
            "user": retry_row(user_retries),
            "automatic": retry_row(auto),
            "corrective": retry_row(corrective),
        },
        "failures": {
            "by_phase": dict(fail_phase.most_common()),
            "by_error": dict(fail_error.most_common()),
        },
        "provider_errors": dict(provider_errors.most_common()),
        "timings": {**{p: _timing(phase_ms[p]) for p in PHASES}, "end_to_end": _timing(end_to_end)},
        "first_token": {name: _timing(values) for name, values in sorted(first_token.items())},
    }


@dataclass
class StatsView:
    """The report; a notebook shows it as HTML (``_repr_html_``), ``str()`` is plain text."""

    log: str
    since: str | None
    lines: int
    malformed: int
    report: dict[str, Any] = field(default_factory=dict)
    missing: bool = False

    @property
    def empty(self) -> bool:
        return not self.report or self.report["requests"]["total"] == 0

    @property
    def notice(self) -> str:
        if self.missing:
            return f'还没有运行记录：找不到日志 {self.log}。先生成一个程序（codeflow run "帮我写个贪吃蛇"），再来看统计。'
        if self.empty:
            window = f"（{self.since} 之后）" if self.since else ""
            return f"日志 {self.log} 里{window}还没有请求记录。先生成一个程序，再来看统计。"
        return ""

    def to_dict(self) -> dict[str, Any]:
        out = {
            "log": self.log,
            "since": self.since,
            "lines": self.lines,
            "malformed_lines": self.malformed,
            **self.report,
        }
        return {**out, "message": self.notice} if self.notice else out

    def __str__(self) -> str:
        from io import StringIO

        from rich.console import Console

        buffer = StringIO()
        print_tables(self, Console(file=buffer, width=100, highlight=False, color_system=None))
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        return render_html(self)


def stats(log: str | Path | None = None, since: str | None = None) -> StatsView:
    """``codeflow_widget.stats()`` in a notebook: the summary of the trace log."""
    path = Path(log) if log else default_log()
    if not path.is_file():
        return StatsView(str(path), since, 0, 0, missing=True)
    records, lines, malformed = read_records(path, parse_since(since))
    return StatsView(str(path), since, lines, malformed, summarise(records))


def _fmt(ms: float | None) -> str:
    return "—" if ms is None else (f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms")


def _rate(view: StatsView) -> str:
    rate = view.report["requests"]["success_rate"]
    return "—" if rate is None else f"{rate * 100:.1f}%"


def print_tables(view: StatsView, console: Any) -> None:
    from rich.table import Table

    if view.notice:
        console.print(view.notice, markup=False)
        return
    rep, req = view.report, view.report["requests"]
    head = (
        f"日志 log: {view.log}"
        + (f" · 起始 since {view.since}" if view.since else "")
        + f" · {view.lines} 行 lines"
    )
    console.print(
        head + (f" · 跳过 {view.malformed} 行格式错误 skipped malformed" if view.malformed else ""),
        markup=False,
    )

    def table(title: str, *columns: str) -> Table:
        t = Table(title=title, title_justify="left")
        for i, col in enumerate(columns):
            t.add_column(col, justify="left" if i == 0 else "right")
        return t

    t = table(
        "请求 Requests",
        "请求数 Requests",
        "完成 Completed",
        "失败 Failed",
        "未结束 Unfinished",
        "成功率 Success rate",
    )
    t.add_row(
        str(req["total"]),
        str(req["completed"]),
        str(req["failed"]),
        str(req["unfinished"]),
        _rate(view),
    )
    console.print(t)
    t = table(
        "重试 Retries",
        "类型 Kind",
        "总数 Total",
        "每个请求 Per request",
        "有重试的请求 Requests with retries",
        "最多 Max",
    )
    for key, label in (
        ("user", "学习者重试 user"),
        ("automatic", "自动重试 automatic"),
        ("corrective", "纠正重试 corrective"),
    ):
        row = rep["retries"][key]
        t.add_row(
            label,
            str(row["total"]),
            f"{row['per_request']:.2f}",
            str(row["requests_with_retry"]),
            str(row["max"]),
        )
    console.print(t)
    for title, key, data in (("失败位置 Failures by phase", "阶段 Phase", rep["failures"]["by_phase"]),
                             ("失败原因 Failures by error", "错误代码 Error code", rep["failures"]["by_error"]),
                             ("模型接口错误 Provider errors (incl. retried)", "错误代码 Error code", rep["provider_errors"])):  # fmt: skip
        if data:
            t = table(title, key, "次数 Count")
            for name, count in data.items():
                t.add_row(PHASE_LABELS.get(name, name), str(count))
            console.print(t)
    t = table("耗时 Timings", "阶段 Phase", "次数 Count", "p50", "p95")
    for key, row in rep["timings"].items():
        t.add_row(
            PHASE_LABELS.get(key, "端到端 end to end (completed)"),
            str(row["count"]),
            _fmt(row["p50_ms"]),
            _fmt(row["p95_ms"]),
        )
    console.print(t)
    t = table(
        "首个 token 延迟 Time to first token", "模型接口 Provider", "次数 Count", "p50", "p95"
    )
    for name, row in rep["first_token"].items():
        t.add_row(name, str(row["count"]), _fmt(row["p50_ms"]), _fmt(row["p95_ms"]))
    console.print(t)


# -- HTML ------------------------------------------------------------------------------------
_BOX = "font-family:system-ui,sans-serif;font-size:13px;max-width:640px;line-height:1.4"
_BAR_BG = "display:inline-block;vertical-align:middle;width:220px;height:12px;background:#eee;border-radius:3px;overflow:hidden"


def _bar(value: float, scale: float, color: str, second: float | None = None) -> str:
    """A bar of ``value`` on ``scale``; ``second`` (≥ value) adds a lighter tail, e.g. p95."""
    pct = lambda v: max(0.0, min(100.0, 100.0 * v / scale)) if scale else 0.0  # noqa: E731
    tail = (
        f'<span style="display:inline-block;height:12px;width:{pct(second) - pct(value):.1f}%;background:{color};opacity:.35"></span>'
        if second
        else ""
    )
    return f'<span style="{_BAR_BG}"><span style="display:inline-block;height:12px;width:{pct(value):.1f}%;background:{color}"></span>{tail}</span>'


def _rows(title: str, rows: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<tr><td style="padding:2px 8px 2px 0;text-align:left">{escape(a)}</td><td style="text-align:left">{b}</td><td style="padding-left:8px;text-align:right;white-space:nowrap">{escape(c)}</td></tr>'
        for a, b, c in rows
    )
    return f'<h4 style="margin:10px 0 4px">{escape(title)}</h4><table style="border-collapse:collapse">{body}</table>'


def render_html(view: StatsView) -> str:
    if view.notice:
        return f'<div style="{_BOX}"><b>codeflow 统计</b><p>{escape(view.notice)}</p></div>'
    rep, req = view.report, view.report["requests"]
    parts = [
        f'<div style="{_BOX}"><b>codeflow 统计 · stats</b> <span style="color:#666">{escape(view.log)}'
        + (f" · since {escape(view.since)}" if view.since else "")
        + "</span>"
    ]
    n = max(req["total"], 1)
    stack = "".join(
        f'<span title="{escape(t)}" style="display:inline-block;height:14px;width:{100 * req[k] / n:.1f}%;background:{c}"></span>'
        for k, c, t in (
            ("completed", "#2e9d57", "完成"),
            ("failed", "#d64545", "失败"),
            ("unfinished", "#aaa", "未结束"),
        )
    )
    parts.append(f'<p style="margin:6px 0"><span style="font-size:22px;font-weight:600">{req["total"]}</span> 个请求 requests · 成功率 success <b>{escape(_rate(view))}</b><br>'
                 f'<span style="display:inline-block;width:100%;max-width:440px;height:14px;background:#eee;border-radius:3px;overflow:hidden">{stack}</span><br>'
                 f'<span style="color:#2e9d57">■</span> 完成 {req["completed"]} · <span style="color:#d64545">■</span> 失败 {req["failed"]} · <span style="color:#aaa">■</span> 未结束 {req["unfinished"]}</p>')  # fmt: skip
    retries = rep["retries"]
    top = max([r["per_request"] for r in retries.values()] + [0.01])
    parts.append(
        _rows(
            "每个请求的重试 Retries per request",
            [
                (
                    label,
                    _bar(retries[k]["per_request"], top, "#e59b2e"),
                    f"{retries[k]['per_request']:.2f}",
                )
                for k, label in (
                    ("user", "学习者重试 user"),
                    ("automatic", "自动重试 automatic"),
                    ("corrective", "纠正重试 corrective"),
                )
            ],
        )
    )
    for title, data in (
        ("失败位置 Failures by phase", rep["failures"]["by_phase"]),
        ("失败原因 Failures by error", rep["failures"]["by_error"]),
    ):
        if data:
            top = max(data.values())
            parts.append(
                _rows(
                    title,
                    [
                        (PHASE_LABELS.get(k, k), _bar(v, top, "#d64545"), str(v))
                        for k, v in data.items()
                    ],
                )
            )
    timings = rep["timings"]
    top = max([t["p95_ms"] or 0 for t in timings.values()] + [1])
    parts.append(
        _rows(
            "耗时 p50（深色）/ p95（浅色） Time per phase",
            [
                (
                    PHASE_LABELS.get(k, "端到端 end to end"),
                    _bar(t["p50_ms"] or 0, top, "#3b73c4", t["p95_ms"]),
                    f"{_fmt(t['p50_ms'])} / {_fmt(t['p95_ms'])}",
                )
                for k, t in timings.items()
            ],
        )
    )
    if rep["first_token"]:
        top = max([t["p95_ms"] or 0 for t in rep["first_token"].values()] + [1])
        parts.append(
            _rows(
                "首个 token 延迟 Time to first token",
                [
                    (
                        k,
                        _bar(t["p50_ms"] or 0, top, "#7a52c7", t["p95_ms"]),
                        f"{_fmt(t['p50_ms'])} / {_fmt(t['p95_ms'])}",
                    )
                    for k, t in rep["first_token"].items()
                ],
            )
        )
    if view.malformed:
        parts.append(
            f'<p style="color:#a60">跳过了 {view.malformed} 行格式错误的日志 (malformed lines skipped)</p>'
        )
    return "".join(parts) + "</div>"


def main(args: argparse.Namespace | list[str] | None = None) -> int:
    """``codeflow stats [--since …] [--json] [--log PATH]``: 0, or 2 for a bad ``--since``."""
    from rich.console import Console

    if not isinstance(args, argparse.Namespace):
        from .cli import build_parser

        args = build_parser().parse_args(["stats", *(args or [])])
    try:
        view = stats(args.log, args.since)
    except ValueError as exc:
        Console(stderr=True, highlight=False).print(f"✗ {exc}", markup=False, style="bold red")
        return 2
    if args.json:
        print(json.dumps(view.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_tables(view, Console(highlight=False))
    return 0
