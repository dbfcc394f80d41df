"""Turn a validated implement answer into a project on disk that has been tried once.

``check_and_deliver`` is the implement step: it validates the answer (``checks``), reports the
findings, then hands a valid answer to ``deliver``. ``deliver`` stages the files in a hidden folder, smoke-runs the main file there,
and only then renames the folder into ``projects/<name>/``. It yields what happens
as events (``Progress``, ``SmokeRunFinished``, ``ProjectWritten`` — the finished
project travels in the last one) and raises ``AnswerProblem`` when the code must be
corrected. Code that failed validation is never run; on the last chance it may be
kept for study, marked ``syntax_validated: false``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codeflow_widget.checks.trace import findings as trace_findings
from codeflow_widget.checks.trace import trace
from codeflow_widget.checks.validate import ValidationResult, validate_answer
from codeflow_widget.config import Settings
from codeflow_widget.flow.attempts import AnswerProblem
from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import GeneratedProject
from codeflow_widget.model.errors import CodeflowError, ValidationFailed
from codeflow_widget.output.projects import ProjectWriter, StagedProject
from codeflow_widget.output.trace import Tracer
from codeflow_widget.providers.offline import Catalogue, project_type_for
from codeflow_widget.sandbox.runner import run_project

if TYPE_CHECKING:
    from codeflow_widget.flow.phases import Run


@dataclass
class Workshop:
    """Everything delivery needs from the flow, and the staging folder to clean up."""

    request_id: uuid.UUID
    user_input: str
    spec: str
    plan: str
    settings: Settings
    tracer: Tracer
    catalogue: Catalogue | None = None
    staged: StagedProject | None = None

    @property
    def writer(self) -> ProjectWriter:
        return ProjectWriter(self.settings.projects_dir, self.settings.language)

    def cleanup(self) -> None:
        self.writer.discard(self.staged)
        self.staged = None


async def deliver(
    shop: Workshop, result: ValidationResult, *, last_chance: bool
) -> AsyncIterator[ev.Event]:
    """Stage, trial-run and write the project; raise AnswerProblem for code to correct."""
    lang, rid = shop.settings.language, str(shop.request_id)
    if not result.ok:
        summary = result.summary(lang)
        keep = last_chance and shop.settings.keep_failed_projects and result.safe_to_keep
        kept = _finalize(shop, _stage(shop, result), smoke=None) if keep and result.files else None
        final = ValidationFailed(list(result.findings), summary=summary)
        # What is kept for study is never downloadable and never run.
        raise AnswerProblem("validation", final, summary, kept=kept)
    shop.staged = _stage(shop, result)
    timeout = shop.settings.smoke_timeout_s
    yield ev.Progress(request_id=rid, step="trial_run", total_s=timeout)
    smoke = await run_project(
        shop.staged.staging_dir, shop.staged.main_file, timeout_s=timeout, language=lang,
        required=shop.settings.sandbox == "required",
    )  # fmt: skip
    _trace(shop, "smoke_run", duration_ms=smoke.duration_ms, ok=smoke.ok, outcome=smoke.outcome)
    yield ev.SmokeRunFinished(request_id=rid, result=smoke)
    if not smoke.ok and not last_chance:
        shop.cleanup()
        raise AnswerProblem("smoke", _smoke_failed(smoke.message), smoke.message)
    yield ev.Progress(request_id=rid, step="writing")
    project = _finalize(shop, shop.staged, smoke=smoke)
    yield ev.ProjectWritten(request_id=rid, project=project)
    if not smoke.ok:  # the last chance: written for study, and the request fails
        raise AnswerProblem("smoke", _smoke_failed(smoke.message), smoke.message, kept=project)


def _smoke_failed(detail: str) -> CodeflowError:
    return CodeflowError("run.failed", detail=detail)


def _stage(shop: Workshop, result: ValidationResult) -> StagedProject:
    shop.staged = shop.writer.stage(
        project_type=project_type_for(shop.user_input, shop.catalogue),
        title=_title(shop.spec, shop.user_input),
        user_input=shop.user_input,
        spec=shop.spec,
        plan=shop.plan,
        result=result,
    )
    return shop.staged


def _finalize(shop: Workshop, staged: StagedProject, *, smoke) -> GeneratedProject:
    try:
        project = shop.writer.finalize(staged, request_id=shop.request_id, smoke=smoke)
    finally:
        shop.staged = None
    _trace(
        shop, "project_written", project=project.project_name,
        files=project.total_files, bytes=project.total_size_bytes,
    )  # fmt: skip
    return project


def _trace(shop: Workshop, what: str, **fields: object) -> None:
    """A step of Implement in the run's trace (the log's JSON lines)."""
    shop.tracer.event(what, phase="implement", **fields)


# "贪吃蛇 规格说明", "Snake — specification": the spec's heading names the document; the
# generated README and run.ipynb are titled with the game's name only.
_DOC_WORDS = re.compile(
    r"\s*[·:：\-—–|]?\s*(需求规格说明书?|规格说明书?|需求说明|规格|specification|spec)\s*$", re.I
)


def _title(spec: str, user_input: str) -> str:
    heading = re.search(r"^#\s+(.+)$", spec, re.MULTILINE)
    name = _DOC_WORDS.sub("", heading.group(1).strip()) if heading else ""
    return (name or user_input)[:60]


async def check_and_deliver(run: Run, answer: str, last_chance: bool) -> AsyncIterator[ev.Event]:
    """The implement step: check the code, then deliver it (AnswerProblem when it must be fixed)."""
    yield ev.Progress(request_id=run.rid, step="checking")
    result = validate_answer(answer, allowed_imports=run.settings.allowed_imports)
    codes = sorted({f.code for f in result.findings})
    run.tracer.event(
        "validation", phase="implement", ok=result.ok, findings=len(result.findings), codes=codes
    )
    # Requirements with written-out ids (R1 …) that no plan item or code mentions: warnings.
    links = trace(run.outputs.get("specify", ""), run.outputs.get("plan", ""),
                  {f.path: f.content for f in result.files})  # fmt: skip
    yield ev.ValidationReport(
        request_id=run.rid,
        ok=result.ok,
        findings=(*result.findings, *trace_findings(links)),
        files=tuple(f.path for f in result.files),
    )
    run.shop = Workshop(
        run.request.id, run.request.user_input, run.outputs.get("specify", ""),
        run.outputs.get("plan", ""), run.settings, run.tracer,
        getattr(run.provider, "catalogue", None),
    )  # fmt: skip
    async for event in deliver(run.shop, result, last_chance=last_chance):
        if isinstance(event, ev.ProjectWritten):
            run.project = event.project
        yield event
