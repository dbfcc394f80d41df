"""Providers turn chat messages into a stream of thinking and content chunks.

``base.Provider`` is the contract. ``offline.OfflineLessons`` is the embedded default (curated
lessons, honestly labelled); ``openai_compatible.OpenAICompatible`` talks to MiniMax, DeepSeek,
OpenAI, Ollama, vLLM or any OpenAI-compatible URL, with one file per vendor quirk
(``minimax.py``). Which one a lesson uses is decided by the flow (``flow.lesson.Lesson``).
"""

from codeflow_widget.providers.base import (
    Chunk,
    ContentChunk,
    PhaseCall,
    Provider,
    TeachesLessons,
    ThinkingChunk,
)

__all__ = ["Chunk", "ContentChunk", "PhaseCall", "Provider", "TeachesLessons", "ThinkingChunk"]
