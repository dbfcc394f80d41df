"""The ``codeflow eval`` report on a terminal: one row per prompt, each error once, the totals.

``evaluate`` runs the prompts and computes the figures; this module only shows them, with rich:
the table drops its per-phase columns on a narrow terminal (``--json`` keeps everything), each
distinct error code is listed once with how many prompts hit it, and the totals say whether the
target was met, for the offline lessons split into lesson and no-lesson prompts (a wish with no
lesson must fail honestly, with ``offline.no_match``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from codeflow_widget.model.rules import PHASE_ORDER

if TYPE_CHECKING:
    from codeflow_widget.terminal.evaluate import PromptResult

NO_LESSON_CODE = "offline.no_match"
PHASE_HEADERS = {"specify": "需求\nspecify", "plan": "方案\nplan", "implement": "代码\nimplement"}
OFFLINE_LABEL = "离线示例模式 / offline lessons"
MARKS = {None: "—", True: "[green]✓[/]", False: "[red]✗[/]"}


def results_table(results: list[PromptResult], wide: bool = True) -> Table:
    """One row per prompt; a narrow terminal drops the per-phase columns (``--json`` has them)."""
    table = Table(title="codeflow eval", header_style="bold cyan")
    table.add_column("编号\nid", no_wrap=True, overflow="ellipsis", max_width=14)
    table.add_column("提示\nprompt", overflow="fold", max_width=26)
    for header in ("完成\ndone", "语法\nsyntax", "导入\nimports", "运行\nruns ok"):
        table.add_column(header, justify="center", no_wrap=True)
    phases = PHASE_ORDER if wide else ()
    for header in [*(PHASE_HEADERS[p] for p in phases), "总计\ntotal", "重试\nretries"]:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("错误\nerror", overflow="fold")
    for r in results:
        times = [f"{r.phase_ms[p] / 1000:.2f}s" if p in r.phase_ms else "—" for p in phases]
        marks = [MARKS[v] for v in (r.completed, r.syntax_valid, r.imports_allowed, r.runs_ok)]
        total = f"{r.total_ms / 1000:.2f}s"
        table.add_row(r.id, r.text, *marks, *times, total, str(r.retries), r.error_code or "")
    return table


def _error_lines(results: list[PromptResult]) -> list[str]:
    """Each distinct error code once: how many prompts hit it, and the first message."""
    seen: dict[str, list[Any]] = {}
    for r in results:
        if r.error_code:
            seen.setdefault(r.error_code, [0, r.error_message or ""])[0] += 1
    return [f"  {code} ×{count}: {text}" for code, (count, text) in seen.items()]


def _score_line(label: str, s: dict[str, Any]) -> str:
    tick = MARKS[s["meets_target"]]
    return (
        f"{label}: {s['prompts']} 个 prompts · 完成 done {s['completed_share']:.0%}"
        f" · 语法正确 syntax {s['syntax_valid_share']:.0%}"
        f" · 导入合规 imports {s['imports_allowed_share']:.0%}"
        f" · 运行无错 runs ok {s['runs_ok_share']:.0%} · target ≥ 95%: {tick}"
    )


def print_report(console: Console, report: dict[str, Any], results: list[PromptResult]) -> None:
    """The table, each distinct error once, then the totals."""
    totals, offline = report["totals"], report["offline"]
    console.print(results_table(results, wide=console.width >= 140))
    errors = _error_lines(results)
    for line in ["错误 errors:", *errors] if errors else []:
        console.print(line, markup=False, soft_wrap=True)
    mode = OFFLINE_LABEL if offline else f"{report['provider']} · {report['model']}"
    lines = [f"[bold]模型 provider[/]: {mode}", _score_line("全部 all", totals)]
    if offline:
        other = totals["no_lesson_prompts"]
        honest = f"{other['failed_honestly']}/{other['prompts']} ({NO_LESSON_CODE})"
        lines.append(_score_line("有离线课程 lesson prompts", totals["lesson_prompts"]))
        lines.append(f"没有课程 no lesson · 如实失败 failed honestly: {honest}")
    median, p95 = totals["median_total_ms"] / 1000, totals["p95_total_ms"] / 1000
    retries = f"{totals['retries_total']} ({totals['retries_per_prompt']:.2f}/prompt)"
    lines.append(
        f"用时 time: 中位数 median {median:.1f}s · p95 {p95:.1f}s · 重试 retries {retries}"
    )
    m = report["matcher"]
    lines.append(
        f"匹配 matcher: 精确率 precision {m['precision']:.0%} · 召回率 recall {m['recall']:.0%}"
        f" ({m['positives']}) · 负例拒绝 negatives rejected {m['negatives_rejected']:.0%}"
        f" ({m['negatives']}) · 误判 wrong {len(m['wrong'])}"
    )
    for line in lines:
        console.print(line)
