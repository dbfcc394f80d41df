"""The lesson flow: one wish → Specify → Plan → Implement → a project that runs.

Read this file top to bottom to follow a lesson. ``run_request`` is an async
generator of typed events (``events.py``); the widget and the CLI both consume
it and nothing here knows about either of them.

1. The request moves pending → processing (or, for a learner's retry,
   failed → retrying → processing).
2. Each phase becomes active, streams the model's thinking and answer, and
   completes. Its prompt carries the earlier phases' output: the spec feeds the
   plan, spec and plan feed implement.
3. A transient provider failure (429, 5xx, a timeout, a dropped stream) restarts
   the phase from its beginning after a backoff, up to ``max_retries`` times; the
   front ends are told to clear the partial text (``PhaseReset``). This is the
   only layer that retries. A failing provider trips its circuit breaker.
4. An empty answer, an implement answer without code, code that fails
   validation or crashes in its smoke run gets one corrective retry.
5. The code is validated, staged in a temporary folder, smoke-run headless, and
   moved into ``projects/<name>/`` in one rename. Then the request completes.

Cancelling the task (the Stop button, Ctrl-C) ends the flow with status failed
and "已取消", closes the provider stream and leaves no partial project.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from . import events as ev
from .breaker import CircuitBreaker, breaker_for
from .config import Settings, load_settings
from .errors import (
    CancelledByUser,
    CodeflowError,
    ProviderError,
    ProviderRejected,
    ValidationFailed,
)
from .i18n import message, phase_message, phase_title
from .models import PHASE_ORDER, CodeGenerationRequest, GeneratedProject, PhaseType, SmokeResult
from .projects import ProjectWriter, StagedProject
from .prompts import build_messages
from .providers.base import ContentChunk, PhaseCall, Provider, ThinkingChunk, build_provider
from .runner import run_project
from .trace import Stopwatch, Tracer
from .validate import ValidationResult, validate_answer

CODE_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)


async def generate(
    text: str,
    *,
    settings: Settings | None = None,
    provider: Provider | None = None,
    config: str | None = None,
    **overrides: Any,
) -> AsyncIterator[ev.Event]:
    """The whole flow for one wish: ``async for event in generate("帮我写个贪吃蛇"): …``.

    Keyword overrides are Settings fields (``provider="deepseek"``, ``language="en"``,
    ``projects_dir=…``). Configuration and input problems raise before any event.
    """
    settings = settings or load_settings(config, **overrides)
    provider = provider or build_provider(settings)
    request = new_request(text, settings, provider)
    async for event in run_request(request, provider, settings):
        yield event


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
    staged: StagedProject | None = None
    failed_phase: PhaseType | None = None
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
    run = _Run(
        request=request,
        provider=provider,
        settings=settings,
        tracer=Tracer(settings.log_file, str(request.id)),
        breaker=None
        if provider.offline
        else breaker_for(
            provider.name,
            provider.base_url,
            settings.breaker_threshold,
            settings.breaker_cooldown_s,
        ),
    )
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
        project = run.project
        assert project is not None
        request.complete()
        run.tracer.event(
            "request_completed",
            duration_ms=clock.ms,
            project=project.project_name,
            retry_count=request.retry_count,
        )
        yield _status(run)
        yield ev.Completed(
            request_id=run.rid,
            project=project,
            duration_ms=int(clock.ms),
            run_command=_run_command(project),
        )
    except asyncio.CancelledError:
        # Stop button / Ctrl-C: swallow the cancel so the front ends get a final event.
        for event in _fail(run, CancelledByUser(), clock):
            yield event
    except CodeflowError as err:
        for event in _fail(run, err, clock):
            yield event
    finally:
        ProjectWriter(settings.projects_dir).discard(run.staged)
        if request.status.value == "processing":  # the consumer closed us mid-stream
            _mark_failed(run, CancelledByUser())


async def _run_phase(run: _Run, phase: PhaseType) -> AsyncIterator[ev.Event]:
    """One phase: activate, stream (with retries), and for implement: validate and write."""
    record = run.request.activate_phase(phase)
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
    run.failed_phase = phase
    correction: str | None = None
    while True:
        answer = _Answer()
        async for event in _stream_with_retries(run, phase, correction, answer):
            yield event
        problem = _answer_problem(phase, answer.text)
        if phase != "implement" and problem is None:
            run.outputs[phase] = answer.text
            break
        if problem is None:
            result = validate_answer(answer.text, allowed_imports=run.settings.allowed_imports)
            yield ev.ValidationReport(
                request_id=run.rid,
                ok=result.ok,
                findings=result.findings,
                files=tuple(f.path for f in result.files),
            )
            run.tracer.event(
                "validation",
                phase=phase,
                ok=result.ok,
                findings=len(result.findings),
                codes=sorted({f.code for f in result.findings}),
            )
            problem_text, smoke_events = await _write_project(
                run, answer.text, result, last_chance=correction is not None
            )
            for event in smoke_events:
                yield event
            if problem_text is None:
                run.outputs[phase] = answer.text
                break
            problem = problem_text
        if correction is not None:  # the one corrective retry is spent
            raise (
                problem
                if isinstance(problem, CodeflowError)
                else ValidationFailed([], summary=problem)
            )
        correction = _correction_text(problem, run.lang)
        run.tracer.event("phase_correction", phase=phase, reason=str(problem)[:200])
        yield ev.PhaseReset(
            request_id=run.rid, phase=phase, attempt=2, reason=_problem_message(problem, run.lang)
        )
    run.request.finish_phase(phase)
    run.failed_phase = None
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


@dataclass
class _Answer:
    text: str = ""


async def _stream_with_retries(
    run: _Run, phase: PhaseType, correction: str | None, answer: _Answer
) -> AsyncIterator[ev.Event]:
    """Stream one phase; on a transient error, back off and restart the phase."""
    attempt = 0
    while True:
        attempt += 1
        parts: list[str] = []
        call = PhaseCall(
            phase=phase,
            messages=build_messages(
                phase, run.request.user_input, run.outputs, run.lang, correction
            ),
            user_input=run.request.user_input,
            language=run.lang,
            attempt=attempt,
        )
        clock = Stopwatch()
        first_token = True
        try:
            if run.breaker:
                run.breaker.before_call()
            async with contextlib.aclosing(run.provider.stream(call)) as chunks:
                async for chunk in chunks:
                    if first_token:
                        run.tracer.event(
                            "first_token",
                            phase=phase,
                            duration_ms=clock.ms,
                            attempt=attempt,
                            provider=run.provider.name,
                        )
                        first_token = False
                    if isinstance(chunk, ThinkingChunk):
                        yield ev.ThinkingDelta(request_id=run.rid, phase=phase, text=chunk.text)
                    elif isinstance(chunk, ContentChunk):
                        parts.append(chunk.text)
                        yield ev.ContentDelta(request_id=run.rid, phase=phase, text=chunk.text)
            if run.breaker:
                run.breaker.record_success()
        except asyncio.CancelledError:
            if run.breaker:
                run.breaker.release()
            raise
        except ProviderError as err:
            err.params["attempt"] = attempt
            if run.breaker and err.retryable:
                run.breaker.record_failure()
            elif run.breaker:
                run.breaker.release()
            run.tracer.error(
                "provider_error",
                phase=phase,
                provider=run.provider.name,
                status=err.status,
                attempt=attempt,
                error=err.code,
                retryable=err.retryable,
            )
            if not err.retryable or attempt > run.settings.max_retries:
                raise
            delay = min(
                err.retry_after
                if err.retry_after is not None
                else run.settings.backoff_s * 2 ** (attempt - 1),
                120.0,
            )
            yield ev.PhaseReset(
                request_id=run.rid,
                phase=phase,
                attempt=attempt + 1,
                reason=err.message(run.lang),
                delay_s=delay,
            )
            await asyncio.sleep(delay)
            continue
        answer.text = "".join(parts).strip()
        run.tracer.event(
            "phase_streamed",
            phase=phase,
            duration_ms=clock.ms,
            attempt=attempt,
            chars=len(answer.text),
        )
        return


def _answer_problem(phase: PhaseType, text: str) -> CodeflowError | None:
    if not text:
        return ProviderRejected("provider.empty_answer", phase=phase_title(phase))
    if phase == "implement" and not CODE_FENCE.search(text):
        return ProviderRejected("provider.no_code")
    return None


async def _write_project(
    run: _Run, answer: str, result: ValidationResult, *, last_chance: bool
) -> tuple[str | CodeflowError | None, list[ev.Event]]:
    """Stage, smoke-run and finalize the project. Returns (problem or None, events)."""
    writer = ProjectWriter(run.settings.projects_dir)
    if not result.ok:
        keep = (
            last_chance
            and run.settings.keep_failed_projects
            and result.safe_to_keep
            and result.files
        )
        if keep:  # kept for study: never downloadable, never run
            run.staged = _stage(run, writer, result)
            run.kept_project = writer.finalize(run.staged, request_id=run.request.id, smoke=None)
            run.staged = None
        return result.summary(run.lang), []
    run.staged = _stage(run, writer, result)
    smoke = await run_project(
        run.staged.staging_dir,
        run.staged.main_file,
        timeout_s=run.settings.smoke_timeout_s,
        language=run.lang,
    )
    run.tracer.event(
        "smoke_run",
        phase="implement",
        duration_ms=smoke.duration_ms,
        ok=smoke.ok,
        outcome=smoke.outcome,
    )
    events: list[ev.Event] = [ev.SmokeRunFinished(request_id=run.rid, result=smoke)]
    if not smoke.ok and not last_chance:
        writer.discard(run.staged)
        run.staged = None
        return _smoke_problem(smoke, run.lang), events
    project = writer.finalize(run.staged, request_id=run.request.id, smoke=smoke)
    run.staged = None
    run.tracer.event(
        "project_written",
        phase="implement",
        project=project.project_name,
        files=project.total_files,
        bytes=project.total_size_bytes,
    )
    events.append(ev.ProjectWritten(request_id=run.rid, project=project))
    if not smoke.ok:
        run.kept_project = project
        return _smoke_problem(smoke, run.lang), events
    run.project = project
    return None, events


def _stage(run: _Run, writer: ProjectWriter, result: ValidationResult) -> StagedProject:
    from .providers.offline import project_type_for

    return writer.stage(
        request_id=run.request.id,
        project_type=project_type_for(
            run.request.user_input, getattr(run.provider, "catalogue", None)
        ),
        title=_title(run.outputs.get("specify", ""), run.request.user_input),
        user_input=run.request.user_input,
        spec=run.outputs.get("specify", ""),
        plan=run.outputs.get("plan", ""),
        result=result,
    )


def _smoke_problem(smoke: SmokeResult, lang: str) -> str:
    prefix = "试运行出错：" if lang != "en" else "The trial run crashed: "
    return prefix + smoke.message


def _title(spec: str, user_input: str) -> str:
    heading = re.search(r"^#\s+(.+)$", spec, re.MULTILINE)
    return heading.group(1).strip()[:60] if heading else user_input[:60]


def _problem_message(problem: str | CodeflowError, lang: str) -> str:
    return problem.message(lang) if isinstance(problem, CodeflowError) else problem


def _correction_text(problem: str | CodeflowError, lang: str) -> str:
    detail = _problem_message(problem, lang)
    if lang == "en":
        return f"Your previous answer had a problem: {detail}\nPlease answer again in full, following the required format (code in a fenced block whose info line is `python main.py`)."
    return f"你上一次的回答有问题：{detail}\n请按要求的格式重新完整回答（代码放在信息行为 `python main.py` 的代码块里）。"


def _run_command(project) -> str:
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
    if run.request.status.value == "processing":
        run.request.fail(text)
    return text


def _fail(run: _Run, err: CodeflowError, clock: Stopwatch) -> list[ev.Event]:
    phase = run.failed_phase
    text = _mark_failed(run, err)
    run.tracer.error(
        "request_failed",
        phase=phase,
        duration_ms=clock.ms,
        error=err.code,
        retry_count=run.request.retry_count,
        **_safe_context(err),
    )
    phase_event = (
        [ev.PhaseFailed(request_id=run.rid, phase=phase, error_message=text)] if phase else []
    )
    return [
        *phase_event,
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


def _safe_context(err: CodeflowError) -> dict[str, Any]:
    return {
        k: v
        for k, v in err.context().items()
        if k in ("provider", "status", "attempt", "remaining")
    }
