"""network: a netlink socket to reconfigure interfaces."""

import socket

from attacklib import *

observe("netlink", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0).bind((0, 0)))
