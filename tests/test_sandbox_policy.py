"""The sandbox setting and the mechanism in use, where a teacher looks: trace, doctor, refusals.

``"sandbox": "required"`` refuses to run generated code where no mechanism isolates (forced here
with ``CODEFLOW_SANDBOX_MECHANISM=none``), in Chinese or English; the default runs under the
best mechanism and says which. Every smoke-run/run record in the trace log names the mechanism,
and ``codeflow doctor`` shows it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codeflow_widget.config import Settings
from codeflow_widget.output.trace import Tracer
from codeflow_widget.sandbox import SandboxUnavailable, gate

GAME = "import pygame\nprint('ok')\n"


def folder(tmp_path: Path) -> Path:
    project = tmp_path / "game"
    project.mkdir(parents=True)
    (project / "main.py").write_text(GAME, encoding="utf-8")
    return project


@pytest.mark.parametrize(
    ("lang", "words"), [("zh", "没有可用的沙箱，已拒绝运行"), ("en", "No sandbox is available")]
)
def test_required_refuses_where_no_mechanism_isolates(tmp_path, monkeypatch, lang, words):
    monkeypatch.setenv("CODEFLOW_SANDBOX_MECHANISM", "none")
    with pytest.raises(SandboxUnavailable) as caught:
        gate.admit(folder(tmp_path), language=lang, settings=Settings(sandbox="required"))
    assert words in caught.value.message(lang)
    # the default runs, and says it is not isolated
    mechanism = gate.admit(folder(tmp_path / "b"), language=lang, settings=Settings())
    assert mechanism.name == "none" and not mechanism.isolated
    assert mechanism.detail.startswith("未隔离：" if lang == "zh" else "Not isolated")


def test_required_runs_where_a_mechanism_isolates(tmp_path):
    mechanism = gate.admit(folder(tmp_path), settings=Settings(sandbox="required"))
    assert mechanism.isolated and mechanism.name in ("bubblewrap", "landlock+seccomp")


@pytest.mark.parametrize("forced", ["bubblewrap", "landlock+seccomp", "none"])
def test_every_run_record_in_the_trace_names_the_mechanism(tmp_path, monkeypatch, forced):
    monkeypatch.setenv("CODEFLOW_SANDBOX_MECHANISM", forced)
    log = tmp_path / "trace.jsonl"
    tracer = Tracer(log, "r1")
    tracer.event("smoke_run", phase="implement", ok=True)
    tracer.event("phase_completed", phase="plan")
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    smoke, other = records
    assert smoke["event"] == "smoke_run" and smoke["sandbox"] == forced
    assert "sandbox" not in other


def doctor(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith("CODEFLOW_")}
    return subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "doctor"],
        cwd=tmp_path, env={**clean, **env}, capture_output=True, text=True,
        encoding="utf-8", timeout=120,
    )  # fmt: skip


def test_doctor_names_the_mechanism_and_fails_only_when_required_has_none(tmp_path):
    ok = doctor(tmp_path)
    assert ok.returncode == 0 and "✓ 沙箱：已隔离：" in ok.stdout
    none = doctor(tmp_path, CODEFLOW_SANDBOX_MECHANISM="none", CODEFLOW_LANGUAGE="en")
    assert none.returncode == 0 and "✗ Sandbox: Not isolated" in none.stdout
    refused = doctor(tmp_path, CODEFLOW_SANDBOX_MECHANISM="none", CODEFLOW_SANDBOX="required")
    assert refused.returncode == 1 and "✗ 沙箱：未隔离" in refused.stdout
    assert "不会运行任何代码" in refused.stdout.replace("\n", "")
