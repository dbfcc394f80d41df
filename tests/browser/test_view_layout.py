"""The view's own bundle in a blank Chromium page (view_harness): the compact layout below
900 px (issue 15 #8: at 800×600 the request area filled the screen) and the thinking panel
that stays open while it is read and closes only once the next phase has been on screen for a
while — or never, once the learner has toggled it (issue 15 #1). Time is Playwright's clock."""

from __future__ import annotations

import pytest

from codeflow_widget.widget.view_state import empty_phases

from .view_harness import initial_state, mount_view

pytestmark = pytest.mark.browser

EXAMPLES = [f"帮我写一个第 {i} 个很有意思的小游戏，要有分数和关卡" for i in range(8)]

MEASURE = """
() => {
  const r = (sel) => document.querySelector(sel).getBoundingClientRect();
  const chips = [...document.querySelectorAll('.cf-examples .cf-chip')].map((c) => c.getBoundingClientRect().top);
  return {
    requestBottom: r('.cf-request').bottom,
    stepsBottom: r('.cf-steps').bottom,
    chipRows: new Set(chips.map(Math.round)).size,
    stepState: getComputedStyle(document.querySelector('.cf-step-state')).display,
    examplesScroll: getComputedStyle(document.querySelector('.cf-examples')).overflowX,
  };
}
"""


def with_examples() -> dict:
    state = initial_state()
    state["examples"] = {"zh": EXAMPLES, "en": EXAMPLES}
    return state


def test_below_900px_the_layout_is_compact_and_the_steps_show_on_the_first_screen(page):
    page.set_viewport_size({"width": 800, "height": 600})
    mount_view(page, with_examples())
    compact = page.evaluate(MEASURE)
    print(f"[layout] 800×600: {compact}")
    assert compact["chipRows"] == 1, compact  # one scrolling row of examples, not a wall
    assert compact["examplesScroll"] == "auto"
    assert compact["stepState"] == "none"
    # The request area leaves most of the screen: the steps row ends in the first 60 %.
    assert compact["stepsBottom"] <= 0.6 * 600, compact

    page.set_viewport_size({"width": 1200, "height": 900})
    wide = page.evaluate(MEASURE)
    print(f"[layout] 1200×900: {wide}")
    assert wide["chipRows"] >= 2 and wide["stepState"] != "none", wide  # the rule is the width's


def phases(**states: dict) -> dict:
    out = empty_phases("zh")
    for phase, changes in states.items():
        out[phase] = {**out[phase], **changes}
    return out


def set_phases(page, value: dict) -> None:
    page.evaluate("(v) => window.__cfSet('phases', v)", value)


def thinking_open(page, phase: str) -> bool:
    return page.locator(f'.cf-phase[data-phase="{phase}"] .cf-thinking').evaluate("d => d.open")


def test_thinking_stays_open_while_read_and_closes_once_the_next_phase_has_been_shown(page):
    page.clock.install()
    mount_view(page)
    page.evaluate("() => window.__cfSet('status', 'processing')")
    read = {
        "thinking": "先弄清楚玩家要什么。" * 20,
        "output": "# 规格",
        "output_html": "<h1>规格</h1>",
    }
    set_phases(page, phases(specify={"status": "active", "thinking": read["thinking"]}))
    assert thinking_open(page, "specify")

    # The phase completes: its thinking is still being read, so it stays open.
    set_phases(page, phases(specify={"status": "completed", **read}))
    page.clock.run_for(20_000)
    assert thinking_open(page, "specify"), "closed under the reader's eyes when the phase ended"

    # The next phase starts: open for a while beside it, then closed — with no other update.
    set_phases(page, phases(specify={"status": "completed", **read}, plan={"status": "active"}))
    page.clock.run_for(5_000)
    assert thinking_open(page, "specify"), "closed as soon as the next phase appeared"
    page.clock.run_for(5_000)
    assert not thinking_open(page, "specify"), "still open 10 s after the next phase began"

    # The learner opens it again: it is theirs now, and stays open whatever happens next.
    page.locator('.cf-phase[data-phase="specify"] .cf-thinking summary').click()
    page.clock.run_for(20_000)
    set_phases(page, phases(specify={"status": "completed", **read}, plan={"status": "completed"}))
    page.clock.run_for(20_000)
    assert thinking_open(page, "specify")


def test_a_learners_toggle_counts_even_in_the_moment_the_view_itself_opened_the_thinking(page):
    # The clock stands still, so the view's own opening is the last thing that happened when
    # the learner's click lands (the race a once-in-seven CI run hit: the view's bookkeeping
    # took the learner's toggle for its own and closed the panel again on the next tick).
    page.clock.install(time=0)
    page.clock.pause_at(1_000)
    mount_view(page)
    page.evaluate("() => window.__cfSet('status', 'processing')")
    set_phases(page, phases(specify={"status": "active", "thinking": "想一想。"}))
    assert thinking_open(page, "specify")
    page.locator('.cf-phase[data-phase="specify"] .cf-thinking summary').click()
    page.clock.run_for(5_000)
    assert not thinking_open(page, "specify"), "the learner closed it; the view opened it again"

    # The keyboard is a learner too: Enter on the focused summary.
    set_phases(
        page,
        phases(
            specify={"status": "completed", "thinking": "想一想。"},
            plan={"status": "active", "thinking": "分步骤。"},
        ),
    )
    assert thinking_open(page, "plan")
    page.locator('.cf-phase[data-phase="plan"] .cf-thinking summary').press("Enter")
    page.clock.run_for(5_000)
    assert not thinking_open(page, "plan"), "closed from the keyboard; the view opened it again"
