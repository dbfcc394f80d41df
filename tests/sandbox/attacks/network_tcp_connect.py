"""network: TCP connect to the caller's loopback listener."""

import socket

from attacklib import *

attempt(
    "tcp connect",
    lambda: socket.create_connection(("127.0.0.1", TCP_PORT), timeout=1).sendall(b"exfil"),
)
