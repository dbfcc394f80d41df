"""The lesson view in real JupyterLab 4 and Notebook 7, in real Chromium.

Offline lessons run at pace 0.3 (a few seconds per lesson), so there is a
mid-stream window to screenshot and to press 停止 in. Model failures and the XSS
payload come from the loopback OpenAI-compatible server (tests/fakes/server.py),
steered over its /_fake/ control endpoints.
"""

from __future__ import annotations

import json
import re
import urllib.request

import nbformat
import pytest
from playwright.sync_api import expect

from tests.fakes.scenarios import XSS_IMG, XSS_SCRIPT

from .notebook_page import (
    STATE_RECORDER,
    assert_three_phases_completed_in_order,
    check_kernel_is_this_venv,
    latency_report,
    lesson_view,
    open_notebook,
    run_all,
    run_cell,
    save,
    screenshot,
    wait_state,
    write_notebook,
)
from .servers import FAKE_KEY, REPO
from .test_lesson_pace import watch_console

pytestmark = pytest.mark.browser

WHICH_PYTHON = "import sys\nprint(sys.executable)"
SHOW_VIEW = "from codeflow_widget import CodeFlow\nCodeFlow()"
XSS_MARKERS = (XSS_IMG, XSS_SCRIPT)


def fake(base_url: str, path: str, body: dict | None = None) -> None:
    root = base_url.rsplit("/v1", 1)[0]
    data = json.dumps(body or {}).encode()
    request = urllib.request.Request(
        f"{root}/_fake/{path}",
        data=data,
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()


def assert_player_plays_in_the_card(view) -> None:
    """运行 with no display: the player widget is embedded in the project card and draws frames."""
    card_player = view.locator(".cf-project .cf-player-slot .cf-player")
    card_player.wait_for(state="visible", timeout=60_000)
    view.page.wait_for_function(
        "(el) => Number(el.dataset.frames || 0) >= 1",
        arg=card_player.element_handle(),
        timeout=60_000,
    )
    painted = view.page.evaluate(
        """(el) => { const c = el.querySelector('canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set(); for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);
        return seen.size; }""",
        card_player.element_handle(),
    )
    assert painted > 1, "the card's player canvas is blank"


def host_insert_warnings(page, name: str, console: list[str]) -> list[str]:
    """The console warnings of the front end's own 'insert cell below' (one cell), for comparison."""
    console.clear()
    page.evaluate(
        "(name) => { window.jupyterapp.shell.activateById(window.__cfPanel(name).id);"
        " return window.jupyterapp.commands.execute('notebook:insert-cell-below'); }",
        name,
    )
    page.wait_for_timeout(500)
    return list(console)


def generate(view, text: str) -> None:
    view.locator(".cf-input").fill(text)
    view.get_by_role("button", name="生成", exact=True).click()


def test_lab_streams_three_phases_then_shows_the_project_and_saves_without_the_key(lab, page):
    name = write_notebook(lab, "lesson.ipynb", [WHICH_PYTHON, SHOW_VIEW])
    open_notebook(page, lab, name)
    page.evaluate(STATE_RECORDER)
    run_all(page, name)
    check_kernel_is_this_venv(page)
    view = lesson_view(page)
    assert "离线示例模式" in view.locator(".cf-badge").inner_text()

    generate(view, "帮我写个贪吃蛇")
    expect(view.get_by_role("button", name="生成", exact=True)).to_be_disabled()
    wait_state(view, "implement", "active")
    view.locator('.cf-phase[data-phase="implement"] .cf-stream').filter(
        has_text="import"
    ).wait_for()
    screenshot(view, "lab-mid-stream.png", "lesson-view-streaming.png")

    view.locator(".cf-project").wait_for(timeout=90_000)
    # The project card arrives with ProjectWritten, just before the implement phase completes.
    wait_state(view, "implement", "completed", timeout=30_000)
    assert_three_phases_completed_in_order(page)
    for phase in ("specify", "plan", "implement"):
        thinking = view.locator(f'.cf-phase[data-phase="{phase}"] .cf-thinking-text')
        assert thinking.text_content().strip(), f"no thinking shown for {phase}"
    code = view.locator('.cf-phase[data-phase="implement"] .cf-rendered .cf-code')
    assert code.count() >= 1 and "pygame" in code.first.inner_text()
    assert (
        view.locator(
            '.cf-phase[data-phase="specify"] .cf-rendered h1, .cf-phase[data-phase="specify"] .cf-rendered h2'
        ).count()
        >= 1
    )
    assert view.locator(".cf-project-name").inner_text().startswith("snake_")
    assert "main.py" in view.locator(".cf-tree").inner_text()
    assert view.get_by_role("button", name="下载").is_visible()
    assert view.get_by_role("button", name="生成", exact=True).is_enabled()
    latency_report(page, "jupyterlab")

    # The language switch re-labels the view.
    view.get_by_role("button", name="English").click()
    view.get_by_role("button", name="Generate", exact=True).wait_for()
    assert "Implement" in view.locator(".cf-steps").inner_text()
    view.get_by_role("button", name="中文").click()
    view.get_by_role("button", name="生成", exact=True).wait_for()
    screenshot(view, "lab-finished.png", "lesson-view-finished.png")
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})"
    )
    expect(view).to_have_class(re.compile(r"\bcf-dark\b"), timeout=20_000)
    screenshot(view, "lab-finished-dark.png")
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})"
    )
    expect(view).not_to_have_class(re.compile(r"\bcf-dark\b"), timeout=20_000)

    # 下载: a real zip download.
    with page.expect_download() as download_info:
        view.get_by_role("button", name="下载").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    assert open(download.path(), "rb").read(2) == b"PK"

    # 插入运行单元: cells appear below the widget's cell, through the notebook model, and
    # nothing is logged that the host's own insert-cell command would not log (JupyterLab: none).
    console = watch_console(page)
    cells_before = page.locator(".jp-Notebook .jp-Cell").count()
    view.get_by_role("button", name="插入运行单元").click()
    view.locator(".cf-insert-note").wait_for()
    assert "已在这个单元格下方插入" in view.locator(".cf-insert-note").inner_text()
    # One insertCells transaction: the notebook renders the new cells just after the note.
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(cells_before + 3)
    inserted = [page.locator(".jp-Notebook .jp-Cell").nth(i).inner_text() for i in (2, 3, 4)]
    # The run cell starts the in-cell player (through the sandbox), as the design asks.
    assert "%pip install pygame" in inserted[0] and "play(" in inserted[1]
    assert "Code(filename" in inserted[2]
    page.wait_for_timeout(500)
    assert console == [], console

    # 运行: the project is checked again and handed to the in-card player through the sandbox;
    # the card says which mechanism contains it (the player itself: tests/browser/test_player.py).
    view.get_by_role("button", name="运行", exact=True).click()
    view.locator(".cf-run-output").wait_for(timeout=30_000)
    assert "沙箱" in view.locator(".cf-run-output").inner_text()
    assert_player_plays_in_the_card(view)

    # Saved notebook: widget state in the metadata, the final state in it, no key anywhere.
    save(page, name)
    raw = (lab.root / name).read_text(encoding="utf-8")
    assert FAKE_KEY not in raw and FAKE_KEY[-10:] not in raw
    state = nbformat.reads(raw, as_version=4).metadata["widgets"][
        "application/vnd.jupyter.widget-state+json"
    ]["state"]
    ours = [
        m["state"]
        for m in state.values()
        if m["state"].get("_anywidget_id", "").endswith("CodeFlow")
    ]
    assert ours and ours[0]["status"] == "completed"
    assert all(
        ours[0]["phases"][p]["status"] == "completed" for p in ("specify", "plan", "implement")
    )

    # Reopen with the kernel gone: the view re-renders from the saved traitlets.
    lab.shutdown_kernels()
    page.reload()
    page.wait_for_function("(name) => !!window.__cfPanel?.(name)", arg=name, timeout=90_000)
    reopened = lesson_view(page)
    for phase in ("specify", "plan", "implement"):
        wait_state(reopened, phase, "completed", timeout=30_000)
    assert reopened.locator(".cf-project-name").inner_text().startswith("snake_")
    assert reopened.locator('.cf-phase[data-phase="implement"] .cf-rendered .cf-code').count() >= 1
    screenshot(reopened, "lab-reopened.png")


def test_lab_stop_mid_stream_cancels_without_a_project(lab, page):
    name = write_notebook(lab, "stop.ipynb", [SHOW_VIEW])
    open_notebook(page, lab, name)
    run_all(page, name)
    view = lesson_view(page)
    box = view.locator(".cf-input")
    box.fill("帮我写个猜数字游戏")
    box.press("Shift+Enter")  # a new line, not a submit (and not Jupyter's run-cell)
    assert box.input_value() == "帮我写个猜数字游戏\n"
    assert page.locator(".cf-root").count() == 1 and view.get_attribute("data-status") == "idle"
    box.press("Enter")  # submits
    view.locator('.cf-phase[data-phase="specify"] .cf-thinking-text').filter(
        has_text="猜"
    ).wait_for()
    view.get_by_role("button", name="停止").click()
    page.locator('.cf-root[data-status="stopped"]').wait_for()
    # 已停止 is neutral: no error banner, no failed phase, no retry counter, 继续 / 重新开始 offered.
    assert view.locator(".cf-error").is_hidden()
    assert view.locator('.cf-phase[data-state="failed"]').count() == 0
    assert "已停止" in view.locator(".cf-status").inner_text()
    assert "没有用掉重试次数" in view.locator(".cf-info").inner_text()
    assert view.locator('[data-act="retry"]').is_hidden()
    assert view.locator(".cf-project").is_hidden()
    screenshot(view, "lab-stopped.png")
    view.get_by_role("button", name="继续").click()
    view.locator(".cf-project").wait_for(timeout=90_000)
    wait_state(view, "implement", "completed", timeout=30_000)
    expect(view).to_have_attribute("data-status", "completed")  # the root may follow the step
    assert view.locator(".cf-project-name").inner_text().startswith("guess_number_")


def test_lab_retry_after_an_injected_failure_then_succeeds(lab, page, fake_model_server):
    fake(fake_model_server, "reset")
    fake(fake_model_server, "enqueue", {"fault": "status=400,times=1"})
    name = write_notebook(
        lab,
        "retry.ipynb",
        [
            f'from codeflow_widget import CodeFlow\nCodeFlow(provider="custom", base_url="{fake_model_server}", model="fake-model")'
        ],
    )
    open_notebook(page, lab, name)
    run_all(page, name)
    view = lesson_view(page)
    assert "fake-model" in view.locator(".cf-badge").inner_text()
    generate(view, "做一个弹跳小球")
    retry = view.locator(".cf-actions .cf-btn", has_text="重试")
    retry.wait_for(timeout=60_000)
    # No counter before any retry has been used ("重试 1/3" read as if one was already spent).
    assert retry.inner_text().strip() == "重试" and retry.is_enabled()
    assert view.locator(".cf-error").is_visible()
    screenshot(view, "lab-failed-retry.png")
    retry.click()
    view.locator(".cf-project").wait_for(timeout=90_000)
    # The card arrives with ProjectWritten, before the run completes: wait for the end.
    wait_state(view, "implement", "completed", timeout=30_000)
    expect(view).to_have_attribute("data-status", "completed")
    expect(view.locator(".cf-status")).to_contain_text("已重试 1/3")
    assert view.locator(".cf-error").is_hidden()


def test_lab_model_output_with_html_is_shown_as_text_and_never_runs(lab, page, fake_model_server):
    fake(fake_model_server, "reset")
    for phase in ("specify", "plan", "implement"):
        fake(fake_model_server, "enqueue", {"fault": f"xss={phase},phase={phase},times=1"})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    name = write_notebook(
        lab,
        "xss.ipynb",
        [
            f'from codeflow_widget import CodeFlow\nCodeFlow(provider="custom", base_url="{fake_model_server}", model="fake-model")'
        ],
    )
    open_notebook(page, lab, name)
    run_all(page, name)
    view = lesson_view(page)
    generate(view, "做一个弹跳小球")
    view.locator(".cf-project").wait_for(timeout=90_000)
    # The card arrives with ProjectWritten, before implement completes and its output is
    # rendered: reading it now raced the last sync (issue 16 A1).
    wait_state(view, "implement", "completed", timeout=30_000)
    expect(view).to_have_attribute("data-status", "completed")
    streamed = view.locator('.cf-phase[data-phase="specify"] .cf-stream').text_content()
    assert all(marker in streamed for marker in XSS_MARKERS)  # the raw stream, as text
    assert page.evaluate("() => window.__xss") is None and not dialogs
    assert view.locator("img, script").count() == 0
    for phase in ("specify", "plan"):
        shown = view.locator(f'.cf-phase[data-phase="{phase}"] .cf-rendered').inner_text()
        assert all(marker in shown for marker in XSS_MARKERS), shown
    expect(view.locator('.cf-phase[data-phase="implement"] .cf-rendered')).to_contain_text(
        XSS_MARKERS[1]
    )
    screenshot(view, "lab-xss.png")


def test_notebook7_streams_three_phases_and_shows_the_project(notebook7, page):
    name = write_notebook(
        notebook7,
        "lesson7.ipynb",
        [WHICH_PYTHON, "%load_ext codeflow_widget\n%codeflow --go 帮我写个贪吃蛇"],
    )
    open_notebook(page, notebook7, name)
    page.evaluate(STATE_RECORDER)
    run_all(page, name)
    check_kernel_is_this_venv(page)
    view = lesson_view(page)
    assert view.locator(".cf-input").input_value() == "帮我写个贪吃蛇"
    wait_state(view, "plan", "active")
    screenshot(view, "nb7-mid-stream.png")
    view.locator(".cf-project").wait_for(timeout=90_000)
    # The project card arrives with ProjectWritten, just before the implement phase completes.
    wait_state(view, "implement", "completed", timeout=30_000)
    assert_three_phases_completed_in_order(page)
    assert view.locator('.cf-phase[data-phase="implement"] .cf-rendered .cf-code').count() >= 1
    assert view.locator('.cf-phase[data-phase="plan"] .cf-thinking-text').text_content().strip()
    latency_report(page, "notebook7")
    screenshot(view, "nb7-finished.png")

    # 插入运行单元 works through Notebook 7's notebook model too (the document's shared model,
    # the same public call Notebook 7's own commands make). Notebook 7.6 itself logs
    # "[yjs#509] Not same Y.Doc" once per inserted cell — its own 'insert cell below' does —
    # so the check is: nothing beyond what the host's own command logs for as many cells.
    console = watch_console(page)
    cells_before = page.locator(".jp-Notebook .jp-Cell").count()
    view.get_by_role("button", name="插入运行单元").click()
    expect(view.locator(".cf-insert-note")).to_contain_text("已在这个单元格下方插入")
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(cells_before + 3)
    inserted = [page.locator(".jp-Notebook .jp-Cell").nth(i).inner_text() for i in (2, 3, 4)]
    assert "%pip install pygame" in inserted[0] and "play(" in inserted[1]
    page.wait_for_timeout(500)  # a warning logged after the cells render is still this insert's
    ours, host = list(console), host_insert_warnings(page, name, console)
    assert len(ours) == 3 * len(host) and all(w in host for w in ours), (ours, host)

    # 运行 shows the game in the card here too (this server has no display).
    view.get_by_role("button", name="运行", exact=True).click()
    assert_player_plays_in_the_card(view)


def test_notebook7_view_displayed_mid_stream_catches_up_and_a_later_one_shows_the_end(
    notebook7, page
):
    cells = [
        'from codeflow_widget import CodeFlow\nw = CodeFlow("帮我写个贪吃蛇", autostart=True)',
        "import asyncio\nawait asyncio.sleep(1.0)  # the flow streams on the kernel's loop meanwhile",
        "w",
        "w",
    ]
    name = write_notebook(notebook7, "catchup.ipynb", cells)
    open_notebook(page, notebook7, name)
    for index in range(3):
        run_cell(page, name, index)
    view = lesson_view(page)
    page.wait_for_function(  # the catch-up answer (or the next delta) has arrived
        "el => [...el.querySelectorAll('.cf-thinking-text')].some(p => p.textContent.length > 0)",
        arg=view.element_handle(),
    )
    page.wait_for_timeout(300)  # let a delta that overtook the catch-up answer be replaced by it
    lesson = REPO / "codeflow_widget" / "providers" / "offline" / "lessons" / "snake"
    shown = {}
    for phase in ("specify", "plan", "implement"):
        full = (lesson / f"{phase}.thinking.md").read_text(encoding="utf-8")
        text = view.locator(f'.cf-phase[data-phase="{phase}"] .cf-thinking-text').text_content()
        assert full.startswith(text), (
            f"{phase}: the view missed the start of the stream: {text[:40]!r}"
        )
        shown[phase] = text
    assert any(shown.values()), "the view rendered mid-stream but shows nothing"
    states = view.locator(".cf-step").evaluate_all("els => els.map(e => e.dataset.state)")
    assert "active" in states, f"expected to catch the run mid-stream, got {states}"
    view.locator(".cf-project").wait_for(timeout=90_000)
    wait_state(view, "implement", "completed", timeout=30_000)  # the run is over before re-display

    run_cell(page, name, 3)
    later = lesson_view(page, 1)
    for phase in ("specify", "plan", "implement"):
        wait_state(later, phase, "completed", timeout=30_000)
    assert later.locator(".cf-project-name").inner_text().startswith("snake_")
    assert later.locator('.cf-phase[data-phase="implement"] .cf-rendered .cf-code').count() >= 1
