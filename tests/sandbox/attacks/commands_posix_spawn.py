"""commands: os.posix_spawn a shell that writes outside."""

import os

from attacklib import *


def go():
    pid = os.posix_spawn("/bin/sh", ["sh", "-c", "echo x > " + os.path.join(CANARY, "ps.txt")], {})
    os.waitpid(pid, 0)
    if not os.path.exists(os.path.join(CANARY, "ps.txt")):
        raise OSError("no effect")


attempt("posix_spawn", go)
