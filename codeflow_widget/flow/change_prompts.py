"""The prompts of a change: what a model is told for each phase of a follow-up wish.

A follow-up asks for the change only, so each phase is sent what it needs to see the project as
it is now: Specify gets the wish, the current spec and plan and the learner's own edits; Plan gets
the spec before and after, the current plan and the code's outline (constants and functions); Implement gets the new spec and plan,
the current code (the learner's edits included) and those edits as a diff, and is asked for a
unified diff (or, for a big change, whole files). The system prompts are ``prompts/<lang>/
change_<phase>.md``; each carries the ``[phase:NAME]`` marker the logs and the test server read,
plus ``[change]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codeflow_widget.flow.prompts import load_prompt
from codeflow_widget.providers.base import Message

if TYPE_CHECKING:
    from codeflow_widget.flow.change import Change

_LABELS = {
    "wish": ("学习者这次的改进要求", "The learner's change request"),
    "spec": ("现在的需求说明（spec.md）", "The current specification (spec.md)"),
    "plan": ("现在的技术方案（plan.md）", "The current technical plan (plan.md)"),
    "new_spec": ("修改后的需求说明", "The updated specification"),
    "new_plan": ("修改后的技术方案", "The updated plan"),
    "code": ("项目现在的代码", "The project's current code"),
    "outline": (
        "项目现在的代码结构（常量和函数，带行号）",
        "The shape of the project's current code (constants and functions, with line numbers)",
    ),
    "edits": (
        "学习者自己改过的地方（相对上一个版本，请保留）",
        "The learner's own edits since the last version (keep them)",
    ),
    "no_edits": ("（学习者没有自己改过代码）", "(the learner has not edited the code)"),
}


def outline(code: dict[str, str]) -> str:
    """Each file's top-level constants and ``def`` lines with their line numbers."""
    out = []
    for path, text in sorted(code.items()):
        out.append(f"{path}:")
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith(("def ", "class ", "async def ")) or (
                line[:1].isupper() and " = " in line
            ):
                out.append(f"{number:4d}  {line.rstrip()}")
    return "\n".join(out)


def _label(key: str, language: str) -> str:
    return _LABELS[key][1 if language == "en" else 0]


def change_messages(
    change: Change,
    phase: str,
    previous: dict[str, str],
    language: str = "zh",
    correction: str | None = None,
) -> tuple[Message, ...]:
    """System prompt + one user message for a change phase (+ the correction, if any)."""
    parts = [(_label("wish", language), change.wish)]
    edits = change.edits or _label("no_edits", language)
    code = "\n\n".join(
        f"```python {path}\n{text.rstrip()}\n```" for path, text in sorted(change.code.items())
    )
    if phase == "specify":
        parts += [("spec", change.spec), ("plan", change.plan), ("edits", f"```diff\n{edits}\n```")]
    elif phase == "plan":  # the plan needs the code's shape, not every line of it
        parts += [
            ("spec", change.spec),
            ("new_spec", previous.get("specify", change.spec)),
            ("plan", change.plan),
            ("outline", outline(change.code)),
        ]
    else:
        parts += [
            ("new_spec", previous.get("specify", change.spec)),
            ("new_plan", previous.get("plan", change.plan)),
            ("code", code),
            ("edits", f"```diff\n{edits}\n```"),
        ]
    body = "\n\n".join(
        f"{label if label == parts[0][0] else _label(label, language)}:\n{text}"
        for label, text in parts
    )
    system = f"[phase:{phase}]\n[change]\n" + load_prompt(f"change_{phase}", language)
    messages = [Message("system", system), Message("user", body)]
    if correction:
        messages.append(Message("user", correction))
    return tuple(messages)
