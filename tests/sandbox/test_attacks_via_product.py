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
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import HERE, leftovers

KINDS = ("commands", "files", "hook", "network", "persistence", "resources", "secrets")
ATTACKS = [sorted((HERE / "attacks").glob(f"{kind}_*.py"))[0] for kind in KINDS]
REPO = HERE.parent.parent
FAKE_KEY = "sk-fake-" + "k3y" * 8


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
def edited_project(arena, tmp_path: Path) -> Path:
    """A finished offline project whose files the attack has replaced (main.py and helpers)."""
    from codeflow_widget.output.run_docs import run_notebook

    project = tmp_path / "projects" / "snake_edit"
    project.mkdir(parents=True)
    for name in ("main.py", "attacklib.py", "targets.py"):
        (project / name).write_bytes((arena.project / name).read_bytes())
    import nbformat

    (project / "run.ipynb").write_text(
        nbformat.writes(run_notebook("贪吃蛇", "main.py", [])), encoding="utf-8"
    )
    return project


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda p: p.stem)
async def test_attack_as_a_learner_edit_through_run_and_the_player(attack, arena, tmp_path,
                                                                   monkeypatch):  # fmt: skip
    from codeflow_widget.flow.playing import open_game
    from codeflow_widget.sandbox.gate import RunBlocked
    from codeflow_widget.widget.lesson_view import CodeFlow

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("CODEFLOW_API_KEY", FAKE_KEY)
    arena.install(attack)
    project = edited_project(arena, tmp_path)
    widget = CodeFlow()
    sent: list[dict] = []
    widget._send_msg = lambda content, buffers=None: sent.append(content)
    widget.project = {"path": str(project), "main_file": "main.py"}
    widget._handle_command({"kind": "run_project", "id": "r1"})
    reply = next(c for c in sent if c.get("id") == "r1")
    seen = [json.dumps(reply, ensure_ascii=False), widget.run_output, widget.error]
    # Every representative uses a module or call the checks refuse: the gate stops it before a
    # process exists, with the findings in Chinese, and no player is created.
    assert widget._player is None and widget.run_status == "failed"
    assert "没有通过运行前的检查" in widget.run_output and reply["error"] == widget.run_output
    widget.close()
    session = open_game(project, "zh")  # the player's own door: the same gate, same launcher
    with pytest.raises(RunBlocked) as refused:
        await session.start()
    assert "没有通过运行前的检查" in str(refused.value) and not session.alive
    seen.append(str(refused.value))
    seen.append(texts_under(project))
    assert_contained(arena, "\n".join(seen), f"codeflow-run-{os.getpid()}-")


@pytest.mark.parametrize("attack", ATTACKS[:3], ids=lambda p: p.stem)
def test_attack_as_a_learner_edit_through_run_ipynb(attack, arena, tmp_path, monkeypatch):
    import nbclient
    import nbformat

    monkeypatch.setenv("PYTHONPATH", str(REPO))
    for name in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        monkeypatch.setenv(name, str(tmp_path / "jupyter" / name))  # the kernel's own, not HOME
    arena.install(attack)
    project = edited_project(arena, tmp_path)
    nb = nbformat.read(project / "run.ipynb", as_version=4)
    assert "%run" not in json.dumps([c.source for c in nb.cells])
    # What the player shows once it has tried to start (Out[1]: the play cell's Player).
    nb.cells.append(nbformat.v4.new_code_cell(
        "import asyncio, os\nawait asyncio.sleep(2)\nprint('STATE', Out[1].state)\n"
        "print(Out[1].message)\nprint('PID', os.getpid())"
    ))  # fmt: skip
    client = nbclient.NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(project)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert "STATE error" in shown and "没有通过运行前的检查" in shown, shown
    everything = json.dumps(outputs, ensure_ascii=False) + texts_under(project)
    kernel = shown.split("PID ")[1].split()[0]  # the kernel's runs are named after its pid
    assert_contained(arena, everything, f"codeflow-run-{kernel}-")
