"""The Jupyter server's side: a server extension that sends kernel messages without delay.

This part runs in the Jupyter server process (JupyterLab, Notebook 7, a JupyterHub user's
server), never in a kernel, and imports nothing else of the package. Installing the package
enables it through ``etc/jupyter/jupyter_server_config.d/codeflow_widget.json``; the server
loads it at start (``jupyter server extension list`` names it).

Why it exists: jupyter_server leaves Nagle's algorithm on for the kernel websocket. A kernel's
answer is several small messages in a row (``status: busy``, the reply, ``status: idle``), and
each one after the first waits for the browser to acknowledge the last — which the browser's
TCP delays by up to 40 ms. Measured in one bench_play run here: a bare comm round trip 52 ms
→ 10.5 ms (median), a key press to the changed picture 130 → 55 ms (p95), pong 33 → 54 frames
shown a second. The lesson view's streaming text arrives the same way.
"""

from __future__ import annotations

import socket
from functools import cache
from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "codeflow_widget.server"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Wrap whatever kernel websocket connection class the server uses (its own, a gateway's,
    or one the admin configured) in one that turns the delay off when a browser connects."""
    settings = serverapp.web_app.settings
    base = settings.get("kernel_websocket_connection_class")
    if base is None:
        serverapp.log.warning("codeflow_widget: no kernel websocket connection class to wrap")
        return
    settings["kernel_websocket_connection_class"] = without_delay(base)
    serverapp.log.info("codeflow_widget: kernel websockets send without delay (TCP_NODELAY)")


@cache
def without_delay(base: type) -> type:
    """A subclass of ``base`` whose ``connect`` first sets ``TCP_NODELAY`` on the browser's
    socket, then connects as ``base`` does; it reads the flag back from the socket and logs it,
    so a server log shows, per connection, that the flag really is on."""

    def connect(self: Any) -> Any:
        handler = self.websocket_handler
        handler.set_nodelay(True)
        sock = getattr(getattr(handler.ws_connection, "stream", None), "socket", None)
        flag = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) if sock else None
        handler.log.info(
            "codeflow_widget: kernel %s websocket TCP_NODELAY=%s", self.kernel_id, flag
        )
        return super(cls, self).connect()

    doc = f"{base.__name__} with TCP_NODELAY on the browser's socket (codeflow_widget.server)."
    cls = type(f"NoDelay{base.__name__}", (base,), {"connect": connect, "__doc__": doc})
    return cls
