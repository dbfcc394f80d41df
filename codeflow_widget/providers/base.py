"""The provider contract: one async generator of chunks per phase call.

A provider never retries and never knows about widgets: it streams what the
model says, separated into ``ThinkingChunk`` (reasoning) and ``ContentChunk``
(the answer), and raises a ``ProviderError`` subclass when something goes wrong.
The flow owns retries, timeouts-as-policy and the circuit breaker, and it is the only
place that builds a provider (``flow.lesson.Lesson``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, Union, runtime_checkable

if TYPE_CHECKING:
    from codeflow_widget.model.rules import PhaseType


@dataclass(frozen=True)
class ThinkingChunk:
    """Reasoning text from the provider."""

    text: str


@dataclass(frozen=True)
class ContentChunk:
    """Answer text from the provider."""

    text: str


Chunk = Union[ThinkingChunk, ContentChunk]


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class PhaseCall:
    """Everything a provider may look at for one phase: the prompt and its context."""

    phase: PhaseType
    messages: tuple[Message, ...]
    user_input: str
    language: Literal["zh", "en"] = "zh"
    attempt: int = 1


@runtime_checkable
class Provider(Protocol):
    name: str
    model: str
    base_url: str
    offline: ClassVar[bool]

    def stream(self, call: PhaseCall) -> AsyncIterator[Chunk]:
        """Yield chunks for one phase. Raise ProviderError subclasses on failure."""
        ...

    async def aclose(self) -> None: ...


@runtime_checkable
class TeachesLessons(Protocol):
    """A provider that has its own teaching text per wish (the offline lessons do).

    Not part of ``Provider``: the flow asks for it explicitly, once per request, and falls
    back to the generic phase text (``model.messages.phase_message``).
    """

    def educational_message(self, phase: PhaseType, user_input: str, language: str) -> str | None:
        """The lesson's own teaching text for ``phase``, or None."""
        ...
