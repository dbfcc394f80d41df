"""The provider contract: one async generator of chunks per phase call.

A provider never retries and never knows about widgets: it streams what the
model says, separated into ``ThinkingChunk`` (reasoning) and ``ContentChunk``
(the answer), and raises a ``ProviderError`` subclass when something goes wrong.
The flow owns retries, timeouts-as-policy and the circuit breaker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, Union, runtime_checkable

if TYPE_CHECKING:
    from codeflow_widget.config import Settings
    from codeflow_widget.model.entities import PhaseType


@dataclass(frozen=True)
class ThinkingChunk:
    text: str


@dataclass(frozen=True)
class ContentChunk:
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
    extra: dict = field(default_factory=dict)


@runtime_checkable
class Provider(Protocol):
    name: str
    model: str
    base_url: str
    offline: ClassVar[bool]

    def stream(self, call: PhaseCall) -> AsyncIterator[Chunk]:
        """Yield chunks for one phase. Raise ProviderError subclasses on failure."""
        ...

    def educational_message(self, phase: PhaseType, user_input: str, language: str) -> str | None:
        """An optional phase message specific to this request (lessons have their own)."""
        ...

    async def aclose(self) -> None: ...


def build_provider(settings: Settings) -> Provider:
    """The provider the validated settings ask for (offline when nothing is configured)."""
    if settings.provider == "offline":
        from codeflow_widget.providers.offline import Catalogue, OfflineLessons

        catalogue = Catalogue.load(settings.lessons_dir) if settings.lessons_dir else None
        return OfflineLessons(pace=settings.offline_pace, catalogue=catalogue)
    from codeflow_widget.providers.openai_compatible import OpenAICompatible

    return OpenAICompatible.from_settings(settings)
