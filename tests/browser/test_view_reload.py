"""A page reloaded after its kernel ended, from a notebook saved without widget state (the
default in JupyterLab: saveState is off), in real JupyterLab 4 and Notebook 7: the output says
in the learner's language what happened and what to do (re-run the cell), instead of "Error
displaying widget: model not found" or the object's repr (issue 15 #6)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .notebook_page import lesson_view, open_notebook, run_all, save, write_notebook

pytestmark = pytest.mark.browser

CELLS = {
    "zh": "from codeflow_widget import CodeFlow\nCodeFlow()",
    "en": 'from codeflow_widget import CodeFlow\nCodeFlow(language="en")',
}
SAYS = {
    "zh": "重新运行这个单元格，就能再次打开视图",
    "en": "Run this cell again to open the view again",
}


@pytest.mark.parametrize("kind", ["lab", "notebook7"])
def test_a_reloaded_notebook_without_widget_state_says_to_run_the_cell_again(kind, request, page):
    server = request.getfixturevalue(kind)
    name = write_notebook(server, f"reload-{kind}.ipynb", [CELLS["zh"], CELLS["en"]])
    open_notebook(page, server, name)
    run_all(page, name)
    lesson_view(page, 1)
    # Live, the view is all the output shows: the fallback text is only for a missing model.
    assert page.locator(".cf-model-gone").count() == 0
    save(page, name)
    saved = json.loads((server.root / name).read_text(encoding="utf-8"))
    saved["metadata"].pop("widgets", None)  # what a notebook saved with saveState off holds
    (server.root / name).write_text(json.dumps(saved), encoding="utf-8")
    server.shutdown_kernels()

    page.reload()
    page.wait_for_function("(name) => !!window.__cfPanel?.(name)", arg=name, timeout=90_000)
    outputs = page.locator(".jp-OutputArea-output")
    expect(outputs).to_have_count(2, timeout=60_000)
    for index, lang in enumerate(("zh", "en")):
        expect(outputs.nth(index)).to_contain_text(SAYS[lang], timeout=30_000)
        shown = outputs.nth(index).inner_text()
        assert "model not found" not in shown and "object at 0x" not in shown, shown
        assert str(server.root.parent / "projects") in shown, shown  # where the projects are
    assert page.locator(".cf-root").count() == 0
