"""A kernel websocket connection whose socket sends each message at once (``TCP_NODELAY``).

``without_delay(base)`` is a subclass of ``base`` whose ``connect`` first sets the flag on the
browser's socket, then connects as ``base`` does; it reads the flag back from the socket and
logs it, so a server log shows, per connection, that the flag really is on.
"""

from __future__ import annotations

import socket
from functools import cache
from typing import Any


@cache
def without_delay(base: type) -> type:
    def connect(self: Any) -> Any:
        handler = self.websocket_handler
        handler.set_nodelay(True)
        sock = getattr(getattr(handler.ws_connection, "stream", None), "socket", None)
        flag = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) if sock else None
        handler.log.info(
            "codeflow_widget: kernel %s websocket TCP_NODELAY=%s", self.kernel_id, flag
        )
        return super(cls, self).connect()

    cls = type(f"NoDelay{base.__name__}", (base,), {"connect": connect, "__doc__": __doc__})
    return cls
