"""Write a generated project to ``projects/<project_name>/`` — all of it, or nothing.

``ProjectWriter.stage()`` writes everything into a hidden temporary folder beside
the final one (same file system), the flow smoke-runs the code there, and
``finalize()`` adds ``project.json`` and renames the folder into place in one
step. ``discard()`` removes a staging folder after a failure or a cancel, so a
learner never finds half a project. A project holds the code files, a ``README.md`` in the
learner's language (the sandboxed ways to run it first), ``spec.md``, ``plan.md``,
``run.ipynb`` (whose run cell is the player) and ``project.json`` (no raw program output).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from codeflow_widget.checks.validate import ValidationResult
from codeflow_widget.model.entities import FileNode, GeneratedProject, SmokeResult, new_project_name
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.output.run_docs import project_readme, run_notebook

STAGING_PREFIX = ".staging-"


@dataclass
class StagedProject:
    name: str
    project_type: str
    staging_dir: Path
    final_dir: Path
    main_file: str
    syntax_validated: bool
    dependencies: list[str]


class ProjectWriter:
    def __init__(self, projects_dir: Path | str, language: str = "zh"):
        self.projects_dir = Path(projects_dir)
        self.language = "en" if language == "en" else "zh"  # README and run.ipynb

    # -- the three steps ---------------------------------------------------------
    def stage(
        self,
        *,
        project_type: str,
        title: str,
        user_input: str,
        spec: str,
        plan: str,
        result: ValidationResult,
    ) -> StagedProject:
        self.projects_dir.mkdir(parents=True, exist_ok=True)
        name = self._unique_name(project_type)
        staging = self.projects_dir / f"{STAGING_PREFIX}{name}"
        staging.mkdir()
        try:
            for source in result.files:
                self._write(staging, source.path, source.content)
            main_file = result.main_file or "main.py"
            deps = list(result.dependencies)
            self._write(staging, "spec.md", spec.strip() + "\n")
            self._write(staging, "plan.md", plan.strip() + "\n")
            self._write(
                staging,
                "README.md",
                project_readme(
                    title, user_input, main_file, deps, result.syntax_ok and result.ok,
                    self.language,
                ),
            )  # fmt: skip
            nb = run_notebook(title, main_file, deps, self.language)
            import nbformat

            self._write(staging, "run.ipynb", nbformat.writes(nb))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return StagedProject(
            name=name,
            project_type=project_type,
            staging_dir=staging,
            final_dir=self.projects_dir / name,
            main_file=main_file,
            syntax_validated=result.syntax_ok and result.ok,
            dependencies=deps,
        )

    def finalize(
        self, staged: StagedProject, *, request_id: uuid.UUID, smoke: SmokeResult | None
    ) -> GeneratedProject:
        try:
            _remove_runtime_litter(staged.staging_dir)
            tree = file_tree(staged.staging_dir, staged.name)
            files = [n for n in _walk(tree) if n.type == "file"]
            project = _project_within_limits(
                files,
                request_id=request_id,
                project_name=staged.name,
                project_type=staged.project_type,
                path=str(staged.final_dir.resolve()),
                main_file_path=staged.main_file,
                file_structure=tree,
                dependencies=staged.dependencies,
                total_files=len(files),  # project.json describes these; it is not counted
                total_size_bytes=sum(n.size or 0 for n in files),
                syntax_validated=staged.syntax_validated,
                smoke_run=smoke,
            )
            if not (staged.staging_dir / staged.main_file).is_file():
                raise CodeflowError("project.not_validated")
            # project.json keeps no raw program output: the message already says what happened.
            saved = project
            if smoke is not None and smoke.output:
                saved = project.model_copy(
                    update={"smoke_run": smoke.model_copy(update={"output": ""})}
                )
            self._write(staged.staging_dir, "project.json", saved.model_dump_json(indent=2) + "\n")
            os.replace(staged.staging_dir, staged.final_dir)
        except BaseException:
            self.discard(staged)
            raise
        return project

    def discard(self, staged: StagedProject | None) -> None:
        if staged is not None:
            shutil.rmtree(staged.staging_dir, ignore_errors=True)

    # -- helpers -----------------------------------------------------------------
    def _unique_name(self, project_type: str) -> str:
        while True:  # 6 hex digits: a clash within one second is rare, but check anyway
            name = new_project_name(project_type, datetime.now())
            if (
                not (self.projects_dir / name).exists()
                and not (self.projects_dir / f"{STAGING_PREFIX}{name}").exists()
            ):
                return name

    @staticmethod
    def _write(root: Path, relative: str, content: str) -> None:
        target = (root / PurePosixPath(relative)).resolve()
        if not target.is_relative_to(root.resolve()):
            raise CodeflowError("validate.failed", summary=f"unsafe path {relative!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        # errors="replace": a lone surrogate in a model's spec must not abort the write
        # (code files never get here with one: validation refuses invalid UTF-8).
        with open(target, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
            fh.write(content)


def _project_within_limits(files: list[FileNode], **fields) -> GeneratedProject:
    """The GeneratedProject, or a Chinese ``project.too_large`` naming the sizes."""
    try:
        return GeneratedProject(**fields)
    except ValidationError:  # the project as a whole breaks a data-model size limit
        mib = 1024 * 1024
        total = sum(n.size or 0 for n in files)
        largest = max(files, key=lambda n: n.size or 0, default=None)
        biggest = f"{largest.name} {(largest.size or 0) / mib:.2f} MB" if largest else "-"
        raise CodeflowError(
            "project.too_large", detail=f"{total / mib:.2f} MB / {biggest}"
        ) from None


def _remove_runtime_litter(root: Path) -> None:
    for cache in root.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def _walk(node: FileNode):
    yield node
    for child in node.children or []:
        yield from _walk(child)


_LANGUAGES = {
    ".py": "python",
    ".md": "markdown",
    ".json": "json",
    ".ipynb": "json",
    ".txt": "text",
    ".csv": "csv",
}


def file_tree(root: Path, name: str) -> FileNode:
    """The data model's ``file_structure``: directories with children, files with size and language."""
    children: list[FileNode] = []
    for entry in sorted(root.iterdir(), key=lambda p: (p.is_file(), p.name)):
        if entry.is_dir():
            children.append(file_tree(entry, entry.name))
        else:
            children.append(
                FileNode(
                    type="file",
                    name=entry.name,
                    size=entry.stat().st_size,
                    language=_LANGUAGES.get(entry.suffix, "text"),
                )
            )
    return FileNode(type="directory", name=name, children=children)


def zip_project(project_dir: Path | str) -> bytes:
    """The project as a zip — only when it passed validation (``syntax_validated``).

    Only regular files inside the project go in: a symlink (to a file or a folder, inside or
    out) is never followed, and fifos or devices are left out, so the archive can't carry a
    file from elsewhere on the machine.
    """
    root = Path(project_dir).resolve()
    meta = json.loads((root / "project.json").read_text(encoding="utf-8"))
    if not meta.get("syntax_validated"):
        raise CodeflowError("project.not_validated")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(_regular_files(root)):
            archive.write(path, PurePosixPath(root.name, *path.relative_to(root).parts).as_posix())
    return buffer.getvalue()


def _regular_files(root: Path):
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if d != "__pycache__"]  # a symlinked folder is never walked
        for name in files:
            path = Path(folder) / name
            if stat.S_ISREG(path.lstat().st_mode) and path.resolve().is_relative_to(root):
                yield path
