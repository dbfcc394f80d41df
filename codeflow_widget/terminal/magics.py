"""``%codeflow``: the lesson view from one line of a notebook.

    %load_ext codeflow_widget
    %codeflow 帮我写个贪吃蛇            # the view, with the request filled in
    %codeflow --go 帮我写个贪吃蛇       # … and started right away
    %codeflow --lang en --provider deepseek make me a snake game

Options come first; everything after them is the request, spaces and all. A bad
option is reported as a one-line usage error, never a traceback. The widget itself
is imported when the magic first runs, so ``%load_ext`` costs next to nothing.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.display import display

USAGE = "%codeflow [--go] [--lang zh|en] [--provider NAME] [--model NAME] [--base-url URL] 你的需求"
_VALUED = {
    "--lang": "language",
    "--provider": "provider",
    "--model": "model",
    "--base-url": "base_url",
}


def parse_line(line: str) -> tuple[str, dict[str, Any]]:
    """Split ``%codeflow`` arguments into (request text, CodeFlow keyword arguments)."""
    rest = line.strip()
    options: dict[str, Any] = {}
    while rest.startswith("--"):
        word, _, rest = rest.partition(" ")
        rest = rest.lstrip()
        if word == "--go":
            options["autostart"] = True
        elif word in _VALUED:
            value, _, rest = rest.partition(" ")
            rest = rest.lstrip()
            if not value:
                raise UsageError(f"{word} needs a value. Usage: {USAGE}")
            options[_VALUED[word]] = value
        else:
            raise UsageError(f"unknown option {word}. Usage: {USAGE}")
    if options.get("language") not in (None, "zh", "en"):
        raise UsageError(f"--lang must be zh or en. Usage: {USAGE}")
    return rest, options


def codeflow(line: str = "") -> None:
    """Show the lesson view (``--go`` starts it)."""
    text, options = parse_line(line)
    if options.get("autostart") and not text:
        raise UsageError(f"--go needs a request. Usage: {USAGE}")
    from codeflow_widget.widget.lesson_view import CodeFlow

    display(CodeFlow(text, **options))


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext codeflow_widget`` (re-exported from the package) registers ``%codeflow``."""
    ipython.register_magic_function(codeflow, magic_kind="line", magic_name="codeflow")
