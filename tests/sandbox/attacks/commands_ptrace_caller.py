"""commands: ptrace-attach the caller to read its memory."""

import ctypes

from attacklib import *


def go():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.ptrace(16, CALLER, 0, 0) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), "ptrace")


attempt("ptrace caller", go)
