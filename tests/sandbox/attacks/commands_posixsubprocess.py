"""commands: _posixsubprocess.fork_exec runs a command."""

import _posixsubprocess
import os

from attacklib import *


def go():
    r, w = os.pipe()
    args = [b"/bin/sh", b"-c", ("echo pwned > " + os.path.join(CANARY, "sh.txt")).encode()]
    # The 3.11/3.12 signature (23 arguments), called the way subprocess itself calls it.
    pid = _posixsubprocess.fork_exec(
        args,
        [args[0]],
        True,
        (),
        None,
        None,
        -1,
        -1,
        -1,
        -1,
        -1,
        -1,
        r,
        w,
        False,
        False,
        -1,
        None,
        None,
        None,
        -1,
        None,
        False,
    )
    os.close(w)
    os.waitpid(pid, 0)
    if not os.path.exists(os.path.join(CANARY, "sh.txt")):
        raise OSError("fork_exec ran, but nothing outside changed")


attempt("fork_exec", go)
