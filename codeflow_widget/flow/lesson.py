"""The lesson flow: one wish → Specify → Plan → Implement → a project that runs.

Read this file top to bottom to follow a lesson. ``run_request`` is an async
generator of typed events (``events.py``); the widget and the CLI both consume
it, and nothing here knows about either of them.

1. The request moves pending → processing (or, for a learner's retry,
   failed → retrying → processing).
2. Each phase becomes active, streams the model's thinking and answer, and
   completes. Its prompt carries the earlier phases' output: the spec feeds the
   plan; spec and plan feed implement (``prompts/``).
3. A transient provider failure restarts the phase after a backoff; that policy,
   and the circuit breaker, live in ``attempts.py``.
4. An answer with a problem — empty, no code, code that fails validation or
   crashes in its trial run — gets one corrective retry that tells the model
   what was wrong. A second failure fails the request.
5. The implement answer is validated (``validate.py``), then ``delivery.py``
   stages it, smoke-runs it headless and moves it into ``projects/<name>/``.
6. The request completes, and the learner gets the project and how to run it.

Cancelling the task (the Stop button, Ctrl-C) ends the flow with status failed
and "已取消", closes the provider stream and leaves no partial project.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from codeflow_widget.checks.validate import validate_answer
from codeflow_widget.config import Settings, load_settings
from codeflow_widget.flow.attempts import PhaseAnswer, PhaseContext, stream_phase
from codeflow_widget.flow.breaker import CircuitBreaker, breaker_for
from codeflow_widget.flow.delivery import Workshop, deliver
from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import (
    MAX_FILE_BYTES,
    PHASE_ORDER,
    CodeGenerationRequest,
    GeneratedProject,
    PhaseType,
    RequestStatus,
)
from codeflow_widget.model.errors import CancelledByUser, CodeflowError, ValidationFailed
from codeflow_widget.model.messages import message, phase_message, phase_title
from codeflow_widget.output.trace import Stopwatch, Tracer
from codeflow_widget.providers.base import Provider, build_provider

CODE_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)


async def generate(
    text: str,
    *,
    settings: Settings | None = None,
    provider: Provider | str | None = None,
    config: str | None = None,
    **overrides: Any,
) -> AsyncIterator[ev.Event]:
    """The whole flow for one wish: ``async for event in generate("帮我写个贪吃蛇"): …``.

    Keyword overrides are Settings fields (``provider="deepseek"``, ``language="en"``,
    ``projects_dir=…``). Configuration and input problems raise before any event.
    """
    if isinstance(provider, str):  # a provider *name* is a setting like any other
        overrides["provider"], provider = provider, None
    settings = settings or load_settings(config, **overrides)
    owned = provider is None
    provider = provider or build_provider(settings)
    try:
        request = new_request(text, settings, provider)
        async for event in run_request(request, provider, settings):
            yield event
    finally:
        if owned:
            await provider.aclose()


def new_request(
    text: str, settings: Settings, provider: Provider | None = None
) -> CodeGenerationRequest:
    """A pending request with its three phases and their (Chinese) educational messages."""
    messages = {}
    for phase in PHASE_ORDER:
        custom = provider.educational_message(phase, text, "zh") if provider else None
        messages[phase] = (
            custom if custom and 10 <= len(custom) <= 200 else phase_message(phase, "zh")
        )
    return CodeGenerationRequest.create(text, messages)


@dataclass
class _Run:
    """What one run of the flow carries from step to step."""

    request: CodeGenerationRequest
    provider: Provider
    settings: Settings
    tracer: Tracer
    breaker: CircuitBreaker | None
    outputs: dict[str, str] = field(default_factory=dict)
    shop: Workshop | None = None
    current_phase: PhaseType | None = None
    project: GeneratedProject | None = None  # the finished project
    kept_project: GeneratedProject | None = None  # a failed project kept for study

    @property
    def rid(self) -> str:
        return str(self.request.id)

    @property
    def lang(self) -> str:
        return self.settings.language


async def run_request(
    request: CodeGenerationRequest, provider: Provider, settings: Settings
) -> AsyncIterator[ev.Event]:
    """Run (or, after ``request.begin_retry()``, re-run) a request, yielding events."""
    breaker = (
        None
        if provider.offline
        else breaker_for(
            provider.name,
            provider.base_url,
            settings.breaker_threshold,
            settings.breaker_cooldown_s,
        )
    )
    run = _Run(request, provider, settings, Tracer(settings.log_file, str(request.id)), breaker)
    clock = Stopwatch()
    request.start()
    run.tracer.event(
        "request_started",
        provider=provider.name,
        model=provider.model,
        retry_count=request.retry_count,
        chars=len(request.user_input),
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
            run_command=_run_command(run.project),
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


async def _run_phase(run: _Run, phase: PhaseType) -> AsyncIterator[ev.Event]:
    """One phase: activate, stream (with retries and one correction), complete."""
    record = run.request.activate_phase(phase)
    run.current_phase = phase
    clock = Stopwatch()
    teaching = run.provider.educational_message(
        phase, run.request.user_input, run.lang
    ) or phase_message(phase, run.lang)
    run.tracer.event("phase_started", phase=phase)
    yield ev.PhaseStarted(
        request_id=run.rid,
        phase=phase,
        sequence_order=record.sequence_order,
        title=phase_title(phase, run.lang),
        educational_message=teaching,
    )
    context = PhaseContext(
        run.rid,
        run.request.user_input,
        run.outputs,
        run.provider,
        run.settings,
        run.tracer,
        run.breaker,
    )
    correction: str | None = None
    while True:
        answer = PhaseAnswer()
        async for event in stream_phase(context, phase, correction, answer):
            yield event
        problem = _answer_problem(phase, answer.text)
        if problem is None and phase == "implement":
            async for item in _implement(run, answer.text, last_chance=correction is not None):
                if isinstance(item, _Problem):
                    problem = item
                else:
                    yield item
        if problem is None:
            run.outputs[phase] = answer.text
            break
        if correction is not None:  # the one corrective retry is spent
            raise problem.final
        correction = problem.correction(run.lang)
        run.tracer.event("phase_correction", phase=phase, reason=problem.kind)
        yield ev.PhaseReset(
            request_id=run.rid,
            phase=phase,
            attempt=answer.attempts + 1,
            reason=problem.reason(run.lang),
        )
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
        educational_message=teaching,
    )


@dataclass(frozen=True)
class _Problem:
    """Something wrong with an answer that one corrective retry may fix."""

    kind: str  # empty | no_code | too_large | validation | smoke
    final: CodeflowError  # raised when the correction did not fix it
    detail: str = ""

    def reason(self, lang: str) -> str:
        return message(f"correction.{self.kind}", lang, detail=self.detail)

    def correction(self, lang: str) -> str:
        return message("correction.prompt", lang, detail=self.detail or self.reason(lang))


def _answer_problem(phase: PhaseType, text: str) -> _Problem | None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if not text:
        return _Problem("empty", CodeflowError("provider.empty_answer", phase=phase_title(phase)))
    if phase != "implement" and size >= MAX_FILE_BYTES:
        return _Problem(
            "too_large", CodeflowError("provider.too_large", phase=phase_title(phase), size=size)
        )
    if phase == "implement" and not CODE_FENCE.search(text):
        return _Problem("no_code", CodeflowError("provider.no_code"))
    return None


async def _implement(
    run: _Run, answer: str, *, last_chance: bool
) -> AsyncIterator[ev.Event | _Problem]:
    """Validate the code, then deliver it as a project; yields events, and a _Problem if any."""
    result = validate_answer(answer, allowed_imports=run.settings.allowed_imports)
    codes = sorted({f.code for f in result.findings})
    run.tracer.event(
        "validation", phase="implement", ok=result.ok, findings=len(result.findings), codes=codes
    )
    yield ev.ValidationReport(
        request_id=run.rid,
        ok=result.ok,
        findings=result.findings,
        files=tuple(f.path for f in result.files),
    )
    run.shop = Workshop(
        run.request.id, run.request.user_input, run.outputs.get("specify", ""), run.outputs.get("plan", ""),
        run.settings, run.tracer, getattr(run.provider, "catalogue", None),
    )  # fmt: skip
    delivery = await deliver(run.shop, result, last_chance=last_chance)
    for event in delivery.events:
        yield event
    run.kept_project = delivery.kept or run.kept_project
    if delivery.project is not None:
        run.project = delivery.project
        return
    final = ValidationFailed(list(result.findings), summary=delivery.problem or "")
    if delivery.problem_kind == "smoke":
        final = CodeflowError("run.failed", detail=delivery.problem)
    yield _Problem(delivery.problem_kind, final, delivery.problem or "")


def _run_command(project: GeneratedProject) -> str:
    return f'cd "{project.path}" && python {project.main_file_path}'


def _status(run: _Run) -> ev.RequestStatusChanged:
    return ev.RequestStatusChanged(
        request_id=run.rid, status=run.request.status.value, retry_count=run.request.retry_count
    )


def _mark_failed(run: _Run, err: CodeflowError) -> str:
    text = err.message(run.lang)
    active = run.request.active_phase
    if active is not None:
        run.request.finish_phase(active.phase_type, ok=False)
    if run.request.status is RequestStatus.PROCESSING:
        run.request.fail(text)
    return text


def _fail(run: _Run, err: CodeflowError, clock: Stopwatch) -> list[ev.Event]:
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
        ),
    ]
