"""The gate in front of every later run: validate the project again, apply the sandbox policy.

A finished project may have changed since it was generated — the learner is encouraged to edit
it, and anything else on the machine can write into it too. So before 运行, the player (and with
it ``run.ipynb``, the inserted run cells and ``codeflow play``) start a program, ``admit()``
reads every Python file the launcher would copy into the run folder (regular files only, the
same folders skipped as the launcher skips) and runs the checks package's ``validate_files``
with the same rules as generation (the configured ``allowed_imports``). Errors refuse the run
with ``RunBlocked``, whose message lists the findings in the learner's language. Then the
teacher's policy: with ``"sandbox": "required"`` and no isolating mechanism here the run is
refused with ``SandboxUnavailable``. ``admit()`` returns the mechanism the run will get, so
callers can say which one (or 未隔离：原因…) next to the program.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import Any

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import message

from .messages import SandboxUnavailable
from .scratch import SKIPPED_DIRS

__all__ = ["RunBlocked", "admit", "policy", "project_sources"]

MAX_LISTED = 5  # findings named in the refusal; the rest are counted
SKIPPED = {*SKIPPED_DIRS, ".versions"}  # .versions: snapshots of earlier versions, never run


class RunBlocked(CodeflowError):
    """The project's code no longer passes the checks: nothing was started."""

    code = "run.blocked"

    def __init__(self, findings: list[Any], language: str = "zh") -> None:
        self.findings = findings
        self.language = "en" if language == "en" else "zh"
        super().__init__(count=len(findings))

    def message(self, lang: str = "zh") -> str:
        lines = [message("run.blocked", lang, count=len(self.findings))]  # type: ignore[arg-type]
        for finding in self.findings[:MAX_LISTED]:
            text = finding.message_en if lang == "en" else finding.message
            where = finding.file + (f":{finding.line}" if finding.line else "")
            lines.append(f"  - {where}: {text}" if where else f"  - {text}")
        if len(self.findings) > MAX_LISTED:
            more = len(self.findings) - MAX_LISTED
            lines.append(message("validate.more", lang, more=more).strip())  # type: ignore[arg-type]
        return "\n".join(lines)

    def __str__(self) -> str:  # the player shows str(exc): the learner's language
        return self.message(self.language)


def project_sources(project_dir: Path) -> list[Any]:
    """The ``.py`` files a run would see, as ``SourceFile``s (never through a symlink)."""
    from codeflow_widget.checks.extract import SourceFile

    root = Path(project_dir)
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED)
        for name in sorted(files):
            path = Path(folder) / name
            if not name.endswith(".py") or not stat.S_ISREG(path.lstat().st_mode):
                continue  # the launcher copies regular files only: a symlink never runs
            relative = PurePosixPath(*path.relative_to(root).parts).as_posix()
            # errors="surrogateescape": invalid UTF-8 reaches the checks, which refuse it
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                found.append(SourceFile(relative, fh.read()))
    return found


def policy(settings: Any | None = None) -> str:
    """The teacher's ``"sandbox"`` setting ("required" | "preferred"); a bad config is refused."""
    if settings is None:
        from codeflow_widget.config import load_settings

        settings = load_settings()
    return getattr(settings, "sandbox", "preferred")


def admit(
    project_dir: str | Path,
    entry: str = "main.py",
    *,
    language: str = "zh",
    settings: Any | None = None,
) -> Any:
    """Refuse the run (``RunBlocked`` / ``SandboxUnavailable``) or return its ``Mechanism``.

    ``settings``: the lesson's settings; without them, loaded the way a lesson loads them
    (codeflow.json, ``CODEFLOW_*``), so the player follows the same teacher's rules.
    """
    from codeflow_widget.checks.validate import validate_files

    lang = "en" if language == "en" else "zh"
    if settings is None:
        from codeflow_widget.config import load_settings

        settings = load_settings()
    sources = project_sources(Path(project_dir))
    result = validate_files(sources, allowed_imports=settings.allowed_imports)
    errors = list(result.errors)
    if not errors and entry not in {s.path for s in sources}:
        from codeflow_widget.checks.findings import make_finding

        errors = [make_finding("no_main", file=entry)]
    if errors:
        raise RunBlocked(errors, lang)
    from .launcher import detect

    mechanism = detect(lang)
    if policy(settings) == "required" and not mechanism.isolated:
        raise SandboxUnavailable("sandbox.unavailable", reason=mechanism.detail)
    return mechanism
