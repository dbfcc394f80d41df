"""network: an AF_PACKET socket."""

import socket

from attacklib import *

attempt("packet socket", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW).bind(("lo", 0)))
