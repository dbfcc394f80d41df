"""Findings: a message key becomes a ``Finding`` that says what is wrong and how to fix it.

``make_finding("syntax_error", "main.py", 12, detail=…)`` turns a key into a ``Finding``
with a code, a severity, a line and a beginner-friendly sentence in Chinese and English.
Keys may carry a variant after a dot (``dangerous_call.delete``); the code is the part
before it. The sentences are the catalogue's ``finding.<key>`` (what is wrong, with
parameters) and ``finding.<key>.fix`` (how to fix it) in ``model/catalogue/codes/findings.json``;
``MESSAGES`` is the same table seen key by key, as ``(zh, zh_fix, en, en_fix)``.
"""

from __future__ import annotations

from codeflow_widget.model.events import Finding
from codeflow_widget.model.messages import message, table

_CATALOGUE = table("codes/findings")

WARNING_CODES = frozenset({"unnamed_block", "duplicate_file", "ansi_escape", "shadowed_module"})

MESSAGES: dict[str, tuple[str, str, str, str]] = {
    code.removeprefix("finding."): (*what_zh_en[:1], _CATALOGUE[f"{code}.fix"][0],
                                    what_zh_en[1], _CATALOGUE[f"{code}.fix"][1])
    for code, what_zh_en in _CATALOGUE.items()
    if code.startswith("finding.") and not code.endswith(".fix")
}  # fmt: skip


def make_finding(key: str, file: str = "", line: int = 0, **params: object) -> Finding:
    code = key.split(".", 1)[0]
    what, fix = f"finding.{key}", f"finding.{key}.fix"
    return Finding(
        code=code,
        severity="warning" if code in WARNING_CODES else "error",
        file=file,
        line=line,
        message=f"{message(what, 'zh', **params)}。{message(fix, 'zh')}",
        message_en=f"{message(what, 'en', **params)}. {message(fix, 'en')}",
    )


def fix_text(key: str, en: bool) -> str:
    return message(f"finding.{key}.fix", "en" if en else "zh")
