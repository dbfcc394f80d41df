"""The lesson view at a classroom's pace, in real JupyterLab 4 and Chromium.

Everything else in the browser tier runs at pace 立即 (servers.py); these tests ask for a pace
per widget. Rates are measured inside the page (performance.now() beside the text's length), and
the bands are the issue's: 适中 15–30 characters a second for thinking, 快 three times that.
"""

from __future__ import annotations

import pytest

from .notebook_page import (
    lesson_view,
    open_notebook,
    run_all,
    wait_state,
    wait_status,
    write_notebook,
)
from .view_checks import ACTIVE_IN_VIEW, CHROME_TEXT, CJK, SAMPLE_LENGTH, SCROLLER

pytestmark = pytest.mark.browser


def ours(message) -> bool:
    """A console message from our code (the bundle runs from a blob: URL) or about it."""
    where = (message.location or {}).get("url", "")
    text = message.text
    # JupyterLab's own notes (e.g. "Plugin anywidget:plugin … took 7707 ms to activate" on a
    # busy machine) are the host's; anywidget's warnings about our module start "[anywidget]".
    keys = ("[anywidget]", "codeflow", "CodeFlow", "cf-", "yjs#509")
    return "blob:" in where or any(k in text for k in keys)


def watch_console(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: (
            seen.append(f"{m.type}: {m.text}")
            if m.type in ("warning", "error") and ours(m)
            else None
        ),
    )
    return seen


def rate(samples: list[list[float]]) -> float:
    (t0, n0), (t1, n1) = samples[0], samples[-1]
    return (n1 - n0) / ((t1 - t0) / 1000)


def start(page, lab, name: str, pace: str, wish: str = "帮我写个贪吃蛇"):
    write_notebook(lab, name, [f'from codeflow_widget import CodeFlow\nCodeFlow(pace="{pace}")'])
    open_notebook(page, lab, name)
    run_all(page, name)
    view = lesson_view(page)
    view.locator(".cf-input").fill(wish)
    view.get_by_role("button", name="生成", exact=True).click()
    return view


def test_lab_thinking_is_revealed_at_the_chosen_pace_and_fast_forward_finishes_at_once(lab, page):
    console = watch_console(page)
    view = start(page, lab, "pace.ipynb", "normal")
    thinking = view.locator('.cf-phase[data-phase="specify"] .cf-thinking-text')
    page.wait_for_function("el => el.textContent.length > 5", arg=thinking.element_handle())
    normal = rate(page.evaluate(SAMPLE_LENGTH, [thinking.element_handle(), 6000]))
    print(f"[pace] 适中: {normal:.1f} characters/s of thinking (band 15–30)")
    assert 15 <= normal <= 30, normal

    view.get_by_role("button", name="快", exact=True).click()
    page.wait_for_timeout(400)  # the new pace reaches the kernel
    fast = rate(page.evaluate(SAMPLE_LENGTH, [thinking.element_handle(), 2500]))
    print(f"[pace] 快: {fast:.1f} characters/s of thinking (band 45–90)")
    assert 45 <= fast <= 90, fast
    assert view.locator('.cf-phase[data-phase="specify"] .cf-thinking').get_attribute("open") == ""

    view.get_by_role("button", name="快进").click()
    wait_state(view, "specify", "completed", timeout=5_000)  # 快进: this phase, now
    wait_state(view, "plan", "active", timeout=5_000)
    # The thinking just read stays open while the next phase begins.
    assert view.locator('.cf-phase[data-phase="specify"] .cf-thinking[open]').count() == 1
    view.get_by_role("button", name="跳到结果").click()
    view.locator(".cf-project").wait_for(timeout=30_000)
    wait_state(view, "implement", "completed", timeout=30_000)
    # The request completes in an event of its own, after the implement phase's: wait for it.
    wait_status(view, "completed")
    assert view.get_attribute("data-status") == "completed"
    assert not console, console


def test_lab_view_follows_the_lesson_and_switches_language_mid_run_without_traps(lab, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 700})
    page = context.new_page()
    page.set_default_timeout(60_000)
    console = watch_console(page)
    page.add_init_script(SCROLLER)
    try:
        view = start(page, lab, "follow.ipynb", "fast")
        wait_state(view, "specify", "active", timeout=30_000)
        page.wait_for_timeout(1500)  # the first smooth scroll
        root = view.element_handle()
        seen = []
        for i in range(16):
            seen.append(page.evaluate(ACTIVE_IN_VIEW, root))
            if i == 6:  # switched mid-run
                view.get_by_role("button", name="English").click()
            page.wait_for_timeout(500)
        print(f"[follow] active phase in view at 1024×700: {seen.count(True)}/{len(seen)} samples")
        assert all(s in (True, None) for s in seen) and seen.count(True) >= 12, seen

        # The learner scrolls away on purpose: following stops, the chip offers the way back.
        page.mouse.move(500, 400)
        page.mouse.wheel(0, -1500)
        chip = view.locator(".cf-back")
        chip.wait_for(timeout=5_000)
        assert chip.inner_text() == "Back to the current step"
        page.wait_for_timeout(800)
        chip.click()
        page.wait_for_timeout(1200)
        assert page.evaluate(ACTIVE_IN_VIEW, root) in (True, None)

        view.get_by_role("button", name="Skip to result").click()
        view.locator(".cf-project").wait_for(timeout=60_000)
        wait_state(view, "implement", "completed", timeout=30_000)
        chrome = page.evaluate(CHROME_TEXT, root)
        chinese = [text for text in chrome if CJK.search(text)]
        assert not chinese, f"Chinese left in the English view: {chinese}"
        assert "Generate" in chrome and "Completed" in " ".join(chrome)

        # No scroll trap: nothing in the view scrolls up and down on its own, and the wheel
        # over an artefact scrolls the notebook.
        inner = view.evaluate(
            "el => [...el.querySelectorAll('.cf-rendered, .cf-thinking-text, .cf-stream, .cf-code')]"
            ".filter(n => n.getClientRects().length && n.scrollHeight > n.clientHeight + 1"
            " && getComputedStyle(n).overflowY !== 'visible').map(n => n.className)"
        )
        assert inner == [], inner
        spec = view.locator('.cf-phase[data-phase="specify"] .cf-rendered')
        spec.scroll_into_view_if_needed()
        before = page.evaluate("el => window.__cfScroller(el).scrollTop", root)
        box = spec.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, max(box["y"], 0) + 40)
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(600)
        after = page.evaluate("el => window.__cfScroller(el).scrollTop", root)
        assert after - before >= 150, (before, after)
        assert not console, console
    finally:
        context.close()
