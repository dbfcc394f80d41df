"""The lesson notebooks are committed clean: no outputs, python3 kernel, Chinese first, no keys.

nbval runs them (``pytest notebooks --nbval-lax --nbval-current-env``); these checks keep
the committed files small, reviewable and safe to share.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CJK = re.compile(r"[\u4e00-\u9fff]")
KEY_LIKE = re.compile(r"sk-[A-Za-z0-9_\-]{10,}|Bearer\s", re.IGNORECASE)
EXPECTED = ("01_快速开始", "02_三个阶段", "03_连接你的模型", "04_教师指南", "05_Colab")


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_every_lesson_notebook_is_there():
    stems = {p.stem for p in PATHS}
    assert set(EXPECTED) <= stems, sorted(stems)


@pytest.fixture(params=PATHS, ids=lambda p: p.stem)
def notebook(request) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, load(request.param)


def test_valid_and_python3_kernel(notebook):
    path, nb = notebook
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3", path.name


def test_no_saved_outputs(notebook):
    path, nb = notebook
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has saved outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


def test_first_markdown_cell_is_chinese(notebook):
    path, nb = notebook
    first = next(cell for cell in nb.cells if cell.cell_type == "markdown")
    assert CJK.search(first.source), path.name


def test_no_api_key_anywhere(notebook):
    path, _ = notebook
    text = path.read_text(encoding="utf-8")
    assert not KEY_LIKE.search(text), f"{path.name}: {KEY_LIKE.search(text).group(0)[:6]}…"


def test_skipped_cells_say_why(notebook):
    path, nb = notebook
    for index, cell in enumerate(nb.cells):
        lines = [line.strip() for line in cell.source.splitlines()]
        if cell.cell_type == "code" and "# NBVAL_SKIP" in lines:
            reasons = [line for line in lines if line.startswith("#") and "NBVAL_SKIP" not in line]
            assert reasons, f"{path.name} cell {index}: a skipped cell needs a comment saying why"


def test_flows_set_their_pace(notebook):
    """nbval runs without CODEFLOW_OFFLINE_PACE: a notebook that runs a flow must set the pace itself."""
    path, nb = notebook
    running = [
        c.source
        for c in nb.cells
        if c.cell_type == "code" and "generate(" in c.source and "# NBVAL_SKIP" not in c.source
    ]
    if running:
        assert "offline_pace=" in "\n".join(c.source for c in nb.cells if c.cell_type == "code"), (
            path.name
        )
