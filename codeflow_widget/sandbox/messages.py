"""What the sandbox says to the learner: its sentences and its two errors, Chinese first.

``text("none", reason=…)`` never shows an empty reason: the launcher passes the probes' reasons
joined, which is empty when no isolation was asked for (``CODEFLOW_SANDBOX_MECHANISM=none`` or
``mechanism="none"``); then the sentence says that, naming the setting when it is the variable.

CodeflowError
├── SandboxUnavailable   no mechanism works and the run requires one, or a forced mechanism
│                        does not work here
└── RunRefused           the request itself is wrong: an entry outside the folder, a missing
                         project folder
"""

from __future__ import annotations

import os
from typing import Any

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import table

FORCE_ENV = "CODEFLOW_SANDBOX_MECHANISM"  # the launcher's variable (it imports this module)

TEXTS = table("sandbox")


def text(code: str, language: str = "zh", **params: object) -> str:
    if code == "none":
        params = {**params, "reason": _why_not_isolated(str(params.get("reason") or ""), language)}
    zh, en = TEXTS[code]
    return (en if language == "en" else zh).format(**params)


def _why_not_isolated(reasons: str, language: str) -> str:
    if reasons:
        return text("none_nothing_works", language, reasons=reasons)
    forced = os.environ.get(FORCE_ENV, "")
    if forced.strip().lower() == "none":
        return text("none_forced_env", language, name=FORCE_ENV, value=forced)
    return text("none_forced_call", language)


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
