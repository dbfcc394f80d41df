"""files: ftruncate a descriptor opened read-write outside."""

import os

from attacklib import *


def go():
    fd = os.open(os.path.join(CANARY, "a.txt"), os.O_RDWR)
    os.ftruncate(fd, 0)


attempt("ftruncate", go)
