"""Every attack program of the suite answered by the model to one real CLI session.

``codeflow eval --provider custom --base-url …`` runs a prompt set through the same flow as
``codeflow run`` (the same checks, corrections and sandboxed smoke run) in one process, against
one loopback model server (tests/fakes/) for the whole module: each prompt carries a tag, and
the server answers that prompt's implement request with the tagged attack (tests/sandbox/attacks)
as main.py with its helpers. One session for all 87 programs keeps the cost of a CLI start-up
(seconds on this machine) out of the count. The outcome is judged as for a single run: nothing
outside changed (the arena's snapshot), no secret in stdout, stderr, the projects folder, its
zips or any request the model received, no process left over, and for every prompt a verdict
with a Chinese (English with ``"lang": "en"``) message or a passing smoke run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading

from tests.fakes.scenarios import Reply
from tests.fakes.server import FakeLLMServer

from .conftest import HERE, LINUX_MECHANISMS
from .test_attacks_via_product import (
    ADMITTED,
    FAKE_KEY,
    REPO,
    assert_contained,
    edited_project,
    passes_the_checks,
    texts_under,
    unchecked_targets,
)

ATTACKS = sorted((HERE / "attacks").glob("*.py"))
TAG = re.compile(r"attack #(\d+)")
CJK = re.compile(r"[\u4e00-\u9fff]")


class TaggedAttacks(FakeLLMServer):
    """The loopback server, answering each prompt's implement request with its tagged attack."""

    def __init__(self, answers: list[str]) -> None:
        super().__init__()
        self.answers = answers
        self._body = threading.local()

    def _record(self, request) -> None:
        self._body.value = request.body  # the handler asks for the reply on the same thread
        super()._record(request)

    def _next_reply(self, phase, endpoint):
        found = TAG.search(json.dumps(getattr(self._body, "value", ""), ensure_ascii=False))
        if phase == "implement" and found:
            return Reply(answer=self.answers[int(found.group(1))])
        return super()._next_reply(phase, endpoint)


def answer(program, arena) -> str:
    fences = [f"```python main.py\n{program.read_text(encoding='utf-8').rstrip()}\n```"]
    helpers = (arena.project / "attacklib.py").read_text(encoding="utf-8")
    fences.append(f"```python attacklib.py\n{helpers.rstrip()}\n```")
    fences.append(f"```python targets.py\n{unchecked_targets(arena).rstrip()}\n```")
    return "下面是代码：\n\n" + "\n\n".join(fences) + "\n"


def test_every_attack_answered_by_the_model_in_one_cli_session(arena, tmp_path):
    os.environ["CODEFLOW_API_KEY"] = FAKE_KEY  # the parent knows it too: the redactor's list
    arena.env_secrets["CODEFLOW_API_KEY"] = FAKE_KEY
    arena.install(ATTACKS[0])  # the targets and helpers every answer carries
    languages = ["en" if i % 10 == 9 else "zh" for i in range(len(ATTACKS))]
    prompts = [
        {"id": p.stem, "lang": lang, "lesson": None,
         "text": ("帮我写个小游戏" if lang == "zh" else "write me a small game") + f" attack #{i}"}
        for i, (p, lang) in enumerate(zip(ATTACKS, languages, strict=True))
    ]  # fmt: skip
    (tmp_path / "prompts.json").write_text(json.dumps(prompts), encoding="utf-8")
    projects = tmp_path / "projects_out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEFLOW_")}
    env.update(
        PYTHONPATH=str(REPO), CODEFLOW_API_KEY=FAKE_KEY, CODEFLOW_OFFLINE_DELAY="0",
        CODEFLOW_SMOKE_TIMEOUT_S="3", CODEFLOW_BACKOFF_S="0",
    )  # fmt: skip
    with TaggedAttacks([answer(p, arena) for p in ATTACKS]) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "codeflow_widget", "eval", "--json", "--provider", "custom",
             "--base-url", server.base_url, "--model", "m", "--prompts",
             str(tmp_path / "prompts.json"), "--projects-dir", str(projects)],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            encoding="utf-8",
        )  # fmt: skip
        out, err = proc.communicate(timeout=1500)
        bodies = [r.body for r in server.chat_requests()]
    assert proc.returncode == 0, err[-3000:]
    report = json.loads(out)
    results = {r["id"]: r for r in report["prompts"]}
    assert sorted(results) == sorted(p.stem for p in ATTACKS)
    implemented = {m.group(1) for b in bodies if (m := TAG.search(json.dumps(b)))}
    assert len(implemented) == len(ATTACKS)  # every program was really handed to the flow
    for prompt in prompts:
        result = results[prompt["id"]]
        said = result["error_message"] or ""
        assert "Traceback" not in said, (prompt["id"], said)
        if result["runs_ok"] is not True:  # refused or failed: the learner is told why
            assert said or result["findings"], (prompt["id"], result)
            if said:
                assert bool(CJK.search(said)) == (prompt["lang"] == "zh"), (prompt["id"], said)
    ran = {r["id"] for r in results.values() if r["runs_ok"] is not None}
    checked = {p.stem for p in ATTACKS if passes_the_checks(edited_project(arena, tmp_path, p))}
    assert ran == checked and len(ran) == ADMITTED  # what passes the checks is really smoke-run
    trace = (tmp_path / "logs" / "system_trace.jsonl").read_text(encoding="utf-8")
    runs = [json.loads(line) for line in trace.splitlines() if '"smoke_run' in line]
    assert runs and all(r.get("sandbox") in LINUX_MECHANISMS for r in runs), runs[:3]
    seen = "\n".join(
        [out, err, trace, json.dumps(bodies, ensure_ascii=False), texts_under(projects)]
    )
    assert_contained(arena, seen, f"codeflow-run-{proc.pid}-")
