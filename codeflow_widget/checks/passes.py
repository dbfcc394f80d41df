"""The passes of ``validate_files``: each one looks at the files and adds what it finds.

A pass is a function of the shared ``Check``; they run in order, and a file that fails a
safety pass (a bad path, a forbidden type, binary content, a bad encoding, a size) is not
kept, so later passes never see it. The Python passes parse every kept ``.py`` file once,
lint it (``lints.py``) and decide which file is the main program.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from codeflow_widget.checks.extract import SourceFile
from codeflow_widget.checks.findings import make_finding
from codeflow_widget.checks.lints import STDLIB, has_main_guard, lint_python
from codeflow_widget.model.events import Finding
from codeflow_widget.model.rules import MAX_FILE_BYTES, MAX_PROJECT_BYTES

MAX_FILES = 50
MAX_PATH_CHARS = 100
MAX_DEPTH = 4  # path segments, file name included: "a/b/c/main.py" is the deepest allowed
ALLOWED_SUFFIXES = (".py", ".md", ".txt", ".json", ".csv")
SAFETY_CODES = frozenset({"unsafe_path", "file_type", "too_many_files", "binary_content",
                          "invalid_utf8", "file_too_large", "project_too_large"})  # fmt: skip
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "\u00b9", "\u00b2", "\u00b3"]
}
_ILLEGAL_CHARS = re.compile(r'[<>:"|?*\x00-\x1f]')
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class Check:
    """What the passes share: the files, what they found and what they kept."""

    files: list[SourceFile]
    allowed: set[str]  # importable third-party packages (top-level names)
    findings: list[Finding] = field(default_factory=list)
    unique: dict[str, SourceFile] = field(default_factory=dict)  # normalised path → file
    kept: list[SourceFile] = field(default_factory=list)
    trees: dict[str, ast.Module] = field(default_factory=dict)
    dependencies: set[str] = field(default_factory=set)
    main_file: str | None = None

    def add(self, key: str, file: str = "", line: int = 0, **params: object) -> None:
        self.findings.append(make_finding(key, file, line, **params))

    @property
    def python(self) -> list[SourceFile]:
        return [f for f in self.kept if f.path.endswith(".py")]


def count_files(check: Check) -> None:
    if len(check.files) > MAX_FILES:
        check.add("too_many_files", count=len(check.files))


def unique_paths(check: Check) -> None:
    """Normalise the paths; a file named twice keeps its last version (and is reported)."""
    normalised = [f.path.replace("\\", "/").removeprefix("./") for f in check.files]
    check.unique = dict(zip(normalised, check.files, strict=True))
    for path, count in Counter(normalised).items():
        if count > 1:
            check.add("duplicate_file", path, path=path, count=count)


def safe_files(check: Check) -> None:
    """Keep only files with a safe path, an allowed type, text content and a sane size."""
    seen_files: dict[str, str] = {}  # casefolded path → the path that claimed it
    seen_dirs: dict[str, str] = {}  # casefolded folder → a path inside it
    for path, source in check.unique.items():
        if problem := _path_problem(path):
            check.add(problem[0], source.path, **problem[1])
            continue
        suffix = PurePosixPath(path).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            check.add("file_type", path, suffix=suffix or "(none)")
            continue
        folded = path.casefold()
        folders = ["/".join(folded.split("/")[:i]) for i in range(1, folded.count("/") + 1)]
        clash = seen_files.get(folded) or seen_dirs.get(folded)
        clash = clash or next((seen_files[d] for d in folders if d in seen_files), None)
        if clash is not None:
            check.add("unsafe_path.collision", path, path=path, other=clash)
            continue
        seen_files[folded] = path
        seen_dirs.update((d, path) for d in folders)
        if (kept := _text_file(check, path, source.content)) is not None:
            check.kept.append(kept)


def _text_file(check: Check, path: str, content: str) -> SourceFile | None:
    if m := _BINARY.search(content):
        char = f"\\x{ord(m.group()):02x}"
        check.add("binary_content", path, _line_at(content, m.start()), char=char)
        return None
    try:
        content.encode("utf-8")
    except UnicodeEncodeError as exc:
        check.add("invalid_utf8", path, _line_at(content, exc.start))
        return None
    source = SourceFile(path, content)
    if source.size >= MAX_FILE_BYTES:
        check.add("file_too_large", path, size=source.size)
        return None
    return source


def project_size(check: Check) -> None:
    total = sum(f.size for f in check.kept)
    if total > MAX_PROJECT_BYTES:
        check.add("project_too_large", size=total)


def python_files(check: Check) -> None:
    """Parse and lint every kept .py file: names that shadow modules, syntax, imports, calls."""
    python = check.python
    modules = {PurePosixPath(f.path).stem for f in python} | {
        f.path.split("/")[0] for f in python if "/" in f.path
    }
    allowed_text = ", ".join(sorted(check.allowed))
    for source in python:
        stem = PurePosixPath(source.path).stem
        if "/" not in source.path and stem in (STDLIB | check.allowed) - {"main", "__main__"}:
            check.add("shadowed_module", source.path, path=source.path, module=stem)
        tree = _parse(check, source)
        if tree is None:
            continue
        check.trees[source.path] = tree
        issues, used = lint_python(tree, project_modules=modules, allowed=check.allowed)
        check.dependencies |= used
        for issue in issues:
            key = issue.key
            if key == "disallowed_import" and not check.allowed:
                key = "disallowed_import.stdlib_only"
            check.add(key, source.path, issue.line, allowed=allowed_text, **issue.params)


def _parse(check: Check, source: SourceFile) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for "\d" and friends
            return ast.parse(source.content, filename=source.path)
    except SyntaxError as exc:
        check.add("syntax_error", source.path, exc.lineno or 0, detail=exc.msg or "invalid syntax")
    except (ValueError, RecursionError, MemoryError) as exc:
        check.add("syntax_error", source.path, 0, detail=str(exc) or type(exc).__name__)
    return None


def main_file(check: Check) -> None:
    """main.py, else the only .py file, else the one with ``if __name__ == "__main__"``."""
    python = check.python
    if any(f.path == "main.py" for f in python):
        check.main_file = "main.py"
    elif len(python) == 1:
        check.main_file = python[0].path
    else:
        check.main_file = next(
            (f.path for f in python if has_main_guard(f.content, check.trees.get(f.path))), None
        )
    if not python:
        check.add("no_python_file")
    elif check.main_file is None:
        check.add("no_main")


PASSES: tuple[Callable[[Check], None], ...] = (
    count_files, unique_paths, safe_files, project_size, python_files, main_file,
)  # fmt: skip


# -- paths ------------------------------------------------------------------------------------
def _path_problem(path: str) -> tuple[str, dict[str, object]] | None:
    """(message key, params) for the first thing wrong with a normalised path, else None."""
    segments = path.split("/")
    if not path.strip():
        return "unsafe_path.empty", {}
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "unsafe_path.absolute", {"path": path}
    if ".." in segments:
        return "unsafe_path.parent", {"path": path}
    if any(s in ("", ".") for s in segments):
        return "unsafe_path.segment", {"path": path}
    if any(s.startswith("~") for s in segments):
        return "unsafe_path.tilde", {"path": path}
    for segment in segments:
        if segment.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
            return "unsafe_path.reserved", {"name": segment}
    if bad := sorted(set(_ILLEGAL_CHARS.findall(path))):
        return "unsafe_path.chars", {"path": path, "chars": " ".join(repr(c)[1:-1] for c in bad)}
    if any(s.endswith((".", " ")) for s in segments):
        return "unsafe_path.trailing", {"path": path}
    if len(path) > MAX_PATH_CHARS:
        return "unsafe_path.too_long", {"path": path[:40] + "…", "length": len(path)}
    if len(segments) > MAX_DEPTH:
        return "unsafe_path.too_deep", {"path": path, "depth": len(segments)}
    return None


def _line_at(content: str, index: int) -> int:
    return content.count("\n", 0, index) + 1


def _line_at(content: str, index: int) -> int:
    return content.count("\n", 0, index) + 1
