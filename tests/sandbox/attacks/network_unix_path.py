"""network: connect to a pathname unix socket the caller listens on."""

import socket

from attacklib import *


def go():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(UNIX_PATH)
    s.sendall(b"exfil")


attempt("unix path", go)
