"""The request area of the view's own bundle in a blank Chromium page (no Jupyter): the live
character counter with the limit, and the closest offline lessons offered as buttons."""

from __future__ import annotations

import pytest

from .view_harness import initial_state, mount_view

pytestmark = pytest.mark.browser


def test_counter_states_the_limit_before_it_is_reached_and_refuses_more_without_cutting(page):
    mount_view(page)
    box, counter = page.locator(".cf-input"), page.locator(".cf-counter")
    generate = page.get_by_role("button", name="生成", exact=True)
    box.fill("帮我写个贪吃蛇")
    assert counter.inner_text() == "7/1000 字"
    box.fill("蛇" * 950)
    assert counter.inner_text() == "还能输入 50 个字（最多 1000 个）"
    box.fill("蛇" * 1001)
    assert box.input_value() == "蛇" * 1001  # nothing cut silently
    assert counter.inner_text() == "超出了 1 个字：最多 1000 个，请精简。"
    assert generate.is_disabled()
    box.press("Enter")
    assert not [m for m in page.evaluate("() => window.__cfSent") if m["kind"] == "generate"]
    box.fill("帮我写个贪吃蛇")
    assert generate.is_enabled()


def test_a_wish_without_a_lesson_offers_the_closest_lessons_and_one_click_starts_it(page):
    mount_view(page, initial_state())
    page.evaluate(
        "() => { window.__cfSet('suggestions', [{id: 'gomoku', name: '五子棋', example: '帮我写个五子棋'},"
        " {id: 'tic_tac_toe', name: '井字棋', example: '帮我写个井字棋'}]);"
        " window.__cfSet('error', '离线示例模式里没有和「象棋」对应的课程。');"
        " window.__cfSet('status', 'failed'); }"
    )
    row = page.locator(".cf-suggest")
    assert row.inner_text().startswith("试试这些离线课程：")
    row.get_by_role("button", name="五子棋").click()
    sent = [m for m in page.evaluate("() => window.__cfSent") if m["kind"] == "generate"]
    assert [m["text"] for m in sent] == ["帮我写个五子棋"]
    assert page.locator(".cf-input").input_value() == "帮我写个五子棋"
