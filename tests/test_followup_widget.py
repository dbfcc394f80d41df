"""The lesson view's kernel side of follow-ups: traits, commands, step mode, undo."""

from __future__ import annotations

import asyncio
from pathlib import Path

from codeflow_widget import CodeFlow
from tests.test_widget import Wire, fast_env


async def _fresh(monkeypatch) -> tuple[CodeFlow, Wire]:
    fast_env(monkeypatch)
    monkeypatch.setenv("CODEFLOW_SMOKE_TIMEOUT_S", "1")
    widget = CodeFlow()
    wire = Wire(widget)
    widget._handle_command({"kind": "generate", "id": "g", "text": "帮我写个贪吃蛇"})
    assert await asyncio.wait_for(widget.settled(), 60) == "completed", widget.error
    return widget, wire


async def test_follow_up_from_the_card_shows_diffs_versions_and_the_trace(monkeypatch):
    widget, wire = await _fresh(monkeypatch)
    assert [v["n"] for v in widget.versions] == [1]
    folder = Path(widget.project["path"])
    original = (folder / "main.py").read_bytes()

    widget._handle_command({"kind": "follow_up", "id": "f", "text": "让蛇跑得更快"})
    assert "request_id" in wire.response("f")["result"]
    assert await asyncio.wait_for(widget.settled(), 60) == "completed", widget.error
    assert [(v["n"], v["wish"]) for v in widget.versions] == [
        (1, "帮我写个贪吃蛇"),
        (2, "让蛇跑得更快"),
    ]
    files = {(d["phase"], d["file"]) for d in widget.change["diffs"]}
    assert files == {("specify", "spec.md"), ("plan", "plan.md"), ("implement", "main.py")}
    ids = {r["id"]: r["explicit"] for r in widget.trace["requirements"]}
    assert ids["R8"] is True and ids["R1"] is True  # the lesson writes its ids
    assert any("R8" in item["ids"] and "speed_for" in item["text"] for item in widget.trace["plan"])
    assert any(
        "R8" in line["ids"] and line["function"] == "speed_for" for line in widget.trace["code"]
    )

    widget._handle_command({"kind": "version_diff", "id": "d", "n": 2})
    assert "+def speed_for(score):" in wire.response("d")["result"]["diff"]
    widget._handle_command({"kind": "restore", "id": "r", "n": 1})
    assert wire.response("r")["result"]["version"]["kind"] == "restore"
    assert (folder / "main.py").read_bytes() == original
    assert [v["n"] for v in widget.versions] == [1, 2, 3]
    assert widget.change == {} and widget.project["smoke_run"]["ok"]  # card read back from disk


async def test_unknown_follow_up_is_an_error_reply_and_the_banner_lists_the_offer(monkeypatch):
    widget, wire = await _fresh(monkeypatch)
    widget._handle_command({"kind": "follow_up", "id": "f", "text": "加个计分板"})
    reply = wire.response("f")
    assert "越吃越快" in reply["error"] and "项目没有任何改动" in widget.error
    assert widget.status == "completed" and [v["n"] for v in widget.versions] == [1]


async def test_step_mode_pauses_and_continues_with_the_edited_plan(monkeypatch):
    widget, wire = await _fresh(monkeypatch)
    widget.step_mode = True  # the 逐步 toggle
    widget._handle_command({"kind": "follow_up", "id": "f", "text": "加点障碍物"})
    for expected in ("specify", "plan"):
        for _ in range(600):
            if widget.checkpoint.get("phase") == expected:
                break
            await asyncio.sleep(0.05)
        assert widget.checkpoint.get("phase") == expected, widget.checkpoint
        text = widget.checkpoint["text"] + (
            "\n- 我自己加的：石头是灰色的（R10）\n" if expected == "plan" else ""
        )
        widget._handle_command({"kind": "resume", "id": f"c-{expected}", "text": text})
        assert wire.response(f"c-{expected}")["result"] == {"resumed": True}
    assert await asyncio.wait_for(widget.settled(), 60) == "completed", widget.error
    plan = (Path(widget.project["path"]) / "plan.md").read_text(encoding="utf-8")
    assert "我自己加的：石头是灰色的（R10）" in plan and widget.checkpoint == {}
