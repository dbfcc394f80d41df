"""The events a change adds to the lesson's stream: diffs, checkpoints, kept drafts, versions.

They sit beside ``model.events`` (same shape: frozen pydantic models with a ``type`` literal and
``to_json``), so the CLI's ``--json`` prints them like any other event and the widget applies them
to its traits. They carry text and diffs only, never a secret.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from codeflow_widget.model.entities import PhaseType


class _ChangeEvent(BaseModel):
    model_config = ConfigDict(frozen=True)
    request_id: str

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class CheckpointReached(_ChangeEvent):
    """Step mode: the phase's artefact is ready; the lesson waits for continue, edit or redo."""

    type: Literal["checkpoint"] = "checkpoint"
    phase: PhaseType
    text: str


class ChangeDiff(_ChangeEvent):
    """What a phase changed, as a unified diff of one file (spec.md, plan.md, main.py …)."""

    type: Literal["change_diff"] = "change_diff"
    phase: PhaseType
    file: str
    diff: str
    kind: Literal["change", "redo", "edit"] = "change"  # vs the project, a redone draft, an edit


class DraftKept(_ChangeEvent):
    """A phase is being redone at the learner's request; its earlier output is kept."""

    type: Literal["draft_kept"] = "draft_kept"
    phase: PhaseType
    note: str
    text: str


class VersionCommitted(_ChangeEvent):
    """The project folder has a new version (a follow-up, the learner's edits, a first run)."""

    type: Literal["version"] = "version"
    project_dir: str
    version: dict[str, Any]
    versions: list[dict[str, Any]]


ChangeEvent = CheckpointReached | ChangeDiff | DraftKept | VersionCommitted
