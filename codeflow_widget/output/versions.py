"""A project's versions, on disk in its own folder: every state the learner can go back to.

A project folder keeps a snapshot of its files per version in ``.versions/<n>/`` and a
``versions`` list in ``project.json`` (n, wish, kind, time, files changed, smoke result, hashes).
``kind`` is ``wish`` (the first run or a follow-up), ``my_edit`` (the learner's own changes,
found by hashing the files against the last version — "我的修改"), ``redo`` (a phase redone at a
checkpoint) or ``restore``. Nothing is ever overwritten: a restore copies version N's bytes back
and is itself a new version, so the state it replaced stays reachable. Because the history is in
the folder, it survives kernel restarts and travels with the project. Every write is atomic in
the way ``projects.py`` is: a snapshot is built in a hidden temporary folder and renamed into
place, files are replaced with ``os.replace``, and ``project.json`` (written last) is the commit
point; a failure before it puts the previous files back and leaves no new snapshot.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.model.messages import CATALOGUE, Language
from codeflow_widget.output.version_files import META, files_diff
from codeflow_widget.output.version_files import atomic_write as _atomic_write
from codeflow_widget.output.version_files import atomic_write_bytes as _atomic_write_bytes
from codeflow_widget.output.version_files import check_path as _check_path
from codeflow_widget.output.version_files import digest as _digest
from codeflow_widget.output.version_files import now as _now
from codeflow_widget.output.version_files import write_tree as _write_tree

VERSIONS_DIR = ".versions"
Kind = Literal["wish", "my_edit", "redo", "restore"]
_SKIP_DIRS = {VERSIONS_DIR, "__pycache__"}

# Additive: these codes live with the code that raises them (the catalogue is shared).


@dataclass(frozen=True)
class Version:
    n: int
    wish: str
    kind: Kind
    time: str
    files_changed: list[str]
    smoke: dict[str, Any] | None = None  # SmokeResult as JSON (ok, outcome, message, …)
    hashes: dict[str, str] = field(default_factory=dict)
    language: str = "zh"
    note: str = ""  # e.g. the restored version
    drafts: list[dict[str, str]] = field(default_factory=list)  # redone phases: phase, note, text

    @property
    def crashed(self) -> bool:
        return bool(self.smoke) and not self.smoke.get("ok", True)


class ProjectHistory:
    """The versions of one project folder. Every method reads the disk afresh."""

    def __init__(self, project_dir: Path | str):
        self.root = Path(project_dir)
        if not (self.root / META).is_file():
            raise CodeflowError("versions.not_project", path=str(project_dir))

    # -- reading -------------------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        return json.loads((self.root / META).read_text(encoding="utf-8"))

    def versions(self) -> list[Version]:
        return [Version(**item) for item in self.meta().get("versions", [])]

    def latest(self) -> Version | None:
        found = self.versions()
        return found[-1] if found else None

    def get(self, n: int) -> Version:
        found = self.versions()
        for version in found:
            if version.n == n:
                return version
        raise CodeflowError("versions.no_version", n=n, last=len(found))

    def current_files(self) -> dict[str, bytes]:
        """The files a version tracks: everything but project.json, hidden files and caches."""
        files: dict[str, bytes] = {}
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root)
            if not path.is_file() or rel.as_posix() == META:
                continue
            if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts):
                continue
            files[rel.as_posix()] = path.read_bytes()
        return files

    def snapshot(self, n: int) -> dict[str, bytes]:
        self.get(n)  # a clear error for a version that does not exist
        base = self.root / VERSIONS_DIR / str(n)
        return {
            p.relative_to(base).as_posix(): p.read_bytes()
            for p in sorted(base.rglob("*"))
            if p.is_file()
        }

    def hand_edits(self) -> list[str]:
        """Files changed on disk since the last version (added, edited or deleted)."""
        last = self.latest()
        if last is None:
            return []
        now = {path: _digest(data) for path, data in self.current_files().items()}
        return sorted(p for p in set(now) | set(last.hashes) if now.get(p) != last.hashes.get(p))

    def diff(self, a: int, b: int, path: str | None = None) -> str:
        """A unified diff from version ``a`` to version ``b`` (all text files, or one)."""
        old, new = self.snapshot(a), self.snapshot(b)
        return files_diff(old, new, f"v{a}", f"v{b}", only=path)

    # -- writing -------------------------------------------------------------------
    def ensure(self, wish: str = "", language: Language = "zh") -> Version:
        """Version 1 from the files as they are, if the project has no history yet."""
        last = self.latest()
        if last is not None:
            return last
        files = self.current_files()
        smoke = self.meta().get("smoke_run")
        return self._record(
            files, wish=wish, kind="wish", smoke=smoke, language=language, changed=sorted(files)
        )

    def record_hand_edits(self, language: Language = "zh") -> Version | None:
        """The learner's own changes since the last version become version n+1 ("我的修改")."""
        changed = self.hand_edits()
        if not changed:
            return None
        return self._record(
            self.current_files(),
            wish=CATALOGUE["versions.my_edit"][1 if language == "en" else 0],
            kind="my_edit",
            smoke=None,
            language=language,
            changed=changed,
        )

    def commit(
        self,
        files: dict[str, bytes | str],
        *,
        wish: str,
        kind: Kind = "wish",
        smoke: dict[str, Any] | None = None,
        language: Language = "zh",
        note: str = "",
        drafts: list[dict[str, str]] | None = None,
    ) -> Version:
        """Write ``files`` (the changed ones) over the project as a new version, atomically."""
        current = self.current_files()
        merged = dict(current)
        for path, data in files.items():
            _check_path(path)
            merged[path] = data.encode("utf-8") if isinstance(data, str) else data
        changed = sorted(p for p in merged if current.get(p) != merged[p])
        if self.latest() is None:  # the first version: everything in it is new
            changed = sorted(merged)
        return self._record(
            merged, wish=wish, kind=kind, smoke=smoke, language=language, changed=changed,
            note=note, drafts=drafts or [],
        )  # fmt: skip

    def restore(self, n: int, language: Language = "zh") -> Version:
        """Version ``n``'s files, byte for byte, as a new version (hand edits are kept first)."""
        self.record_hand_edits(language)
        target = self.get(n)
        files = self.snapshot(n)
        current = self.current_files()
        changed = sorted(p for p in set(files) | set(current) if files.get(p) != current.get(p))
        label = CATALOGUE["versions.restored"][1 if language == "en" else 0].format(n=n)
        return self._record(
            files, wish=label, kind="restore", smoke=target.smoke, language=language,
            changed=changed, note=str(n), exact=True,
        )  # fmt: skip

    def undo(self, language: Language = "zh") -> Version:
        """Back one version (e.g. after a crash); unsaved hand edits go first (kept as "我的修改"),
        and an undo after an undo goes one further back instead of swinging between two."""
        found = self.versions()
        last = found[-1] if found else None
        if last is not None and self.hand_edits():
            return self.restore(last.n, language)
        at = int(last.note) if last and last.kind == "restore" and last.note.isdigit() else 0
        earlier = [v.n for v in found if v.n < (at or (last.n if last else 0))]
        if not earlier:
            raise CodeflowError("versions.nothing_to_undo")
        return self.restore(earlier[-1], language)

    def _record(
        self,
        files: dict[str, bytes],
        *,
        wish: str,
        kind: Kind,
        smoke: dict[str, Any] | None,
        language: str,
        changed: list[str],
        note: str = "",
        exact: bool = False,
        drafts: list[dict[str, str]] | None = None,
    ) -> Version:
        meta = self.meta()
        history = meta.get("versions", [])
        n = (history[-1]["n"] if history else 0) + 1
        version = Version(
            n=n, wish=wish, kind=kind, time=_now(), files_changed=changed, smoke=smoke,
            hashes={p: _digest(d) for p, d in files.items()}, language=language, note=note,
            drafts=drafts or [],
        )  # fmt: skip
        store = self.root / VERSIONS_DIR
        store.mkdir(exist_ok=True)
        snap = store / str(n)
        temp = store / f".tmp-{uuid.uuid4().hex[:8]}"
        before = self.current_files()
        try:
            _write_tree(temp, files)
            if snap.exists():  # left by a crash before its project.json: never committed
                shutil.rmtree(snap)
            os.replace(temp, snap)
            self._write_working(files, before, remove_missing=exact)
            meta["versions"] = [*history, asdict(version)]
            if smoke is not None:
                meta["smoke_run"] = smoke
            meta.update(self._tree_meta())
            _atomic_write(self.root / META, json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            if (self.root / META).is_file() and len(self.meta().get("versions", [])) < n:
                shutil.rmtree(snap, ignore_errors=True)
                self._write_working(before, self.current_files(), remove_missing=True)
            raise
        return version

    def _tree_meta(self) -> dict[str, Any]:
        """file_structure, total_files and total_size_bytes of the files as they now are."""
        from codeflow_widget.output.projects import file_tree

        tree = file_tree(self.root, self.root.name)
        tree.children = [
            c for c in tree.children or [] if not c.name.startswith(".") and c.name != META
        ]
        sizes = [len(data) for data in self.current_files().values()]
        return {
            "file_structure": tree.model_dump(mode="json"),
            "total_files": len(sizes),
            "total_size_bytes": sum(sizes),
        }

    def _write_working(
        self, files: dict[str, bytes], before: dict[str, bytes], *, remove_missing: bool
    ) -> None:
        for path, data in files.items():
            if before.get(path) != data:
                _atomic_write_bytes(self.root / PurePosixPath(path), data)
        if remove_missing:
            for path in set(before) - set(files):
                (self.root / PurePosixPath(path)).unlink(missing_ok=True)


# -- the one-call API the front ends use ------------------------------------------
def history(project_dir: Path | str) -> list[Version]:
    return ProjectHistory(project_dir).versions()


def restore(project_dir: Path | str, n: int, language: Language = "zh") -> Version:
    return ProjectHistory(project_dir).restore(n, language)


def undo(project_dir: Path | str, language: Language = "zh") -> Version:
    return ProjectHistory(project_dir).undo(language)


def diff(project_dir: Path | str, a: int, b: int, path: str | None = None) -> str:
    return ProjectHistory(project_dir).diff(a, b, path)
