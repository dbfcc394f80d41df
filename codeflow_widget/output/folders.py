"""Can the lesson write where it means to? Asked before a run starts, answered in zh/en.

A run writes a project into ``projects/`` and its trace into ``logs/``. Finding out
only after the whole lesson has been shown — as a Python traceback — teaches nothing,
so front ends call ``folder_problem()`` first (the same probe ``codeflow doctor``
makes: create the folder, then a throwaway file in it). The answer is a
``FolderProblem`` that names the folder, says what is wrong with it (a file stands
where the folder should be, no permission, a read-only disk) and what to do.
"""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path
from typing import Literal

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import Language, table

Role = Literal["projects", "logs", "config"]

_ROLE = table("folder_roles")
_WHY = table("folder_why")
_FIX = table("folder_fix")


class FolderProblem(CodeflowError):
    """A folder the run needs cannot be written; ``reason`` is is_file/missing/read_only/…"""

    code = "folder.not_writable"

    def __init__(self, folder: Path, role: Role, reason: str, detail: str = "") -> None:
        # "." says nothing to a learner; the absolute path says which folder is meant
        folder = Path(folder).absolute() if str(folder) in ("", ".") else Path(folder)
        self.folder, self.role, self.reason, self.detail = folder, role, reason, detail
        super().__init__(folder=str(folder), role=role, reason=reason)

    def message(self, lang: Language = "zh") -> str:
        i = 1 if lang == "en" else 0
        why = _WHY[self.reason][i].format(detail=self.detail)
        if lang == "en":
            return f"{_ROLE[self.role][1]} {self.folder} {why}. {_FIX[self.role][1]}"
        return f"{_ROLE[self.role][0]} {self.folder} {why}。{_FIX[self.role][0]}"


def folder_problem(folder: Path | str, role: Role, create: bool = True) -> FolderProblem | None:
    """None when ``folder`` can be written (made if missing and ``create``), else why not."""
    folder = Path(folder)
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():
            return FolderProblem(part, role, "is_file")
    if not folder.exists() and not create:
        return FolderProblem(folder, role, "missing")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".codeflow-probe-"):
            return None
    except OSError as exc:
        return FolderProblem(folder, role, _reason(exc), exc.strerror or str(exc))


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EROFS:
        return "read_only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "denied"
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return "is_file"
    return "other"
