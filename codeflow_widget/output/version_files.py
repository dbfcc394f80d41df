"""The file-level work under a project's versions: hashing, diffs, safe paths, atomic writes.

``versions.py`` decides what a version is and when one is recorded; this module does the byte
work it needs and nothing else: a file's digest, a unified diff of two sets of files (the view,
``codeflow history`` and the change phases show these), the check that a path a change names
stays inside the project, and writes that either land whole or not at all (a temporary file
renamed over the target with ``os.replace``, so a crash never leaves half a main.py).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import uuid
from datetime import datetime
from pathlib import Path, PurePosixPath

from codeflow_widget.model.errors import CodeflowError

META = "project.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def files_diff(
    old: dict[str, bytes],
    new: dict[str, bytes],
    a: str = "a",
    b: str = "b",
    only: str | None = None,
) -> str:
    """Unified diffs of every text file that differs (``only`` limits it to one path)."""
    out: list[str] = []
    for path in sorted(set(old) | set(new)):
        if (only and path != only) or old.get(path) == new.get(path) or path.endswith(".ipynb"):
            continue
        before = old.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        after = new.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"{a}/{path}", f"{b}/{path}")
        out.extend(line if line.endswith("\n") else line + "\n" for line in lines)
    return "".join(out)


def check_path(path: str) -> None:
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or path in (META, "") or path.startswith("."):
        raise CodeflowError("validate.failed", summary=f"unsafe path {path!r}")


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    root.mkdir(parents=True)
    for path, data in files.items():
        target = root / PurePosixPath(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def atomic_write(target: Path, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))
