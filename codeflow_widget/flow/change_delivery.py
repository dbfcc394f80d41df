"""Implement for a follow-up: the change becomes the project's next version, or nothing does.

The answer is a unified diff (placed over the learner's current files by ``checks.patch``) or
whole files. The new code goes through the same checks as any implement answer (plus the
traceability findings), is shown as a diff of each changed file, and is trial-run through the
sandbox runner in a hidden copy of the project (the same path a fresh project's smoke run takes).
Only then is anything written: first the learner's own edits become a version ("我的修改"), then
spec, plan and code are committed together as the new version (``output.versions``, atomic). A
diff that doesn't fit gets one corrective retry from a model; offline, the curated change either
fits or fails at once with the zh/en conflict message — in both cases the project is untouched.
A version that still crashes on the last chance is committed (and the request fails), so the
learner can look at it and undo it in one call.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from codeflow_widget.checks.extract import extract_files
from codeflow_widget.checks.patch import PatchConflict, apply_patch, diff_text, looks_like_diff
from codeflow_widget.checks.trace import findings as trace_findings
from codeflow_widget.checks.trace import trace
from codeflow_widget.checks.validate import validate_answer
from codeflow_widget.flow.attempts import AnswerProblem
from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import GeneratedProject, SmokeResult
from codeflow_widget.model.errors import CodeflowError, ValidationFailed
from codeflow_widget.model.events import ChangeDiff
from codeflow_widget.model.messages import message
from codeflow_widget.output.versions import files_diff
from codeflow_widget.sandbox.runner import run_project

if TYPE_CHECKING:
    from codeflow_widget.flow.change import Change


class PatchProblem(AnswerProblem):
    """A diff that does not fit: the model is shown why and asked again, once."""

    def correction(self, lang: str) -> str:
        return message("change.patch_prompt", lang, detail=self.detail)


async def implement(change: Change, run: Any, answer: str, last_chance: bool) -> AsyncIterator[Any]:
    rid, lang = run.rid, run.lang
    yield ev.Progress(request_id=rid, step="checking")
    new_code = _new_code(change, answer, offline=bool(run.provider.offline), lang=lang)
    spec = run.outputs.get("specify", change.spec)
    plan = run.outputs.get("plan", change.plan)
    result = validate_answer(_as_answer(new_code), allowed_imports=run.settings.allowed_imports)
    found = (*result.findings, *trace_findings(trace(spec, plan, new_code)))
    run.tracer.event(
        "validation", phase="implement", ok=result.ok, findings=len(found), change=True
    )
    yield ev.ValidationReport(request_id=rid, ok=result.ok, findings=found, files=tuple(new_code))
    changed = {p: t for p, t in new_code.items() if change.code.get(p) != t}
    for path, text in sorted(changed.items()):
        before = {path: change.code.get(path, "").encode()}
        diff = files_diff(before, {path: text.encode()}, "now", "new")
        yield ChangeDiff(request_id=rid, phase="implement", file=path, diff=diff)
    if not result.ok:
        summary = result.summary(lang)
        raise AnswerProblem("validation", ValidationFailed(list(result.findings), summary), summary)
    timeout = run.settings.smoke_timeout_s
    yield ev.Progress(request_id=rid, step="trial_run", total_s=timeout)
    smoke = await _trial(change, new_code, timeout, lang, run.settings.sandbox == "required")
    run.tracer.event(
        "smoke_run", phase="implement", ok=smoke.ok, outcome=smoke.outcome, change=True
    )
    yield ev.SmokeRunFinished(request_id=rid, result=smoke)
    if not smoke.ok and not last_chance:
        raise AnswerProblem(
            "smoke", CodeflowError("run.failed", detail=smoke.message), smoke.message
        )
    yield ev.Progress(request_id=rid, step="writing")
    async for event in _commit(change, run, spec, plan, changed, smoke):
        yield event
    if not smoke.ok:  # committed so it can be seen and undone; the request still fails
        final = CodeflowError("run.failed", detail=smoke.message)
        raise AnswerProblem("smoke", final, smoke.message, kept=run.project)


def _new_code(change: Change, answer: str, *, offline: bool, lang: str) -> dict[str, str]:
    """The project's code after the change: the diff applied, or the whole files given."""
    if looks_like_diff(diff_text(answer)):
        try:
            return {**change.code, **apply_patch(change.code, diff_text(answer))}
        except PatchConflict as err:
            if offline:  # a curated change can't be asked again: say so, touch nothing
                raise
            raise PatchProblem("patch", err, err.message(lang)) from None
        except CodeflowError as err:  # malformed, or a file that doesn't exist
            if offline:
                raise
            raise PatchProblem("patch", err, err.message(lang)) from None
    files = {f.path: f.content for f in extract_files(answer) if f.path.endswith(".py")}
    if not files:
        raise AnswerProblem("no_code", CodeflowError("provider.no_code"))
    return {**change.code, **files}


def _as_answer(code: dict[str, str]) -> str:
    return "\n\n".join(
        f"```python {path}\n{text.rstrip()}\n```" for path, text in sorted(code.items())
    )


async def _trial(
    change: Change, code: dict[str, str], timeout: float, lang: str, required: bool = False
) -> SmokeResult:
    """Smoke-run the new code in a hidden copy of the project, beside it."""
    staging = (
        change.project_dir.parent / f".staging-{change.project_dir.name}-{uuid.uuid4().hex[:6]}"
    )
    try:
        for path, data in change.history.current_files().items():
            _write(staging, path, data)
        for path, text in code.items():
            _write(staging, path, text.encode("utf-8"))
        return await run_project(
            staging, change.main_file, timeout_s=timeout, language=lang, required=required
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write(root: Path, path: str, data: bytes) -> None:
    target = root / PurePosixPath(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


async def _commit(change, run, spec: str, plan: str, code: dict[str, str], smoke: SmokeResult):
    from codeflow_widget.flow.change import versions_event

    history, lang = change.history, run.lang
    mine = history.record_hand_edits(lang)  # the learner's edits are a version of their own
    if mine is not None:
        yield versions_event(run.rid, history, mine)
    files = {"spec.md": spec.strip() + "\n", "plan.md": plan.strip() + "\n", **code}
    drafts = [{"phase": p, "note": note, "text": text} for p, text, note in run.drafts]
    version = history.commit(
        files, wish=change.wish, kind="wish", smoke=smoke.model_dump(mode="json"),
        language=lang, drafts=drafts,
    )  # fmt: skip
    run.tracer.event("version_committed", phase="implement", version=version.n, files=len(code))
    # The folder may have been moved or copied since project.json was written: trust the disk.
    project = GeneratedProject.model_validate(
        {**history.meta(), "path": str(history.root.resolve())}
    )
    run.project = project
    yield ev.ProjectWritten(request_id=run.rid, project=project)
    yield versions_event(run.rid, history, version)
