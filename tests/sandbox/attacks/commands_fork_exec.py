"""commands: os.fork + os.execv a shell."""

import os

from attacklib import *


def go():
    pid = os.fork()
    if pid == 0:
        os.execv("/bin/sh", ["sh", "-c", "echo x > " + os.path.join(CANARY, "fe.txt")])
    os.waitpid(pid, 0)
    if not os.path.exists(os.path.join(CANARY, "fe.txt")):
        raise OSError("no effect")


attempt("fork+exec", go)
