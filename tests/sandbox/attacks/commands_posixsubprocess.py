"""commands: _posixsubprocess.fork_exec runs a command."""

import _posixsubprocess
import os

from attacklib import *


def go():
    r, w = os.pipe()
    args = [b"/bin/sh", b"-c", ("echo pwned > " + os.path.join(CANARY, "sh.txt")).encode()]
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
        None,
        None,
        None,
        -1,
        None,
        False,
    )
    os.waitpid(pid, 0)
    if os.path.exists(os.path.join(CANARY, "sh.txt")):
        succeeded("fork_exec wrote outside")


attempt("fork_exec", go)
