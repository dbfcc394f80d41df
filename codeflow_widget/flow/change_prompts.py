"""The prompts of a change: what a model is told for each phase of a follow-up wish.

A follow-up asks for the change only, so each phase is sent what it needs to see the project as
it is now: Specify gets the wish, the current spec and plan and the learner's own edits; Plan gets
the spec before and after, the current plan and the code's outline (constants and functions); Implement gets the new spec and plan,
the current code (the learner's edits included) and those edits as a diff, and is asked for a
unified diff (or, for a big change, whole files). Each phase is also told the requirement ids:
Specify which ids the spec has and where new ones start, Plan and Implement which ids this change
adds, so the ids in spec, plan and code agree. The system prompts are ``prompts/<lang>/
change_<phase>.md``; each carries the ``[phase:NAME]`` marker the logs and the test server read,
plus ``[change]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codeflow_widget.checks.trace import requirements
from codeflow_widget.flow.prompts import load_prompt, phase_chat
from codeflow_widget.model.messages import table
from codeflow_widget.providers.base import Message

if TYPE_CHECKING:
    from codeflow_widget.flow.change import Change

_LABELS = table("prompt_change_labels")
_IDS = table("prompt_change_ids")


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


def id_note(phase: str, spec: str, new_spec: str, language: str = "zh") -> str:
    """What the phase is told about requirement ids: those the spec has, or those this change adds."""
    pick = 1 if language == "en" else 0
    old = [r.id for r in requirements(spec)]
    if phase == "specify":
        if not old:
            return _IDS["none"][pick]
        last = max(int(rid[1:]) for rid in old)
        return _IDS["specify"][pick].format(last=last, next=last + 1)
    sep = ", " if language == "en" else "、"
    added = [r.id for r in requirements(new_spec) if r.id not in old] or old
    return _IDS["changed"][pick].format(ids=sep.join(added))


def _label(key: str, language: str) -> str:
    return _LABELS[key][1 if language == "en" else 0]


def change_messages(
    change: Change, phase: str, language: str = "zh", correction: str | None = None
) -> tuple[Message, ...]:
    """System prompt + one user message for a change phase (+ the correction, if any); the
    phases already redone in this change (``change.outputs``) feed the later ones."""
    previous = change.outputs
    parts = [(_label("wish", language), change.wish)]
    edits = change.edits or _label("no_edits", language)
    code = "\n\n".join(
        f"```python {path}\n{text.rstrip()}\n```" for path, text in sorted(change.code.items())
    )
    new_spec = previous.get("specify", change.spec)
    ids = ("ids", id_note(phase, change.spec, new_spec, language))
    if phase == "specify":
        parts += [("spec", change.spec), ids, ("plan", change.plan)]
        parts.append(("edits", f"```diff\n{edits}\n```"))
    elif phase == "plan":  # the plan needs the code's shape, not every line of it
        parts += [
            ("spec", change.spec),
            ("new_spec", new_spec),
            ids,
            ("plan", change.plan),
            ("outline", outline(change.code)),
        ]
    else:
        parts += [
            ("new_spec", new_spec),
            ids,
            ("new_plan", previous.get("plan", change.plan)),
            ("code", code),
            ("edits", f"```diff\n{edits}\n```"),
        ]
    body = "\n\n".join(
        f"{label if label == parts[0][0] else _label(label, language)}:\n{text}"
        for label, text in parts
    )
    return phase_chat(
        phase, "[change]\n" + load_prompt(f"change_{phase}", language), body, correction
    )
