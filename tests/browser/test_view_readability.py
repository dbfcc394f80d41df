"""Readability of the lesson view in JupyterLab's light and dark themes: WCAG AA contrast for
every text (computed colours, backgrounds composited), no italic, buttons that look like buttons,
and the README screenshots (written only with CODEFLOW_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from .notebook_page import lesson_view, open_notebook, run_all, wait_state, write_notebook
from .servers import ARTIFACTS, SCREENSHOTS
from .view_checks import BUTTONS, CONTRAST

pytestmark = pytest.mark.browser

THEME = "() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: '%s'})"


def top_screenshot(view, name: str) -> None:
    """The top of the view (header, wish, steps, the start of the phases), as a reader sees it."""
    view.evaluate("el => el.scrollIntoView({block: 'start'})")
    box = view.bounding_box()
    clip = {"x": box["x"], "y": max(box["y"], 0), "width": box["width"], "height": 1100}
    path = ARTIFACTS / name
    view.page.screenshot(path=str(path), clip=clip, animations="disabled")
    if os.environ.get("CODEFLOW_UPDATE_SCREENSHOTS") == "1":
        (SCREENSHOTS / name).write_bytes(path.read_bytes())


def check(view, theme: str) -> float:
    texts = view.evaluate(CONTRAST)
    assert len(texts) > 40, "too few texts measured to mean anything"
    low = [t for t in texts if t["ratio"] < t["need"]]
    kinds = {(t["cls"], round(t["ratio"], 2)) for t in low}
    assert not low, f"{theme}: {len(low)} texts below WCAG AA, by class: {sorted(kinds)[:12]}"
    italic = [t["text"] for t in texts if t["italic"]]
    assert not italic, f"{theme}: italic text: {italic[:5]}"
    for button in view.evaluate(BUTTONS):
        assert button["border"] >= 1, f"{theme}: button without a border: {button}"
        assert button["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), f"{theme}: {button}"
    lowest = min(t["ratio"] for t in texts)
    print(f"[contrast] {theme}: {len(texts)} texts, lowest {lowest:.2f}:1")
    return lowest


def test_lab_view_meets_aa_contrast_in_light_and_dark_and_its_buttons_look_like_buttons(lab, page):
    name = write_notebook(
        lab, "contrast.ipynb", ['from codeflow_widget import CodeFlow\nCodeFlow(pace="instant")']
    )
    open_notebook(page, lab, name)
    run_all(page, name)
    view = lesson_view(page)
    view.locator(".cf-input").fill("帮我写个贪吃蛇")
    view.get_by_role("button", name="生成", exact=True).click()
    view.locator(".cf-project").wait_for(timeout=90_000)
    wait_state(view, "implement", "completed", timeout=30_000)
    view.locator(".cf-input").fill(
        "帮我写个猜数字游戏"
    )  # the counter shows, the 生成 button is live
    check(view, "light")
    top_screenshot(view, "lesson-light.png")

    page.evaluate(THEME % "JupyterLab Dark")
    expect(view).to_have_class(re.compile(r"\bcf-dark\b"), timeout=20_000)
    check(view, "dark")
    top_screenshot(view, "lesson-dark.png")
    page.evaluate(THEME % "JupyterLab Light")
    expect(view).not_to_have_class(re.compile(r"\bcf-dark\b"), timeout=20_000)
