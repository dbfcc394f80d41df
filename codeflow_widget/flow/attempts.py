"""One phase's call to the model, with the flow's retry policy — the only layer that retries.

``stream_phase`` streams a phase and, when the provider fails in a way that may
pass (429, 5xx, a timeout, a dropped stream), waits — honouring ``Retry-After``,
otherwise doubling from ``backoff_s`` — and starts the phase again from its
beginning, up to ``max_retries`` times. Before each restart it yields a
``PhaseReset`` so the front ends can clear the phase's partial text. The
provider's circuit breaker is consulted before every call and told how it went.
The phase's answer is what its events say: ``Transcript`` folds them (content since
the last restart), so nothing travels beside the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from codeflow_widget.config import Settings
from codeflow_widget.flow.breaker import CircuitBreaker
from codeflow_widget.flow.prompts import build_messages
from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import PhaseType
from codeflow_widget.model.errors import BreakerOpen, CodeflowError, ProviderError
from codeflow_widget.model.messages import CATALOGUE, message
from codeflow_widget.output.trace import Stopwatch, Tracer
from codeflow_widget.providers.base import ContentChunk, PhaseCall, Provider, ThinkingChunk

MAX_DELAY_S = 120.0


@dataclass
class Transcript:
    """A phase's answer read from its events: the content since the last restart."""

    parts: list[str] = field(default_factory=list)
    attempts: int = 1

    def take(self, event: ev.Event) -> ev.Event:
        if isinstance(event, ev.ContentDelta):
            self.parts.append(event.text)
        elif isinstance(event, ev.PhaseReset):
            self.parts.clear()
            self.attempts = event.attempt
        return event

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()


@dataclass
class PhaseContext:
    request_id: str
    user_input: str
    previous: dict[str, str]
    provider: Provider
    settings: Settings
    tracer: Tracer
    breaker: CircuitBreaker | None


async def stream_phase(
    ctx: PhaseContext, phase: PhaseType, correction: str | None
) -> AsyncIterator[ev.Event]:
    """Yield the phase's thinking and content deltas; restart it on transient errors."""
    lang = ctx.settings.language
    last_error: ProviderError | None = None
    attempt = 0
    while True:
        attempt += 1
        call = PhaseCall(
            phase=phase,
            messages=build_messages(phase, ctx.user_input, ctx.previous, lang, correction),
            user_input=ctx.user_input,
            language=lang,
            attempt=attempt,
        )
        parts: list[str] = []
        clock = Stopwatch()
        first_token = True
        try:
            if ctx.breaker:
                ctx.breaker.before_call()
            async with contextlib.aclosing(ctx.provider.stream(call)) as chunks:
                async for chunk in chunks:
                    if first_token:
                        first_token = False
                        ctx.tracer.event(
                            "first_token",
                            phase=phase,
                            duration_ms=clock.ms,
                            attempt=attempt,
                            provider=ctx.provider.name,
                        )
                    if isinstance(chunk, ThinkingChunk):
                        yield ev.ThinkingDelta(
                            request_id=ctx.request_id, phase=phase, text=chunk.text
                        )
                    elif isinstance(chunk, ContentChunk):
                        parts.append(chunk.text)
                        yield ev.ContentDelta(
                            request_id=ctx.request_id, phase=phase, text=chunk.text
                        )
            if ctx.breaker:
                ctx.breaker.record_success()
        except asyncio.CancelledError:
            if ctx.breaker:
                ctx.breaker.release()
            raise
        except BreakerOpen as err:
            # The breaker tripped on this phase's own retries: the learner needs the cause
            # ("服务暂时不可用（500）"), not just "paused"; the trace keeps both.
            ctx.tracer.error(
                "breaker_open",
                phase=phase,
                provider=ctx.provider.name,
                attempt=attempt,
                remaining=err.params.get("remaining"),
            )
            raise (last_error or err) from None
        except ProviderError as err:
            last_error = err
            err.params["attempt"] = attempt
            _tell_breaker(ctx.breaker, err)
            ctx.tracer.error(
                "provider_error",
                phase=phase,
                provider=ctx.provider.name,
                status=err.status,
                attempt=attempt,
                error=err.code,
                retryable=err.retryable,
            )
            if not err.retryable or attempt > ctx.settings.max_retries:
                raise
            if ctx.breaker and ctx.breaker.state == "open":
                # This failure opened the breaker: the next attempt would be refused, so
                # announcing it (and making the learner wait for it) would be a false promise.
                raise
            delay = _delay(err, attempt, ctx.settings.backoff_s)
            reason = message(
                "retry.transient",
                lang,
                what=_what_happened(err, lang),
                delay=f"{delay:g}",
            )
            yield ev.PhaseReset(
                request_id=ctx.request_id,
                phase=phase,
                attempt=attempt + 1,
                reason=reason,
                delay_s=delay,
            )
            await asyncio.sleep(delay)
            continue
        ctx.tracer.event(
            "phase_streamed",
            phase=phase,
            duration_ms=clock.ms,
            attempt=attempt,
            chars=len("".join(parts).strip()),
        )
        return


def _what_happened(err: ProviderError, lang: str) -> str:
    code = f"retry.what.{err.code}"
    return message(code, lang, **err.params) if code in CATALOGUE else err.message(lang)


def _delay(err: ProviderError, attempt: int, backoff_s: float) -> float:
    if err.retry_after is not None:
        return min(max(err.retry_after, 0.0), MAX_DELAY_S)
    return min(backoff_s * 2 ** (attempt - 1), MAX_DELAY_S)


def _tell_breaker(breaker: CircuitBreaker | None, err: ProviderError) -> None:
    if breaker is None:
        return
    if err.retryable:
        breaker.record_failure()  # the provider is struggling
    else:
        breaker.release()  # a 401 or a bad model name says nothing about its health


class AnswerProblem(Exception):
    """Something wrong with an answer that one corrective retry may fix.

    Raised (never yielded) by the implement steps; the phase loop catches it, asks the
    model once more with ``correction(lang)`` and raises ``final`` if that fails too.
    """

    def __init__(self, kind: str, final: CodeflowError, detail: str = "", kept=None) -> None:
        super().__init__(kind)
        self.kind = kind  # empty | no_code | too_large | validation | smoke
        self.final = final
        self.detail = detail
        self.kept = kept  # a failed project kept for study (GeneratedProject), if any

    def reason(self, lang: str) -> str:
        return message(f"correction.{self.kind}", lang, detail=self.detail)

    def correction(self, lang: str) -> str:
        return message("correction.prompt", lang, detail=self.detail or self.reason(lang))
