"""Recovery in real JupyterLab 4: a re-run cell stops the run it showed before, and a kernel
restart mid-run ends in an honest state (no 生成中 with a timer ticking forever)."""

from __future__ import annotations

import pytest

from .notebook_page import lesson_view, open_notebook, run_cell, wait_state, write_notebook

pytestmark = pytest.mark.browser

SHOW = (
    "from codeflow_widget import CodeFlow\n"
    'runs = globals().setdefault("runs", [])\n'
    'runs.append(CodeFlow("帮我写个贪吃蛇", autostart=True, pace="slow"))\n'
    "runs[-1]"
)
REPORT = 'print("STATUS", [r.status for r in runs], [r._busy() for r in runs])'
RESTART = "(name) => window.__cfPanel(name).context.sessionContext.session.kernel.restart()"


def test_lab_rerun_stops_the_old_run_and_a_kernel_restart_ends_the_run_honestly(lab, page):
    name = write_notebook(lab, "recovery.ipynb", [SHOW, REPORT])
    open_notebook(page, lab, name)
    run_cell(page, name, 0)
    view = lesson_view(page)
    wait_state(view, "specify", "active", timeout=60_000)

    run_cell(page, name, 0)  # the learner runs the cell again mid-run
    page.wait_for_timeout(1500)
    run_cell(page, name, 1)
    report = page.locator(".jp-OutputArea-output").filter(has_text="STATUS")
    report.wait_for(timeout=30_000)
    assert "['stopped', 'processing'] [False, True]" in report.inner_text()
    assert page.locator(".cf-root").count() == 1  # the old output was replaced

    view = lesson_view(page)
    wait_state(view, "specify", "active", timeout=30_000)
    page.evaluate(RESTART, name)
    page.locator('.cf-root[data-status="lost"]').wait_for(timeout=45_000)
    assert "内核已重启或断开" in view.locator(".cf-info").inner_text()
    assert view.locator('[data-act="stop"]').is_hidden()
    assert view.locator('.cf-step[data-state="active"]').count() == 0
    timer = view.locator('.cf-step[data-phase="specify"] .cf-step-time')
    before = timer.inner_text()
    page.wait_for_timeout(1500)
    assert timer.inner_text() == before, "the phase timer still ticks after the kernel is gone"
