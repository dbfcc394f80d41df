"""Start-up: many consecutive fresh processes and fresh kernels, counting errors.

A learner's first contact is a fresh process (``codeflow run``) or a fresh kernel
(a lesson notebook), so start-up must never fail: no race on a first log line, no
clash of project names, no stale lock, no import error. This runs

- 100 consecutive ``python -m codeflow_widget run --json --pace 0 "帮我写个贪吃蛇"``
  in fresh processes on the offline default (smoke run 1 s), each judged by its
  exit code and its last JSON line (``completed``);
- 20 consecutive executions of a small notebook (generate at pace 0, show
  ``CodeFlow()`` and ``codeflow_widget.stats()``) in fresh kernels with nbclient,
  each judged by cell errors.

All runs share one scratch folder, as a classroom machine would. Target: 0 errors.
``--quick`` runs 10 and 3.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from _common import PYTHON, REPO, Row, child_env, median, parser, print_table, scratch

sys.path.insert(0, str(REPO))  # for tests.notebook_cells

NOTEBOOK_CELLS = [
    "import codeflow_widget\nfrom codeflow_widget import CodeFlow",
    'events = [e async for e in codeflow_widget.generate("帮我写个贪吃蛇", offline_pace=0, smoke_timeout_s=1)]\n'
    'assert events[-1].type == "completed", events[-1]',
    "CodeFlow()",
    "codeflow_widget.stats()",
]


def cli_run(env: dict[str, str]) -> tuple[bool, float, str]:
    start = time.perf_counter()
    cmd = [PYTHON, "-m", "codeflow_widget", "run", "--json", "--pace", "0", "帮我写个贪吃蛇"]
    try:
        proc = subprocess.run(cmd, capture_output=True, env=env, timeout=120)
    except subprocess.TimeoutExpired:
        return False, time.perf_counter() - start, "timeout"
    lines = [ln for ln in proc.stdout.decode("utf-8", "replace").splitlines() if ln.strip()]
    try:
        final = json.loads(lines[-1]) if lines else {}
    except ValueError:
        final = {}
    ok = proc.returncode == 0 and final.get("type") == "completed"
    why = (
        ""
        if ok
        else f"exit {proc.returncode}: {final.get('error_message') or proc.stderr.decode('utf-8', 'replace')[-300:]}"
    )
    return ok, time.perf_counter() - start, why


def notebook_run(env: dict[str, str], folder) -> tuple[bool, float, str]:
    from nbclient import NotebookClient

    from tests.notebook_cells import python_notebook

    nb = python_notebook(NOTEBOOK_CELLS)
    start = time.perf_counter()
    try:
        NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
        ).execute(env=env)
    except Exception as exc:  # CellExecutionError, a dead kernel, a timeout
        return False, time.perf_counter() - start, f"{type(exc).__name__}: {str(exc)[-300:]}"
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    return not errors, time.perf_counter() - start, str(errors)[:300]


def main() -> int:
    args = parser(__doc__).parse_args()
    n_cli, n_nb = (10, 3) if args.quick else (100, 20)
    rows = []
    with scratch("startup") as folder:
        env = child_env(folder, CODEFLOW_SMOKE_TIMEOUT_S="1")
        for label, n, run in (("codeflow run (fresh process)", n_cli, lambda: cli_run(env)),
                              ("notebook (fresh kernel)", n_nb, lambda: notebook_run(env, folder))):  # fmt: skip
            results = []
            for i in range(n):
                results.append(run())
                if not results[-1][0]:
                    print(f"  {label} #{i + 1} failed: {results[-1][2]}", file=sys.stderr)
            errors = sum(not ok for ok, _, _ in results)
            rows.append(Row(f"{label}: successes", f"{n - errors} / {n}", "", None))
            rows.append(Row(f"{label}: errors", str(errors), "0", errors == 0))
            rows.append(
                Row(
                    f"{label}: median time", f"{median([t for _, t, _ in results]):.2f} s", "", None
                )
            )
        projects = [p for p in (folder / "projects").iterdir()]
        staging = [p for p in projects if p.name.startswith(".staging-")]
        rows.append(
            Row(
                "distinct project folders",
                str(len(projects) - len(staging)),
                str(n_cli + n_nb),
                len(projects) - len(staging) == n_cli + n_nb,
            )
        )
        rows.append(Row("staging folders left", str(len(staging)), "0", not staging))
    ok = print_table(f"start-up ({n_cli} processes, {n_nb} kernels, consecutive)", rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
