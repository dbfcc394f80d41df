"""commands: create new namespaces to remount things writable."""

import ctypes

from attacklib import *


def go():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(0x10000000 | 0x00020000) != 0:  # CLONE_NEWUSER | CLONE_NEWNS
        raise OSError(ctypes.get_errno(), "unshare")
    succeeded("unshare user+mount namespaces")


attempt("unshare", go)
