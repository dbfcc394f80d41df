"""resources: one file larger than the file-size cap."""

import signal

from attacklib import *

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def go():
    with open("big.bin", "wb") as f:
        for _ in range(64):
            f.write(b"\0" * (1 << 20))


attempt("big file", go)
