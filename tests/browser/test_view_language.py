"""The language switch after a failed run, in real JupyterLab 4: the failure banner and the
closest-lesson buttons follow it (issue 15 #7), both for an offline wish with no lesson and for
a model's refusal from the loopback OpenAI-compatible server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .notebook_page import lesson_view, open_notebook, run_all, write_notebook
from .test_lesson_view import fake
from .view_checks import CHROME_TEXT, CJK

pytestmark = pytest.mark.browser

TUTORIAL = "03_连接你的模型.ipynb"
# An English wish, so every Chinese character left in the English view is chrome.
NO_LESSON = (
    "from codeflow_widget import CodeFlow\n"
    'CodeFlow("make me a weather forecast website", autostart=True, pace="instant")'
)


def model_view(base_url: str) -> str:
    return (
        "from codeflow_widget import CodeFlow\n"
        f'CodeFlow("make me a weather forecast website", autostart=True, provider="custom",'
        f' base_url="{base_url}", model="fake-model")'
    )


def switch(view, to: str) -> None:
    view.get_by_role("button", name="English" if to == "en" else "中文").click()


def assert_english_chrome(view) -> None:
    # The tutorial notebook's file name is Chinese in both languages: it is a name, not chrome.
    texts = [text.replace(TUTORIAL, "") for text in view.evaluate(CHROME_TEXT)]
    chinese = [text for text in texts if CJK.search(text)]
    assert not chinese, f"Chinese left in the English view: {chinese[:6]}"


def test_lab_failure_banner_and_suggestions_follow_the_language_switch(
    lab, page, fake_model_server
):
    fake(fake_model_server, "reset")
    fake(fake_model_server, "enqueue", {"fault": "status=401,times=1"})
    name = write_notebook(lab, "failed-language.ipynb", [NO_LESSON, model_view(fake_model_server)])
    open_notebook(page, lab, name)
    run_all(page, name)
    offline, model = lesson_view(page, 0), lesson_view(page, 1)
    for view in (offline, model):
        expect(view).to_have_attribute("data-status", "failed", timeout=90_000)
    banner, buttons = offline.locator(".cf-error-text"), offline.locator(".cf-suggest button")
    expect(banner).to_contain_text("离线示例模式里没有")
    expect(buttons.first).to_be_visible()
    zh_names = buttons.all_inner_texts()
    assert all(CJK.search(n) for n in zh_names), zh_names
    expect(model.locator(".cf-error-text")).to_contain_text("拒绝了 API 密钥")

    # After the failure: the banner and the buttons are said again in English.
    switch(offline, "en")
    expect(banner).to_contain_text("Offline lesson mode has no lesson for")
    expect(offline.locator(".cf-suggest")).to_contain_text("Try one of these offline lessons")
    en_names = buttons.all_inner_texts()
    assert len(en_names) == len(zh_names) and not any(CJK.search(n) for n in en_names), en_names
    assert_english_chrome(offline)

    switch(model, "en")
    expect(model.locator(".cf-error-text")).to_contain_text("rejected the API key (401)")
    assert_english_chrome(model)

    # And back: the same sentence in Chinese, not the English one left over.
    switch(offline, "zh")
    expect(banner).to_contain_text("离线示例模式里没有")
    assert buttons.all_inner_texts() == zh_names
