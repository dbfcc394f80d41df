"""network: UDP sendto to a listener on the caller's loopback."""

import socket

from attacklib import *


def go():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"exfil", ("127.0.0.1", UDP_PORT))


observe("udp sendto", go)
