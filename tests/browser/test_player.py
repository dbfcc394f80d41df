"""The player in real JupyterLab 4 and Notebook 7, in real Chromium.

One page per server for the whole module (start-ups are the slow part): each test runs its cells
in that page's notebook. The deterministic test game (tests/play/games/square) is checked pixel
by pixel on the canvas; keys pressed while the canvas has focus must not reach the notebook:
no key event reaches a listener on ``document`` (where JupyterLab's shortcuts listen), every
one has its default action (scrolling, for PageDown and Home) prevented, and the cell count,
active cell, mode and cell type are unchanged. Closing the player,
running its cell again and restarting the kernel must each leave no game process: the check
walks /proc for processes under the Jupyter server that run the capture shim. Each offline
lesson with a ``play_check`` in its lesson.json is played and its picture must change.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from tests.play.procs import game_processes

from .notebook_page import KERNEL_IDLE, open_notebook, run_cell, write_notebook
from .servers import ARTIFACTS, REPO, SCREENSHOTS

pytestmark = pytest.mark.browser

# Read at import: tests/conftest.py clears every CODEFLOW_* variable around each test.
UPDATE_SCREENSHOTS = os.environ.get("CODEFLOW_UPDATE_SCREENSHOTS") == "1"
GAMES = REPO / "tests" / "play" / "games"
LESSONS = REPO / "codeflow_widget" / "providers" / "offline" / "lessons"
FILLER = 25  # cells above the player, so the notebook scrolls

# Runs before any of the page's own scripts, so its window listener is the first in the capture
# phase: it sees every key event (before the player's), and reads defaultPrevented afterwards.
# The document listeners only see what gets past window, i.e. what the notebook would see.
KEY_LEDGER = """
window.__cfKeys = { all: [], reachedDocument: [] };
for (const type of ['keydown', 'keyup', 'keypress']) {
  window.addEventListener(type, (e) => window.__cfKeys.all.push(e), true);
  for (const capture of [true, false])
    document.addEventListener(type, (e) => window.__cfKeys.reachedDocument.push(
      `${e.type}:${e.key}`), capture);
}
"""


PLAY_IMPORT = "from codeflow_widget import play\n"


def play_source(project: Path, name: str = "p") -> str:
    return f"{PLAY_IMPORT}{name} = play({str(project)!r})\n{name}"


def lessons_with_play_check() -> list[str]:
    found = []
    for path in sorted(LESSONS.glob("*/lesson.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("play_check"):
            found.append(path.parent.name)
    return found


def lesson_project(lesson: str, root: Path) -> Path:
    text = (LESSONS / lesson / "implement.md").read_text(encoding="utf-8")
    match = re.search(r"```python main\.py\n(.*?)\n```", text, re.S)
    assert match, f"{lesson}: no ```python main.py fence"
    project = root / f"lesson_{lesson}"
    project.mkdir(exist_ok=True)
    (project / "main.py").write_text(match.group(1) + "\n", encoding="utf-8")
    return project


def wait_processes(server, count: int, timeout: float = 20.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while True:
        found = game_processes(server.process.pid, roots_only=True)
        if len(found) == count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


# ---- the page


class Notebook:
    """One open notebook in one page, for the module: cells are appended and run."""

    def __init__(self, page, server, name: str):
        self.page, self.server, self.name = page, server, name

    def run(self, index: int) -> None:
        run_cell(self.page, self.name, index)

    def set_source(self, index: int, source: str) -> None:
        self.page.evaluate(
            "([name, i, src]) => { const cell = window.__cfPanel(name).content.widgets[i];"
            " cell.model.sharedModel.setSource(src); }",
            [self.name, index, source],
        )

    def idle(self) -> None:
        self.page.wait_for_function(KERNEL_IDLE, arg=self.name, timeout=60_000)

    def settled_state(self) -> dict:
        """The state once layout has settled (Notebook 7's windowed list re-measures cells
        for a moment after the canvas is scrolled into view, moving scrollTop by itself)."""
        last = self.state()
        for _ in range(20):
            self.page.wait_for_timeout(300)
            now = self.state()
            if now == last:
                return now
            last = now
        return last

    def key_ledger_mark(self) -> int:
        return self.page.evaluate("() => window.__cfKeys.all.length")

    def keys_since(self, mark: int) -> dict:
        """Key events since ``mark``: those whose default action was not prevented, and those
        that reached a listener on document."""
        return self.page.evaluate(
            """(mark) => ({
              notPrevented: window.__cfKeys.all.slice(mark).filter((e) => !e.defaultPrevented)
                .map((e) => `${e.type}:${e.key}`),
              seen: window.__cfKeys.all.length - mark,
              reachedDocument: window.__cfKeys.reachedDocument.splice(0) })""",
            mark,
        )

    def state(self) -> dict:
        return self.page.evaluate(
            """(name) => { const nb = window.__cfPanel(name).content;
              const scroller = nb.node.querySelector('.jp-WindowedPanel-outer')
                || nb.node.closest('.jp-WindowedPanel-outer') || nb.node;
              return { cells: nb.widgets.length, active: nb.activeCellIndex, mode: nb.mode,
                       type: nb.activeCell.model.type, scroll: scroller.scrollTop,
                       pageScroll: document.scrollingElement.scrollTop }; }""",
            self.name,
        )


def open_module_notebook(browser, server, name: str, player_cell: str) -> tuple[object, Notebook]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_init_script(KEY_LEDGER)
    page = context.new_page()
    page.set_default_timeout(60_000)
    cells = [f"filler_{i} = {i}" for i in range(FILLER)] + [player_cell, "", ""]
    write_notebook(server, name, cells)
    open_notebook(page, server, name)
    return context, Notebook(page, server, name)


@pytest.fixture(scope="module", params=["lab", "notebook7"])
def nb(request, browser):
    server = request.getfixturevalue(request.param)
    context, notebook = open_module_notebook(
        browser, server, f"player-{request.param}.ipynb", play_source(GAMES / "square")
    )
    yield notebook
    context.close()
    server.shutdown_kernels()


def player(nb: Notebook):
    view = nb.page.locator(".cf-player").last
    view.wait_for(state="visible", timeout=60_000)
    return view


def wait_frames(view, at_least: int = 1) -> None:
    view.page.wait_for_function(
        "([el, n]) => Number(el.dataset.frames || 0) >= n",
        arg=[view.element_handle(), at_least],
        timeout=30_000,
    )


PIXEL = """([el, x, y]) => { const c = el.querySelector('canvas');
  return Array.from(c.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)); }"""


def wait_pixel(view, x: int, y: int, rgb: tuple[int, int, int], what: str) -> None:
    try:
        view.page.wait_for_function(
            f"([el, x, y]) => ({PIXEL})([el, x, y]).join() === '{','.join(map(str, rgb))}'",
            arg=[view.element_handle(), x, y],
            timeout=10_000,
        )
    except Exception as exc:  # noqa: BLE001 - say which pixel and what it was
        actual = view.evaluate(f"(el) => ({PIXEL})([el, {x}, {y}])")
        seen = view.evaluate(SEEN, list(rgb))
        raise AssertionError(
            f"{what}: pixel ({x},{y}) is {actual}, wanted {list(rgb)}; the view: {seen}"
        ) from exc


# On a failure: where that colour is on the canvas (if anywhere), whether the canvas has the
# keys, and the view's frame counters — a click that missed, a frame never drawn, or no frames.
SEEN = """(el, rgb) => { const c = el.querySelector('canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const at = [];
  for (let i = 0; i < d.length && at.length < 4; i += 4)
    if (d[i] === rgb[0] && d[i + 1] === rgb[1] && d[i + 2] === rgb[2]) at.push([(i / 4) % c.width, Math.floor(i / 4 / c.width)]);
  const s = el.__cfStats || {};
  return { colourAt: at, focused: document.activeElement === el.querySelector('.cf-player-screen'),
           frames: s.frames, lastSeq: s.lastSeq, win: s.win, state: el.dataset.state }; }"""


# Where to click: the page point over game pixel (x, y), once the canvas holds still there and
# a hit test at that point lands on the canvas. JupyterLab's default windowing
# ("contentVisibility") lays out cells near the viewport only as they scroll in, so a box read
# right after scrolling can move; and Playwright's own click (locator.click(position=…)) saw the
# windowed panel "intercept pointer events" for 60 s of retries in one clean-clone run. This
# re-scrolls the canvas to the middle of the panel until the hit test agrees for 3 frames.
AIM = """async (el, [fx, fy]) => { const c = el.querySelector('canvas');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  let last = '', still = 0, hit = null;
  for (let i = 0; i < 600; i++) {
    const b = c.getBoundingClientRect();
    const x = b.left + fx * b.width, y = b.top + fy * b.height;
    hit = document.elementFromPoint(x, y);
    const key = [b.left, b.top, b.width, b.height].join();
    if (hit === c) { still = key === last ? still + 1 : 0; if (still >= 3) return [x, y]; }
    else { still = 0; if (i % 30 === 0) c.scrollIntoView({ block: 'center' }); }
    last = key;
    await frame();
  }
  return 'no clear point: ' + (hit ? hit.className || hit.tagName : 'nothing') + ' is there'; }"""


def click_game(view, x: int, y: int) -> None:
    size = view.evaluate(
        "(el) => [el.querySelector('canvas').width, el.querySelector('canvas').height]"
    )
    point = view.evaluate(AIM, [(x + 0.5) / size[0], (y + 0.5) / size[1]])
    assert isinstance(point, list), f"clicking game pixel ({x},{y}): {point}"
    view.page.mouse.click(*point)


def start_player(nb: Notebook, index: int = FILLER) -> object:
    nb.run(index)
    view = player(nb)
    wait_frames(view)
    return view


# ---- tests


def test_the_test_game_is_played_pixel_by_pixel_and_keys_never_reach_the_notebook(nb):
    view = start_player(nb)
    wait_pixel(view, 55, 55, (255, 255, 255), "the square starts at 50,50")
    assert "点击画面开始玩 · 点击外面退出" in view.inner_text()
    assert "声音已静音" in view.inner_text()
    assert view.locator("canvas").evaluate("c => getComputedStyle(c).imageRendering") == "pixelated"

    click_game(view, 100, 120)  # focus (and one click on the game)
    wait_pixel(view, 99, 119, (0, 0, 255), "a blue block where the canvas was clicked")
    before = nb.settled_state()
    assert before["scroll"] > 0, "the notebook must be scrolled, so PageDown and Home could act"
    nb.keys_since(nb.key_ledger_mark())  # empty the document list
    mark = nb.key_ledger_mark()
    page = nb.page
    page.keyboard.press("ArrowRight")
    wait_pixel(view, 65, 55, (255, 255, 255), "ArrowRight moved the square to 60,50")
    wait_pixel(view, 55, 55, (0, 0, 0), "the old spot is background again")
    page.keyboard.press("ArrowDown")
    wait_pixel(view, 65, 65, (255, 255, 255), "ArrowDown moved the square to 60,60")
    page.keyboard.down("Space")
    wait_pixel(view, 5, 5, (255, 0, 0), "red while Space is held (get_pressed)")
    page.wait_for_timeout(400)
    wait_pixel(view, 5, 5, (255, 0, 0), "still red after 400 ms held")
    page.keyboard.up("Space")
    wait_pixel(view, 5, 5, (0, 0, 0), "red gone after Space is released")
    # Notebook shortcuts in command mode: none may fire while the game has the keys.
    for key in [
        "ArrowUp",
        "ArrowDown",
        "ArrowUp",
        "a",
        "b",
        "m",
        "d",
        "d",
        "x",
        "j",
        "k",
        "Enter",
        "PageDown",
        "Home",
    ]:
        page.keyboard.press(key)
    page.keyboard.press("g")
    wait_pixel(view, 5, 145, (0, 255, 0), "TEXTINPUT 'g' reached the game")
    keys = nb.keys_since(mark)
    # 18 presses, each a keydown and a keyup (no keypress: a prevented keydown has none). A
    # miscount means the ledger missed events, and its empty lists below would prove nothing.
    assert keys["seen"] == 2 * 18, keys
    assert keys["reachedDocument"] == [], f"keys reached the notebook: {keys}"
    assert keys["notPrevented"] == [], f"keys kept their default action: {keys}"
    # Notebook 7's windowed list re-measures cells by itself and moves scrollTop (CI saw 240 px
    # with no key involved), so the scroll is covered by the prevented defaults above.
    notebook_only = ("scroll", "pageScroll")
    after = {k: v for k, v in nb.state().items() if k not in notebook_only}
    assert after == {k: v for k, v in before.items() if k not in notebook_only}, (
        f"the notebook changed while the game had the keys: {before} → {after}"
    )

    # Esc goes to the game too (it quits on Esc) and does not change the notebook's mode.
    page.keyboard.press("Escape")
    view.page.wait_for_function("(el) => el.dataset.state === 'ended'", arg=view.element_handle())
    # The ended player is shorter than the running one, so the page may reflow: the scroll
    # position is compared while the game has the keys (above); here, the cell and its mode.
    ended = {k: v for k, v in nb.state().items() if k not in ("scroll", "pageScroll")}
    assert ended == {k: v for k, v in before.items() if k not in ("scroll", "pageScroll")}
    assert "游戏已结束" in view.inner_text()


def test_clicking_outside_gives_the_keys_back_to_the_notebook(nb):
    view = start_player(nb)
    click_game(view, 10, 10)
    # The focus class follows the canvas's focus event: under load it lands a frame later (CI
    # saw it missing right after the click once), so it is waited for, not read at once.
    view.page.wait_for_function(
        "(el) => el.classList.contains('cf-player-focused')",
        arg=view.element_handle(),
        timeout=10_000,
    )
    nb.page.locator(".jp-Cell").nth(FILLER - 3).locator(".jp-InputPrompt").click()  # outside
    assert not view.evaluate("(el) => el.classList.contains('cf-player-focused')")
    assert nb.state()["active"] == FILLER - 3
    nb.page.keyboard.press("ArrowDown")  # the notebook has the keys again: next cell
    assert nb.state()["active"] == FILLER - 2
    wait_pixel(view, 55, 55, (255, 255, 255), "the square did not move")


def test_closing_rerunning_and_restarting_leave_no_game_process(nb):
    server = nb.server
    start_player(nb)
    assert len(wait_processes(server, 1)) == 1
    # Running the cell again: the old game ends, exactly one plays.
    nb.run(FILLER)
    wait_frames(player(nb))
    nb.idle()
    assert len(wait_processes(server, 1)) == 1
    # Closing the player from another cell.
    nb.set_source(FILLER + 1, "p.close()")
    nb.run(FILLER + 1)
    nb.idle()
    assert wait_processes(server, 0) == []
    # Restarting the kernel while a game plays.
    start_player(nb)
    assert len(wait_processes(server, 1)) == 1
    nb.page.evaluate(
        "(name) => window.__cfPanel(name).context.sessionContext.session.kernel.restart()", nb.name
    )
    assert wait_processes(server, 0) == []
    nb.idle()


def test_a_crash_shows_the_traceback_and_restart_plays_again(nb):
    view = start_player(nb)
    click_game(view, 10, 10)
    nb.page.keyboard.press("c")
    view.page.wait_for_function("(el) => el.dataset.state === 'crashed'", arg=view.element_handle())
    text = view.locator(".cf-player-traceback").inner_text()
    assert "ZeroDivisionError" in text and "main.py" in text and "__main__.py" not in text
    view.get_by_role("button", name="重新开始").last.click()
    view.page.wait_for_function("(el) => el.dataset.state === 'running'", arg=view.element_handle())
    wait_pixel(view, 55, 55, (255, 255, 255), "the restarted game draws again")


@pytest.mark.parametrize("nb", ["lab"], indirect=True)  # the view code is the same in Notebook 7
@pytest.mark.parametrize("lesson", lessons_with_play_check())
def test_each_lesson_reacts_to_its_play_check(nb, lesson):
    check = json.loads((LESSONS / lesson / "lesson.json").read_text(encoding="utf-8"))["play_check"]
    project = lesson_project(lesson, nb.server.root)
    nb.set_source(FILLER, play_source(project))
    view = start_player(nb)
    nb.page.wait_for_timeout(300)
    before = view.evaluate("(el) => el.querySelector('canvas').toDataURL()")
    if not check.get("clicks"):
        click_game(view, 2, 2)  # focus; a corner click changes nothing in these games
    for x, y in check.get("clicks", []):
        click_game(view, x, y)
    for key in check.get("keys", []):
        nb.page.keyboard.press(key)
    if check.get("text"):
        nb.page.keyboard.type(check["text"])
    nb.page.wait_for_function(
        "([el, before]) => el.querySelector('canvas').toDataURL() !== before",
        arg=[view.element_handle(), before],
        timeout=5_000,
    )
    assert view.evaluate("(el) => el.dataset.state") == "running"
    if lesson == lessons_with_play_check()[0]:
        # JupyterLab around the player, so the picture shows where the game is played.
        view.evaluate("el => el.scrollIntoView({block: 'center'})")
        shot = ARTIFACTS / "player-lab.png"
        nb.page.screenshot(path=str(shot), animations="disabled")
        if UPDATE_SCREENSHOTS:  # the README's picture, refreshed on request only
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            (SCREENSHOTS / "player-lab.png").write_bytes(shot.read_bytes())


@pytest.mark.parametrize("nb", ["lab"], indirect=True)  # the view code is the same in Notebook 7
def test_a_game_that_changes_every_frame_keeps_flowing_with_cumulative_acks(nb):
    # tests/play/games/dirty changes every frame at 60 fps, faster than the view acks (at most
    # one ack per 100 ms): the ack it owes must still go out, or the window fills and the
    # picture freezes after a few frames.
    nb.set_source(FILLER + 1, play_source(GAMES / "dirty", name="d"))
    nb.run(FILLER + 1)
    view = nb.page.locator(".cf-player").last
    wait_frames(view, 120)
    shown = view.evaluate("(el) => el.__cfStats")
    assert shown["lastSeq"] >= 120 and shown["win"] >= 2
    nb.set_source(FILLER + 2, "d.close()\nprint('acked', d.session.stats['last_acked'])")
    nb.run(FILLER + 2)
    nb.page.wait_for_function(KERNEL_IDLE, arg=nb.name, timeout=60_000)
    nb.set_source(FILLER + 1, "")
    nb.set_source(FILLER + 2, "")
