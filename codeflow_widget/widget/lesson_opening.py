"""How a lesson view opens: its options checked, its ``Lesson`` configured, a project reopened.

``LessonOpening`` is the part of ``lesson_view.CodeFlow`` that its constructor calls. An
unknown keyword argument is a ``TypeError`` that names the closest valid option
(``unknown_options_message``). ``_configure`` builds the widget's ``flow.lesson.Lesson``
from the config file and the constructor's overrides; a problem there (a bad setting, a
missing API key) is not raised but kept and shown in the view's banner, and every later
command answers with it. ``_open_project`` puts an earlier project (``project=`` a path, a
folder name, a project type or a lesson title) in the card with its versions and links, or
says in the banner why it cannot. ``replace_in_cell`` makes re-running a cell stop the run
of the view that cell showed before, so no invisible widget keeps writing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codeflow_widget.model.errors import CodeflowError
from codeflow_widget.widget.view_state import configured, project_view

_BY_CELL: dict[str, Any] = {}  # cell id → weak reference to the CodeFlow it shows


class LessonOpening:
    """The constructor's steps of ``CodeFlow`` (a mixin: it sets the widget's traits)."""

    def _configure(self) -> None:
        try:
            from codeflow_widget.flow.lesson import Lesson

            lesson = Lesson.configure(self._config, **self._overrides)
            if self._overrides["language"] is None:
                self.language = lesson.language
            self.pace = lesson.settings.pace
            self._lesson = lesson
        except Exception as exc:  # noqa: BLE001 - ConfigError, MissingApiKey, …: shown in the view
            self._setup_error = exc
            self._show_error(exc)
        self._set(configured(self._lesson, self.language))

    def _open_project(self, name: str | Path) -> None:
        """Yesterday's project (``project=``) in the card, with its versions and links."""
        from codeflow_widget.flow.history import open_project

        if self._lesson is None:
            return  # the setup error is what the view shows
        try:
            found, state = open_project(name, self._lesson.settings.projects_dir, self.language)
        except (CodeflowError, OSError) as exc:
            self._show_error(exc)
            return
        command = f'cd "{found.path}" && python {found.main_file_path}'
        self._set({**state, "project": project_view(found, command), "status": "completed"})


def unknown_options_message(factory: Any, unknown: dict[str, Any]) -> str:
    """The ``TypeError`` text for options ``factory`` does not take, with the closest valid ones."""
    import difflib
    import inspect

    options = [n for n in inspect.signature(factory).parameters if n != "unknown"]
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, options, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"CodeFlow() got unexpected keyword argument(s) {', '.join(parts)}. Valid options: {', '.join(options)}."


def replace_in_cell(widget: Any) -> None:
    """Re-running a cell ends the run of the CodeFlow it showed before (no invisible writer)."""
    import weakref

    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent() if kernel is not None else {}
        cell = (parent or {}).get("metadata", {}).get("cellId")
    except Exception:  # noqa: BLE001 - outside a kernel there is no cell
        cell = None
    if not cell:
        return
    old = _BY_CELL.get(cell)
    previous = old() if old is not None else None
    if previous is not None and previous is not widget and previous._busy():
        previous._stop_quietly()
        previous._set({"status": "stopped", "error_code": "view.replaced", "progress": {}})
    _BY_CELL[cell] = weakref.ref(widget)
