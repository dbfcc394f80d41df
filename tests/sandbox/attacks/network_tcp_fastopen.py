"""network: TCP sendto with MSG_FASTOPEN."""

import socket

from attacklib import *


def go():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.sendto(b"exfil", socket.MSG_FASTOPEN, ("127.0.0.1", TCP_PORT))


attempt("tcp fastopen", go)
