"""未隔离 always says why: forced to none by the variable, by the caller, or nothing works here.

The CLI's own words are checked through ``codeflow doctor`` (which prints the mechanism's
detail), in Chinese and with ``--language en``; the launcher's through ``run_to_end``.
"""

from __future__ import annotations

import os
import subprocess
import sys

from codeflow_widget.sandbox import RunSpec, detect, mechanisms, run_to_end
from codeflow_widget.sandbox import launcher as launcher_module

from .test_attacks_via_product import REPO


def doctor(*extra: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODEFLOW_")}
    env.update(PYTHONPATH=str(REPO), CODEFLOW_SANDBOX_MECHANISM="none", COLUMNS="200")
    done = subprocess.run(
        [sys.executable, "-m", "codeflow_widget", "doctor", *extra],
        env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    return done.stdout + done.stderr


def test_cli_names_the_variable_that_turned_the_sandbox_off_in_chinese():
    said = doctor()
    assert "沙箱：未隔离：原因：设置 CODEFLOW_SANDBOX_MECHANISM=none 关闭了沙箱" in said, said
    assert "Traceback" not in said


def test_cli_names_the_variable_that_turned_the_sandbox_off_in_english():
    said = doctor("--language", "en")
    assert "Not isolated: the setting CODEFLOW_SANDBOX_MECHANISM=none turned the sandbox off" in (
        said
    ), said


async def test_a_run_forced_to_none_by_the_caller_says_so(tmp_path, monkeypatch):
    monkeypatch.delenv("CODEFLOW_SANDBOX_MECHANISM", raising=False)
    (tmp_path / "main.py").write_text("print('hi')\n", encoding="utf-8")
    for lang, said in (
        ("zh", '未隔离：原因：这次运行指定了不使用沙箱（mechanism="none"）'),
        ("en", 'Not isolated: this run asked for no sandbox (mechanism="none")'),
    ):
        spec = RunSpec(source_dir=tmp_path, language=lang, seatbelt=False)
        outcome = await run_to_end(spec, mechanism="none")
        assert outcome.mechanism.detail == said and "hi" in outcome.output  # fmt: skip


def test_nothing_working_lists_each_mechanism_and_its_reason(monkeypatch):
    monkeypatch.delenv("CODEFLOW_SANDBOX_MECHANISM", raising=False)
    monkeypatch.setattr(mechanisms, "candidates", lambda: [mechanisms.bubblewrap])
    monkeypatch.setattr(launcher_module, "_probe", lambda name: "user namespaces are off")
    zh, en = detect("zh"), detect("en")
    assert not zh.isolated and zh.name == "none"
    assert (
        zh.detail
        == "未隔离：原因：这台机器上没有能用的隔离机制（bubblewrap: user namespaces are off）"
    )
    assert en.detail == (
        "Not isolated: no isolating mechanism works on this machine "
        "(bubblewrap: user namespaces are off)"
    )
