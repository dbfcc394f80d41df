"""commands: become another user / regain root capabilities."""

import os

from attacklib import *


def go():
    os.setuid(0)
    os.setgid(0)
    open(os.path.join(CANARY, "root.txt"), "w").write("x")


attempt("setuid", go)
