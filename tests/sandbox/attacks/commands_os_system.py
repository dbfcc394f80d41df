"""commands: os.system writes outside."""

import os

from attacklib import *


def go():
    os.system("echo x > " + os.path.join(CANARY, "sys.txt"))
    if not os.path.exists(os.path.join(CANARY, "sys.txt")):
        raise OSError("no effect")


attempt("os.system", go)
