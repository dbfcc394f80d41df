"""codeflow_widget: a wish becomes a game through Specify → Plan → Implement.

``CodeFlow()`` shows the lesson view in a notebook; ``play(project_dir)`` plays a finished
project's game in the cell; ``generate(text)`` is the
async generator of typed events behind it (and behind the ``codeflow`` CLI).
Names are imported lazily so ``import codeflow_widget`` stays cheap: the openai
package, for one, is only loaded when a real provider is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "CodeFlow": "codeflow_widget.widget.lesson_view",
    "CodeGenerationRequest": "codeflow_widget.model.entities",
    "ConfigError": "codeflow_widget.model.errors",
    "GeneratedProject": "codeflow_widget.model.entities",
    "ProcessPhase": "codeflow_widget.model.entities",
    "Settings": "codeflow_widget.config",
    "generate": "codeflow_widget.flow.lesson",
    "load_settings": "codeflow_widget.config",
    "new_request": "codeflow_widget.flow.lesson",
    "parse_event": "codeflow_widget.model.events",
    "play": "codeflow_widget.play",
    "run_request": "codeflow_widget.flow.lesson",
    "stats": "codeflow_widget.terminal.classroom_stats",
}

__all__ = sorted([*_LAZY, "__version__", "load_ipython_extension"])


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'codeflow_widget' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext codeflow_widget`` registers the ``%codeflow`` magic."""
    from codeflow_widget.terminal.magics import load_ipython_extension as load

    load(ipython)
