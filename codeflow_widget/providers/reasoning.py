"""Split a chat-completion stream into reasoning (thinking) and answer (content).

Every OpenAI-compatible server reports reasoning its own way, and one splitter
handles them all, fed one ``delta`` dict at a time:

- ``reasoning_details`` — MiniMax (``reasoning_split``) and OpenRouter: a list of
  ``{"type": "reasoning.text", "text": …}``.
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

Any structured field may arrive incrementally or as cumulative snapshots; telling them apart
is :mod:`.structured_reasoning`'s job (``Snapshots``).

The missing opening tag forces a decision the stream cannot make at once: text
that starts without ``<think>`` may be reasoning whose ``</think>`` comes later.
Such text is held back and released by this rule, which depends only on the
text and never on where the chunk boundaries fall:

1. ``</think>`` starts within the first ``hold_limit`` characters (default
   32,768: real R1 and GLM reasoning often runs past 4,096) and no markdown heading line
   (``#`` … ``######`` followed by a space, outside code fences) starts before it →
   everything before the tag was reasoning.
2. A markdown heading line outside code fences, or a file fence (```` ```python main.py ````,
   the form the phase prompts ask for) as the very first line, appears before any
   ``</think>`` → it is an answer, released at once. Reasoning may quote code: a ``# comment``
   inside a fence is not a heading.
3. ``hold_limit`` characters have passed with neither → released as content.

When structured reasoning was seen before any content, content is released at
once (those servers have already taken the reasoning out). ``finish()`` flushes
whatever is still held: unclosed ``<think>`` text is reasoning, undecided text
is content. A stray ``</think>`` in the answer (some models close twice) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from codeflow_widget.providers.base import Chunk, ContentChunk, ThinkingChunk
from codeflow_widget.providers.structured_reasoning import (
    STRUCTURED_FIELDS,
    Snapshots,
    field_text,
)

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"
_ANSWER_START = re.compile(r"(?m)^#{1,6} ")
_FENCE_LINE = re.compile(r"(?m)^[ \t]*(```|~~~)")
_FILE_FENCE_FIRST = re.compile(r"\A\s*```[\w+-]+[ \t]+[\w./-]+\.\w+[ \t]*\n")

# inline states
_START = "start"  # nothing decided: leading whitespace, maybe "<think>"
_THINK = "think"  # inside <think> … waiting for </think>
_UNTAGGED = "untagged"  # no opening tag: holding text until the rule above decides
_AFTER = "after"  # just left a think block: dropping leading whitespace
_ANSWER = "answer"  # plain content from here on


class ReasoningSplitter:
    """Feed ``delta`` dicts with :meth:`feed`, then call :meth:`finish` once."""

    def __init__(self, hold_limit: int = 32_768) -> None:
        self.hold_limit = hold_limit
        self._source: str | None = None  # the structured field we locked onto
        self._snapshots = Snapshots()  # incremental or cumulative structured text
        self._state = _START
        self._buffer = ""  # content not yet emitted
        self._inline_seen = False  # inline <think> text was emitted as thinking

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
            held = self._snapshots.flush()  # the answer has started: reasoning is complete
            if held:
                out.append(self._thinking(held))
            self._buffer += content
            out.extend(self._drain())
        return out

    def feed_message(self, message: Mapping[str, Any]) -> list[Chunk]:
        """A whole non-streamed ``choices[0].message``: the same rules, one delta."""
        return self.feed(message) + self.finish()

    def finish(self) -> list[Chunk]:
        """The stream ended: release whatever is still held back."""
        out: list[Chunk] = []
        held = self._snapshots.flush()
        if held:
            out.append(self._thinking(held))
        text, self._buffer = self._buffer, ""
        if self._state == _ANSWER:
            text = text.replace(CLOSE_TAG, "")
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
                if field_text(name, delta.get(name)):
                    self._source = name
                    break
            else:
                return ""
        text = field_text(self._source, delta.get(self._source))
        return self._snapshots.add(text) if text else ""

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
        # _ANSWER: drop stray closing tags; keep a possible "</thi" for the next chunk
        buf = buf.replace(CLOSE_TAG, "")
        keep = _partial_suffix(buf, CLOSE_TAG)
        self._buffer = buf[len(buf) - keep :] if keep else ""
        text = buf[: len(buf) - keep]
        return [self._content(text)] if text else []

    def _decide_untagged(self) -> list[Chunk]:
        buf = self._buffer
        window = buf[: self.hold_limit + len(CLOSE_TAG) - 1]
        end = window.find(CLOSE_TAG)
        if end >= self.hold_limit:
            end = -1
        answer_at = _first_heading_outside_fences(buf, end if end >= 0 else len(buf))
        if _FILE_FENCE_FIRST.match(buf):
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
        return ThinkingChunk(text)

    def _content(self, text: str) -> ContentChunk:
        return ContentChunk(text)


def _first_heading_outside_fences(text: str, end: int) -> int:
    """Where the first markdown heading before ``end`` starts, ignoring lines inside fences."""
    fences = [m.start() for m in _FENCE_LINE.finditer(text, 0, end)]
    for heading in _ANSWER_START.finditer(text, 0, end):
        inside = sum(1 for f in fences if f < heading.start()) % 2 == 1
        if not inside:
            return heading.start()
    return -1


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
