"""Project output: atomic, complete, Windows-friendly, downloadable only when validated."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path

import nbformat
import pytest

from codeflow_widget.checks.validate import validate_answer
from codeflow_widget.model.entities import PROJECT_NAME, SmokeResult
from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.output.projects import ProjectWriter, zip_project

from .scripted import GOOD_CODE

SMOKE_OK = SmokeResult(ok=True, outcome="timeout_alive", duration_ms=2000)


def stage(writer: ProjectWriter, answer: str = GOOD_CODE):
    return writer.stage(
        project_type="snake",
        title="贪吃蛇",
        user_input="帮我写个贪吃蛇",
        spec="# 贪吃蛇\n需求",
        plan="## 方案",
        result=validate_answer(answer),
    )


def test_staging_is_invisible_until_finalize_renames_it_into_place(isolated):
    writer = ProjectWriter(isolated / "projects")
    staged = stage(writer)
    assert staged.staging_dir.name.startswith(".staging-") and not staged.final_dir.exists()
    project = writer.finalize(staged, request_id=uuid.uuid4(), smoke=SMOKE_OK)
    assert staged.final_dir.is_dir() and not staged.staging_dir.exists()
    assert PROJECT_NAME.match(project.project_name)
    assert sorted(p.name for p in staged.final_dir.iterdir()) == [
        "README.md",
        "main.py",
        "plan.md",
        "project.json",
        "run.ipynb",
        "spec.md",
    ]


def test_project_json_holds_the_generated_project_with_its_file_tree(isolated):
    writer = ProjectWriter(isolated / "projects")
    project = writer.finalize(stage(writer), request_id=uuid.uuid4(), smoke=SMOKE_OK)
    meta = json.loads((Path(project.path) / "project.json").read_text(encoding="utf-8"))
    assert meta["project_name"] == project.project_name and meta["main_file_path"] == "main.py"
    tree = meta["file_structure"]
    assert tree["type"] == "directory" and tree["name"] == project.project_name
    main = next(child for child in tree["children"] if child["name"] == "main.py")
    assert (
        main["type"] == "file"
        and main["language"] == "python"
        and main["size"] == (Path(project.path) / "main.py").stat().st_size
    )
    assert meta["total_files"] == 5 and meta["total_size_bytes"] == sum(
        c["size"] for c in tree["children"]
    )
    assert meta["smoke_run"]["ok"] is True and meta["syntax_validated"] is True


def test_readme_explains_running_on_windows_macos_and_linux_in_chinese(isolated):
    writer = ProjectWriter(isolated / "projects")
    project = writer.finalize(stage(writer), request_id=uuid.uuid4(), smoke=SMOKE_OK)
    readme = (Path(project.path) / "README.md").read_text(encoding="utf-8")
    assert "如何运行" in readme and "Windows" in readme and "macOS" in readme and "Linux" in readme
    assert "python main.py" in readme.replace("python3", "python").replace(
        "py main.py", "python main.py"
    )


def test_run_notebook_installs_runs_and_shows_the_code(isolated):
    writer = ProjectWriter(isolated / "projects")
    project = writer.finalize(
        stage(writer, "```python main.py\nimport pygame\nprint(pygame)\n```"),
        request_id=uuid.uuid4(),
        smoke=SMOKE_OK,
    )
    nb = nbformat.read(Path(project.path) / "run.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    assert (
        "pip install pygame" in code[0]
        and "%run main.py" in code[1]
        and "Code(filename=" in code[2]
    )


def test_discard_removes_the_staging_folder(isolated):
    writer = ProjectWriter(isolated / "projects")
    staged = stage(writer)
    writer.discard(staged)
    assert list((isolated / "projects").iterdir()) == []


def test_names_are_distinct_within_the_same_second(isolated):
    writer = ProjectWriter(isolated / "projects")
    names = {stage(writer).name for _ in range(50)}
    assert len(names) == 50


def test_zip_is_offered_only_when_syntax_validated(isolated):
    writer = ProjectWriter(isolated / "projects")
    project = writer.finalize(stage(writer), request_id=uuid.uuid4(), smoke=SMOKE_OK)
    archive = zipfile.ZipFile(io.BytesIO(zip_project(project.path)))
    assert f"{project.project_name}/main.py" in archive.namelist()
    broken = writer.finalize(
        stage(writer, "```python main.py\ndef f(:\n```"), request_id=uuid.uuid4(), smoke=None
    )
    assert broken.syntax_validated is False and broken.downloadable is False
    with pytest.raises(CodeflowError):
        zip_project(broken.path)


def test_files_are_written_as_utf8_with_unix_newlines(isolated):
    writer = ProjectWriter(isolated / "projects")
    project = writer.finalize(
        stage(writer, "```python main.py\r\nprint('你好')\r\n```"),
        request_id=uuid.uuid4(),
        smoke=SMOKE_OK,
    )
    raw = (Path(project.path) / "main.py").read_bytes()
    assert "你好".encode() in raw and b"\r\n" not in raw
