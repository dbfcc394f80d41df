"""The sandbox's errors, both CodeflowErrors with a zh/en message.

CodeflowError
├── SandboxUnavailable   no mechanism works and the run requires one, or a forced mechanism
│                        does not work here
└── RunRefused           the request itself is wrong: an entry outside the folder, a missing
                         project folder
"""

from __future__ import annotations

from typing import Any

from codeflow_widget.model.errors import CodeflowError

from .messages import text

CODES = {
    "sandbox.unavailable": "unavailable",
    "sandbox.forced": "forced_unavailable",
    "sandbox.unknown": "unknown_mechanism",
    "sandbox.bad_entry": "bad_entry",
    "sandbox.bad_source": "bad_source",
}


class _SandboxError(CodeflowError):
    def __init__(self, code: str, /, language: str = "zh", **params: Any) -> None:
        self.language = language
        super().__init__(code, **params)

    def message(self, lang: str = "zh") -> str:  # type: ignore[override]
        return text(CODES[self.code], lang, **self.params)


class SandboxUnavailable(_SandboxError):
    code = "sandbox.unavailable"


class RunRefused(_SandboxError):
    code = "sandbox.bad_entry"
