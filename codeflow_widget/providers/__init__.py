"""Providers turn chat messages into a stream of thinking and content chunks.

``base.Provider`` is the contract. ``offline.OfflineLessons`` is the embedded
default (curated lessons, honestly labelled); ``openai_compat.OpenAICompatible``
talks to MiniMax, DeepSeek, OpenAI, Ollama, vLLM or any OpenAI-compatible URL.
``build_provider(settings)`` picks one from the validated configuration.
"""

from codeflow_widget.providers.base import (
    Chunk,
    ContentChunk,
    PhaseCall,
    Provider,
    ThinkingChunk,
    build_provider,
)

__all__ = ["Chunk", "ContentChunk", "PhaseCall", "Provider", "ThinkingChunk", "build_provider"]
