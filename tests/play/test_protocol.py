"""The kernel↔shim framing: round trips, partial input, bad input, and the shim's copy in step."""

from __future__ import annotations

import asyncio
import struct

import pytest

from codeflow_widget.play import protocol
from codeflow_widget.play.capture import wire


def test_a_message_round_trips_with_a_binary_payload():
    data = protocol.pack({"t": "frame", "seq": 7, "名": "中文"}, b"\x00\xff" * 10)
    header, payload, used = protocol.unpack(data + b"rest")
    assert header == {"t": "frame", "seq": 7, "名": "中文"}
    assert payload == b"\x00\xff" * 10
    assert used == len(data)


def test_the_shims_copy_of_pack_is_byte_for_byte_the_same():
    for header, payload in [({"t": "ack", "seq": 3}, b""), ({"t": "frame", "x": "é"}, b"png")]:
        assert wire.pack(header, payload) == protocol.pack(header, payload)
    assert wire.PREFIX.format == protocol.PREFIX.format


def test_an_incomplete_message_asks_for_more_bytes():
    data = protocol.pack({"t": "hello"}, b"12345")
    for cut in (0, 3, 8, len(data) - 1):
        with pytest.raises(protocol.IncompleteMessage):
            protocol.unpack(data[:cut])


@pytest.mark.parametrize(
    "raw",
    [
        struct.pack(">II", 0, 0),
        struct.pack(">II", 10**7, 0),
        struct.pack(">II", 2, 10**9) + b"{}",
        struct.pack(">II", 2, 0) + b"[]",
        struct.pack(">II", 8, 0) + b'{"t": 1}',
        struct.pack(">II", 3, 0) + b"\xff\xfe{",
    ],
)
def test_bad_lengths_or_headers_are_protocol_errors(raw):
    with pytest.raises(protocol.ProtocolError):
        protocol.unpack(raw)


async def test_read_message_from_a_stream_until_a_clean_end():
    reader = asyncio.StreamReader()
    reader.feed_data(protocol.pack({"t": "a"}) + protocol.pack({"t": "b"}, b"xy"))
    reader.feed_eof()
    assert await protocol.read_message(reader) == ({"t": "a"}, b"")
    assert await protocol.read_message(reader) == ({"t": "b"}, b"xy")
    assert await protocol.read_message(reader) is None


async def test_a_stream_cut_inside_a_message_is_an_error():
    reader = asyncio.StreamReader()
    reader.feed_data(protocol.pack({"t": "frame"}, b"0123456789")[:-3])
    reader.feed_eof()
    with pytest.raises(protocol.ProtocolError):
        await protocol.read_message(reader)
