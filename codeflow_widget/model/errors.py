"""The error tree. Every error carries a message code, its context and a learner message.

    CodeflowError                   code + params → message(lang)
    ├── ConfigError                 bad codeflow.json / environment; CLI exit 2
    ├── RequestInputError           the learner's text is empty, too long, …
    ├── TransitionError             an illegal status change in the data model
    ├── CancelledByUser             Stop button, task.cancel(), Ctrl-C → "已取消"
    ├── ValidationFailed            the final code did not pass validate.py
    └── ProviderError               anything between us and the model
        ├── MissingApiKey           checked before any request; CLI exit 2
        ├── NoLessonMatch           offline mode has no lesson for this wish
        ├── BreakerOpen             the provider failed too often; wait
        ├── ProviderRejected        400/401/403/404, MiniMax 1004/1008/2013/2049: never retried
        └── ProviderTransient       429, 5xx, timeouts, drops, bad chunks: retried
            └── StreamInterrupted   the stream dropped mid-answer: restart the phase

``retryable`` says whether the flow's retry loop (the one layer that owns retries)
may try again; ``retry_after`` is a server hint in seconds.
"""

from __future__ import annotations

from typing import Any

from codeflow_widget.model.messages import Language, message


class CodeflowError(Exception):
    code: str = "error"
    retryable: bool = False

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(self.message("zh"))

    def message(self, lang: Language = "zh") -> str:
        return message(self.code, lang, **self.params)

    def context(self) -> dict[str, Any]:
        """Context for the trace log: never contains secrets (callers never pass them)."""
        return {"code": self.code, **{k: v for k, v in self.params.items() if _loggable(v)}}


def _loggable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, type(None)))


class ConfigError(CodeflowError):
    """A configuration problem; ``problems`` lists (field, message) pairs."""

    code = "config.invalid"

    def __init__(self, path: str, problems: list[tuple[str, str]], lang: Language = "zh") -> None:
        self.path = path
        self.problems = problems
        self.lang = lang
        super().__init__(path=path, count=len(problems))

    def message(self, lang: Language = "zh") -> str:
        head = message(self.code, lang, path=self.path, count=len(self.problems))
        lines = [f"  - {field}: {text}" for field, text in self.problems]
        return "\n".join([head, *lines])


class RequestInputError(CodeflowError, ValueError):
    pass


class TransitionError(CodeflowError):
    pass


class CancelledByUser(CodeflowError):
    code = "request.cancelled"


class ValidationFailed(CodeflowError):
    code = "validate.failed"

    def __init__(self, findings: list[Any], summary: str) -> None:
        self.findings = findings
        super().__init__(summary=summary)


class ProviderError(CodeflowError):
    """Something went wrong talking to the model. Params: provider, status, attempt, …"""

    code = "provider.unavailable"

    def __init__(
        self, code: str | None = None, /, retry_after: float | None = None, **params: Any
    ) -> None:
        self.retry_after = retry_after
        params.setdefault("provider", "?")
        params.setdefault("attempt", 1)
        params.setdefault("status", "")
        super().__init__(code, **params)

    @property
    def status(self) -> Any:
        return self.params.get("status")


class MissingApiKey(ProviderError):
    code = "provider.missing_key"


class NoLessonMatch(ProviderError):
    code = "offline.no_match"


class BreakerOpen(ProviderError):
    code = "breaker.open"


class ProviderRejected(ProviderError):
    retryable = False


class ProviderTransient(ProviderError):
    retryable = True


class StreamInterrupted(ProviderTransient):
    code = "provider.stream_dropped"
