"""The frame channel and the message framing, as the shim sees them.

A message is a prefix of two big-endian lengths, a compact JSON header (a dict with a ``"t"``
type) and a binary payload. This is a copy of ``codeflow_widget/play/protocol.py``'s framing:
the shim cannot import codeflow, and a test keeps the two byte for byte the same.
"""

import json
import os
import struct
import threading
import traceback

PREFIX = struct.Struct(">II")


def pack(header, payload=b""):
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return PREFIX.pack(len(head), len(payload)) + head + payload


class Channel:
    """The frame channel (a dup of the original stdout); whole messages, one writer at a time."""

    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()

    def send(self, header, payload=b""):
        data = memoryview(pack(header, payload))
        with self.lock:
            while data:
                written = os.write(self.fd, data)
                data = data[written:]


def read_messages(fd, handle):
    """Call ``handle(message)`` for each message read from ``fd`` until it closes.

    A message that ``handle`` cannot take is printed to stderr and skipped: a bad message must
    not kill the game.
    """
    buffer = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        buffer += chunk
        while len(buffer) >= PREFIX.size:
            head_len, body_len = PREFIX.unpack_from(buffer)
            end = PREFIX.size + head_len + body_len
            if len(buffer) < end:
                break
            message = json.loads(buffer[PREFIX.size : PREFIX.size + head_len].decode("utf-8"))
            buffer = buffer[end:]
            try:
                handle(message)
            except Exception:  # noqa: BLE001 - a bad message must not kill the game
                traceback.print_exc()
