"""The lesson view's own bundle (static/widget.js) in a blank Chromium page, with a stand-in model.

anywidget imports the ESM from a blob: URL and calls ``default.render({model, el})``; this does
the same, with a model whose traits are set from the test (``window.__cfSet(name, value)``) and
whose ``send`` records commands (``window.__cfSent``). No Jupyter: for checks of the view's own
code (the sanitizer) that need no kernel, in a second rather than a minute.
"""

from __future__ import annotations

import json

from codeflow_widget.widget.lesson_view import _STATIC
from codeflow_widget.widget.view_state import empty_phases
from codeflow_widget.widget.words import view_texts

MOUNT = """
async ([src, css, state]) => {
  const handlers = {};
  window.__cfSent = [];
  const model = {
    get: (k) => state[k],
    set: (k, v) => { state[k] = v; },
    save_changes() {},
    send: (msg) => window.__cfSent.push(msg),
    on: (name, cb) => { (handlers[name] ||= []).push(cb); },
    off: () => {},
  };
  window.__cfSet = (k, v) => { state[k] = v; (handlers[`change:${k}`] || []).forEach((cb) => cb()); };
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  const el = document.createElement("div");
  document.body.append(el);
  window.__cfDispose = mod.default.render({ model, el });
}
"""


def initial_state(language: str = "zh") -> dict:
    return {
        "language": language,
        "texts": view_texts(),
        "status": "idle",
        "phases": empty_phases(language),
        "examples": {"zh": [], "en": []},
        "pace": "normal",
        "max_retries": 3,
        "offline": True,
        "notice": "",
    }


def mount_view(page, state: dict | None = None) -> None:
    page.goto("about:blank")
    src = (_STATIC / "widget.js").read_text(encoding="utf-8")
    css = (_STATIC / "widget.css").read_text(encoding="utf-8")
    page.evaluate(MOUNT, [src, css, json.loads(json.dumps(state or initial_state()))])
    page.locator(".cf-root").wait_for()
