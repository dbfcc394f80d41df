"""The wire between the kernel and the capture shim inside the game process.

One message is: 4 bytes header length, 4 bytes payload length (both big-endian), a UTF-8
JSON header (a dict with a ``"t"`` type), then the binary payload (empty for most). The shim
writes frames this way on its private copy of the game's original stdout; the kernel writes
input the same way on the game's stdin. The shim cannot import codeflow (it runs inside the
sandbox with only the standard library and pygame), so it carries a copy of ``pack`` and
``FrameReader``'s logic; ``tests/play/test_protocol.py`` keeps the two in step.

Shim → kernel: ``hello`` {w, h, codec}, ``frame`` {seq, x, y, w, h, W, H, fmt, flips,
dropped} + image bytes, ``size`` {w, h}, ``bye``.
Kernel → shim: ``ack`` {seq}, ``key`` {down, code, key, mods}, ``mouse`` {kind, x, y,
button, buttons}, ``text`` {text}, ``line`` {text} (a line for ``input()``), ``pause``,
``resume``, ``keyframe``.
"""

from __future__ import annotations

import asyncio
import json
import struct

PREFIX = struct.Struct(">II")
MAX_HEADER = 64 * 1024
MAX_PAYLOAD = 16 * 1024 * 1024  # a 800×600 frame is < 2 MB even as BMP


class ProtocolError(ValueError):
    """The other side sent something that is not a message (a bug, or a game that scribbled)."""


def pack(header: dict, payload: bytes = b"") -> bytes:
    """One message as bytes, ready to write."""
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return PREFIX.pack(len(head), len(payload)) + head + payload


def unpack(data: bytes) -> tuple[dict, bytes, int]:
    """Parse one message from the start of ``data``: (header, payload, bytes used).

    Raises ``IncompleteMessage`` when more bytes are needed.
    """
    if len(data) < PREFIX.size:
        raise IncompleteMessage
    head_len, body_len = PREFIX.unpack_from(data)
    check_lengths(head_len, body_len)
    end = PREFIX.size + head_len + body_len
    if len(data) < end:
        raise IncompleteMessage
    header = parse_header(data[PREFIX.size : PREFIX.size + head_len])
    return header, bytes(data[PREFIX.size + head_len : end]), end


class IncompleteMessage(Exception):
    """Not enough bytes yet for a whole message."""


def check_lengths(head_len: int, body_len: int) -> None:
    if not 0 < head_len <= MAX_HEADER or body_len > MAX_PAYLOAD:
        raise ProtocolError(f"bad message lengths {head_len}/{body_len}")


def parse_header(raw: bytes) -> dict:
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"bad message header: {exc}") from exc
    if not isinstance(header, dict) or not isinstance(header.get("t"), str):
        raise ProtocolError("a message header must be an object with a 't' type")
    return header


async def read_message(reader: asyncio.StreamReader) -> tuple[dict, bytes] | None:
    """The next message from an asyncio stream, or None at a clean end of stream."""
    try:
        prefix = await reader.readexactly(PREFIX.size)
    except asyncio.IncompleteReadError as exc:
        if exc.partial:
            raise ProtocolError("stream ended inside a message") from exc
        return None
    head_len, body_len = PREFIX.unpack(prefix)
    check_lengths(head_len, body_len)
    try:
        head = await reader.readexactly(head_len)
        body = await reader.readexactly(body_len) if body_len else b""
    except asyncio.IncompleteReadError as exc:
        raise ProtocolError("stream ended inside a message") from exc
    return parse_header(head), body
