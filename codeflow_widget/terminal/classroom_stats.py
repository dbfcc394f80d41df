"""``codeflow stats``: what the trace log says about the lessons so far.

Reads ``logs/system_trace.jsonl`` (JSON lines, see ``trace.py``) and reports requests
and success rate, retries per request (the learner's, the flow's automatic provider
retries, its corrective retries), failures by phase and error code, p50/p95 time per
phase and end to end, and time to first token per provider. Malformed lines are
counted and skipped; an empty or missing log gets a friendly message. In a notebook,
``codeflow_widget.stats()`` shows as HTML with pure-CSS bar charts (no JS, no CDN).
Success rate = completed / (completed + failed); stopped requests (the learner pressed 停止)
and unfinished ones (still running, or the kernel died) are counted apart; every count is of
requests by their last outcome, so the failures by phase add up to the failed count. A teacher
can point it at several logs or at a folder (read recursively, e.g. a JupyterHub's home
folders); the wishes that failed are listed with the phase and the reason in words, and the
HTML view saves as a page (``stats().save("class.html")``). An automatic retry is stream
attempt 2 or more.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Column, Table

PHASES = ("specify", "plan", "implement")
LABELS = {"specify": "明确需求 specify", "plan": "设计方案 plan", "implement": "编写代码 implement", "end_to_end": "端到端 end to end (completed)"}  # fmt: skip
RETRY_KINDS = {"user": "学习者重试 user", "automatic": "自动重试 automatic", "corrective": "纠正重试 corrective"}  # fmt: skip
OUTCOME = {"request_completed": "completed", "request_failed": "failed"}
STOPPED_CODES = {"request.cancelled"}  # a stop by the learner is not a failure
LOG_GLOB = "system_trace*.jsonl"
# Phases and reasons in words (the report shows no raw codes).
PHASE_WORDS = {"specify": "明确需求 specify", "plan": "设计方案 plan", "implement": "编写代码 implement", "(none)": "开始之前 before the first phase"}  # fmt: skip
_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$", re.I)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str | None, now: datetime | None = None) -> datetime | None:
    """``"24h"``, ``"7d"``, ``"30m"``, ``"2w"`` or an ISO date/time (local time if no zone)."""
    if not text:
        return None
    if m := _RELATIVE.match(text):
        delta = timedelta(**{_UNITS[m.group(2).lower()]: float(m.group(1))})
        return (now or datetime.now(timezone.utc)) - delta
    if (when := _ts(text.strip(), local=True)) is None:
        raise ValueError(f"无法理解时间 {text!r}：请写成 2026-11-01、2026-11-01T08:00、24h 或 7d")
    return when


def _ts(value: Any, local: bool = False) -> datetime | None:
    """An aware datetime; a naive one is local time (``--since``) or UTC (log lines)."""
    try:
        w = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return w if w.tzinfo else w.astimezone() if local else w.replace(tzinfo=timezone.utc)


def default_log() -> Path:
    """The configured log (``$CODEFLOW_LOG_DIR``, codeflow.json, else ``logs/``)."""
    try:
        from codeflow_widget.config import load_settings

        return load_settings().log_file
    except Exception:  # a broken config must not stop a read-only report
        return Path(os.environ.get("CODEFLOW_LOG_DIR") or "logs") / "system_trace.jsonl"


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    if not values:
        return None
    ordered, pos = sorted(values), (len(values) - 1) * q / 100
    low, high = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (pos - low), 1)


def _num(value: Any) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def find_logs(paths: list[str | Path]) -> list[Path]:
    """The trace logs named: files as given, folders searched recursively for system_trace*.jsonl."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob(LOG_GLOB) if p.is_file()))
        elif path.is_file():
            found.append(path)
    return list(dict.fromkeys(found))


def read_all(paths: list[Path], since: datetime | None) -> tuple[list[dict], int, int]:
    records, lines, malformed = [], 0, 0
    for path in paths:
        got, n, bad = read_records(path, since)
        records += got
        lines, malformed = lines + n, malformed + bad
    return records, lines, malformed


def reason_words(record: dict[str, Any]) -> str:
    """A failure's reason as the learner read it (never a bare code)."""
    if record.get("reason"):
        return str(record["reason"])
    code = str(record.get("error") or "")
    try:
        from codeflow_widget.model.messages import CATALOGUE

        zh = CATALOGUE.get(code, ("",))[0]
    except Exception:  # noqa: BLE001 - words are a nicety; the phase is still listed
        zh = ""
    text = re.sub(r"[（(]?\{\w+\}[)）]?", "…", zh).strip()
    return text or "未知原因 unknown reason"


def read_records(path: Path, since: datetime | None = None) -> tuple[list[dict], int, int]:
    """(records in the window, non-blank lines read, malformed lines skipped)."""
    records, lines, malformed = [], 0, 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in filter(str.strip, fh):
            lines += 1
            try:
                record = json.loads(raw)
            except ValueError:
                record = None
            if not isinstance(record, dict) or not isinstance(record.get("event"), str):
                malformed += 1
            elif since is None or ((when := _ts(record.get("ts"))) is not None and when >= since):
                records.append(record)
    return records, lines, malformed


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole report as plain data (what ``--json`` prints)."""
    outcome: dict[str, str] = {}  # request id → completed / failed / stopped / unfinished
    last_failure: dict[str, dict[str, Any]] = {}
    wishes: dict[str, str] = {}
    retries: dict[str, Counter[str]] = {kind: Counter() for kind in RETRY_KINDS}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        rid, event, ms = str(r.get("request_id")), r["event"], _num(r.get("duration_ms"))
        if event in ("request_started", "request_completed", "request_failed"):
            outcome[rid] = OUTCOME.get(event, "unfinished")
            if event == "request_failed" and str(r.get("error")) in STOPPED_CODES:
                outcome[rid] = "stopped"
            elif event == "request_failed":
                last_failure[rid] = r
            if event == "request_started" and r.get("wish"):
                wishes[rid] = str(r["wish"])
            retries["user"][rid] = max(retries["user"][rid], int(_num(r.get("retry_count")) or 0))
        if event == "request_completed" and ms is not None:
            times["timings"]["end_to_end"].append(ms)
        elif event in ("phase_streamed", "provider_error") and (_num(r.get("attempt")) or 0) > 1:
            retries["automatic"][rid] += 1
        elif event == "phase_correction":
            retries["corrective"][rid] += 1
        elif event == "phase_completed" and r.get("phase") in PHASES and ms is not None:
            times["timings"][r["phase"]].append(ms)
        elif event == "first_token" and ms is not None:
            times["first_token"][str(r.get("provider") or "?")].append(ms)
        if event == "provider_error":
            code = r.get("error") or (f"HTTP {r['status']}" if r.get("status") else "")
            counts["provider_errors"][
                reason_words({"error": code}) if r.get("error") else code or "?"
            ] += 1
    failed_ids = [rid for rid, state in outcome.items() if state == "failed"]
    for rid in failed_ids:  # by the request's last failure: they add up to the failed count
        r = last_failure[rid]
        counts["by_phase"][
            PHASE_WORDS.get(str(r.get("phase") or "(none)"), str(r.get("phase")))
        ] += 1
        counts["by_error"][reason_words(r)] += 1
    failed_wishes = [
        {
            "wish": wishes.get(rid, "（没有记录 not recorded）"),
            "phase": PHASE_WORDS.get(str(last_failure[rid].get("phase") or "(none)"), "?"),
            "reason": reason_words(last_failure[rid]),
            "when": str(last_failure[rid].get("ts", "")),
        }
        for rid in failed_ids
    ]
    status = Counter(outcome.values())
    done, total = status["completed"] + status["failed"], len(outcome)
    rate = round(status["completed"] / done, 4) if done else None
    states = ("completed", "failed", "stopped", "unfinished")
    requests = {"total": total, **{k: status[k] for k in states}}

    def retry_row(per: Counter[str]) -> dict[str, Any]:
        values = [per[rid] for rid in outcome]
        per_request = round(sum(values) / total, 2) if total else 0.0
        return {"total": sum(values), "per_request": per_request, "requests_with_retry": sum(v > 0 for v in values), "max": max(values, default=0)}  # fmt: skip

    def timing(values: list[float]) -> dict[str, Any]:
        return {"count": len(values), "p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95)}  # fmt: skip

    return {
        "requests": {**requests, "success_rate": rate},
        "retries": {kind: retry_row(per) for kind, per in retries.items()},
        "failures": {k: dict(counts[k].most_common()) for k in ("by_phase", "by_error")},
        "failed_wishes": failed_wishes[-50:],
        "provider_errors": dict(counts["provider_errors"].most_common()),
        "timings": {k: timing(times["timings"][k]) for k in (*PHASES, "end_to_end")},
        "first_token": {k: timing(v) for k, v in sorted(times["first_token"].items())},
    }


@dataclass
class StatsView:
    """The report: ``to_dict()`` for JSON, ``_repr_html_`` for a notebook."""

    log: str
    since: str | None
    lines: int = 0
    malformed: int = 0
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def notice(self) -> str:
        if not self.report:
            return f"还没有运行记录：找不到日志 {self.log}。先生成一个程序（例如 codeflow run 帮我写个贪吃蛇），再来看统计。"  # fmt: skip
        if not self.report["requests"]["total"]:
            window = f"（{self.since} 之后）" if self.since else ""
            return f"日志 {self.log} 里{window}还没有请求记录。先生成一个程序，再来看统计。"
        return ""

    def to_dict(self) -> dict[str, Any]:
        out = {"log": self.log, "since": self.since, "lines": self.lines, "malformed_lines": self.malformed, **self.report}  # fmt: skip
        return {**out, "message": self.notice} if self.notice else out

    def _repr_html_(self) -> str:
        return render_html(self)

    def save(self, path: str | Path) -> Path:
        """Write the report as a page a teacher can keep or share (one file, no scripts)."""
        target = Path(path)
        page = (
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            "<title>codeflow 统计 stats</title></head><body>" + render_html(self) + "</body></html>"
        )
        target.write_text(page, encoding="utf-8")
        return target


def stats(log: str | Path | list[str | Path] | None = None, since: str | None = None) -> StatsView:
    """``codeflow_widget.stats()`` in a notebook: the summary of one or more trace logs.

    ``log`` is a file, a folder (searched recursively) or a list of them; without it the
    configured log, else any system_trace*.jsonl below the current folder.
    """
    start = parse_since(since)
    given = [log] if isinstance(log, (str, Path)) else list(log or [])
    paths = find_logs(given) if given else find_logs([default_log()]) or find_logs([Path.cwd()])
    label = (
        ", ".join(str(p) for p in paths) or ", ".join(str(g) for g in given) or str(default_log())
    )
    if not paths:
        return StatsView(label, since)
    records, lines, malformed = read_all(paths, start)
    return StatsView(label, since, lines, malformed, summarise(records))


def _fmt(ms: float | None) -> str:
    return "—" if ms is None else (f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms")


def _rate(rep: dict[str, Any]) -> str:
    rate = rep["requests"]["success_rate"]
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _sections(rep: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("失败位置 Failures by phase", "阶段 Phase", rep["failures"]["by_phase"]),
        ("失败原因 Failures by reason", "原因 Reason", rep["failures"]["by_error"]),
        ("模型接口错误（含已重试）Provider errors", "错误代码 Error code", rep["provider_errors"]),
        ("耗时 Time per phase", "阶段 Phase", rep["timings"]),
        ("首个 token 延迟 Time to first token", "模型接口 Provider", rep["first_token"]),
    ]


def print_tables(view: StatsView, console: Any) -> None:
    """The terminal report: rich tables with Chinese and English headers."""

    def show(title: str, columns: str, rows: list[list[str]]) -> None:
        table = Table(*(Column(c, justify="right" if i else "left") for i, c in enumerate(columns.split("|"))), title=title, title_justify="left")  # fmt: skip
        for row in rows:
            table.add_row(*row)
        console.print(table)

    if view.notice:
        return console.print(view.notice, markup=False, highlight=False)
    rep, req = view.report, view.report["requests"]
    since = f" · 起始 since {view.since}" if view.since else ""
    skipped = f" · 跳过 {view.malformed} 行格式错误 malformed, skipped" if view.malformed else ""
    console.print(f"日志 log: {view.log} · {view.lines} 行 lines{since}{skipped}", markup=False)
    counts = [str(req[k]) for k in ("total", "completed", "failed", "stopped", "unfinished")]
    show("请求 Requests", "请求数 Requests|完成 Completed|失败 Failed|已停止 Stopped|未结束 Unfinished|成功率 Success", [[*counts, _rate(rep)]])  # fmt: skip
    rows = [[label, *(f"{v:g}" for v in rep["retries"][k].values())] for k, label in RETRY_KINDS.items()]  # fmt: skip
    show("重试 Retries", "类型 Kind|总数 Total|每个请求 Per request|有重试的请求 With retries|最多 Max", rows)  # fmt: skip
    for i, (title, key, data) in enumerate(_sections(rep)):
        if i < 3 and data:
            show(title, f"{key}|次数 Count", [[LABELS.get(k, k), str(v)] for k, v in data.items()])
        elif i >= 3:
            rows = [[LABELS.get(k, k), str(t["count"]), _fmt(t["p50_ms"]), _fmt(t["p95_ms"])] for k, t in data.items()]  # fmt: skip
            show(title, f"{key}|次数 Count|p50|p95", rows)
    if rep.get("failed_wishes"):
        rows = [[w["wish"], w["phase"], w["reason"]] for w in rep["failed_wishes"]]
        show("失败的需求 Wishes that failed", "需求 Wish|阶段 Phase|原因 Reason", rows)


_BOX = "font-family:system-ui,sans-serif;font-size:13px;max-width:640px;line-height:1.4"
_TRACK = '<span style="display:inline-block;vertical-align:middle;width:{w};height:{h}px;background:#eee;border-radius:3px;overflow:hidden">{inner}</span>'
_FILL = '<span style="display:inline-block;height:{h}px;width:{pct:.1f}%;background:{color};opacity:{o}" title="{title}"></span>'
_CELL = '<td style="padding:2px 8px 2px 0;text-align:{align};white-space:nowrap">{text}</td>'
_TITLE = '<h4 style="margin:10px 0 4px">{title}</h4><table style="border-collapse:collapse;font-size:13px">{body}</table>'
_HEAD = '<p style="margin:6px 0"><span style="font-size:22px;font-weight:600">{n}</span> 个请求 requests · 成功率 success <b>{rate}</b><br>{stack}<br>{legend}</p>'
COLORS = {"completed": "#2e9d57", "failed": "#d64545", "stopped": "#6b7280", "unfinished": "#aaa"}
STATUS = {"completed": "完成", "failed": "失败", "stopped": "已停止", "unfinished": "未结束"}


def _track(fills: list[tuple[float, str, float, str]], width: str = "220px", h: int = 12) -> str:
    """A bar: ``fills`` are (percent, colour, opacity, tooltip) segments, left to right."""
    parts = [(max(0.0, min(100.0, p)), c, o, escape(t)) for p, c, o, t in fills]
    inner = "".join(_FILL.format(h=h, pct=p, color=c, o=o, title=t) for p, c, o, t in parts)
    return _TRACK.format(w=width, h=h, inner=inner)


def _bar_table(
    title: str, rows: list[tuple[str, float, float | None, str]], color: str, full: float = 0.0
) -> str:
    """Rows of (label, value, optional p95 tail, text); a full bar is ``full`` or the largest."""
    top = max([max(v, tail or 0) for _, v, tail, _ in rows] + [full, 1e-9])
    body = ""
    for label, value, tail, text in rows:
        fills = [(100 * value / top, color, 1.0, text), (100 * ((tail or value) - value) / top, color, 0.35, text)]  # fmt: skip
        cells = [("left", escape(label)), ("left", _track(fills)), ("right", escape(text))]
        body += "<tr>" + "".join(_CELL.format(align=a, text=t) for a, t in cells) + "</tr>"
    return _TITLE.format(title=escape(title), body=body)


def render_html(view: StatsView) -> str:
    """The teacher's summary (inline styles only, all text escaped): headline, bar charts."""
    html = f'<div style="{_BOX}"><b>codeflow 统计 stats</b> '
    if view.notice:
        return html + f"<p>{escape(view.notice)}</p></div>"
    rep, req = view.report, view.report["requests"]
    html += f'<span style="color:#666">{escape(view.log + (f" · since {view.since}" if view.since else ""))}</span>'  # fmt: skip
    stack = _track([(100 * req[k] / max(req["total"], 1), c, 1.0, STATUS[k]) for k, c in COLORS.items()], "100%", 14)  # fmt: skip
    legend = " · ".join(f'<span style="color:{c}">■</span> {STATUS[k]} {req[k]}' for k, c in COLORS.items())  # fmt: skip
    html += _HEAD.format(n=req["total"], rate=escape(_rate(rep)), stack=stack, legend=legend)
    charts = [("每个请求的重试 Retries per request", "#e59b2e", {label: rep["retries"][k]["per_request"] for k, label in RETRY_KINDS.items()})]  # fmt: skip
    charts += [(title, "#d64545", data) for title, _, data in _sections(rep)[:2]]
    charts += [(f"{title}（p50 深色 / p95 浅色）", color, data) for (title, _, data), color in zip(_sections(rep)[3:], ("#3b73c4", "#7a52c7"), strict=True)]  # fmt: skip
    scales = [1.0, req["failed"], req["failed"], 0.0, 0.0, 0.0]  # retries: a full bar is 1
    for (title, color, data), full in zip(charts, scales, strict=False):
        if data:
            timed = {k: (v["p50_ms"] or 0, v["p95_ms"], f"{_fmt(v['p50_ms'])} / {_fmt(v['p95_ms'])}") for k, v in data.items() if isinstance(v, dict)}  # fmt: skip
            rows = [(LABELS.get(k, k), *(timed[k] if k in timed else (v, None, f"{v:g}"))) for k, v in data.items()]  # fmt: skip
            html += _bar_table(title, rows, color, full)
    if rep.get("failed_wishes"):
        items = "".join(
            f'<tr><td style="padding:2px 8px 2px 0">{escape(w["wish"])}</td>'
            f'<td style="padding:2px 8px">{escape(w["phase"])}</td>'
            f'<td style="padding:2px 0">{escape(w["reason"])}</td></tr>'
            for w in rep["failed_wishes"]
        )
        head = "<tr><th align=left>需求 wish</th><th align=left>阶段 phase</th><th align=left>原因 reason</th></tr>"  # fmt: skip
        html += _TITLE.format(title="失败的需求 Wishes that failed", body=head + items)
    if view.malformed:
        html += f'<p style="color:#a60">跳过了 {view.malformed} 行格式错误的日志 (malformed lines skipped)</p>'  # fmt: skip
    return html + "</div>"


def main(args: argparse.Namespace) -> int:
    """``codeflow stats [--since …] [--json] [--log PATH]``: 0, or 2 for a bad ``--since``."""
    try:
        # --log takes a file or a folder, or several joined with os.pathsep (":"; ";" on Windows)
        logs = [part for part in (args.log or "").split(os.pathsep) if part]
        view = stats(logs or None, args.since)
    except ValueError as exc:
        Console(stderr=True, highlight=False).print(f"✗ {exc}", markup=False, style="bold red")
        return 2
    if args.json:
        print(json.dumps(view.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_tables(view, Console(highlight=False))
    return 0
