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
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from codeflow_widget.terminal.classroom_stats_logs import (  # noqa: F401 - the public names
    LOG_GLOB,
    default_log,
    find_logs,
    parse_since,
    read_all,
    read_records,
    split_log_option,
)
from codeflow_widget.terminal.classroom_stats_render import (
    LABELS,  # noqa: F401 - the public names
    RETRY_KINDS,
    print_tables,
    render_html,
)

PHASES = ("specify", "plan", "implement")
OUTCOME = {"request_completed": "completed", "request_failed": "failed"}
STOPPED_CODES = {"request.cancelled"}  # a stop by the learner is not a failure
# Phases and reasons in words (the report shows no raw codes).
PHASE_WORDS = {"specify": "明确需求 specify", "plan": "设计方案 plan", "implement": "编写代码 implement", "(none)": "开始之前 before the first phase"}  # fmt: skip


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


def main(args: argparse.Namespace) -> int:
    """``codeflow stats [--since …] [--json] [--log PATH]``: 0, or 2 for a bad ``--since``."""
    try:
        # --log: files or folders, repeated or joined with os.pathsep (":"; ";" on Windows)
        logs = split_log_option(args.log)
        view = stats(logs or None, args.since)
    except ValueError as exc:
        Console(stderr=True, highlight=False).print(f"✗ {exc}", markup=False, style="bold red")
        return 2
    if args.json:
        print(json.dumps(view.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_tables(view, Console(highlight=False))
    return 0
