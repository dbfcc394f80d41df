"""Driving a notebook page (JupyterLab 4 or Notebook 7) and the lesson view inside it."""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path

import nbformat

from tests.notebook_cells import python_notebook

from .servers import ARTIFACTS, SCREENSHOTS, JupyterServer

PHASES = ("specify", "plan", "implement")

# Records every state a step of the view goes through, in order, with a timestamp.
STATE_RECORDER = """
() => {
  window.__cfStates = [];
  const seen = new WeakSet();
  const watch = () => {
    for (const step of document.querySelectorAll('.cf-step')) {
      if (seen.has(step)) continue;
      seen.add(step);
      let last = step.dataset.state;
      new MutationObserver(() => {
        if (step.dataset.state === last) return;
        last = step.dataset.state;
        window.__cfStates.push([step.dataset.phase, last, performance.now()]);
      }).observe(step, { attributes: true, attributeFilter: ['data-state'] });
    }
  };
  watch();
  new MutationObserver(watch).observe(document.body, { childList: true, subtree: true });
}
"""

# The notebook panel showing `name` (JupyterLab's current widget may be the file browser).
FIND_PANEL = """
window.__cfPanel = (name) => {
  const shell = window.jupyterapp?.shell;
  if (!shell) return null;
  const found = [...(shell.widgets?.('main') ?? [])].find(w => w.context?.path?.split('/').pop() === name);
  return found ?? (shell.currentWidget?.context ? shell.currentWidget : null);
};
"""
KERNEL_IDLE = """
(name) => {
  const panel = window.__cfPanel?.(name);
  const kernel = panel?.context?.sessionContext?.session?.kernel;
  return !!kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
}
"""


def write_notebook(server: JupyterServer, name: str, cells: list[str]) -> str:
    nb = python_notebook(cells)
    (server.root / name).write_text(nbformat.writes(nb), encoding="utf-8")
    return name


def open_notebook(page, server: JupyterServer, name: str) -> None:
    page.add_init_script(FIND_PANEL)
    page.goto(server.page_url(name))
    page.wait_for_function(KERNEL_IDLE, arg=name, timeout=90_000)
    page.evaluate("(name) => window.jupyterapp.shell.activateById(window.__cfPanel(name).id)", name)


def run_all(page, name: str) -> None:
    page.evaluate(
        "(name) => { window.jupyterapp.shell.activateById(window.__cfPanel(name).id);"
        " window.jupyterapp.commands.execute('notebook:run-all-cells'); }",
        name,
    )


def run_cell(page, name: str, index: int) -> None:
    page.evaluate(
        "([name, i]) => { const panel = window.__cfPanel(name);"
        " window.jupyterapp.shell.activateById(panel.id); panel.content.activeCellIndex = i;"
        " window.jupyterapp.commands.execute('notebook:run-cell'); }",
        [name, index],
    )


def save(page, name: str) -> None:
    page.evaluate("(name) => window.__cfPanel(name).context.save()", name)
    page.wait_for_function("(name) => !window.__cfPanel(name).context.model.dirty", arg=name)


def lesson_view(page, index: int = 0):
    view = page.locator(".cf-root").nth(index)
    view.wait_for(state="visible", timeout=90_000)
    return view


def check_kernel_is_this_venv(page) -> None:
    """The first cell prints sys.executable: it must be the venv's Python."""
    output = page.locator(".jp-OutputArea-output").filter(has_text="python").first
    output.wait_for(timeout=60_000)
    text = output.inner_text().strip()
    assert Path(text).resolve() == Path(sys.executable).resolve(), f"kernel python is {text}"


def wait_state(view, phase: str, state: str, timeout: float = 90_000) -> None:
    view.locator(f'.cf-step[data-phase="{phase}"][data-state="{state}"]').wait_for(timeout=timeout)


def wait_status(view, status: str, timeout: float = 30_000) -> None:
    """The request's status on the view (it comes in its own event, after the last phase's)."""
    view.page.wait_for_function(
        "([el, s]) => el.dataset.status === s", arg=[view.element_handle(), status], timeout=timeout
    )


def states_in_order(page) -> list[tuple[str, str]]:
    records = page.evaluate("() => window.__cfStates")
    out: list[tuple[str, str]] = []
    for phase, state, _ in records:
        if not out or out[-1] != (phase, state):
            out.append((phase, state))
    return out


def assert_three_phases_completed_in_order(page) -> None:
    wanted = [(p, s) for p in PHASES for s in ("active", "completed")]
    seen = [pair for pair in states_in_order(page) if pair in wanted]
    assert seen == wanted, f"phase states went {seen}"


def screenshot(target, name: str, docs_name: str | None = None) -> Path:
    path = ARTIFACTS / name
    page = target.page
    viewport = page.viewport_size
    height = target.evaluate("el => el.getBoundingClientRect().height")
    page.set_viewport_size(
        {"width": viewport["width"], "height": max(viewport["height"], int(height) + 420)}
    )
    try:  # tall enough for the whole view: the notebook panel clips anything below its fold
        target.evaluate("el => el.scrollIntoView({block: 'start'})")
        target.screenshot(path=str(path), animations="disabled")
    finally:
        page.set_viewport_size(viewport)
    # The README's screenshots are refreshed on request only, so a test run leaves the tree clean:
    # CODEFLOW_UPDATE_SCREENSHOTS=1 make test
    if docs_name and os.environ.get("CODEFLOW_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / docs_name).write_bytes(path.read_bytes())
    return path


def latency_report(page, label: str) -> dict[str, float]:
    """Delta arrival in the kernel → painted in the browser (worst delta of each batch)."""
    samples = page.evaluate("() => window.__codeflowLatency || []")
    if len(samples) < 5:
        return {}
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    report = {"batches": len(samples), "p50_ms": statistics.median(samples), "p95_ms": p95}
    line = f"[{label}] delta→visible in the browser: p50 {report['p50_ms']:.0f} ms, p95 {p95:.0f} ms (target ≤ 100 ms), {len(samples)} batches"
    print(line)
    (ARTIFACTS / f"latency-{label}.json").write_text(json.dumps(report), encoding="utf-8")
    return report
