"""Start-up, the light version: fresh processes and fresh kernels, zero errors.

10 consecutive ``python -m codeflow_widget run --json --pace 0 "帮我写个贪吃蛇"`` in
fresh processes (offline default, smoke run 1 s) and 3 consecutive executions of a
small notebook that runs the flow in a fresh kernel (nbclient). The full count
(100 runs, 20 notebooks) is ``benchmarks/bench_startup.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tests.notebook_cells import python_notebook

REPO = Path(__file__).resolve().parents[1]
RUNS = 10
NOTEBOOK_RUNS = 3

NOTEBOOK_CELLS = [
    "import codeflow_widget\nfrom codeflow_widget import CodeFlow",
    'events = [e async for e in codeflow_widget.generate("帮我写个贪吃蛇", offline_pace=0, smoke_timeout_s=1)]\n'
    "final = events[-1]\n"
    'assert final.type == "completed", final\n'
    "print(final.project.project_name)",
    "CodeFlow()",
    "codeflow_widget.stats()",
]


def startup_notebook() -> nbformat.NotebookNode:
    return python_notebook(NOTEBOOK_CELLS)


def child_env() -> dict[str, str]:
    env = dict(os.environ)  # the isolated fixture's clean environment and folders
    env.update(CODEFLOW_SMOKE_TIMEOUT_S="1", PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return env


def test_ten_fresh_cli_runs_all_succeed(isolated):
    env = child_env()
    failures = []
    for i in range(RUNS):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "codeflow_widget",
                "run",
                "--json",
                "--pace",
                "0",
                "帮我写个贪吃蛇",
            ],
            capture_output=True,
            env=env,
            timeout=60,
        )
        out = proc.stdout.decode("utf-8")
        lines = [json.loads(line) for line in out.splitlines() if line.strip()]
        final = lines[-1] if lines else {}
        if proc.returncode != 0 or final.get("type") != "completed":
            failures.append(
                (i, proc.returncode, final.get("error_message"), proc.stderr.decode("utf-8")[-500:])
            )
    assert not failures, failures
    projects = list(Path(os.environ["CODEFLOW_PROJECTS_DIR"]).iterdir())
    assert len(projects) == RUNS and not [p for p in projects if p.name.startswith(".staging-")]


def test_three_fresh_kernels_run_the_notebook_without_errors(isolated):
    errors = []
    for i in range(NOTEBOOK_RUNS):
        nb = startup_notebook()
        client = NotebookClient(
            nb, timeout=90, kernel_name="python3", resources={"metadata": {"path": str(isolated)}}
        )
        client.execute(env=child_env())  # a fresh kernel each time; raises on a cell error
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.output_type == "error" or "Traceback" in output.get("text", ""):
                    errors.append((i, cell.source[:40], output))
        outputs = nb.cells[-1].outputs
        html = next(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
        assert "成功率" in html and "100.0%" in html  # the stats saw only completed runs
    assert not errors, errors
    assert len(list(Path(os.environ["CODEFLOW_PROJECTS_DIR"]).iterdir())) == NOTEBOOK_RUNS
