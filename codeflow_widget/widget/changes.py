"""The kernel side of changing what was made, in the lesson view (``lesson_view.CodeFlow``).

``ChangeDesk`` turns the change events of a run into trait values — ``versions`` (the project's
history for the card), ``change`` (the diffs of spec.md, plan.md and main.py, and of a redone
draft), ``checkpoint`` (step mode: the artefact waiting for the learner) and ``trace`` (requirement
→ plan items and code lines, for hovering R2) — and answers the view's commands: ``follow_up``
(the 继续改进 box), ``restore``, ``undo`` (one click on a crashing version), ``version_diff``,
``resume`` (continue, with the learner's edit), ``redo`` (with a note) and ``set_step_mode``
(the 逐步 toggle). It talks to the flow only through the widget's ``Lesson``; errors are raised
for the widget's command handler, which answers ``{id, error}`` and shows them in the banner.
The view's words for all this are in the ``texts`` trait too (``widget/words.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codeflow_widget.widget.lesson_view import CodeFlow


class ChangeDesk:
    """Follow-ups, versions, checkpoints and traceability for one CodeFlow widget."""

    COMMANDS = ("follow_up", "restore", "undo", "version_diff", "resume", "redo", "set_step_mode")

    def __init__(self, widget: CodeFlow):
        self.widget = widget

    def handler(self, kind: str):
        return getattr(self, f"cmd_{kind}") if kind in self.COMMANDS else None

    # -- events → traits --------------------------------------------------------------
    def changes_for(self, event: Any) -> dict[str, Any]:
        from codeflow_widget.model import events as ce
        from codeflow_widget.model import events as ev

        w = self.widget
        match event:
            case ce.CheckpointReached():
                return {"checkpoint": {"phase": event.phase, "text": event.text}}
            case ce.DraftKept():
                return {"checkpoint": {}}
            case ce.ChangeDiff():
                diffs = [*w.change.get("diffs", [])]
                diffs = [
                    d
                    for d in diffs
                    if (d["phase"], d["file"], d["kind"]) != (event.phase, event.file, event.kind)
                ]
                diffs.append(
                    {
                        "phase": event.phase,
                        "file": event.file,
                        "diff": event.diff,
                        "kind": event.kind,
                    }
                )
                return {"change": {**w.change, "diffs": diffs}}
            case ce.VersionCommitted():
                return {"versions": event.versions}
            case ev.PhaseCompleted():
                return {"checkpoint": {}}
            case ev.Completed() | ev.Failed():
                project = event.project
                return {
                    "checkpoint": {},
                    **(self.project_state(Path(project.path)) if project else {}),
                }
        return {}

    def project_state(self, folder: Path) -> dict[str, Any]:
        from codeflow_widget.flow.history import project_state

        return project_state(folder)

    # -- commands -----------------------------------------------------------------------
    def _folder(self) -> Path:
        path, _ = self.widget._project_location()
        return path

    def cmd_follow_up(self, content: dict, cid: Any) -> dict:
        w = self.widget
        w._refuse_if_busy()
        lesson = w._require_ready()
        folder = self._folder()
        request = lesson.follow_up(folder, str(content.get("text", "")))  # refused: nothing touched
        card, versions, trace_ = dict(w.project), list(w.versions), dict(w.trace)
        w._reset_view()
        with w.hold_sync():
            w.project, w.versions, w.trace = (
                card,
                versions,
                trace_,
            )  # the card stays while it changes
            w.change, w.checkpoint = (
                {"project_dir": str(folder), "wish": request.user_input, "diffs": []},
                {},
            )
            w.request, w.retry_count = request.user_input, 0
        w._start_flow(lesson.run())
        return {"request_id": str(request.id)}

    def _after_restore(self, folder: Path, version: dict) -> dict:
        from codeflow_widget.flow.history import project
        from codeflow_widget.widget.view_state import project_view

        w = self.widget
        card = project_view(project(folder), w.project.get("run_command", ""))
        w._set({**self.project_state(folder), "project": card, "change": {}, "error": ""})
        return {"version": version}

    def cmd_restore(self, content: dict, cid: Any) -> dict:
        from codeflow_widget.flow.history import restore_version

        self.widget._refuse_if_busy()
        folder = self._folder()
        return self._after_restore(
            folder, restore_version(folder, int(content.get("n", 0)), self.widget.language)
        )

    def cmd_undo(self, content: dict, cid: Any) -> dict:
        from codeflow_widget.flow.history import undo_version

        self.widget._refuse_if_busy()
        folder = self._folder()
        return self._after_restore(folder, undo_version(folder, self.widget.language))

    def cmd_version_diff(self, content: dict, cid: Any) -> dict:
        from codeflow_widget.flow.history import version_diff

        n = int(content.get("n", 0))
        return {"n": n, "diff": version_diff(self._folder(), n)}

    def cmd_resume(self, content: dict, cid: Any) -> dict:
        lesson = self.widget._require_ready()
        text = content.get("text")
        lesson.resume(str(text) if text is not None else None)
        self.widget.checkpoint = {}
        return {"resumed": True}

    def cmd_redo(self, content: dict, cid: Any) -> dict:
        lesson = self.widget._require_ready()
        lesson.redo(str(content.get("note", "")))
        self.widget.checkpoint = {}
        return {"redo": True}

    def cmd_set_step_mode(self, content: dict, cid: Any) -> dict:
        self.set_step_mode(bool(content.get("on")))
        return {"step_mode": self.widget.step_mode}

    def set_step_mode(self, on: bool) -> None:
        lesson = self.widget._lesson
        if lesson is not None and lesson.step_mode != on:
            lesson.step_mode = on
        if self.widget.step_mode != on:
            self.widget.step_mode = on
