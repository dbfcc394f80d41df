"""``codeflow eval``: run a set of beginner wishes through the real flow and score them.

Each prompt goes through a ``Lesson`` exactly as in the widget, with the configured provider and a temporary projects folder (or ``--projects-dir``). We record
whether it completed, whether its code parsed, imported only allowed modules and survived
the headless smoke run, each phase's time and the retries; the totals compare the share of
prompts whose code runs without errors with the product's target (≥ 95 %). The offline
provider only knows its lessons, so its lesson prompts are scored apart and the rest must
fail honestly ("no lesson"). Output: a rich table (progress bar on stderr) or, with
``--json``, one JSON document on stdout. Exit 0 when the run itself worked; 2 for usage errors.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from codeflow_widget.config import Settings
from codeflow_widget.flow.lesson import Lesson
from codeflow_widget.model import events as ev
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.rules import has_chinese
from codeflow_widget.providers.offline import default_catalogue
from codeflow_widget.providers.offline.matcher import score_matcher
from codeflow_widget.terminal.eval_report import NO_LESSON_CODE, print_report

TARGET = 0.95
IMPORT_CODES = ("disallowed_import", "dangerous_call")
DEFAULT_PROMPTS = "evals/prompts.json"
SHARES = ("completed", "syntax_valid", "imports_allowed", "runs_ok")


class UsageError(Exception):
    """A bad prompts file or option (exit code 2)."""


@dataclass(frozen=True)
class PromptCase:
    id: str
    text: str
    lang: str = "zh"
    lesson: str | None = None


@dataclass
class PromptResult:
    id: str
    text: str
    lang: str
    lesson: str | None
    completed: bool = False
    syntax_valid: bool | None = None  # None: no code was produced
    imports_allowed: bool | None = None
    runs_ok: bool | None = None  # the headless smoke run passed
    phase_ms: dict[str, int] = field(default_factory=dict)
    total_ms: int = 0
    retries: int = 0
    error_code: str | None = None
    error_message: str | None = None
    findings: list[str] = field(default_factory=list)
    project: str | None = None


def load_prompts(path: str | None = None) -> list[PromptCase]:
    """The prompt set: a JSON list of ``{id, text, lang, lesson}`` objects or of plain strings."""
    source = Path(path) if path else resources.files(__package__).joinpath(DEFAULT_PROMPTS)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"无法读取提示词文件 / cannot read {path}: {exc}") from None
    if not isinstance(data, list) or not data:
        raise UsageError("提示词文件必须是非空的 JSON 列表 / prompts must be a non-empty JSON list")
    return [_case(item, i) for i, item in enumerate(data)]


def _case(item: Any, index: int) -> PromptCase:
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise UsageError(f'第 {index + 1} 个提示词没有 "text" / prompt #{index + 1} needs "text"')
    text = item["text"]
    lang = item.get("lang") or ("zh" if has_chinese(text) else "en")
    match = default_catalogue().match(text)
    lesson = item["lesson"] if "lesson" in item else (match.id if match else None)
    return PromptCase(str(item.get("id") or f"p{index + 1:02d}"), text, lang, lesson)


async def evaluate_prompt(case: PromptCase, lesson: Lesson) -> PromptResult:
    """Run one prompt through the lesson (in its language) and record what happened."""
    result = PromptResult(id=case.id, text=case.text, lang=case.lang, lesson=case.lesson)
    started = time.perf_counter()
    try:
        request = lesson.wish(case.text)
        async for event in lesson.run():
            _record(result, event)
        result.retries += request.retry_count
    except CodeflowError as exc:  # e.g. an empty or too long prompt
        result.error_code, result.error_message = exc.code, exc.message(lesson.language)
    result.total_ms = int((time.perf_counter() - started) * 1000)
    return result


def _record(result: PromptResult, event: ev.Event) -> None:
    if isinstance(event, ev.PhaseCompleted):
        result.phase_ms[event.phase] = event.duration_ms
    elif isinstance(event, ev.PhaseReset):
        result.retries += 1
    elif isinstance(event, ev.ValidationReport):  # the last report (after a correction) counts
        codes = [f.code for f in event.findings]
        result.findings = codes
        result.syntax_valid = "syntax_error" not in codes and bool(event.files)
        result.imports_allowed = not any(code in IMPORT_CODES for code in codes)
    elif isinstance(event, ev.SmokeRunFinished):
        result.runs_ok = event.result.ok
    elif isinstance(event, ev.Completed):
        result.completed, result.project = True, event.project.project_name
    elif isinstance(event, ev.Failed):
        result.error_code, result.error_message = event.error_code, event.error_message


async def evaluate_all(cases, lesson: Lesson, progress: Progress) -> list[PromptResult]:
    """Run the ``PromptCase`` list one after another (honest timings), each in its own language."""
    task = progress.add_task("", total=len(cases))
    results = []
    default = lesson.language
    async with lesson:
        for case in cases:
            progress.update(task, description=case.id)
            lesson.language = case.lang if case.lang in ("zh", "en") else default
            results.append(await evaluate_prompt(case, lesson))
            progress.advance(task)
    return results


def _share(results: list[PromptResult], attr: str) -> float:
    hits = sum(1 for r in results if getattr(r, attr) is True)
    return round(hits / len(results), 4) if results else 0.0


def _p95(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0


def _scores(results: list[PromptResult]) -> dict[str, Any]:
    shares = {f"{attr}_share": _share(results, attr) for attr in SHARES}
    met = bool(results) and shares["runs_ok_share"] >= TARGET
    return {"prompts": len(results), **shares, "meets_target": met}


def summarise(results: list[PromptResult], offline: bool) -> dict[str, Any]:
    """Totals over all prompts; for the offline provider also the lesson / no-lesson split."""
    totals = _scores(results)
    times = [r.total_ms for r in results]
    retries = sum(r.retries for r in results)
    totals.update(
        target=TARGET,
        median_total_ms=int(statistics.median(times)) if times else 0,
        p95_total_ms=_p95(times),
        retries_total=retries,
        retries_per_prompt=round(retries / len(results), 3) if results else 0.0,
    )
    if offline:
        others = [r for r in results if not r.lesson]
        totals["lesson_prompts"] = _scores([r for r in results if r.lesson])
        honest = sum(1 for r in others if r.error_code == NO_LESSON_CODE)
        totals["no_lesson_prompts"] = {"prompts": len(others), "failed_honestly": honest}
    return totals


def build_report(settings: Settings, results: list[PromptResult]) -> dict[str, Any]:
    return {
        "prompts": [asdict(r) for r in results],
        "totals": summarise(results, settings.is_offline),
        "provider": settings.provider,
        "model": "curated-lessons" if settings.is_offline else settings.resolved_model,
        "offline": settings.is_offline,
        "matcher": matcher_report(results),
    }


def matcher_report(results: list[PromptResult]) -> dict[str, Any]:
    """The offline matcher's precision and recall on the prompts' expected lessons."""
    scores = score_matcher([(r.text, r.lesson) for r in results], default_catalogue().lessons)
    keys = ("text", "expected", "got")
    return {**scores, "wrong": [dict(zip(keys, wrong, strict=True)) for wrong in scores["wrong"]]}


def _lesson(args: argparse.Namespace, projects_dir: str | Path) -> Lesson:
    """The lesson every prompt runs in; MissingApiKey here is a usage error, before anything runs."""
    names = ("provider", "model", "base_url", "language", "offline_pace")
    overrides = {n: getattr(args, n, None) for n in names}
    return Lesson.configure(getattr(args, "config", None), projects_dir=projects_dir, **overrides)


def _progress() -> Progress:
    label = TextColumn("评测 eval {task.description}")
    columns = (label, BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True)


def main(args: argparse.Namespace) -> int:
    """``codeflow eval``; ConfigError/MissingApiKey propagate to the CLI (exit code 2)."""
    limit = getattr(args, "limit", None)
    try:
        if limit is not None and limit < 1:
            raise UsageError("--limit 必须至少为 1 / --limit must be at least 1")
        cases = load_prompts(getattr(args, "prompts", None))[:limit]
    except UsageError as exc:
        print(f"✗ {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="codeflow-eval-") as tmp:
        lesson = _lesson(args, getattr(args, "projects_dir", None) or Path(tmp) / "projects")
        if getattr(args, "language", None):  # --language wins over each prompt's own
            cases = [replace(case, lang=args.language) for case in cases]
        with _progress() as progress:
            results = asyncio.run(evaluate_all(cases, lesson, progress))
        report = build_report(lesson.settings, results)
    if getattr(args, "json", False):
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        width = None if sys.stdout.isatty() else 160
        print_report(Console(highlight=False, width=width), report, results)
    return 0
