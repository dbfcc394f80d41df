"""Traceability: which plan items and which code serve each requirement of the spec.

A requirement has an id written out (``- R8 …``, ``R8.``, ``**R8**``), as the lessons, the
Specify and change prompts and the follow-ups write them. Only where a requirements section names
no id at all (a model that ignored the ask, a project from before ids) is its numbered list read
as R1, R2 … (``1. 作为玩家…`` is R1). A plan item names the requirements it
serves (``- 修改 `step(state)`（R9）：…``); a function names its plan item in a comment above it or
inside it (``# 计划：speed_for（R8）`` / ``# R8``), read with ``tokenize`` and placed with ``ast``.
``trace`` gives the links the view draws (hover R2 → its plan item and its code); ``findings``
reports each requirement with a written-out id that no plan item or no code mentions, as a
warning shown like the other checks. Derived ids are linked but not checked: a model that
numbered its requirements without ids never named them in its plan either, so every one of them
would be a finding about the model's format rather than about the learner's project.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field

from codeflow_widget.model.events import Finding

_EXPLICIT = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)、]\s*)?(?:\*\*)?\[?R(\d+)\b", re.MULTILINE)
_NUMBERED = re.compile(r"^\s*(\d+)[.)、]\s+\S")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_REQ_HEADING = re.compile(r"需求|用户故事|requirement|user stor", re.IGNORECASE)
_MENTION = re.compile(r"\bR(\d+)\b")
_RANGE = re.compile(r"\bR(\d+)\s*[–—-]\s*R(\d+)\b")
_PLAN_NAME = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)\s*\(")


@dataclass(frozen=True)
class Requirement:
    """One requirement of spec.md: its id (R1 …), where it stands, and whether the id was written
    (explicit) or read from a plain numbered list."""

    id: str
    line: int
    text: str
    explicit: bool


@dataclass
class Trace:
    """Each requirement, and where the plan and the code name it."""

    requirements: list[Requirement] = field(default_factory=list)
    plan: dict[str, list[int]] = field(default_factory=dict)  # R8 → plan lines
    code: dict[str, list[tuple[str, int, str]]] = field(
        default_factory=dict
    )  # R8 → (file, line, fn)

    def to_json(self) -> dict:
        return {
            "requirements": [r.__dict__ for r in self.requirements],
            "plan": self.plan,
            "code": {k: [list(v) for v in vs] for k, vs in self.code.items()},
        }


def requirements(spec: str) -> list[Requirement]:
    """The spec's requirements: the written ids; a numbered list is read as R1, R2 … only as a
    fallback, in a requirements section that names no id at all (a model that ignored the ask)."""
    found: dict[str, Requirement] = {}
    lines = spec.splitlines()
    for number, line in enumerate(lines, 1):
        if m := _EXPLICIT.match(line):
            rid = f"R{m.group(1)}"
            found.setdefault(rid, Requirement(rid, number, line.strip(), True))
    for section in _requirement_sections(lines):
        if any(_EXPLICIT.match(line) for _, line in section):
            continue  # ids are written here: a plain numbered line is not a requirement of its own
        for number, line in section:
            if m := _NUMBERED.match(line):
                rid = f"R{m.group(1)}"
                found.setdefault(rid, Requirement(rid, number, line.strip(), False))
    return sorted(found.values(), key=lambda r: int(r.id[1:]))


def _requirement_sections(lines: list[str]) -> list[list[tuple[int, str]]]:
    """The (line number, line) runs under each heading that names requirements or user stories."""
    sections: list[list[tuple[int, str]]] = []
    inside = False
    for number, line in enumerate(lines, 1):
        if heading := _HEADING.match(line):
            inside = bool(_REQ_HEADING.search(heading.group(1)))
            if inside:
                sections.append([])
        elif inside:
            sections[-1].append((number, line))
    return sections


def highest_requirement(spec: str) -> int:
    return max((int(r.id[1:]) for r in requirements(spec)), default=0)


def mentions(text: str) -> set[str]:
    ids = {f"R{n}" for n in _MENTION.findall(text)}
    for start, end in _RANGE.findall(text):  # "R8–R11"
        ids |= {f"R{n}" for n in range(int(start), min(int(end), int(start) + 50) + 1)}
    return ids


def plan_links(plan: str) -> dict[str, list[int]]:
    links: dict[str, list[int]] = {}
    for number, line in enumerate(plan.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue  # a heading names the change, the items below it name what serves it
        for rid in mentions(line):
            links.setdefault(rid, []).append(number)
    return links


def code_links(files: dict[str, str]) -> dict[str, list[tuple[str, int, str]]]:
    links: dict[str, list[tuple[str, int, str]]] = {}
    for path, source in files.items():
        if not path.endswith(".py"):
            continue
        try:
            tree = ast.parse(source)
            comments = [
                (tok.start[0], tok.string)
                for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                if tok.type == tokenize.COMMENT
            ]
        except (SyntaxError, tokenize.TokenError, ValueError):
            continue
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for line, text in comments:
            owner = _owner(functions, line)
            for rid in mentions(text):
                links.setdefault(rid, []).append((path, line, owner))
    return links


def _owner(functions: list[ast.FunctionDef], line: int) -> str:
    """The function a comment belongs to: inside it, or on the lines just above its def."""
    for fn in sorted(functions, key=lambda f: f.lineno, reverse=True):
        top = min([fn.lineno, *(d.lineno for d in fn.decorator_list)])
        if top - 2 <= line <= (fn.end_lineno or fn.lineno):
            return fn.name
    return "<module>"


def trace(spec: str, plan: str, files: dict[str, str]) -> Trace:
    return Trace(requirements(spec), plan_links(plan), code_links(files))


_WORDS = {
    "plan": ("没有任何方案条目写明服务 {rid}", "no plan item says it serves {rid}"),
    "code": ("代码里没有任何函数的注释提到 {rid}", "no function's comment mentions {rid}"),
}


def findings(links: Trace, main_file: str = "main.py") -> list[Finding]:
    """A warning for each written-out requirement that the plan or the code never mentions."""
    out = []
    for req in links.requirements:
        if not req.explicit:
            continue
        missing = [w for w in ("plan", "code") if not getattr(links, w).get(req.id)]
        if not missing:
            continue
        zh = "；".join(_WORDS[w][0].format(rid=req.id) for w in missing)
        en = "; ".join(_WORDS[w][1].format(rid=req.id) for w in missing)
        out.append(
            Finding(
                code="trace_uncovered",
                severity="warning",
                file="spec.md",
                line=req.line,
                message=f"需求 {req.id} 没有被覆盖：{zh}。请在方案里写明哪个函数服务它，并在那个函数上方写注释（例如 # 计划：函数名（{req.id}））。",
                message_en=f"Requirement {req.id} is not covered: {en}. Name the function that serves it in the plan and put a comment above it (e.g. # plan: name ({req.id})).",
            )
        )
    return out
