"""Split a chat-completion stream into reasoning (thinking) and answer (content).

Every OpenAI-compatible server reports reasoning its own way, and one splitter
handles them all, fed one ``delta`` dict at a time:

- ``reasoning_details`` — MiniMax (``reasoning_split``) and OpenRouter: a list of
  ``{"type": "reasoning.text", "text": …}``. MiniMax has shipped the text both
  incrementally (M2.7) and cumulatively (the official example): text that starts
  with everything received so far is treated as cumulative and only the new
  suffix is emitted.
- ``reasoning_content`` — DeepSeek and older vLLM; ``reasoning`` — newer vLLM,
  Ollama and OpenRouter. Servers often send two of these side by side with the
  same text (MiniMax: details + reasoning_content; OpenRouter: reasoning +
  details), so the first structured field that carries text locks in and the
  others are ignored for the rest of the stream.
- Inline ``<think>…</think>`` at the start of ``content`` (MiniMax without the
  split, many local models), with tags split across chunks anywhere, leading
  whitespace around the block dropped, and the opening tag sometimes missing.
  When structured reasoning has already been seen, an inline block is the same
  reasoning twice: the structured copy wins and the inline text is dropped.

The missing opening tag forces a decision the stream cannot make at once: text
that starts without ``<think>`` may be reasoning whose ``</think>`` comes later.
Such text is held back and released by this rule, which depends only on the
text and never on where the chunk boundaries fall:

1. ``</think>`` starts within the first ``hold_limit`` characters (default
   4096) and no markdown heading line (``#`` … ``######`` followed by a space)
   starts before it → everything before the tag was reasoning.
2. A markdown heading line, or a code fence as the very first line, appears
   before any ``</think>`` → it is an answer (reasoning is prose; the phase
   prompts ask for markdown answers), released at once.
3. ``hold_limit`` characters have passed with neither → released as content.

When structured reasoning was seen before any content, content is released at
once (those servers have already taken the reasoning out). ``finish()`` flushes
whatever is still held: unclosed ``<think>`` text is reasoning, undecided text
is content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from codeflow_widget.providers.base import Chunk, ContentChunk, ThinkingChunk

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"
STRUCTURED_FIELDS = ("reasoning_content", "reasoning", "reasoning_details")
_ANSWER_START = re.compile(r"(?m)^#{1,6} ")
_FENCE_FIRST = re.compile(r"\A\s*```")

# inline states
_START = "start"  # nothing decided: leading whitespace, maybe "<think>"
_THINK = "think"  # inside <think> … waiting for </think>
_UNTAGGED = "untagged"  # no opening tag: holding text until the rule above decides
_AFTER = "after"  # just left a think block: dropping leading whitespace
_ANSWER = "answer"  # plain content from here on


class ReasoningSplitter:
    """Feed ``delta`` dicts with :meth:`feed`, then call :meth:`finish` once."""

    def __init__(self, hold_limit: int = 4096) -> None:
        self.hold_limit = hold_limit
        self._source: str | None = None  # the structured field we locked onto
        self._details_text = ""  # all reasoning_details text so far (for cumulative detection)
        self._details_mode: str | None = None  # "incremental" | "cumulative" once decided
        self._state = _START
        self._buffer = ""  # content not yet emitted
        self._inline_seen = False  # inline <think> text was emitted as thinking
        self.thinking_chars = 0
        self.content_chars = 0

    # -- public ---------------------------------------------------------------
    @property
    def structured(self) -> bool:
        return self._source is not None

    def feed(self, delta: Mapping[str, Any] | None) -> list[Chunk]:
        """One ``choices[0].delta`` (unknown keys are ignored; ``None`` values are fine).

        A whole chunk dict (``chunk.model_dump()``) is accepted too: its first
        choice's delta is used.
        """
        if delta and "choices" in delta:
            choices = delta.get("choices") or []
            first = choices[0] if choices and isinstance(choices[0], Mapping) else {}
            delta = first.get("delta") or first.get("message")
        if not delta:
            return []
        out: list[Chunk] = []
        thinking = self._structured_text(delta)
        if thinking:
            out.append(self._thinking(thinking))
        content = delta.get("content")
        if isinstance(content, str) and content:
            self._buffer += content
            out.extend(self._drain())
        return out

    def feed_message(self, message: Mapping[str, Any]) -> list[Chunk]:
        """A whole non-streamed ``choices[0].message``: the same rules, one delta."""
        return self.feed(message) + self.finish()

    def finish(self) -> list[Chunk]:
        """The stream ended: release whatever is still held back."""
        out: list[Chunk] = []
        text, self._buffer = self._buffer, ""
        if self._state == _THINK:
            out.extend(self._inline_thinking(text))
        elif self._state in (_START, _UNTAGGED, _ANSWER):
            text = text.lstrip() if self._state != _ANSWER else text
            if text:
                out.append(self._content(text))
        self._state = _ANSWER
        return out

    # -- structured reasoning -------------------------------------------------
    def _structured_text(self, delta: Mapping[str, Any]) -> str:
        if self._source is None:
            if self._inline_seen:
                return ""  # inline reasoning came first: one copy is enough
            for name in STRUCTURED_FIELDS:
                if _field_text(name, delta.get(name)):
                    self._source = name
                    break
            else:
                return ""
        text = _field_text(self._source, delta.get(self._source))
        if self._source == "reasoning_details" and text:
            text = self._details_suffix(text)
        return text

    def _details_suffix(self, text: str) -> str:
        """Incremental or cumulative ``reasoning_details`` → only the new text."""
        seen = self._details_text
        if self._details_mode != "incremental" and seen and text.startswith(seen):
            # A short prefix match may be chance ("\n" then "\n\n"); a long one is not.
            if len(seen) >= 16:
                self._details_mode = "cumulative"
            self._details_text = text
            return text[len(seen) :]
        if seen and self._details_mode != "cumulative":
            self._details_mode = "incremental"
        self._details_text = seen + text if self._details_mode != "cumulative" else text
        return text

    # -- inline <think> -------------------------------------------------------
    def _drain(self) -> list[Chunk]:
        out: list[Chunk] = []
        while True:
            before = (self._state, len(self._buffer))
            out.extend(self._step())
            if (self._state, len(self._buffer)) == before or not self._buffer:
                return out

    def _step(self) -> list[Chunk]:
        buf = self._buffer
        if self._state == _START:
            stripped = buf.lstrip()
            if not stripped:
                self._buffer = ""
                return []
            if stripped.startswith(OPEN_TAG):
                self._buffer = stripped[len(OPEN_TAG) :]
                self._state = _THINK
                return []
            if OPEN_TAG.startswith(stripped):
                return []  # maybe "<thi" of "<think>": wait for more
            self._buffer = stripped
            self._state = _ANSWER if self.structured else _UNTAGGED
            return []
        if self._state == _THINK:
            end = buf.find(CLOSE_TAG)
            if end >= 0:
                self._buffer = buf[end + len(CLOSE_TAG) :]
                self._state = _AFTER
                return self._inline_thinking(buf[:end])
            keep = _partial_suffix(buf, CLOSE_TAG)
            self._buffer = buf[len(buf) - keep :] if keep else ""
            return self._inline_thinking(buf[: len(buf) - keep])
        if self._state == _AFTER:
            stripped = buf.lstrip()
            self._buffer = stripped
            if stripped:
                self._state = _ANSWER
            return []
        if self._state == _UNTAGGED:
            return self._decide_untagged()
        # _ANSWER
        self._buffer = ""
        return [self._content(buf)]

    def _decide_untagged(self) -> list[Chunk]:
        buf = self._buffer
        window = buf[: self.hold_limit + len(CLOSE_TAG) - 1]
        end = window.find(CLOSE_TAG)
        if end >= self.hold_limit:
            end = -1
        heading = _ANSWER_START.search(buf, 0, end if end >= 0 else len(buf))
        answer_at = heading.start() if heading else -1
        if _FENCE_FIRST.match(buf):
            answer_at = 0
        if end >= 0 and (answer_at < 0 or answer_at > end):
            self._buffer = buf[end + len(CLOSE_TAG) :]
            self._state = _AFTER
            return self._inline_thinking(buf[:end])
        if 0 <= answer_at < self.hold_limit or len(window) >= self.hold_limit + len(CLOSE_TAG) - 1:
            self._state = _ANSWER
        return []

    def _inline_thinking(self, text: str) -> list[Chunk]:
        if not self.structured and not self._inline_seen:
            text = text.lstrip()
        if not text or self.structured:
            return []  # the structured copy of this reasoning wins
        self._inline_seen = True
        return [self._thinking(text)]

    def _thinking(self, text: str) -> ThinkingChunk:
        self.thinking_chars += len(text)
        return ThinkingChunk(text)

    def _content(self, text: str) -> ContentChunk:
        self.content_chars += len(text)
        return ContentChunk(text)


def _field_text(name: str, value: Any) -> str:
    if name != "reasoning_details":
        return value if isinstance(value, str) else ""
    if not isinstance(value, list):
        return ""
    parts = []
    for item in value:
        if isinstance(item, Mapping) and item.get("type", "reasoning.text") == "reasoning.text":
            text = item.get("text")
            if isinstance(text, str):
                parts.append(text)
    return "".join(parts)


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that could be the start of ``tag``."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


def split_text(text: str) -> tuple[str, str]:
    """(thinking, content) of a complete answer — for tests and non-streamed replies."""
    splitter = ReasoningSplitter()
    chunks = splitter.feed({"content": text}) + splitter.finish()
    thinking = "".join(c.text for c in chunks if isinstance(c, ThinkingChunk))
    content = "".join(c.text for c in chunks if isinstance(c, ContentChunk))
    return thinking, content
