"""The lesson widget without a browser: traits, batched messages, commands, errors.

A fake ``send`` captures every custom message; ``comm.send`` is captured too, so
the key scan sees trait syncs as well. Streams come from a scripted event
sequence, from ``tests.scripted.ScriptedProvider`` and from the real offline flow.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from codeflow_widget.model import events as ev
from codeflow_widget.model.entities import MAX_RETRIES, PHASE_ORDER
from codeflow_widget.model.errors import ProviderRejected
from codeflow_widget.widget import lesson_view as widget_module
from codeflow_widget.widget.lesson_view import CodeFlow
from codeflow_widget.widget.render import render_markdown, render_phase_output, run_cells
from codeflow_widget.widget.stream import DeltaBatcher, LiveText
from codeflow_widget.widget.view_state import PHASES, ViewContext, changes_for
from tests.scripted import ScriptedProvider, Step

RID = "00000000-0000-0000-0000-000000000001"
KEY = "sk-widget-test-SECRET-0123456789abcdef"


class Wire:
    """Everything a widget sends: custom messages (with buffers) and raw comm data."""

    def __init__(self, widget: CodeFlow) -> None:
        self.custom: list[tuple[dict, list]] = []
        self.comm: list[Any] = []
        widget.send = lambda content, buffers=None: self.custom.append((content, buffers or []))
        original = widget.comm.send

        def comm_send(data=None, metadata=None, buffers=None):
            self.comm.append(data)
            return original(data=data, metadata=metadata, buffers=buffers)

        widget.comm.send = comm_send

    def of(self, kind: str) -> list[dict]:
        return [c for c, _ in self.custom if c.get("kind") == kind]

    def response(self, cid: str) -> dict:
        return next(c for c, _ in self.custom if c.get("kind") == "response" and c.get("id") == cid)


def fast_env(monkeypatch, pace: float = 0) -> None:
    monkeypatch.setenv("CODEFLOW_OFFLINE_DELAY", str(pace))
    monkeypatch.setenv("CODEFLOW_PACE", "instant")  # the reading pace has its own tests
    monkeypatch.setenv("CODEFLOW_SMOKE_TIMEOUT_S", "2")
    monkeypatch.setenv("CODEFLOW_BACKOFF_S", "0")


def rebuild(deltas: list[dict], after_seq: int = 0) -> dict[tuple[str, str], str]:
    text: dict[tuple[str, str], str] = {}
    for msg in deltas:
        if msg["seq"] > after_seq:
            for phase, kind, chunk in msg["items"]:
                text[(phase, kind)] = text.get((phase, kind), "") + chunk
    return text


async def scripted_events(n: int = 5000, pause_every: int = 50):
    """A spec phase: 5,000 deltas of ~12 bytes (60 KB), pausing now and then like a network."""
    yield ev.Started(
        request_id=RID, user_input="帮我写个贪吃蛇", provider="scripted", model="m", offline=False
    )
    yield ev.RequestStatusChanged(request_id=RID, status="processing")
    yield ev.PhaseStarted(
        request_id=RID,
        phase="specify",
        sequence_order=1,
        title="明确需求",
        educational_message="先把需求说清楚再动手写。",
    )
    for i in range(n):
        kind = ev.ThinkingDelta if i % 10 == 0 else ev.ContentDelta
        yield kind(request_id=RID, phase="specify", text=f"蛇{i:05d}<b>\n")
        if i % pause_every == 0:
            await asyncio.sleep(0.002)
    thinking = "".join(f"蛇{i:05d}<b>\n" for i in range(n) if i % 10 == 0)
    output = "".join(f"蛇{i:05d}<b>\n" for i in range(n) if i % 10)
    yield ev.PhaseCompleted(
        request_id=RID,
        phase="specify",
        output=output,
        duration_ms=1234,
        educational_message="先把需求说清楚再动手写。",
    )
    yield ev.Failed(
        request_id=RID, error_message="脚本到此为止", error_code="script.end", can_retry=False
    )
    scripted_events.expected = {("specify", "thinking"): thinking, ("specify", "content"): output}


def test_unknown_keyword_is_a_helpful_type_error():
    with pytest.raises(TypeError) as info:
        CodeFlow(langauge="en")
    text = str(info.value)
    assert "langauge" in text and "did you mean 'language'" in text and "projects_dir" in text


def test_config_error_is_shown_in_the_view_not_raised(monkeypatch):
    monkeypatch.setenv("CODEFLOW_TIMEOUT_S", "-5")
    widget = CodeFlow()
    assert "timeout_s" in widget.error
    assert "Traceback" not in widget.error
    wire = Wire(widget)
    widget._handle_command({"kind": "generate", "id": "g1", "text": "帮我写个贪吃蛇"})
    assert "timeout_s" in wire.response("g1")["error"]


def test_missing_api_key_is_shown_in_the_view(monkeypatch):
    widget = CodeFlow(provider="deepseek")
    assert "DEEPSEEK_API_KEY" in widget.error
    widget._handle_command({"kind": "set_language", "id": "l", "language": "en"})
    assert "Missing API key" in widget.error


async def test_five_thousand_deltas_become_few_batched_messages():
    widget = CodeFlow()
    wire = Wire(widget)
    await widget._consume(scripted_events())
    deltas = wire.of("deltas")
    assert 1 <= len(deltas) < 100  # 5,000 deltas, a few dozen messages
    assert all(set(m) == {"kind", "seq", "items"} for m in deltas)
    assert [m["seq"] for m in deltas] == sorted(m["seq"] for m in deltas)
    for msg in deltas:  # consecutive same-kind deltas are coalesced
        kinds = [(p, k) for p, k, _ in msg["items"]]
        assert all(a != b for a, b in zip(kinds, kinds[1:], strict=False))
    assert rebuild(deltas) == scripted_events.expected
    assert {c.get("kind") for c, _ in wire.custom} <= {"deltas", "reset", "response"}


async def test_phase_end_syncs_the_full_text_to_traitlets():
    widget = CodeFlow()
    Wire(widget)
    await widget._consume(scripted_events(n=300))
    spec = widget.phases["specify"]
    assert spec["status"] == "completed" and spec["elapsed_ms"] == 1234
    assert spec["output"] == scripted_events.expected[("specify", "content")]
    assert spec["thinking"] == scripted_events.expected[("specify", "thinking")]
    assert "&lt;b&gt;" in spec["output_html"] and "<b>" not in spec["output_html"]
    assert widget.status == "failed" and widget.error == "脚本到此为止"


async def test_catch_up_answers_with_the_text_so_far_and_later_deltas_continue_it():
    widget = CodeFlow()
    wire = Wire(widget)
    task = asyncio.ensure_future(widget._consume(scripted_events(n=3000, pause_every=10)))
    while len(wire.of("deltas")) < 3:
        await asyncio.sleep(0.005)
    widget._handle_command({"kind": "catch_up", "id": "c1"})
    answer = wire.response("c1")["result"]
    await task
    later = rebuild(wire.of("deltas"), after_seq=answer["seq"])
    for key, full in scripted_events.expected.items():
        phase, kind = key
        so_far = answer["live"][phase][kind]
        assert so_far and so_far + later.get(key, "") == full
    assert abs(answer["now_ms"] - __import__("time").time() * 1000) < 60_000


def test_batcher_without_a_loop_flushes_when_due():
    sent: list[dict] = []
    batcher = DeltaBatcher(sent.append, interval_s=3600)
    batcher.add("plan", "content", "a")
    batcher.add("plan", "content", "b")
    batcher.add("plan", "thinking", "c")
    assert sent == [{"kind": "deltas", "seq": 1, "items": [["plan", "content", "a"]]}]
    batcher.flush()
    assert sent[-1]["items"] == [["plan", "content", "b"], ["plan", "thinking", "c"]]


def test_live_text_restart_forgets_a_phase_and_numbers_the_reset_after_the_deltas():
    sent: list[dict] = []
    live = LiveText(sent.append, PHASES, interval_s=3600)
    live.add("plan", "thinking", "想")
    live.add("plan", "content", "a")
    live.add("plan", "content", "b")
    assert live.so_far("plan") == ("想", "ab")
    live.restart("plan")
    assert [m["kind"] for m in sent] == ["deltas", "deltas", "reset"]
    assert sent[-1] == {"kind": "reset", "seq": 3, "phases": ["plan"]}
    assert live.so_far("plan") == ("", "")
    live.add("specify", "content", "x")
    answer = live.catch_up()
    assert answer["seq"] == 4 and answer["live"]["specify"] == {"thinking": "", "content": "x"}
    assert set(answer["live"]) == set(PHASES)


def test_view_phases_are_the_flow_phases():
    assert PHASES == PHASE_ORDER
    assert CodeFlow().max_retries == MAX_RETRIES


def test_failed_event_fails_only_the_active_phase_and_keeps_its_text():
    phases = {"specify": {"status": "completed"}, "plan": {"status": "active", "note": ""}}
    event = ev.Failed(
        request_id=RID,
        error_message="模型拒绝了",
        error_code="provider.bad_request",
        can_retry=True,
    )
    ctx = ViewContext(phases, "zh", so_far=lambda p: ("想了想", "写了一半"))
    changes = changes_for(event, ctx)
    assert changes["phases"]["specify"] == {"status": "completed"}
    assert changes["phases"]["plan"]["status"] == "failed"
    assert changes["phases"]["plan"]["output"] == "写了一半"
    assert changes["status"] == "failed" and changes["can_retry"] is True
    assert changes["error"] == "模型拒绝了" and changes["error_code"] == "provider.bad_request"
    assert "project" not in changes
    assert changes_for(ev.ContentDelta(request_id=RID, phase="plan", text="x"), ctx) == {}


def test_importing_the_widget_loads_no_settings_renderers_asyncio_or_models():
    import subprocess
    import sys

    heavy = ("pydantic_settings", "markdown_it", "pygments.formatters", "asyncio")
    heavy += ("codeflow_widget.config",)
    heavy += ("codeflow_widget.model.entities", "codeflow_widget.flow.lesson", "openai")
    code = f"import sys; from codeflow_widget import CodeFlow; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_offline_flow_completes_with_project_card_download_and_run_cells(monkeypatch):
    fast_env(monkeypatch)
    widget = CodeFlow("帮我写个贪吃蛇")
    wire = Wire(widget)
    assert widget.offline and "离线示例模式" in widget.notice
    widget._handle_command({"kind": "generate", "id": "g1", "text": "帮我写个贪吃蛇"})
    assert "request_id" in wire.response("g1")["result"]
    await asyncio.wait_for(widget.settled(), 60)
    assert widget.status == "completed", widget.error
    assert [widget.phases[p]["status"] for p in ("specify", "plan", "implement")] == [
        "completed"
    ] * 3
    assert 'class="cf-code"' in widget.phases["implement"]["output_html"]
    card = widget.project
    assert card["downloadable"] and card["syntax_validated"] and card["main_file"] == "main.py"
    assert any(node["name"] == "main.py" and node["size"] > 0 for node in card["tree"]["children"])
    # The card lists every file of the zip (project.json too), and the generated files are
    # titled with the game's name, not the spec's heading ("贪吃蛇 规格说明").
    import io
    import zipfile

    listed = {node["name"] for node in card["tree"]["children"]}
    zipped = {
        Path(n).name
        for n in zipfile.ZipFile(
            io.BytesIO(
                __import__("codeflow_widget.flow.lesson", fromlist=["Lesson"]).Lesson.project_zip(
                    Path(card["path"])
                )
            )
        ).namelist()
    }
    assert "project.json" in listed and zipped <= listed | {card["name"]}
    readme = (Path(card["path"]) / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert "贪吃蛇" in readme and "规格说明" not in readme
    assert card["smoke_run"]["ok"]

    widget._handle_command({"kind": "download", "id": "d1"})
    reply, buffers = next((c, b) for c, b in wire.custom if c.get("id") == "d1")
    assert reply["result"]["filename"].endswith(".zip") and buffers[0][:2] == b"PK"

    widget._handle_command({"kind": "insert_cells", "id": "i1"})
    result = wire.response("i1")["result"]
    assert result["model_id"] == widget.model_id
    assert any("from codeflow_widget import play\n" in cell for cell in result["cells"])
    assert not any("subprocess" in cell or "%run" in cell for cell in result["cells"])


async def test_stop_cancels_mid_stream_and_leaves_no_project(monkeypatch, isolated):
    fast_env(monkeypatch, pace=1)
    widget = CodeFlow()
    wire = Wire(widget)
    widget._handle_command({"kind": "generate", "id": "g", "text": "帮我写个贪吃蛇"})
    while not wire.of("deltas"):
        await asyncio.sleep(0.01)
    widget._handle_command({"kind": "stop", "id": "s"})
    assert wire.response("s")["result"] == {"stopping": True}
    await asyncio.wait_for(widget.settled(), 10)
    # 已停止 is neutral: no error banner, no retry used, the stopped phase is not "failed".
    assert widget.status == "stopped" and widget.error == "" and widget.retry_count == 0
    assert not widget.can_retry
    assert widget.project == {}
    assert widget.phases["specify"]["status"] == "stopped"
    projects = isolated / "projects"
    assert not projects.exists() or not any(projects.iterdir())
    # 继续 runs the wish again; what was shown is shown at once and the lesson completes.
    widget._handle_command({"kind": "continue", "id": "c"})
    assert wire.response("c")["result"] == {"resumed": "run"}
    assert await asyncio.wait_for(widget.settled(), 60) == "completed"
    assert widget.retry_count == 0 and widget.project["name"].startswith("snake_")


async def test_retry_is_refused_after_the_third_failure(monkeypatch):
    fast_env(monkeypatch)
    widget = CodeFlow()
    wire = Wire(widget)
    widget._lesson.provider = ScriptedProvider().enqueue(
        *[Step(error=ProviderRejected("provider.bad_request", detail="x"))] * 8
    )
    widget._handle_command({"kind": "generate", "id": "g", "text": "做一个弹跳小球"})
    await widget.settled()
    assert widget.status == "failed" and widget.can_retry and widget.retry_count == 0
    for n in (1, 2, 3):
        widget._handle_command({"kind": "retry", "id": f"r{n}"})
        assert wire.response(f"r{n}")["result"] == {"retry_count": n}
        await widget.settled()
        assert widget.status == "failed" and widget.retry_count == n
    assert not widget.can_retry
    widget._handle_command({"kind": "retry", "id": "r4"})
    refused = wire.response("r4")["error"]
    assert "已经重试了 3 次" in refused and widget.error == refused


async def test_busy_widget_refuses_a_second_generate(monkeypatch):
    fast_env(monkeypatch, pace=1)
    widget = CodeFlow()
    wire = Wire(widget)
    widget._handle_command({"kind": "generate", "id": "g1", "text": "帮我写个贪吃蛇"})
    widget._handle_command({"kind": "generate", "id": "g2", "text": "帮我写个贪吃蛇"})
    assert "停止" in wire.response("g2")["error"]
    widget._handle_command({"kind": "stop", "id": "s"})  # before the flow's first step
    assert await widget.settled() == "stopped" and widget.error == ""


def test_bad_input_and_unknown_commands_are_answered_with_an_error():
    widget = CodeFlow()
    wire = Wire(widget)
    widget._handle_command({"kind": "generate", "id": "g", "text": "   "})
    assert "请输入" in wire.response("g")["error"] and "请输入" in widget.error
    widget._handle_command({"kind": "launch_missiles", "id": "x"})
    assert "launch_missiles" in wire.response("x")["error"]
    widget._handle_command({"kind": "download", "id": "d"})
    assert wire.response("d")["error"]


async def test_an_exception_in_a_handler_lands_in_the_error_trait(monkeypatch):
    widget = CodeFlow()
    Wire(widget)

    def boom(event, ctx):
        if event.type == "phase_started":
            raise RuntimeError("observer exploded")
        return changes_for(event, ctx)

    monkeypatch.setattr(widget_module, "changes_for", boom)
    await widget._consume(scripted_events(n=10))
    assert widget.error  # the later Failed event wins the banner, the crash was shown first
    assert "observer exploded" in widget.last_traceback


async def test_a_crashing_flow_is_shown_not_raised():
    widget = CodeFlow()
    Wire(widget)

    async def broken():
        yield ev.RequestStatusChanged(request_id=RID, status="processing")
        raise KeyError("lost")

    await widget._consume(broken())
    assert widget.status == "failed" and "KeyError" in widget.error


async def test_no_api_key_in_state_or_any_message(monkeypatch, fake_llm):
    fast_env(monkeypatch)
    monkeypatch.setenv("CODEFLOW_API_KEY", KEY)
    widget = CodeFlow(provider="custom", base_url=fake_llm.base_url, model="fake-model")
    wire = Wire(widget)
    assert not widget.error and not widget.offline
    widget._handle_command({"kind": "generate", "id": "g", "text": "做一个弹跳小球"})
    await asyncio.wait_for(widget.settled(), 60)
    assert widget.status == "completed", widget.error
    assert (
        fake_llm.chat_requests()[0].headers["authorization"].endswith(KEY)
    )  # the key was really used
    haystack = json.dumps(widget.get_state(), ensure_ascii=False, default=str)
    haystack += json.dumps([c for c, _ in wire.custom] + wire.comm, ensure_ascii=False, default=str)
    assert KEY not in haystack and KEY[-12:] not in haystack


def test_language_switch_relabels_kernel_side_text():
    widget = CodeFlow()
    widget._handle_command({"kind": "set_language", "id": "l", "language": "en"})
    assert widget.language == "en"
    assert widget.notice.startswith("Offline lesson mode")
    assert widget.phases["plan"]["title"] == "Plan"
    widget._handle_command({"kind": "set_language", "id": "l2", "language": "fr"})
    assert widget.language == "en" and "fr" in widget.error


def test_rendering_never_lets_model_html_through():
    payload = '<img src=x onerror="window.__xss=1"> <script>window.__xss=1</script> [x](javascript:alert(1))'
    html = render_markdown(payload) + render_phase_output(
        "implement", f"```python main.py\n# {payload}\n```"
    )
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_the_stylesheet_holds_the_highlighting_rules_with_every_token_class_and_each_colour_once():
    import re

    from pygments.formatters import HtmlFormatter

    from codeflow_widget.widget import render

    css = render.pygments_css()
    assert css in (widget_module._STATIC / "widget.css").read_text(encoding="utf-8")
    for style, scope in (
        (render.LIGHT_STYLE, ".cf-root .cf-code"),
        (render.DARK_STYLE, ".cf-root.cf-dark .cf-code"),
    ):
        own = css.split(f"/* Pygments {style} */\n")[1].split("/* Pygments")[0]
        rules = HtmlFormatter(style=style).get_style_defs(".x").splitlines()
        pygments = {m[1]: m[2] for r in rules if (m := re.match(r"^\.x (\.[\w-]+) (\{[^}]*\})", r))}
        ours, bodies = {}, []
        for line in own.splitlines():
            selectors, _, body = line.partition(" {")
            tokens = [
                s for s in selectors.split(", ") if re.fullmatch(rf"{re.escape(scope)} \.[\w-]+", s)
            ]
            ours |= {sel.removeprefix(scope + " "): "{" + body for sel in tokens}
            bodies += [body] if tokens else []
        assert len(pygments) > 60 and ours == pygments, style  # every class, its own declarations
        assert len(bodies) == len(set(bodies)), style  # a colour is written once, not per class


def test_run_cells_quote_paths_safely(tmp_path):
    cells = run_cells(tmp_path / 'we"ird', "main.py", ["pygame"])
    assert len(cells) == 3 and "%pip install pygame" in cells[0]
    compile(cells[1], "<cell>", "exec")  # the path is a valid Python literal


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_inserted_run_cell_plays_the_project_through_the_player(tmp_path, monkeypatch, lang):
    import codeflow_widget

    calls = []
    monkeypatch.setattr(
        codeflow_widget, "play", lambda *a, **k: calls.append((a, k)), raising=False
    )
    project = tmp_path / 'it\'s a "game"'
    cell = run_cells(project, "main.py", [], lang)[0]
    assert "subprocess" not in cell and "%run" not in cell
    exec(compile(cell, "<cell>", "exec"), {})
    [(args, kwargs)] = calls
    assert Path(args[0]).resolve() == project.resolve() and len(args) == 1
    assert kwargs == ({"language": "en"} if lang == "en" else {})


def test_magic_shows_the_view_with_the_request(monkeypatch):
    from codeflow_widget.terminal import magics

    shown: list[Any] = []
    monkeypatch.setattr(magics, "display", shown.append)
    magics.codeflow("--lang en 帮我写个 贪吃蛇")
    widget = shown[0]
    assert (
        isinstance(widget, CodeFlow)
        and widget.request == "帮我写个 贪吃蛇"
        and widget.language == "en"
    )
    assert widget.status == "idle"


async def test_with_a_view_text_is_let_out_at_the_pace_and_fast_forward_finishes_the_phase(
    monkeypatch,
):
    fast_env(monkeypatch)
    widget = CodeFlow(pace="normal")
    wire = Wire(widget)
    widget._handle_command({"kind": "catch_up", "id": "c"})  # a view has appeared: a reader
    widget._handle_command({"kind": "generate", "id": "g", "text": "帮我写个贪吃蛇"})
    while len(widget._live.so_far("specify")[0]) < 10:
        await asyncio.sleep(0.02)
    shown = widget._live.so_far("specify")[0]
    assert widget.phases["specify"]["status"] == "active"
    assert not widget._presenter.idle and len(shown) < 200  # held back, not all at once
    widget._handle_command({"kind": "fast_forward", "id": "f"})
    assert wire.response("f")["result"] == {"pace": "normal"}
    assert widget.phases["specify"]["status"] == "completed"
    assert widget.phases["plan"]["status"] in ("pending", "active")
    widget._handle_command({"kind": "skip_to_result", "id": "s"})
    assert await asyncio.wait_for(widget.settled(), 60) == "completed"
