"""files: mmap a file outside with write access."""

import mmap
import os

from attacklib import *


def go():
    fd = os.open(os.path.join(CANARY, "a.txt"), os.O_RDWR)
    m = mmap.mmap(fd, 0)
    m[0:1] = b"Z"
    m.flush()


attempt("mmap write", go)
