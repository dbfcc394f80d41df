"""Turn a validated implement answer into a project on disk that has been tried once.

``deliver`` stages the files in a hidden folder, smoke-runs the main file there,
and only then renames the folder into ``projects/<name>/``. It reports what
happened as a ``Delivery``: the events to show, the finished project, or the
problem to correct. Code that failed validation is never run; on the last
chance it may be kept for study, marked ``syntax_validated: false``.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from codeflow_widget.checks.validate import ValidationResult
from codeflow_widget.config import Settings
from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import GeneratedProject
from codeflow_widget.output.projects import ProjectWriter, StagedProject
from codeflow_widget.output.trace import Tracer
from codeflow_widget.providers.offline import Catalogue, project_type_for
from codeflow_widget.sandbox.runner import run_project


@dataclass
class Delivery:
    events: list[ev.Event] = field(default_factory=list)
    project: GeneratedProject | None = None  # completed and smoke-run ok
    kept: GeneratedProject | None = None  # failed, kept for study
    problem: str | None = None  # what went wrong, for the learner and the correction
    problem_kind: str = ""  # "validation" or "smoke"


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
        return ProjectWriter(self.settings.projects_dir)

    def cleanup(self) -> None:
        self.writer.discard(self.staged)
        self.staged = None


async def deliver(shop: Workshop, result: ValidationResult, *, last_chance: bool) -> Delivery:
    lang = shop.settings.language
    if not result.ok:
        delivery = Delivery(problem=result.summary(lang), problem_kind="validation")
        keep = (
            last_chance
            and shop.settings.keep_failed_projects
            and result.safe_to_keep
            and result.files
        )
        if keep:  # never downloadable, never run
            delivery.kept = _finalize(shop, _stage(shop, result), smoke=None)
        return delivery
    shop.staged = _stage(shop, result)
    smoke = await run_project(
        shop.staged.staging_dir,
        shop.staged.main_file,
        timeout_s=shop.settings.smoke_timeout_s,
        language=lang,
    )
    shop.tracer.event(
        "smoke_run",
        phase="implement",
        duration_ms=smoke.duration_ms,
        ok=smoke.ok,
        outcome=smoke.outcome,
    )
    delivery = Delivery(events=[ev.SmokeRunFinished(request_id=str(shop.request_id), result=smoke)])
    if not smoke.ok:
        delivery.problem = smoke.message
        delivery.problem_kind = "smoke"
        if not last_chance:
            shop.cleanup()
            return delivery
    project = _finalize(shop, shop.staged, smoke=smoke)
    delivery.events.append(ev.ProjectWritten(request_id=str(shop.request_id), project=project))
    if smoke.ok:
        delivery.project = project
    else:
        delivery.kept = project
    return delivery


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
    shop.tracer.event(
        "project_written",
        phase="implement",
        project=project.project_name,
        files=project.total_files,
        bytes=project.total_size_bytes,
    )
    return project


def _title(spec: str, user_input: str) -> str:
    heading = re.search(r"^#\s+(.+)$", spec, re.MULTILINE)
    return heading.group(1).strip()[:60] if heading else user_input[:60]
