"""One run of a request through Specify → Plan → Implement, as a stream of typed events.

``run_phases(run)`` is what ``Lesson.run()`` iterates. The request moves pending →
processing; each phase becomes active, streams the model's thinking and answer
(``attempts.stream_phase``: transient failures restart it), and completes, its output
feeding the next phase's prompt. An answer with a problem — empty, no code, code that
fails the checks or crashes in its trial run — raises ``AnswerProblem``; the phase asks
the model once more with a correction, and a second failure fails the request. The
implement answer is checked (``checks.validate``) and delivered (``delivery``). A
cancel (Stop, Ctrl-C) becomes a final ``Failed`` "已取消" event, and no half-written
project is left behind, however the run ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codeflow_widget.checks.extract import has_code_fence
from codeflow_widget.config import Settings
from codeflow_widget.flow.attempts import AnswerProblem, PhaseContext, Transcript, stream_phase
from codeflow_widget.flow.breaker import CircuitBreaker
from codeflow_widget.flow.checkpoints import Redo
from codeflow_widget.flow.delivery import Workshop, check_and_deliver
from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import (
    MAX_FILE_BYTES,
    PHASE_ORDER,
    CodeGenerationRequest,
    GeneratedProject,
    PhaseType,
    RequestStatus,
)
from codeflow_widget.model.errors import CancelledByUser, CodeflowError
from codeflow_widget.model.events import CheckpointReached, DraftKept
from codeflow_widget.model.messages import message, phase_title
from codeflow_widget.output.trace import Stopwatch, Tracer
from codeflow_widget.providers.base import Provider

if TYPE_CHECKING:
    from codeflow_widget.flow.lesson import Checkpoint


@dataclass
class Run:
    """What one run of the flow carries from step to step."""

    request: CodeGenerationRequest
    provider: Provider
    settings: Settings
    tracer: Tracer
    breaker: CircuitBreaker | None
    teaching: dict[PhaseType, str]  # each phase's teaching text in this run's language
    checkpoint: Checkpoint | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    shop: Workshop | None = None
    current_phase: PhaseType | None = None
    project: GeneratedProject | None = None  # the finished project
    kept_project: GeneratedProject | None = None  # a failed project kept for study
    # A follow-up on an existing project implements as a change (flow/change.py) instead.
    implement: Callable[[Run, str, bool], AsyncIterator[ev.Event]] | None = None
    drafts: list[tuple[PhaseType, str, str]] = field(default_factory=list)  # redone: text, note

    @property
    def rid(self) -> str:
        return str(self.request.id)

    @property
    def lang(self) -> str:
        return self.settings.language


async def run_phases(run: Run) -> AsyncIterator[ev.Event]:
    """Run (or, after ``request.begin_retry()``, re-run) the request, yielding events."""
    request, provider, clock = run.request, run.provider, Stopwatch()
    request.start()
    run.tracer.event(
        "request_started",
        provider=provider.name,
        model=provider.model,
        retry_count=request.retry_count,
        chars=len(request.user_input),
        wish=request.user_input[:120],  # the teacher's class view lists the wishes that failed
    )
    yield ev.Started(
        request_id=run.rid,
        user_input=request.user_input,
        provider=provider.name,
        model=provider.model,
        offline=provider.offline,
        notice=message("offline.label", run.lang) if provider.offline else "",
        language=run.lang,
        retry_count=request.retry_count,
    )
    yield _status(run)
    try:
        for phase in PHASE_ORDER:
            async for event in _run_phase(run, phase):
                yield event
        assert run.project is not None
        request.complete()
        run.tracer.event(
            "request_completed",
            duration_ms=clock.ms,
            project=run.project.project_name,
            retry_count=request.retry_count,
        )
        yield _status(run)
        yield ev.Completed(
            request_id=run.rid,
            project=run.project,
            duration_ms=int(clock.ms),
            run_command=f'cd "{run.project.path}" && python {run.project.main_file_path}',
        )
    except asyncio.CancelledError:
        # Stop button / Ctrl-C: swallow the cancel so the front ends get a final event.
        for event in _fail(run, CancelledByUser(), clock):
            yield event
    except CodeflowError as err:
        for event in _fail(run, err, clock):
            yield event
    finally:
        if run.shop:
            run.shop.cleanup()  # no half-written project, whatever happened
        if request.status is RequestStatus.PROCESSING:  # the consumer closed us mid-stream
            _mark_failed(run, CancelledByUser())


async def _run_phase(run: Run, phase: PhaseType) -> AsyncIterator[ev.Event]:
    """One phase: activate, stream (with retries and one correction), complete."""
    record = run.request.activate_phase(phase)
    run.current_phase = phase
    clock = Stopwatch()
    run.tracer.event("phase_started", phase=phase)
    yield ev.PhaseStarted(
        request_id=run.rid,
        phase=phase,
        sequence_order=record.sequence_order,
        title=phase_title(phase, run.lang),
        educational_message=run.teaching[phase],
    )
    context = PhaseContext(
        run.rid, run.request.user_input, run.outputs, run.provider, run.settings, run.tracer,
        run.breaker,
    )  # fmt: skip
    correction: str | None = None
    redo: str | None = None  # the learner's note when they asked to redo this phase
    while True:
        transcript = Transcript()
        async for event in stream_phase(context, phase, _joined(redo, correction)):
            yield transcript.take(event)
        try:
            _check_answer(phase, transcript.text)
            if phase == "implement":
                implement = run.implement or check_and_deliver
                async for event in implement(run, transcript.text, correction is not None):
                    yield event
        except AnswerProblem as problem:
            run.kept_project = problem.kept or run.kept_project
            if correction is not None:  # the one corrective retry is spent
                raise problem.final from None
            correction = problem.correction(run.lang)
            run.tracer.event("phase_correction", phase=phase, reason=problem.kind)
            yield ev.PhaseReset(
                request_id=run.rid,
                phase=phase,
                attempt=transcript.attempts + 1,
                reason=problem.reason(run.lang),
            )
            continue
        run.outputs[phase] = transcript.text
        if run.checkpoint is not None and phase != "implement":
            # Step mode: the phase stays active while the learner reads, edits or asks again.
            yield CheckpointReached(request_id=run.rid, phase=phase, text=transcript.text)
            decision = await run.checkpoint(phase, transcript.text)
            if isinstance(decision, Redo):
                run.drafts.append((phase, transcript.text, decision.note))
                yield DraftKept(
                    request_id=run.rid, phase=phase, note=decision.note, text=transcript.text
                )
                yield ev.PhaseReset(
                    request_id=run.rid,
                    phase=phase,
                    attempt=transcript.attempts + 1,
                    reason=message("checkpoint.redo", run.lang, note=decision.note),
                )
                redo = message("checkpoint.redo_prompt", run.lang, note=decision.note)
                correction = None  # a redo is the learner's, not a spent correction
                continue
            run.outputs[phase] = decision
        break
    run.request.finish_phase(phase)
    run.current_phase = None
    run.tracer.event(
        "phase_completed", phase=phase, duration_ms=clock.ms, chars=len(run.outputs[phase])
    )
    yield ev.PhaseCompleted(
        request_id=run.rid,
        phase=phase,
        output=run.outputs[phase],
        duration_ms=int(clock.ms),
        educational_message=run.teaching[phase],
    )


def _joined(*notes: str | None) -> str | None:
    return "\n\n".join(n for n in notes if n) or None


def _check_answer(phase: PhaseType, text: str) -> None:
    """Raise AnswerProblem for an empty, oversized or code-less answer."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if not text:
        raise AnswerProblem(
            "empty", CodeflowError("provider.empty_answer", phase=phase_title(phase))
        )
    if phase != "implement" and size >= MAX_FILE_BYTES:
        final = CodeflowError("provider.too_large", phase=phase_title(phase), size=size)
        raise AnswerProblem("too_large", final)
    if phase == "implement" and not has_code_fence(text):
        raise AnswerProblem("no_code", CodeflowError("provider.no_code"))


def _status(run: Run) -> ev.RequestStatusChanged:
    return ev.RequestStatusChanged(
        request_id=run.rid, status=run.request.status.value, retry_count=run.request.retry_count
    )


def _mark_failed(run: Run, err: CodeflowError) -> str:
    text = err.message(run.lang)
    active = run.request.active_phase
    if active is not None:
        run.request.finish_phase(active.phase_type, ok=False)
    if run.request.status is RequestStatus.PROCESSING:
        run.request.fail(text)
    return text


def _fail(run: Run, err: CodeflowError, clock: Stopwatch) -> list[ev.Event]:
    phase = run.current_phase
    text = _mark_failed(run, err)
    context = {
        k: v
        for k, v in err.context().items()
        if k in ("provider", "status", "attempt", "remaining")
    }
    run.tracer.error(
        "request_failed",
        phase=phase,
        duration_ms=clock.ms,
        error=err.code,
        reason=text[:300],  # in words, for the class view (the tracer redacts any key)
        retry_count=run.request.retry_count,
        **context,
    )
    failed_phase = (
        [ev.PhaseFailed(request_id=run.rid, phase=phase, error_message=text)] if phase else []
    )
    return [
        *failed_phase,
        _status(run),
        ev.Failed(
            request_id=run.rid,
            error_message=text,
            error_code=err.code,
            phase=phase,
            retry_count=run.request.retry_count,
            can_retry=run.request.can_retry,
            project=run.kept_project,
            suggestions=getattr(err, "suggestions", ()),  # NoLessonMatch: the closest lessons
        ),
    ]
