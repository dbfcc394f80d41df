"""Typed events: the one stream both front ends (widget and CLI) consume.

Each event is a frozen pydantic model with a ``type`` literal; ``Event`` is their
discriminated union, so ``Event`` JSON can be parsed back (``parse_event``). The
CLI's ``--json`` mode prints exactly ``event.model_dump(mode="json")``, one per line.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from codeflow_widget.model.entities import GeneratedProject, SmokeResult
from codeflow_widget.model.rules import PhaseType


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True)
    request_id: str

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class _PhaseEvent(_Event):
    """An event about one phase of the lesson (specify, plan or implement)."""

    phase: PhaseType


class _PhaseText(_PhaseEvent):
    """A phase's event that carries text: a stream delta, or an artefact waiting at a checkpoint."""

    text: str


class Started(_Event):
    """The flow began: which provider, and whether it is the offline lesson engine."""

    type: Literal["started"] = "started"
    user_input: str
    provider: str
    model: str
    offline: bool
    notice: str = ""  # e.g. the honest "离线示例模式" label
    language: Literal["zh", "en"] = "zh"
    retry_count: int = 0


class RequestStatusChanged(_Event):
    """The request as a whole moved on (processing, retrying, completed …)."""

    type: Literal["request_status"] = "request_status"
    status: str
    retry_count: int = 0


class PhaseStarted(_PhaseEvent):
    """A phase begins: its place in the order, its title and what it teaches."""

    type: Literal["phase_started"] = "phase_started"
    sequence_order: int
    title: str
    educational_message: str


class ThinkingDelta(_PhaseText):
    """Reasoning text. Never part of the spec, plan or code."""

    type: Literal["thinking"] = "thinking"


class ContentDelta(_PhaseText):
    """Answer text: the spec, the plan or the code, as it streams."""

    type: Literal["content"] = "content"


class PhaseReset(_PhaseEvent):
    """Throw away this phase's partial text: the phase is starting over (attempt n)."""

    type: Literal["phase_reset"] = "phase_reset"
    attempt: int
    reason: str
    delay_s: float = 0.0


class PhaseCompleted(_PhaseEvent):
    """A phase's artefact is done (the spec, the plan or the code), with how long it took."""

    type: Literal["phase_completed"] = "phase_completed"
    output: str
    duration_ms: int
    educational_message: str


class PhaseFailed(_PhaseEvent):
    """A phase gave up; the request's ``Failed`` follows with the whole story."""

    type: Literal["phase_failed"] = "phase_failed"
    error_message: str


class Finding(BaseModel):
    """One validation result: a code, a severity, where, and what to do in Chinese."""

    model_config = ConfigDict(frozen=True)
    code: str
    severity: Literal["error", "warning"]
    file: str
    line: int = 0
    message: str  # Chinese
    message_en: str = ""


class ValidationReport(_Event):
    """What the checks found in the code: the files it named and every finding."""

    type: Literal["validation"] = "validation"
    ok: bool
    findings: tuple[Finding, ...] = ()
    files: tuple[str, ...] = ()


class Progress(_Event):
    """A slow step of the implement phase begins: checking the code, its trial run, writing it."""

    type: Literal["progress"] = "progress"
    step: Literal["checking", "trial_run", "writing"]
    total_s: float = 0.0  # the trial run's time limit; 0 for the other steps


class SmokeRunFinished(_Event):
    """The trial run in the sandbox ended: ran, crashed, timed out, or was refused."""

    type: Literal["smoke_run"] = "smoke_run"
    result: SmokeResult


class ProjectWritten(_Event):
    """The project is in ``projects/<name>/``: every file, the README and run.ipynb."""

    type: Literal["project_written"] = "project_written"
    project: GeneratedProject


class Completed(_Event):
    """The request succeeded: the project, the whole time, and how to run it."""

    type: Literal["completed"] = "completed"
    project: GeneratedProject
    duration_ms: int
    run_command: str


class Suggestion(BaseModel):
    """A lesson offered instead of a wish that named none: a button in the view, a line in the CLI.

    ``name`` is in the learner's language; ``example`` is that lesson's first example wish in it,
    so a click can put it in the request box and start without asking the kernel again.
    """

    model_config = ConfigDict(frozen=True)
    id: str
    name: str
    example: str = ""


class Failed(_Event):
    """The request ended without a project to play: why, in the learner's language, and what
    can be done (retry, a kept project to study, lessons to try instead)."""

    type: Literal["failed"] = "failed"
    error_message: str
    error_code: str
    phase: PhaseType | None = None
    retry_count: int = 0
    can_retry: bool = False
    project: GeneratedProject | None = None  # kept for study, never downloadable
    suggestions: tuple[Suggestion, ...] = ()  # the closest lessons, when no lesson matched


# -- changing what was made (follow-ups, step mode, versions; see flow/change.py) -------------
class CheckpointReached(_PhaseText):
    """Step mode: the phase's artefact is ready; the lesson waits for continue, edit or redo."""

    type: Literal["checkpoint"] = "checkpoint"


class ChangeDiff(_PhaseEvent):
    """What a phase changed, as a unified diff of one file (spec.md, plan.md, main.py …)."""

    type: Literal["change_diff"] = "change_diff"
    file: str
    diff: str
    kind: Literal["change", "redo", "edit"] = "change"  # vs the project, a redone draft, an edit


class DraftKept(_PhaseText):
    """A phase is being redone at the learner's request; its earlier output (text) is kept."""

    type: Literal["draft_kept"] = "draft_kept"
    note: str


class VersionCommitted(_Event):
    """The project folder has a new version (a follow-up, or the learner's own edits)."""

    type: Literal["version"] = "version"
    project_dir: str
    version: dict[str, Any]
    versions: list[dict[str, Any]]


Event = Annotated[
    Started
    | RequestStatusChanged
    | PhaseStarted
    | ThinkingDelta
    | ContentDelta
    | PhaseReset
    | PhaseCompleted
    | PhaseFailed
    | ValidationReport
    | Progress
    | SmokeRunFinished
    | ProjectWritten
    | Completed
    | Failed
    | CheckpointReached
    | ChangeDiff
    | DraftKept
    | VersionCommitted,
    Field(discriminator="type"),
]

_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)


def parse_event(data: dict[str, Any] | str | bytes) -> Event:
    if isinstance(data, (str, bytes)):
        return _ADAPTER.validate_json(data)
    return _ADAPTER.validate_python(data)
