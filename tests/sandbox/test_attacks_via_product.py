"""The attack suite through the product: a model answers with an attack, and a learner runs it.

One representative program per attack kind (tests/sandbox/attacks/, the first of each kind)
is delivered as the implement answer of the loopback model server (tests/fakes/) to the real
CLI, ``codeflow run --provider custom --base-url …``, in a child process. Then the same program
is put into a finished project as a learner's edit and started by each later run path: 运行
through the widget's command handler in-process, the player's session, and ``run.ipynb``
executed with nbclient. Every time: nothing outside changed (the arena's snapshot), no secret
(a fake API key, a token-like variable, a secret file in a fake HOME) appears in any output,
log, file, zip or model request, no process is left over, and the learner got a clear message
in Chinese (English with ``--language en``).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import HERE, LINUX_MECHANISMS, leftovers

KINDS = ("commands", "files", "hook", "network", "persistence", "resources", "secrets")
ATTACKS = [sorted((HERE / "attacks").glob(f"{kind}_*.py"))[0] for kind in KINDS]
ALL_ATTACKS = sorted((HERE / "attacks").glob("*.py"))
REPO = HERE.parent.parent
FAKE_KEY = "sk-fake-" + "k3y" * 8


def unchecked_targets(arena) -> str:
    """``targets.py`` with each path spelled as hex, as a model dodging the checks would write.

    The checks refuse absolute paths written in the code (they are not portable), which alone
    would stop 30 of the programs before anything runs; spelled this way they pass, so the
    smoke run and the later run paths really start them under the mechanism."""
    lines = []
    for line in (arena.project / "targets.py").read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition(" = ")
        data = json.loads(value)
        if isinstance(data, str):
            value = f'bytes.fromhex("{data.encode().hex()}").decode()'
        lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"


def answer_for(arena) -> str:
    """The implement answer: the attack as main.py with its helpers, as a model would write it."""
    fences = []
    for name in ("main.py", "attacklib.py", "targets.py"):
        text = (arena.project / name).read_text(encoding="utf-8")
        fences.append(f"```python {name}\n{text.rstrip()}\n```")
    return "下面是代码：\n\n" + "\n\n".join(fences) + "\n"


def texts_under(root: Path) -> str:
    """Every regular file under ``root`` as text, zip members included."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        parts.append(data.decode("utf-8", "replace"))
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return "\n".join(parts)


def assert_contained(arena, seen: str, marker: str) -> None:
    assert "ATTACK-SUCCEEDED: " not in seen  # printed by succeeded(); its source says ":",
    leaked = [form for form in arena.secret_forms() if form in seen]
    assert not leaked, leaked
    assert arena.heard() == []
    after = arena.state()
    for key in ("canary", "home", "site", "stdlib", "json", "outside"):
        assert after[key] == arena.before[key], f"{key} changed outside the run folder"
    for _ in range(100):
        alive = leftovers(marker)
        if not alive:
            break
        time.sleep(0.05)
    assert alive == [], f"processes left over: {alive}"


def run_cli(arena, fake_llm, work: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("CODEFLOW_")
    }  # the arena's secrets and fake HOME stay in
    env.update(
        PYTHONPATH=str(REPO), CODEFLOW_API_KEY=FAKE_KEY, CODEFLOW_OFFLINE_DELAY="0",
        CODEFLOW_SMOKE_TIMEOUT_S="3", CODEFLOW_BACKOFF_S="0",
    )  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "codeflow_widget", "run", "--provider", "custom",
         "--base-url", fake_llm.base_url, "--model", "m", *extra, "帮我写个贪吃蛇"],
        cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        encoding="utf-8",
    )  # fmt: skip


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: p.stem)
def test_attack_answered_by_the_model_through_the_cli(attack, arena, fake_llm, tmp_path):
    os.environ["CODEFLOW_API_KEY"] = FAKE_KEY  # the parent knows it too: the redactor's list
    arena.env_secrets["CODEFLOW_API_KEY"] = FAKE_KEY
    arena.install(attack)
    fake_llm.set_answer("implement", answer_for(arena))
    work = tmp_path / "work"
    work.mkdir()
    proc = run_cli(arena, fake_llm, work)
    out, err = proc.communicate(timeout=300)
    bodies = "\n".join(r.body if isinstance(r.body, str) else json.dumps(r.body, ensure_ascii=False)
                       for r in fake_llm.chat_requests())  # fmt: skip
    seen = "\n".join([out, err, bodies, texts_under(work)])
    assert_contained(arena, seen, f"codeflow-run-{proc.pid}-")
    said = out + err
    assert "Traceback" not in said
    # the learner is told in Chinese: refused by the checks, or the run's own verdict
    assert any(w in said for w in ("没有通过", "不能", "运行正常", "出错", "完成")), said[-2000:]
    assert len(fake_llm.chat_requests()) >= 3


def test_an_english_learner_is_told_in_english(arena, fake_llm, tmp_path):
    arena.install(ATTACKS[0])
    fake_llm.set_answer("implement", answer_for(arena))
    work = tmp_path / "work"
    work.mkdir()
    proc = run_cli(arena, fake_llm, work, "--language", "en")
    out, err = proc.communicate(timeout=300)
    said = out + err
    assert "Cannot" in said or "did not pass" in said, said[-2000:]
    assert "不能" not in said and "Traceback" not in said
    assert_contained(arena, "\n".join([said, texts_under(work)]), f"codeflow-run-{proc.pid}-")


# -- the later run paths: the attack as a learner's edit of a finished project -------------------
REFUSED = "没有通过运行前的检查"
ADMITTED = 30  # programs whose own code passes the checks (the rest are refused by the gate)
ENDED = ("ended", "crashed", "stopped")


def edited_project(arena, tmp_path: Path, program: Path | None = None) -> Path:
    """A finished offline project whose files the attack has replaced (main.py and helpers).

    ``targets.py`` is the hex-spelled one (``unchecked_targets``): the programs whose own code
    passes the checks are then really started, under the mechanism, by each run path."""
    import nbformat

    from codeflow_widget.output.run_docs import run_notebook

    project = tmp_path / "projects" / (program.stem if program else "snake_edit")
    project.mkdir(parents=True)
    main = program or arena.project / "main.py"
    (project / "main.py").write_bytes(main.read_bytes())
    (project / "attacklib.py").write_bytes((arena.project / "attacklib.py").read_bytes())
    (project / "targets.py").write_text(unchecked_targets(arena), encoding="utf-8")
    (project / "run.ipynb").write_text(
        nbformat.writes(run_notebook("贪吃蛇", "main.py", [])), encoding="utf-8"
    )
    return project


def passes_the_checks(project: Path) -> bool:
    from codeflow_widget.sandbox.gate import RunBlocked, admit

    try:
        admit(project)
    except RunBlocked:
        return False
    return True


async def until_ended(session, seconds: float = 4.0) -> None:
    """Give the program its time, then Stop, as a learner would (a spin or a bomb runs on)."""
    import asyncio

    for _ in range(int(seconds / 0.05)):
        if session.state in ENDED:
            break
        await asyncio.sleep(0.05)
    await session.stop()
    assert session.state in ENDED and not session.alive


@pytest.mark.parametrize("attack", ALL_ATTACKS, ids=lambda p: p.stem)
async def test_attack_as_a_learner_edit_through_run_and_the_player(attack, arena, tmp_path,
                                                                   monkeypatch):  # fmt: skip
    from codeflow_widget.flow.finished_project import open_game
    from codeflow_widget.sandbox.gate import RunBlocked
    from codeflow_widget.widget.lesson_view import CodeFlow

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("CODEFLOW_API_KEY", FAKE_KEY)
    arena.install(attack)
    project = edited_project(arena, tmp_path)
    admitted = passes_the_checks(project)
    widget = CodeFlow()
    sent: list[dict] = []
    widget._send_msg = lambda content, buffers=None: sent.append(content)
    widget.project = {"path": str(project), "main_file": "main.py"}
    widget._handle_command({"kind": "run_project", "id": "r1"})
    reply = next(c for c in sent if c.get("id") == "r1")
    seen = [json.dumps(reply, ensure_ascii=False), widget.run_output, widget.error]
    session = open_game(project, "zh")  # the player's own door: the same gate, same launcher
    if admitted:  # 运行 started the card's player under the real mechanism; so does the door
        player = widget._player
        assert reply["result"]["sandbox"]["isolated"], reply
        assert reply["result"]["sandbox"]["name"] in LINUX_MECHANISMS
        await until_ended(player.session)
        await session.start()
        assert session.mechanism.isolated and session.mechanism.name in LINUX_MECHANISMS
        await until_ended(session)
        for ran in (player.session, session):  # ended or crashed: told why; a Stop says nothing
            if ran.state != "stopped":
                assert re.search("[\u4e00-\u9fff]", ran.message), (ran.state, ran.message)
        seen += [player.message, player.session.traceback, session.message, session.traceback]
    else:  # the gate stops it before a process exists, in Chinese, and no player is created
        assert widget._player is None and widget.run_status == "failed"
        assert REFUSED in widget.run_output and reply["error"] == widget.run_output
        with pytest.raises(RunBlocked) as refused:
            await session.start()
        assert REFUSED in str(refused.value) and not session.alive
        seen.append(str(refused.value))
    widget.close()
    seen.append(texts_under(project))
    assert_contained(arena, "\n".join(seen), f"codeflow-run-{os.getpid()}-")


WATCH = """import asyncio, json, os
player = _
for _i in range(100):
    if player.state not in ("idle", "starting", "running", "paused"):
        break
    await asyncio.sleep(0.05)
await player.session.stop()
print("RESULT", json.dumps({"id": %r, "state": player.state, "message": player.message,
      "ended": not player.session.alive, "pid": os.getpid(),
      "mechanism": getattr(player.session.mechanism, "name", None)}, ensure_ascii=False))
player.close()
"""


def test_every_attack_as_a_learner_edit_through_run_ipynb_in_one_kernel(arena, tmp_path,
                                                                       monkeypatch):  # fmt: skip
    """Each project's own run.ipynb cells, in one kernel (nbclient), after a cd into it."""
    import nbclient
    import nbformat

    monkeypatch.setenv("PYTHONPATH", str(REPO))
    for name in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        monkeypatch.setenv(name, str(tmp_path / "jupyter" / name))  # the kernel's own, not HOME
    arena.install(ALL_ATTACKS[0])
    batch = nbformat.v4.new_notebook()
    admitted = {}
    for program in ALL_ATTACKS:
        project = edited_project(arena, tmp_path, program)
        admitted[program.stem] = passes_the_checks(project)
        cells = nbformat.read(project / "run.ipynb", as_version=4).cells
        play = [c for c in cells if c.cell_type == "code" and "play(" in c.source]
        assert len(play) == 1 and "%run" not in json.dumps([c.source for c in cells])
        batch.cells += [nbformat.v4.new_code_cell(f"%cd {project}"), play[0],
                        nbformat.v4.new_code_cell(WATCH % program.stem)]  # fmt: skip
    # 57 use a module or call the checks refuse; the gate must keep refusing them (pinned, so a
    # gate that lets everything through fails here even though the mechanism holds).
    assert sum(admitted.values()) == ADMITTED
    client = nbclient.NotebookClient(
        batch, timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [o for c in batch.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    results = [json.loads(line[7:]) for line in shown.splitlines() if line.startswith("RESULT ")]
    assert [r["id"] for r in results] == [p.stem for p in ALL_ATTACKS]
    for result in results:
        assert result["ended"], result
        if result["state"] != "stopped":  # ended, crashed or refused: told why, in Chinese
            assert re.search("[\u4e00-\u9fff]", result["message"]), result
        if admitted[result["id"]]:
            assert result["state"] in ENDED and result["mechanism"] in LINUX_MECHANISMS, result
        else:
            assert result["state"] == "error" and REFUSED in result["message"], result
    everything = json.dumps(outputs, ensure_ascii=False) + texts_under(tmp_path / "projects")
    assert_contained(arena, everything, f"codeflow-run-{results[0]['pid']}-")
