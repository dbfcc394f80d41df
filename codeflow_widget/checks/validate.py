"""Everything we check about model-written code before it touches disk.

``extract.py`` pulls the files out of the model's markdown answer;
``validate_files`` then runs the passes of ``passes.py``, which decide which files are
safe to write (paths, file types, binary content, encodings, sizes) and whether the
project is good to run: every ``.py`` file must parse, import only the standard library
or approved packages (pygame), avoid calls that run commands or delete files, and work
on Windows (no POSIX-only modules, signals or paths, ``encoding=`` on every text
``open``). Each problem becomes a ``Finding`` with a code, a line and a beginner-friendly
message in Chinese and English (``findings.py``); the AST checks live in ``lints.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from codeflow_widget.checks.extract import SourceFile, extract_files, extract_with_findings
from codeflow_widget.checks.findings import MESSAGES, fix_text, make_finding
from codeflow_widget.checks.lints import STDLIB, top_name
from codeflow_widget.checks.passes import PASSES, SAFETY_CODES, Check
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


def validate_files(
    files: Iterable[SourceFile], *, allowed_imports: Iterable[str] = ("pygame",)
) -> ValidationResult:
    """Check extracted files (``passes.PASSES``, in order); keep only the safe ones."""
    if isinstance(allowed_imports, str):
        allowed_imports = [allowed_imports]
    allowed = {top_name(a.strip()) for a in allowed_imports if a.strip()}
    check = Check(list(files), allowed)
    for run_pass in PASSES:
        run_pass(check)
    return ValidationResult(
        tuple(check.kept), tuple(check.findings), check.main_file,
        tuple(sorted(check.dependencies)),
    )  # fmt: skip


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
