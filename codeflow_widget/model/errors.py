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
    """A configuration problem; ``problems`` lists (field, message) pairs.

    ``sources`` says, per problem, where the bad value came from: ``"file"`` (the config
    file at ``path``), ``"env"`` (``CODEFLOW_<FIELD>``) or ``"args"`` (keyword arguments;
    the CLI calls ``from_command_line`` so they are named as its options). Each source
    gets its own heading, so a typo on the command line is never blamed on a file.
    """

    code = "config.invalid"

    def __init__(
        self,
        path: str,
        problems: list[tuple[str, str]],
        lang: Language = "zh",
        sources: list[str] | None = None,
    ) -> None:
        self.path = path
        self.problems = problems
        self.lang = lang
        self.sources = list(sources) if sources is not None else ["file"] * len(problems)
        self.options: dict[str, str] | None = None  # field → CLI option, once from_command_line
        super().__init__(path=path, count=len(problems))

    def from_command_line(self, options: dict[str, str]) -> ConfigError:
        self.options = options
        return self

    def message(self, lang: Language = "zh") -> str:
        groups: dict[str, list[tuple[str, str]]] = {}
        for (field, text), source in zip(self.problems, self.sources, strict=True):
            groups.setdefault(source, []).append((field, text))
        lines = []
        order = ["args", "env", "file"]  # the order they take precedence in
        for source in sorted(groups, key=lambda name: order.index(name) if name in order else 3):
            items = groups[source]
            lines.append(self._heading(source, len(items), lang))
            lines += [f"  - {self._name(source, field)}: {text}" for field, text in items]
        return "\n".join(lines)

    def _heading(self, source: str, count: int, lang: Language) -> str:
        if source == "env":
            return message("config.invalid_env", lang, count=count)
        if source == "args":
            code = "config.invalid_cli" if self.options is not None else "config.invalid_args"
            return message(code, lang, count=count)
        return message(self.code, lang, path=self.path, count=count)

    def _name(self, source: str, field: str) -> str:
        if source == "env" and field.isidentifier():
            return f"CODEFLOW_{field.upper()} ({field})"  # the variable, and the setting it sets
        if source == "args" and self.options is not None:
            return self.options.get(field, field)
        return field


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
