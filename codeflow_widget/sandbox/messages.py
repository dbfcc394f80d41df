"""The sandbox's learner-facing sentences, Chinese first and English second.

``text("none", reason=…)`` never shows an empty reason: the launcher passes the probes' reasons
joined, which is empty when no isolation was asked for (``CODEFLOW_SANDBOX_MECHANISM=none`` or
``mechanism="none"``); then the sentence says that, naming the setting when it is the variable.
"""

from __future__ import annotations

import os

from codeflow_widget.model.catalogue import table

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
