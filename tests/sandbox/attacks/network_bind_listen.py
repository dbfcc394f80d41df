"""network: open a listening TCP port."""

import socket

from attacklib import *


def go():
    s = socket.socket()
    s.bind(("0.0.0.0", 0))
    s.listen()


observe("bind listen", go)
