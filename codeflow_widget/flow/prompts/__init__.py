"""Phase prompts, one file per phase and language (``zh/specify.md`` …).

``build_messages(phase, user_input, previous, language)`` turns a prompt file into
chat messages: the spec feeds the plan, and spec plus plan feed implement. Each
system prompt carries a ``[phase:NAME]`` marker so logs and test servers can
tell the phases apart.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from codeflow_widget.providers.base import Message

HERE = Path(__file__).parent


@cache
def load_prompt(phase: str, language: str = "zh") -> str:
    lang = "en" if language == "en" else "zh"
    return (HERE / lang / f"{phase}.md").read_text(encoding="utf-8")


def build_messages(
    phase: str,
    user_input: str,
    previous: dict[str, str],
    language: str = "zh",
    correction: str | None = None,
) -> tuple[Message, ...]:
    """System prompt + one user message holding the wish and the earlier phases' output."""
    zh = language != "en"
    parts = [("学习者的需求" if zh else "The learner's request") + f":\n{user_input}"]
    if "specify" in previous:
        parts.append(
            ("已确认的需求说明（spec）" if zh else "The agreed specification (spec)")
            + f":\n{previous['specify']}"
        )
    if "plan" in previous:
        parts.append(
            ("已确认的技术方案（plan）" if zh else "The agreed technical plan (plan)")
            + f":\n{previous['plan']}"
        )
    return phase_chat(phase, load_prompt(phase, language), "\n\n".join(parts), correction)


def phase_chat(phase: str, prompt: str, user: str, correction: str | None) -> tuple[Message, ...]:
    """The chat for one phase: the system prompt behind its ``[phase:NAME]`` marker, the user
    message, and — when the last answer was rejected — the correction as a third message."""
    messages = [Message("system", f"[phase:{phase}]\n{prompt}"), Message("user", user)]
    if correction:
        messages.append(Message("user", correction))
    return tuple(messages)
