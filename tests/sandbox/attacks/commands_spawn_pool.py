"""commands: a spawn-context process pool writes outside."""

import multiprocessing as mp
import os

from attacklib import *


def write(path):
    open(path, "w").write("x")
    return True


if __name__ == "__main__":

    def go():
        with mp.get_context("spawn").Pool(1) as pool:
            pool.apply(write, (os.path.join(CANARY, "pool.txt"),))

    attempt("spawn pool", go)
