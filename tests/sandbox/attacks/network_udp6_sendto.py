"""network: UDP over IPv6 sendto."""

import socket

from attacklib import *

observe(
    "udp6 sendto",
    lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b"exfil", ("::1", UDP_PORT)),
)
