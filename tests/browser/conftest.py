"""Real servers, a real browser: JupyterLab 4 and Notebook 7 on loopback, driven by Chromium.

The browser is the system ``chromium`` (Debian package) through playwright's
``executable_path``; a missing browser FAILS the tier — the README's test command
installs it with apt. Servers and the browser live for the whole session (the
tier must stay under ~5 minutes); each test gets a fresh browser context.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import ARTIFACTS, CHROMIUM_ARGS, REPO, JupyterServer, start_server, stop_server


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail(
            "Chromium is not installed. The browser tests need the Debian package: "
            "sudo apt-get install -y chromium fonts-noto-cjk (see the README's test command)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Iterator[JupyterServer]:
    server = start_server("lab", tmp_path_factory.mktemp("lab"))
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def notebook7(tmp_path_factory) -> Iterator[JupyterServer]:
    server = start_server("notebook", tmp_path_factory.mktemp("nb7"))
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def fake_model_server() -> Iterator[str]:
    """``python -m tests.fakes.server`` as a subprocess; yields its base URL (first stdout line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.server", "--port", "0", "--delay", "0.01"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip() if process.stdout else ""
    if not line.startswith("http"):
        process.kill()
        pytest.fail(f"the fake model server did not print its URL (got {line!r})")
    yield line
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 1500}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"{exc}\n{getattr(exc, 'stack', '')}"))
    yield pg
    context.close()
    # anywidget loads widget.js from a blob: URL; errors from the host app itself are not ours
    # (Notebook 7.6 throws one while loading its settings schemas).
    ours = [e for e in errors if "blob:" in e or "LessonView" in e or "anywidget" in e]
    assert not ours, "uncaught errors from the lesson view:\n" + "\n".join(ours)


@pytest.fixture(scope="session", autouse=True)
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep a screenshot of the page for the artefacts."""
    outcome = yield
    report = outcome.get_result()
    funcargs = getattr(item, "funcargs", {})
    # the player tests reach their page through their notebook fixture (nb.page)
    page = funcargs.get("page") or getattr(funcargs.get("nb"), "page", None)
    if report.when == "call" and report.failed and page is not None:
        try:
            page.screenshot(path=str(ARTIFACTS / f"failure-{item.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - best effort
            pass
