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


def test_readme_points_at_the_player_first_and_labels_python_as_outside_the_sandbox(isolated):
    writer = ProjectWriter(isolated / "projects")
    project = writer.finalize(stage(writer), request_id=uuid.uuid4(), smoke=SMOKE_OK)
    readme = (Path(project.path) / "README.md").read_text(encoding="utf-8")
    player, window = readme.index('play("这个文件夹的路径")'), readme.index("codeflow play ")
    outside = readme.index("## 在沙箱之外运行")
    assert player < outside and window < outside
    assert "不经过沙箱" in readme[outside:] and readme.index("python3 main.py") > outside
    assert "py main.py" not in readme[:outside] and "python3 main.py" not in readme[:outside]


def test_english_project_gets_an_english_readme_and_notebook(isolated):
    writer = ProjectWriter(isolated / "projects", language="en")
    project = writer.finalize(stage(writer), request_id=uuid.uuid4(), smoke=SMOKE_OK)
    readme = (Path(project.path) / "README.md").read_text(encoding="utf-8")
    outside = readme.index("## Running outside the sandbox")
    assert readme.index("codeflow play ") < outside and "do **not** go through" in readme
    assert "如何运行" not in readme
    nb = nbformat.read(Path(project.path) / "run.ipynb", as_version=4)
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    assert 'play(".", language="en")' in code[0]
    notes = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    assert "Running outside the sandbox" in notes[1] and "python main.py" in notes[1]


def test_run_notebook_installs_plays_in_the_sandbox_and_shows_the_code(isolated):
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
        and "from codeflow_widget import play\n" in code[1]
        and code[1].rstrip().endswith('play(".")')
        and "Code(filename=" in code[2]
    )
    assert not any("%run" in c or "subprocess" in c or "exec(" in c for c in code)
    notes = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    assert "在沙箱之外运行" in notes[1] and "`python main.py`" in notes[1]


def test_project_json_keeps_no_raw_program_output(isolated):
    writer = ProjectWriter(isolated / "projects")
    printed = SmokeResult(
        ok=True, outcome="timeout_alive", duration_ms=2000, output="TOKEN=abc123 printed\n",
        message="运行正常：5 秒内没有报错。",
    )  # fmt: skip
    project = writer.finalize(stage(writer), request_id=uuid.uuid4(), smoke=printed)
    raw = (Path(project.path) / "project.json").read_text(encoding="utf-8")
    assert "abc123" not in raw
    meta = json.loads(raw)
    assert meta["smoke_run"]["output"] == "" and meta["smoke_run"]["message"] == printed.message


def test_zip_never_follows_symlinks_and_holds_only_regular_files(isolated, tmp_path):
    import os

    writer = ProjectWriter(isolated / "projects")
    project = writer.finalize(stage(writer), request_id=uuid.uuid4(), smoke=SMOKE_OK)
    root = Path(project.path)
    outside = tmp_path / "elsewhere"
    (outside / "deep").mkdir(parents=True)
    (outside / "secret.txt").write_text("outside-secret", encoding="utf-8")
    (outside / "deep" / "x.txt").write_text("outside-deep", encoding="utf-8")
    (root / "link.txt").symlink_to(outside / "secret.txt")
    (root / "linkdir").symlink_to(outside, target_is_directory=True)
    (root / "inner_link.py").symlink_to(root / "main.py")
    os.mkfifo(root / "pipe")
    (root / "assets").mkdir()
    (root / "assets" / "level.txt").write_text("1", encoding="utf-8")
    archive = zipfile.ZipFile(io.BytesIO(zip_project(root)))
    names = sorted(archive.namelist())
    name = project.project_name
    assert names == sorted(
        f"{name}/{n}"
        for n in [
            "README.md", "assets/level.txt", "main.py", "plan.md", "project.json", "run.ipynb",
            "spec.md",
        ]
    )  # fmt: skip
    assert not any(b"outside" in archive.read(n) for n in names)


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
