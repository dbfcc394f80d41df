"""resources: allocate 4 GiB."""

from attacklib import *


def go():
    blocks = [bytearray(256 << 20) for _ in range(16)]
    print(len(blocks))


attempt("memory bomb", go)
