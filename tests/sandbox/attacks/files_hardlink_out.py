"""files: hard-link a file from outside into the run folder, then modify it."""

import os

from attacklib import *


def go():
    os.link(os.path.join(CANARY, "a.txt"), "linked.txt")
    with open("linked.txt", "a") as f:
        f.write("changed")


attempt("hardlink and append", go)
