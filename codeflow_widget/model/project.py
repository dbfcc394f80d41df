"""What a request produces: the generated project, its file tree and its trial run.

A ``GeneratedProject`` is named ``{project_type}_{YYYYMMDD_HHMMSS}_{6 hex}`` (never
repeated within the process, ``new_project_name``), lists its files as a ``FileNode``
tree, depends only on approved packages (pygame), keeps every file under 1 MB and the
whole under 10 MB, and may be downloaded only when its syntax was validated. Its
``smoke_run`` is the ``SmokeResult`` of the headless trial run.
"""

from __future__ import annotations

import re
import secrets
import threading
import uuid
from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from codeflow_widget.model.rules import APPROVED_DEPENDENCIES, MAX_FILE_BYTES, MAX_PROJECT_BYTES

PROJECT_NAME = re.compile(
    r"^(?P<type>[a-z][a-z0-9]*(?:_[a-z0-9]+)*)_(?P<stamp>\d{8}_\d{6})_(?P<suffix>[0-9a-f]{6})$"
)


def _now() -> datetime:
    return datetime.now(timezone.utc)


class FileNode(BaseModel):
    """One node of ``GeneratedProject.file_structure``."""

    type: Literal["file", "directory"]
    name: str
    size: int | None = None
    language: str | None = None
    children: list[FileNode] | None = None


_ISSUED: dict[str, set[str]] = {}
_ISSUED_LOCK = threading.Lock()


def new_project_name(project_type: str, when: datetime | None = None) -> str:
    """``{project_type}_{YYYYMMDD_HHMMSS}_{6 hex}``, never repeated within this process."""
    stamp = (when or datetime.now()).strftime("%Y%m%d_%H%M%S")
    with _ISSUED_LOCK:
        issued = _ISSUED.setdefault(stamp, set())
        if len(_ISSUED) > 64:  # only recent seconds matter
            for old in sorted(_ISSUED)[:-8]:
                _ISSUED.pop(old, None)
        while True:
            name = f"{project_type}_{stamp}_{secrets.token_hex(3)}"
            if name not in issued:
                issued.add(name)
                return name


class SmokeResult(BaseModel):
    ok: bool
    outcome: Literal[
        "timeout_alive", "exited", "waiting_input", "crashed", "missing_dependency", "not_run"
    ]
    exit_code: int | None = None
    duration_ms: int = 0
    output: str = ""
    message: str = ""


class GeneratedProject(BaseModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    request_id: uuid.UUID
    project_name: str
    project_type: str
    path: str
    main_file_path: str
    file_structure: FileNode
    dependencies: list[str] = Field(default_factory=list)
    total_files: int = Field(ge=1)
    total_size_bytes: int = Field(ge=0, le=MAX_PROJECT_BYTES)
    syntax_validated: bool
    smoke_run: SmokeResult | None = None
    created_at: datetime = Field(default_factory=_now)

    @field_validator("project_name")
    @classmethod
    def _name_format(cls, value: str) -> str:
        match = PROJECT_NAME.match(value)
        if not match:
            raise ValueError("project_name must be {project_type}_{YYYYMMDD_HHMMSS}_{6 hex}")
        try:
            datetime.strptime(match["stamp"], "%Y%m%d_%H%M%S")
        except ValueError:
            raise ValueError(
                f"project_name has an impossible date/time: {match['stamp']}"
            ) from None
        return value

    @field_validator("dependencies")
    @classmethod
    def _approved_only(cls, value: list[str]) -> list[str]:
        unapproved = sorted(set(value) - set(APPROVED_DEPENDENCIES))
        if unapproved:
            raise ValueError(f"unapproved dependencies: {', '.join(unapproved)}")
        return value

    @model_validator(mode="after")
    def _file_sizes(self) -> GeneratedProject:
        for node in _walk(self.file_structure):
            if node.type == "file" and (node.size or 0) >= MAX_FILE_BYTES:
                raise ValueError(f"file {node.name} is {node.size} bytes; each file must be < 1 MB")
        return self

    @property
    def downloadable(self) -> bool:
        return self.syntax_validated


def _walk(node: FileNode):
    yield node
    for child in node.children or []:
        yield from _walk(child)
