"""Structured reasoning fields: which one a server uses, and only the new text of each piece.

Servers put reasoning beside the answer in ``reasoning_details`` (MiniMax with
``reasoning_split``, OpenRouter: a list of ``{"type": "reasoning.text", "text": …}``),
``reasoning_content`` (DeepSeek, older vLLM) or ``reasoning`` (newer vLLM, Ollama,
OpenRouter). Any of them may arrive incrementally or as cumulative snapshots (MiniMax has
shipped ``reasoning_details`` both ways; M3 sends snapshots in ``reasoning_content``).
``Snapshots`` tells them apart from the text alone: a stream is cumulative only once a piece
of at least 16 characters is continued by the next piece; until then the pieces are held, and
a stream that never proves cumulative is incremental ("a" then "and" is "aand").
``reasoning.ReasoningSplitter`` uses both for the structured half of its job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STRUCTURED_FIELDS = ("reasoning_content", "reasoning", "reasoning_details")
CUMULATIVE_MIN_PREFIX = 16


class Snapshots:
    """Structured reasoning pieces → only the new text, whether sent incrementally or cumulatively.

    The first piece is emitted at once. A later piece that continues the previous one is
    ambiguous while that previous piece is short, so it is held until the next piece (or the
    end) decides.
    """

    def __init__(self) -> None:
        self.mode: str | None = None  # "incremental" | "cumulative" once the text has shown which
        self._first = ""  # the first piece (emitted); a cumulative stream continues it
        self._last = ""  # the last piece received
        self._held: list[str] = []  # pieces not yet emitted while undecided
        self._text = ""  # the whole reasoning so far (cumulative mode)

    def add(self, piece: str) -> str:
        if self.mode == "incremental":
            return piece
        if self.mode == "cumulative":
            if piece.startswith(self._text):
                new, self._text = piece[len(self._text) :], piece
                return new
            self._text += piece  # a snapshot that doesn't continue the last one: new text
            return piece
        if not self._last:
            self._first = self._last = piece
            return piece
        if piece.startswith(self._last) and len(piece) > len(self._last):
            if len(self._last) >= CUMULATIVE_MIN_PREFIX:  # a long prefix continued is not chance
                self.mode, self._held, self._text = "cumulative", [], piece
                return piece[len(self._first) :]
            self._held.append(piece)
            self._last = piece
            return ""
        return self._decide_incremental(piece)

    def flush(self) -> str:
        """No more pieces are coming (or the answer started): undecided means incremental."""
        return self._decide_incremental("") if self.mode is None and self._held else ""

    def _decide_incremental(self, piece: str) -> str:
        self.mode = "incremental"
        out, self._held = "".join(self._held) + piece, []
        return out


def field_text(name: str, value: Any) -> str:
    """The text a structured reasoning field carries ("" for anything else)."""
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
