"""The launcher contract (notes/sandbox_api.md) stays importable from codeflow_widget.sandbox."""

from __future__ import annotations

import dataclasses
import inspect

import codeflow_widget.sandbox as sandbox
from codeflow_widget.model.errors import CodeflowError

CONTRACT = {"Limits", "RunSpec", "Mechanism", "detect", "launch", "Running", "run_to_end",
            "RunOutcome", "SandboxUnavailable"}  # fmt: skip


def test_public_names_are_sorted_and_cover_the_contract():
    assert sandbox.__all__ == sorted(sandbox.__all__)
    assert CONTRACT <= set(sandbox.__all__)
    assert all(hasattr(sandbox, name) for name in sandbox.__all__)


def test_contract_fields_and_defaults():
    limits = sandbox.Limits()
    assert (limits.memory_bytes, limits.file_bytes, limits.open_files) == (1 << 30, 16 << 20, 256)
    assert (limits.processes, limits.cpu_s) == (64, 60)
    spec_fields = {f.name: f.default for f in dataclasses.fields(sandbox.RunSpec)}
    assert spec_fields["entry"] == "main.py" and spec_fields["timeout_s"] == 5.0
    assert spec_fields["headless"] is True and spec_fields["stdin_pipe"] is False
    assert spec_fields["wrapper"] is None and spec_fields["language"] == "zh"
    assert {"exit_code", "timed_out", "output", "duration_ms", "mechanism"} <= {
        f.name for f in dataclasses.fields(sandbox.RunOutcome)
    }
    assert "required" in inspect.signature(sandbox.launch).parameters
    assert inspect.iscoroutinefunction(sandbox.launch)
    assert inspect.iscoroutinefunction(sandbox.run_to_end)
    assert issubclass(sandbox.SandboxUnavailable, CodeflowError)
