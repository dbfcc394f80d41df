"""network: a raw ICMP socket."""

import socket

from attacklib import *

attempt(
    "raw socket",
    lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).sendto(
        b"x", ("127.0.0.1", 0)
    ),
)
