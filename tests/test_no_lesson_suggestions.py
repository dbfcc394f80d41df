"""A wish with no offline lesson is no dead end: the lesson view offers its 3 closest lessons.

The kernel side of the view contract (``failed.suggestions``): the ``suggestions`` trait holds
``[{id, name, example}]`` in the learner's language after a no-lesson failure, the example is a
wish that starts that lesson, and the next run (or any other ending) clears them.
"""

from __future__ import annotations

import asyncio

from codeflow_widget.providers.offline import default_catalogue
from codeflow_widget.widget.lesson_view import CodeFlow

from .test_widget import fast_env


async def test_no_lesson_wish_fills_the_suggestions_trait_and_a_suggestion_starts_its_lesson(
    monkeypatch, isolated
):
    fast_env(monkeypatch)
    widget = CodeFlow()
    widget._handle_command({"kind": "generate", "id": "g1", "text": "我想下象棋"})
    assert await asyncio.wait_for(widget.settled(), 60) == "failed"
    assert widget.error_code == "offline.no_match"
    ids = [s["id"] for s in widget.suggestions]
    assert len(ids) == 3 and set(ids[:2]) == {"gomoku", "tic_tac_toe"}  # the nearest board games
    catalogue = default_catalogue()
    for suggestion in widget.suggestions:
        lesson = catalogue.get(suggestion["id"])
        assert suggestion == {
            "id": lesson.id, "name": lesson.name("zh"), "example": lesson.examples["zh"][0],
        }  # fmt: skip
        assert suggestion["name"] in widget.error  # the banner names the same lessons

    # What the view does on a click: the example becomes the request, and it starts.
    first = widget.suggestions[0]
    widget.request = first["example"]
    widget._handle_command({"kind": "generate", "id": "g2", "text": widget.request})
    assert widget.suggestions == []  # a new run clears them at once
    assert await asyncio.wait_for(widget.settled(), 60) == "completed", widget.error
    assert widget.project["type"] == first["id"] and widget.suggestions == []


async def test_english_view_names_the_suggestions_in_english(monkeypatch, isolated):
    fast_env(monkeypatch)
    widget = CodeFlow(language="en")
    widget._handle_command({"kind": "generate", "id": "g1", "text": "an operating system kernel"})
    assert await asyncio.wait_for(widget.settled(), 60) == "failed"
    assert [(s["id"], s["name"]) for s in widget.suggestions] == [
        ("snake", "Snake"), ("tetris", "Tetris"), ("gomoku", "Gomoku"),
    ]  # fmt: skip
    assert all(s["example"].isascii() for s in widget.suggestions)


async def test_other_failures_offer_no_suggestions(monkeypatch, isolated):
    fast_env(monkeypatch)
    widget = CodeFlow()
    widget._handle_command({"kind": "generate", "id": "g1", "text": "我想下象棋"})
    await asyncio.wait_for(widget.settled(), 60)
    assert widget.suggestions
    widget._handle_command({"kind": "generate", "id": "g2", "text": "帮我写个贪吃蛇"})
    widget._handle_command({"kind": "stop", "id": "s1"})
    await asyncio.wait_for(widget.settled(), 60)
    assert widget.status == "stopped" and widget.suggestions == []
