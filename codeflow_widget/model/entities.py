"""The three entities of the data model and the state machine that moves them.

A ``CodeGenerationRequest`` owns three ``ProcessPhase`` objects (specify, plan,
implement) and, when it completes, one ``GeneratedProject`` (``project.py``, re-exported
here). Every status change
goes through a method here, which refuses illegal moves with ``TransitionError``
and moves ``updated_at`` forward — so the rules live in one place and both front
ends (widget and CLI) see the same truth.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from codeflow_widget.model.errors import RequestInputError, TransitionError
from codeflow_widget.model.project import (
    PROJECT_NAME,
    FileNode,
    GeneratedProject,
    SmokeResult,
    new_project_name,
)
from codeflow_widget.model.rules import (
    APPROVED_DEPENDENCIES,
    MAX_FILE_BYTES,
    MAX_INPUT_CHARS,
    MAX_PROJECT_BYTES,
    MAX_RETRIES,
    PHASE_ORDER,
    PhaseType,
    teaching_problem,
)

__all__ = [
    "APPROVED_DEPENDENCIES", "MAX_FILE_BYTES", "MAX_INPUT_CHARS", "MAX_PROJECT_BYTES",
    "MAX_RETRIES", "PHASE_ORDER", "CodeGenerationRequest", "FileNode", "GeneratedProject",
    "PhaseStatus", "PhaseType", "ProcessPhase", "RequestStatus", "SmokeResult", "clean_user_input",
    "new_project_name", "now", "PROJECT_NAME",
]  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def now() -> datetime:
    return datetime.now(timezone.utc)


class RequestStatus(str, Enum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    RETRYING = "retrying"


class PhaseStatus(str, Enum):
    PENDING = "pending"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"


REQUEST_TRANSITIONS: dict[RequestStatus, set[RequestStatus]] = {
    RequestStatus.PENDING: {RequestStatus.PROCESSING},
    RequestStatus.PROCESSING: {RequestStatus.COMPLETED, RequestStatus.FAILED},
    RequestStatus.FAILED: {RequestStatus.RETRYING},
    RequestStatus.RETRYING: {RequestStatus.PROCESSING},
    RequestStatus.COMPLETED: set(),
}
PHASE_TRANSITIONS: dict[PhaseStatus, set[PhaseStatus]] = {
    PhaseStatus.PENDING: {PhaseStatus.ACTIVE},
    PhaseStatus.ACTIVE: {PhaseStatus.COMPLETED, PhaseStatus.FAILED},
    PhaseStatus.COMPLETED: set(),
    PhaseStatus.FAILED: set(),
}


def _check(table: dict, source: Enum, target: Enum) -> None:
    if target not in table[source]:
        raise TransitionError("transition.illegal", source=source.value, target=target.value)


def clean_user_input(text: str) -> str:
    """Strip the learner's text and enforce 1–1000 characters, no control characters."""
    if not isinstance(text, str):
        raise RequestInputError("request.empty")
    stripped = text.strip()
    if not stripped:
        raise RequestInputError("request.empty")
    if len(stripped) > MAX_INPUT_CHARS:
        raise RequestInputError("request.too_long", length=len(stripped))
    if _CONTROL.search(stripped):
        raise RequestInputError("request.control_chars")
    return stripped


class ProcessPhase(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    request_id: uuid.UUID
    phase_type: PhaseType
    sequence_order: int = Field(ge=1, le=3)
    status: PhaseStatus = PhaseStatus.PENDING
    educational_message: str
    started_at: datetime | None = None
    completed_at: datetime | None = None

    @field_validator("educational_message")
    @classmethod
    def _chinese_10_to_200(cls, value: str) -> str:
        problem = teaching_problem(value, "zh")
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _order_matches_type(self) -> ProcessPhase:
        if PHASE_ORDER[self.sequence_order - 1] != self.phase_type:
            raise ValueError(
                f"sequence_order {self.sequence_order} does not match phase_type {self.phase_type}"
            )
        return self

    @property
    def duration_ms(self) -> int | None:
        if self.started_at and self.completed_at:
            return int((self.completed_at - self.started_at).total_seconds() * 1000)
        return None


class CodeGenerationRequest(BaseModel):
    """One learner wish and its journey. Mutate only through the methods below."""

    model_config = ConfigDict(validate_assignment=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    user_input: str
    status: RequestStatus = RequestStatus.PENDING
    retry_count: int = Field(default=0, ge=0, le=MAX_RETRIES)
    error_message: str | None = None
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now)
    phases: list[ProcessPhase] = Field(default_factory=list)

    @field_validator("user_input", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> str:
        return clean_user_input(value)

    @classmethod
    def create(cls, user_input: str, messages: dict[str, str]) -> CodeGenerationRequest:
        """A new pending request with its three pending phases.

        ``messages`` maps phase type → its Chinese educational message.
        """
        request = cls(
            user_input=clean_user_input(user_input)
        )  # raises RequestInputError, not a pydantic error
        request.phases = [
            ProcessPhase(
                request_id=request.id,
                phase_type=p,
                sequence_order=i + 1,
                educational_message=messages[p],
            )
            for i, p in enumerate(PHASE_ORDER)
        ]
        return request

    # -- request transitions -------------------------------------------------
    def _touch(self) -> None:
        # Strictly later on every transition, even where the clock ticks coarsely (Windows: ~16 ms).
        self.updated_at = max(now(), self.updated_at + timedelta(microseconds=1))

    def _move(self, target: RequestStatus) -> None:
        _check(REQUEST_TRANSITIONS, self.status, target)
        self.status = target
        self._touch()

    def start(self) -> None:
        self._move(RequestStatus.PROCESSING)

    def complete(self) -> None:
        if self.phase("implement").status is not PhaseStatus.COMPLETED:
            raise TransitionError("request.incomplete")
        self._move(RequestStatus.COMPLETED)
        self.error_message = None

    def fail(self, error_message: str) -> None:
        self._move(RequestStatus.FAILED)
        self.error_message = error_message

    def begin_retry(self) -> None:
        """failed → retrying: count the retry and reset the phases (max 3 retries)."""
        if self.status is not RequestStatus.FAILED:
            raise TransitionError("request.retry_not_failed")
        if self.retry_count >= MAX_RETRIES:
            raise TransitionError("request.retry_limit", max_retries=MAX_RETRIES)
        self._move(RequestStatus.RETRYING)
        self.retry_count += 1
        self.phases = [
            phase.model_copy(
                update={"status": PhaseStatus.PENDING, "started_at": None, "completed_at": None}
            )
            for phase in self.phases
        ]

    @property
    def can_retry(self) -> bool:
        return self.status is RequestStatus.FAILED and self.retry_count < MAX_RETRIES

    # -- phase transitions ---------------------------------------------------
    def phase(self, phase_type: PhaseType) -> ProcessPhase:
        return next(p for p in self.phases if p.phase_type == phase_type)

    def activate_phase(self, phase_type: PhaseType) -> ProcessPhase:
        phase = self.phase(phase_type)
        if self.status is not RequestStatus.PROCESSING:
            raise TransitionError(
                "transition.illegal", source=self.status.value, target=f"{phase_type}:active"
            )
        if any(p.status is PhaseStatus.ACTIVE for p in self.phases):
            raise TransitionError("phase.one_active")
        earlier = self.phases[: phase.sequence_order - 1]
        if any(p.status is not PhaseStatus.COMPLETED for p in earlier):
            raise TransitionError("phase.out_of_order", phase=phase_type)
        _check(PHASE_TRANSITIONS, phase.status, PhaseStatus.ACTIVE)
        phase.status = PhaseStatus.ACTIVE
        phase.started_at = now()
        self._touch()
        return phase

    def finish_phase(self, phase_type: PhaseType, *, ok: bool = True) -> ProcessPhase:
        phase = self.phase(phase_type)
        target = PhaseStatus.COMPLETED if ok else PhaseStatus.FAILED
        _check(PHASE_TRANSITIONS, phase.status, target)
        phase.status = target
        phase.completed_at = now()
        self._touch()
        return phase

    @property
    def active_phase(self) -> ProcessPhase | None:
        return next((p for p in self.phases if p.status is PhaseStatus.ACTIVE), None)
