"""network: connect to an abstract unix socket the caller listens on."""

import socket

from attacklib import *


def go():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect("\0" + ABSTRACT)
    s.sendall(b"exfil")


attempt("abstract unix", go)
