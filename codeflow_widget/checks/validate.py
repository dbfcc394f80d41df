"""Everything we check about model-written code before it touches disk.

``extract.py`` pulls the files out of the model's markdown answer;
``validate_files`` then decides which files are safe to write (paths, file types,
binary content, encodings, sizes) and whether the project is good to run: every
``.py`` file must parse, import only the standard library or approved packages
(pygame), avoid calls that run commands or delete files, and work on Windows
(no POSIX-only modules, signals or paths, ``encoding=`` on every text ``open``).
Each problem becomes a ``Finding`` with a code, a line and a beginner-friendly
message in Chinese and English (``finding_text.py``); the AST checks themselves
live in ``lints.py``.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from codeflow_widget.checks.extract import SourceFile, extract_files, extract_with_findings
from codeflow_widget.checks.findings import MESSAGES, fix_text, make_finding
from codeflow_widget.checks.lints import STDLIB, has_main_guard, lint_python, top_name
from codeflow_widget.model.entities import MAX_FILE_BYTES, MAX_PROJECT_BYTES
from codeflow_widget.model.events import Finding
from codeflow_widget.model.messages import message

__all__ = [
    "MESSAGES",
    "STDLIB",
    "SourceFile",
    "ValidationResult",
    "extract_files",
    "validate_answer",
    "validate_files",
]

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


@dataclass(frozen=True)
class ValidationResult:
    files: tuple[SourceFile, ...]
    findings: tuple[Finding, ...]
    main_file: str | None
    dependencies: tuple[str, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def ok(self) -> bool:
        return not self.errors and self.main_file is not None and bool(self.files)

    @property
    def syntax_ok(self) -> bool:
        """Every kept .py file parsed (and there is at least one)."""
        has_py = any(f.path.endswith(".py") for f in self.files)
        return has_py and not any(f.code == "syntax_error" for f in self.findings)

    @property
    def safe_to_keep(self) -> bool:
        """Only code-quality errors (if any): the files may be kept for study."""
        return bool(self.files) and not any(f.code in SAFETY_CODES for f in self.errors)

    def summary(self, lang: str = "zh") -> str:
        """One short line for the learner: passed (with warnings), or the first error."""
        en = lang == "en"
        if not self.errors:
            warned = sum(f.severity == "warning" for f in self.findings)
            code = "validate.passed_warnings" if warned else "validate.passed"
            return message(code, lang, files=len(self.files), warnings=warned)
        first = self.errors[0]
        text = first.message_en if en else first.message
        key = next(
            (
                k
                for k in MESSAGES
                if k.split(".")[0] == first.code and text.endswith(fix_text(k, en))
            ),
            None,
        )
        if key:  # keep it to one short line: what is wrong, not how to fix it
            text = text[: -len(fix_text(key, en)) - (2 if en else 1)]
        if first.file:
            where = "validate.where_line" if first.line else "validate.where_file"
            text = message(where, lang, file=first.file, line=first.line) + text
        more = len(self.errors) - 1
        if more:
            text += message("validate.more", lang, more=more)
        return text


# -- validation ------------------------------------------------------------------------------
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


def validate_files(
    files: Iterable[SourceFile], *, allowed_imports: Iterable[str] = ("pygame",)
) -> ValidationResult:
    """Check extracted files; keep only the ones that are safe to write."""
    files = list(files)
    if isinstance(allowed_imports, str):
        allowed_imports = [allowed_imports]
    allowed = {top_name(a.strip()) for a in allowed_imports if a.strip()}
    findings: list[Finding] = []
    if len(files) > MAX_FILES:
        findings.append(make_finding("too_many_files", count=len(files)))
    normalised = [f.path.replace("\\", "/").removeprefix("./") for f in files]
    unique = dict(zip(normalised, files, strict=True))  # exact duplicates: the last one wins
    for path, count in Counter(normalised).items():
        if count > 1:
            findings.append(make_finding("duplicate_file", path, path=path, count=count))
    kept: list[SourceFile] = []
    seen_files: dict[str, str] = {}  # casefolded path → the path that claimed it
    seen_dirs: dict[str, str] = {}  # casefolded folder → a path inside it
    for path, source in unique.items():
        if problem := _path_problem(path):
            findings.append(make_finding(problem[0], source.path, **problem[1]))
            continue
        suffix = PurePosixPath(path).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            findings.append(make_finding("file_type", path, suffix=suffix or "(none)"))
            continue
        folded = path.casefold()
        folders = ["/".join(folded.split("/")[:i]) for i in range(1, folded.count("/") + 1)]
        clash = seen_files.get(folded) or seen_dirs.get(folded)
        clash = clash or next((seen_files[d] for d in folders if d in seen_files), None)
        if clash is not None:
            findings.append(make_finding("unsafe_path.collision", path, path=path, other=clash))
            continue
        seen_files[folded] = path
        seen_dirs.update((d, path) for d in folders)
        content = source.content
        if m := _BINARY.search(content):
            char = f"\\x{ord(m.group()):02x}"
            findings.append(
                make_finding("binary_content", path, _line_at(content, m.start()), char=char)
            )
            continue
        try:
            content.encode("utf-8")
        except UnicodeEncodeError as exc:
            findings.append(make_finding("invalid_utf8", path, _line_at(content, exc.start)))
            continue
        source = SourceFile(path, content)
        if source.size >= MAX_FILE_BYTES:
            findings.append(make_finding("file_too_large", path, size=source.size))
            continue
        kept.append(source)
    total = sum(f.size for f in kept)
    if total > MAX_PROJECT_BYTES:
        findings.append(make_finding("project_too_large", size=total))

    python = [f for f in kept if f.path.endswith(".py")]
    modules = {PurePosixPath(f.path).stem for f in python} | {
        f.path.split("/")[0] for f in python if "/" in f.path
    }
    dependencies: set[str] = set()
    trees: dict[str, ast.Module] = {}
    allowed_text = ", ".join(sorted(allowed))
    for source in python:
        stem = PurePosixPath(source.path).stem
        if "/" not in source.path and stem in (STDLIB | allowed) - {"main", "__main__"}:
            findings.append(
                make_finding("shadowed_module", source.path, path=source.path, module=stem)
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarning for "\d" and friends
                tree = ast.parse(source.content, filename=source.path)
        except SyntaxError as exc:
            detail = exc.msg or "invalid syntax"
            findings.append(
                make_finding("syntax_error", source.path, exc.lineno or 0, detail=detail)
            )
            continue
        except (ValueError, RecursionError, MemoryError) as exc:
            findings.append(
                make_finding("syntax_error", source.path, 0, detail=str(exc) or type(exc).__name__)
            )
            continue
        trees[source.path] = tree
        issues, used = lint_python(tree, project_modules=modules, allowed=allowed)
        dependencies |= used
        for issue in issues:
            key = (
                "disallowed_import.stdlib_only"
                if issue.key == "disallowed_import" and not allowed
                else issue.key
            )
            findings.append(
                make_finding(key, source.path, issue.line, allowed=allowed_text, **issue.params)
            )

    main_file = None
    if any(f.path == "main.py" for f in python):
        main_file = "main.py"
    elif len(python) == 1:
        main_file = python[0].path
    else:
        main_file = next(
            (f.path for f in python if has_main_guard(f.content, trees.get(f.path))), None
        )
    if not python:
        findings.append(make_finding("no_python_file"))
    elif main_file is None:
        findings.append(make_finding("no_main"))
    return ValidationResult(tuple(kept), tuple(findings), main_file, tuple(sorted(dependencies)))


def validate_answer(
    answer: str, *, allowed_imports: Iterable[str] = ("pygame",)
) -> ValidationResult:
    """Extract the files from a model answer and validate them."""
    files, extract_findings = extract_with_findings(answer)
    if not files:
        findings = (make_finding("no_code"), *extract_findings)
        return ValidationResult((), findings, None, ())
    result = validate_files(files, allowed_imports=allowed_imports)
    return ValidationResult(
        result.files, (*extract_findings, *result.findings), result.main_file, result.dependencies
    )
