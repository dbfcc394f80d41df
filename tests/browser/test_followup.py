"""Follow-ups in the real lesson view: JupyterLab 4 + Chromium, offline lessons.

Type a follow-up into the 继续改进 box on the project card, see the change as diffs (changed
lines highlighted), hover a requirement id and see its plan item and code light up, then
restore version 1 with one click — and check on disk that it is byte for byte version 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .notebook_page import lesson_view, open_notebook, run_all, wait_state, write_notebook
from .servers import ARTIFACTS

pytestmark = pytest.mark.browser


def test_lab_follow_up_shows_the_diff_links_r8_and_restores_version_1(lab, page):
    name = write_notebook(
        lab, "followup.ipynb", ["from codeflow_widget import CodeFlow\nCodeFlow()"]
    )
    open_notebook(page, lab, name)
    run_all(page, name)
    view = lesson_view(page)
    view.locator(".cf-input").fill("帮我写个贪吃蛇")
    view.get_by_role("button", name="生成", exact=True).click()
    wait_state(view, "implement", "completed", timeout=120_000)
    project = Path(lab.root.parent / "projects" / view.locator(".cf-project-name").inner_text())
    version_1 = (project / ".versions" / "1" / "main.py").read_bytes()
    assert (project / "main.py").read_bytes() == version_1

    box = view.locator('[data-part="follow-up"]')
    box.locator("textarea").fill("让蛇跑得更快")
    box.get_by_role("button", name="改进").click()
    diff = view.locator('[data-part="change-diffs"] [data-file="main.py"]')
    diff.wait_for(timeout=120_000)
    added = diff.locator(".cf-add").all_inner_texts()
    assert any("def speed_for(score):" in line for line in added)  # changed lines highlighted
    assert (
        view.locator('[data-part="change-diffs"] [data-file="spec.md"] .cf-add')
        .filter(has_text="R8")
        .count()
        >= 1
    )
    view.locator('[data-part="versions"] li[data-version="2"]').wait_for(timeout=120_000)
    wait_state(view, "implement", "completed", timeout=60_000)
    assert "def speed_for" in (project / "main.py").read_text(encoding="utf-8")

    # Hover R8: its plan item and its lines of code light up, and nothing else.
    view.locator('[data-part="trace-requirements"] li[data-rid="R8"]').hover()
    lit_plan = view.locator('[data-part="trace-plan"] li.cf-hl')
    lit_code = view.locator('[data-part="trace-code"] li.cf-hl')
    assert lit_plan.count() >= 1 and all("R8" in t for t in lit_plan.all_inner_texts())
    assert any("speed_for" in t for t in lit_code.all_inner_texts())
    assert (
        view.locator('[data-part="trace-requirements"] li.cf-hl')
        .all_inner_texts()[0]
        .startswith("- R8")
    )

    # Each version shows its diff; version 1 comes back with one click.
    row = view.locator('[data-part="versions"] li[data-version="2"]')
    row.get_by_role("button", name="差异").click()
    row.locator(".cf-diff .cf-add").filter(has_text="speed_for").first.wait_for()
    view.locator('[data-part="versions"] li[data-version="1"]').get_by_role(
        "button", name="恢复"
    ).click()
    view.locator('[data-part="versions"] li[data-version="3"]').wait_for(timeout=30_000)
    assert "恢复" in view.locator('[data-part="versions"] li[data-version="3"]').inner_text()
    assert (project / "main.py").read_bytes() == version_1
    view.screenshot(path=str(ARTIFACTS / "followup-restored.png"))
