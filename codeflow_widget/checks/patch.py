"""Apply a unified diff to the learner's current files — all of it, or nothing.

A change arrives as a unified diff (from a model, or an offline follow-up written against the
lesson's original code) while the learner may have edited the file since. So each hunk is
placed by its content, not its line numbers: the hunk's old lines (context and removals) are
looked for in the current file, first exactly, then ignoring trailing spaces and indentation
changes of blank lines; of several places the one nearest the line the diff names wins, and
hunks must land in order without overlapping; like GNU ``patch``, a hunk whose outer context
lines were changed by something else may drop some of them (never a line it adds or removes,
and never all of its context). Hunk counts in ``@@`` headers are not trusted
(models miscount them); a hunk ends where the next one or the next file starts. The result is
computed in memory: :func:`apply_patch` returns the new text of each changed file, and a hunk
that does not fit raises :class:`PatchConflict` (zh/en message naming the file, the hunk and
the line it looked for) before anything is written — the caller has touched nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from codeflow_widget.model.errors import CodeflowError

# How much outer context a hunk may lose, mildest first: GNU patch's fuzz 1 and 2 at both ends,
# then one whole end (the other end's context still places the hunk).
_FUZZ_STEPS = ((0, 0), (1, 1), (2, 2), (3, 0), (0, 3))
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_FENCE = re.compile(r"```(?:diff|patch)[^\n]*\n(.*?)```", re.DOTALL)


class PatchConflict(CodeflowError):
    code = "patch.conflict"


@dataclass
class Hunk:
    old_start: int
    lines: list[str] = field(default_factory=list)  # " ctx", "-old", "+new" (no newline)

    @property
    def old(self) -> list[str]:
        return [line[1:] for line in self.lines if line[:1] in (" ", "-")]

    @property
    def new(self) -> list[str]:
        return [line[1:] for line in self.lines if line[:1] in (" ", "+")]


@dataclass
class FilePatch:
    path: str
    hunks: list[Hunk] = field(default_factory=list)
    new_file: bool = False


def looks_like_diff(text: str) -> bool:
    return bool(re.search(r"^@@ -\d+", text, re.MULTILINE)) and "+++ " in text


def diff_text(answer: str) -> str:
    """The diff inside a model's answer: a ```diff fence, or the answer itself."""
    fenced = _FENCE.search(answer)
    return fenced.group(1) if fenced else answer


def parse_patch(text: str) -> list[FilePatch]:
    patches: list[FilePatch] = []
    current: FilePatch | None = None
    hunk: Hunk | None = None
    old_name = ""
    rows = diff_text(text).splitlines()
    for index, raw in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else ""
        if raw.startswith("--- ") and following.startswith("+++ "):  # a file header
            old_name, hunk = raw[4:].split("\t")[0].strip(), None
            continue
        if raw.startswith("+++ "):
            name = _strip_prefix(raw[4:].split("\t")[0].strip())
            current = FilePatch(name, new_file=old_name == "/dev/null")
            patches.append(current)
            hunk = None
            continue
        header = _HUNK.match(raw)
        if header:
            if current is None:
                raise CodeflowError("patch.malformed", detail="@@ before +++")
            hunk = Hunk(int(header.group(1)))
            current.hunks.append(hunk)
            continue
        if hunk is None or raw.startswith("\\"):  # "\ No newline at end of file"
            continue
        if raw == "":
            hunk.lines.append(" ")  # some tools drop the space of an empty context line
        elif raw[0] in " +-":
            hunk.lines.append(raw)
    patches = [p for p in patches if p.hunks]
    if not patches:
        raise CodeflowError("patch.malformed", detail="no @@ hunks")
    return patches


def _strip_prefix(name: str) -> str:
    return name[2:] if name[:2] in ("a/", "b/") else name


def apply_patch(files: dict[str, str], patch: str | list[FilePatch]) -> dict[str, str]:
    """New text for each file the patch changes; raises PatchConflict and changes nothing."""
    patches = parse_patch(patch) if isinstance(patch, str) else patch
    out: dict[str, str] = {}
    for fp in patches:
        if fp.new_file:
            out[fp.path] = "\n".join(line for h in fp.hunks for line in h.new) + "\n"
            continue
        if fp.path not in files:
            raise CodeflowError("patch.missing_file", file=fp.path)
        out[fp.path] = apply_file(out.get(fp.path, files[fp.path]), fp)
    return out


def apply_file(text: str, fp: FilePatch) -> str:
    lines = text.splitlines()
    result: list[str] = []
    cursor = 0  # hunks land in order: never before the end of the previous one
    for number, hunk in enumerate(fp.hunks, 1):
        for lead, trail in _FUZZ_STEPS:
            trimmed = _trim(hunk, lead, trail)
            if trimmed is None:
                continue
            at = _locate(lines, trimmed.old, cursor, trimmed.old_start - 1)
            if at is not None:
                break
        else:
            missing = _first_missing(lines, hunk.old, cursor)
            raise PatchConflict(file=fp.path, hunk=number, line=missing.strip()[:60])
        result.extend(lines[cursor:at])
        result.extend(trimmed.new)
        cursor = at + len(trimmed.old)
    result.extend(lines[cursor:])
    return "\n".join(result) + ("\n" if text.endswith("\n") or not text else "")


def _trim(hunk: Hunk, lead: int, trail: int) -> Hunk | None:
    """The hunk without up to ``lead`` / ``trail`` context lines at its ends (as ``patch`` does).

    Another change next to this one may have altered a line of its outer context; the lines it
    removes or adds are never dropped, and a pure insertion keeps at least one context line, so
    the hunk is still placed by content and only changes what it meant to.
    """
    lines = list(hunk.lines)
    start = 0
    for _ in range(lead):
        if lines and lines[0][:1] == " ":
            lines.pop(0)
            start += 1
    for _ in range(trail):
        if lines and lines[-1][:1] == " ":
            lines.pop()
    if not any(line[:1] in (" ", "-") for line in lines):
        return None
    return Hunk(hunk.old_start + start, lines)


def _locate(lines: list[str], old: list[str], start: int, hint: int) -> int | None:
    if not old:  # a pure insertion: trust the line number
        return min(max(hint, start), len(lines))
    for same in (_exact, _loose):
        places = [
            i for i in range(start, len(lines) - len(old) + 1)
            if all(same(lines[i + k], old[k]) for k in range(len(old)))
        ]  # fmt: skip
        if places:
            return min(places, key=lambda i: abs(i - hint))
    return None


def _exact(a: str, b: str) -> bool:
    return a == b


def _loose(a: str, b: str) -> bool:
    return a.rstrip() == b.rstrip() or (not a.strip() and not b.strip())


def _first_missing(lines: list[str], old: list[str], start: int) -> str:
    """The hunk line that stopped it fitting: the first one found nowhere after ``start``."""
    rest = {line.rstrip() for line in lines[start:]}
    for line in old:
        if line.strip() and line.rstrip() not in rest:
            return line
    return next((line for line in old if line.strip()), old[0] if old else "")
