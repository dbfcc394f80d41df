"""Showing the class summary of ``codeflow stats``: rich tables for the terminal and an HTML
page for a notebook or a file (inline styles only, every text escaped, no script, no CDN), with
bars scaled to the data, Chinese and English headers and no raw error codes.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from rich.table import Column, Table

if TYPE_CHECKING:
    from codeflow_widget.terminal.classroom_stats import StatsView

LABELS = {"specify": "明确需求 specify", "plan": "设计方案 plan", "implement": "编写代码 implement", "end_to_end": "端到端 end to end (completed)"}  # fmt: skip
RETRY_KINDS = {"user": "学习者重试 user", "automatic": "自动重试 automatic", "corrective": "纠正重试 corrective"}  # fmt: skip


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
