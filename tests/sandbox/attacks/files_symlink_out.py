"""files: a symlink in the run folder that points out of the project, then write through it."""

import os

from attacklib import *


def go():
    os.symlink(CANARY, "escape")
    with open("escape/through_link.txt", "w") as f:
        f.write("x")


attempt("write through symlink", go)
