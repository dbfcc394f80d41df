"""The teaching pace (widget/pacing.py), driven by a fake clock: no waiting, no wall time."""

from __future__ import annotations

from types import SimpleNamespace as Event

import pytest

from codeflow_widget.widget.pacing import LINE_COST, PACES, Presenter, char_cost

TICK = 0.05


class Screen:
    """What the view would show: revealed text per (phase, kind), and applied events in order."""

    def __init__(self) -> None:
        self.text: dict[tuple[str, str], str] = {}
        self.events: list[str] = []

    def show(self, phase: str, kind: str, text: str) -> None:
        self.text[(phase, kind)] = self.text.get((phase, kind), "") + text

    def apply(self, event) -> None:
        self.events.append(f"{event.type}:{getattr(event, 'phase', '')}")


def lesson(presenter: Presenter, phase: str, thinking: str, answer: str) -> None:
    presenter.push(Event(type="phase_started", phase=phase))
    for i in range(0, len(thinking), 6):
        presenter.push(Event(type="thinking", phase=phase, text=thinking[i : i + 6]))
    for i in range(0, len(answer), 6):
        presenter.push(Event(type="content", phase=phase, text=answer[i : i + 6]))
    presenter.push(Event(type="phase_completed", phase=phase))


def run_for(presenter: Presenter, seconds: float, start: float = 0.0) -> float:
    t = start
    while t < start + seconds - 1e-9:
        t += TICK
        presenter.step(t)
    return t


CJK = "想一想这个游戏需要什么：一条蛇，一个食物，一个会变长的身体。" * 40


@pytest.mark.parametrize(
    ("pace", "low", "high"), [("slow", 7.5, 15), ("normal", 15, 30), ("fast", 45, 90)]
)
def test_thinking_in_chinese_is_revealed_within_the_band_of_each_pace(pace, low, high):
    screen = Screen()
    presenter = Presenter(screen.show, screen.apply, pace)
    lesson(presenter, "specify", CJK, "# 规格\n")
    run_for(presenter, 10)
    rate = len(screen.text[("specify", "thinking")]) / 10
    assert low <= rate <= high, f"{pace}: {rate:.1f} characters a second"


def test_code_is_revealed_line_by_line_at_about_three_lines_a_second():
    code = "".join(f"x{i} = {i}  # 第 {i} 行\n" for i in range(200))
    screen = Screen()
    presenter = Presenter(screen.show, screen.apply, "normal")
    lesson(presenter, "implement", "", f"代码：\n```python\n{code}```\n")
    run_for(presenter, 1)  # the prose line and the fence line are on screen
    before = screen.text[("implement", "content")].count("\n")
    run_for(presenter, 10, start=1)
    lines = (screen.text[("implement", "content")].count("\n") - before) / 10
    assert 3.0 <= lines <= 4.0, lines
    assert screen.text[("implement", "content")].endswith("\n")  # whole lines, never half of one


def test_phase_completed_is_applied_only_after_its_text_is_shown():
    screen = Screen()
    presenter = Presenter(screen.show, screen.apply, "normal")
    lesson(presenter, "specify", CJK[:100], "规格说明")
    run_for(presenter, 2)
    assert screen.events == ["phase_started:specify"]
    run_for(presenter, 10, start=2)
    assert screen.events == ["phase_started:specify", "phase_completed:specify"]
    assert screen.text[("specify", "content")] == "规格说明" and presenter.idle


def test_fast_forward_finishes_the_current_phase_only_and_skip_shows_everything():
    screen = Screen()
    presenter = Presenter(screen.show, screen.apply, "normal")
    lesson(presenter, "specify", CJK, "规格")
    lesson(presenter, "plan", CJK, "方案")
    run_for(presenter, 1)
    presenter.fast_forward()
    assert (
        screen.text[("specify", "thinking")] == CJK
        and screen.text[("specify", "content")] == "规格"
    )
    assert screen.events == [
        "phase_started:specify",
        "phase_completed:specify",
        "phase_started:plan",
    ]
    assert ("plan", "thinking") not in screen.text
    presenter.skip_to_result()
    assert screen.text[("plan", "content")] == "方案" and presenter.idle
    assert screen.events[-1] == "phase_completed:plan"


def test_instant_shows_everything_at_the_first_step_and_pause_holds_it():
    screen = Screen()
    presenter = Presenter(screen.show, screen.apply, "normal")
    lesson(presenter, "specify", CJK, "规格")
    presenter.pause()
    run_for(presenter, 5)
    assert screen.text == {}
    presenter.set_pace("instant")
    presenter.resume()
    presenter.step(5.05)
    assert screen.text[("specify", "thinking")] == CJK and presenter.idle


def test_a_slow_source_is_shown_as_it_arrives_never_held_back():
    screen = Screen()
    presenter = Presenter(screen.show, screen.apply, "normal")
    presenter.push(Event(type="phase_started", phase="plan"))
    t = 0.0
    for second in range(5):  # a model sending 5 characters a second, below reading pace
        presenter.push(Event(type="thinking", phase="plan", text="慢慢地想啊"))
        t = run_for(presenter, 1, start=t)
        assert len(screen.text[("plan", "thinking")]) == 5 * (second + 1)


def test_text_shown_before_a_stop_is_shown_at_once_when_the_same_text_comes_again():
    screen = Screen()
    presenter = Presenter(screen.show, screen.apply, "normal")
    presenter.skip_shown({"specify": (CJK[:300], "")})
    lesson(presenter, "specify", CJK, "规格")
    run_for(presenter, TICK)
    assert len(screen.text[("specify", "thinking")]) >= 300
    assert len(screen.text[("specify", "thinking")]) < 300 + 5  # then the pace applies again


def test_reading_costs():
    assert char_cost("想") == 1.0 and char_cost("a") == 0.5 and char_cost(" ") == 0.0
    assert LINE_COST == pytest.approx(PACES["normal"][0] / PACES["normal"][1])
    with pytest.raises(ValueError):
        Presenter(print, print).set_pace("ludicrous")
